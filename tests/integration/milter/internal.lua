-- internal.lua - Postfix's own bounce (emulated session: localhost, port
-- 0, bare empty sender) is never rejected: the reject rule is
-- downgraded to annotate.
dofile(dir .. "/common.lua")

local conn = sx_connect(nil)
sx_envelope(conn, "localhost", "127.0.0.1", "", "0")
sx_rcpt(conn, "alice@sender.test")
sx_dsn(conn, "bob@reject.test", "5.1.1", "550 5.1.1 User unknown")
sx_eom(conn, "MTINT01")
assert(mt.getreply(conn) == SMFIR_CONTINUE, "internal bounce not rejected")
assert(mt.eom_check(conn, MT_HDRADD, "X-SMTP-Explain"), "annotated instead")
sx_contains(mt.getheader(conn, "X-SMTP-Explain", 0), "rcpt=bob@reject.test")
mt.disconnect(conn)
