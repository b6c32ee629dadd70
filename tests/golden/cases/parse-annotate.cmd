# The message as the milter delivers it with explain_body on: only the
# text part changes (shown as a diff against the input).
"$CLI" parse --annotate fixtures/dsn/postfix-two.eml | diff fixtures/dsn/postfix-two.eml -; test $? -eq 1
