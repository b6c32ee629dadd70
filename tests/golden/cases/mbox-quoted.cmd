# mboxrd quoting: ">From " loses one '>' and does not start a message
# (here after an empty line, where "From " would); the From_ line is not
# part of the message; a non-bounce in the mbox gives nothing.
"$CLI" parse --json fixtures/mbox/quoted.mbox \
    | grep -o '"message":[0-9]*\|"diagnostic":"From 192.0.2.7: 550 5.1.1 no such mailbox here'
"$CLI" report --json fixtures/mbox/quoted.mbox | grep -o '"messages":[0-9]*'
