"$CLI" "452 4.2.2 Mailbox full, try later"
