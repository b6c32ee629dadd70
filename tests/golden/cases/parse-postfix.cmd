"$CLI" parse fixtures/dsn/postfix-two.eml
