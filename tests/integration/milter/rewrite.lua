-- rewrite.lua - the rewrite rule changes the Subject (and annotates).
dofile(dir .. "/common.lua")

local conn = sx_connect(nil)
sx_envelope(conn, "mx.remote.test", "192.0.2.7", "<>")
sx_rcpt(conn, "alice@sender.test")
sx_dsn(conn, "dave@remote.test", "5.2.2", "552 5.2.2 Mailbox full",
       {subject = "Delivery failure"})
sx_eom(conn, "MTREWR01")
assert(mt.getreply(conn) == SMFIR_CONTINUE, "continue")
assert(mt.eom_check(conn, MT_HDRCHANGE, "Subject", " [mailbox full] Delivery failure"),
       "Subject rewritten")
assert(mt.eom_check(conn, MT_HDRADD, "X-SMTP-Explain"), "annotated too")
mt.disconnect(conn)
