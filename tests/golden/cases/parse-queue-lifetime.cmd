# A delay report without Will-Retry-Until: --queue-lifetime dates the end
# of the retries from its Arrival-Date (retry-until= in the header, and
# the sentence in the block); a bad duration is refused.
"$CLI" parse --queue-lifetime 5d fixtures/dsn/delay-no-retry-date.eml | grep -o 'retry-until="[^"]*"'
"$CLI" parse --annotate --queue-lifetime 5d fixtures/dsn/delay-no-retry-date.eml | grep -A1 'keeps trying'
"$CLI" parse --queue-lifetime 5x fixtures/dsn/delay-no-retry-date.eml
