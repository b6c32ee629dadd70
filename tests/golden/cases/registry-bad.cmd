"$CLI" -r fixtures/registry/bad.conf 550
