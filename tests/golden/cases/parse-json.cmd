"$CLI" parse --json fixtures/dsn/postfix-two.eml fixtures/dsn/plain.eml
