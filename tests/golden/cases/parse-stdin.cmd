"$CLI" parse --json < fixtures/dsn/postfix-two.eml -
