# The headers name this host, as the milter's do; SMTP_EXPLAIN_AUTHSERV_ID
# names another, unless authserv_id would refuse it. Counts of headers.
h=$(uname -n)
env -u SMTP_EXPLAIN_AUTHSERV_ID "$CLI" parse fixtures/dsn/postfix-two.eml | grep -c "^X-SMTP-Explain[-A-Za-z]*: $h; "
SMTP_EXPLAIN_AUTHSERV_ID=mx.example.net "$CLI" parse fixtures/dsn/postfix-two.eml | grep -c "^X-SMTP-Explain[-A-Za-z]*: mx\.example\.net; "
SMTP_EXPLAIN_AUTHSERV_ID='bad id' "$CLI" parse fixtures/dsn/postfix-two.eml 2>&1 | grep -c -e 'SMTP_EXPLAIN_AUTHSERV_ID: bad authserv_id "bad id"' -e "^X-SMTP-Explain[-A-Za-z]*: $h; "
