# Helpers of the golden cases of the mailbox analyser (sourced by .cmd files).

# mkmbox FILE... - an mbox on stdout, written as an MTA writes one: a
# From_ line, the message with its "From " lines quoted (mboxrd), a line
# end added when the message lacks one, an empty line after it.
mkmbox() {
    for f in "$@"; do
        printf 'From MAILER-DAEMON Mon Mar  3 09:12:40 2025\n'
        sed -e 's/^\(>*From \)/>\1/' "$f"
        [ -n "$(tail -c 1 "$f")" ] && echo
        echo
    done
}

# mkmaildir DIR FILE... - a Maildir holding the files, in order.
mkmaildir() {
    d=$1; shift
    mkdir -p "$d/cur" "$d/new" "$d/tmp"
    i=1000
    for f in "$@"; do
        i=$((i + 1))
        cp "$f" "$d/cur/1741000000.M$i.test:2,S"
    done
}

# findings - JSON findings on stdin without where they came from
findings() {
    sed -e 's/"file":"[^"]*",//' -e 's/"message":[0-9]*,//'
}

# dsn DATE RCPT ACTION STATUS DIAG - an RFC 3464 report on stdout
dsn() {
    cat <<MSG
From: MAILER-DAEMON@mx.example.net
To: news@example.net
Subject: Delivery Status Notification
Date: $1
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain

Your message could not be delivered.

--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; $2
Action: $3
Status: $4
Diagnostic-Code: smtp; $5

--b--
MSG
}
