"$CLI" parse fixtures/dsn/no-such-file.eml
