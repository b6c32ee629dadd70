-- rcptrej.lua - recipients Postfix rejected (SMFIP_RCPT_REJ macros) feed
-- the session rule: three unknown users defer the transaction; two do
-- not, and are not shown in the message (annotate_session_rejects off).
dofile(dir .. "/common.lua")

local text = "Recipient address rejected: User unknown in relay recipient table"
local conn = sx_connect(nil)
sx_envelope(conn, "harvester.example", "192.0.2.66", "<spam@harvester.example>")
sx_rcpt_rejected(conn, "nobody1@sender.test", "5.1.1", text)
sx_rcpt_rejected(conn, "nobody2@sender.test", "5.1.1", text)
sx_rcpt(conn, "alice@sender.test")
sx_rcpt_rejected(conn, "nobody3@sender.test", "5.1.1", text)
sx_headers(conn, {{"From", "spam@harvester.example"}, {"Subject", "hello"}})
assert(mt.getreply(conn) == SMFIR_CONTINUE, "continue at eoh: EOM needed")
assert(mt.bodystring(conn, "buy now\r\n") == nil, "body")
assert(mt.getreply(conn) == SMFIR_SKIP, "body skipped: not a report")
sx_eom(conn, "MTREJ01")
assert(mt.getreply(conn) == SMFIR_REPLYCODE, "deferred")
assert(mt.eom_check(conn, MT_SMTPREPLY,
       "451 4.7.1 Too many unknown recipients (3), try again later"),
       "harvest reply text")

-- Two unknown users: below the rule's rejected_min.
assert(mt.mailfrom(conn, "<spam@harvester.example>") == nil, "mailfrom")
sx_rcpt_rejected(conn, "nobody4@sender.test", "5.1.1", text)
sx_rcpt_rejected(conn, "nobody5@sender.test", "5.1.1", text)
sx_rcpt(conn, "alice@sender.test")
sx_headers(conn, {{"From", "spam@harvester.example"}, {"Subject", "hello"}})
assert(mt.bodystring(conn, "buy now\r\n") == nil, "body")
sx_eom(conn, "MTREJ02")
assert(mt.getreply(conn) == SMFIR_CONTINUE, "not deferred")
assert(not mt.eom_check(conn, MT_HDRADD), "rejected addresses not revealed")
mt.disconnect(conn)
