-- quarantine.lua - quarantine and discard verdicts.
dofile(dir .. "/common.lua")

local conn = sx_connect(nil)
sx_envelope(conn, "mx.remote.test", "192.0.2.7", "<>")
sx_rcpt(conn, "alice@sender.test")
sx_dsn(conn, "judy@hold.test", "5.7.1", "550 5.7.1 Blocked by policy")
sx_eom(conn, "MTQUAR01")
assert(mt.getreply(conn) == SMFIR_CONTINUE, "quarantined mail goes on")
assert(mt.eom_check(conn, MT_QUARANTINE, "held for review: 5.7.1"), "quarantine reason")
assert(mt.eom_check(conn, MT_HDRADD, "X-SMTP-Explain"), "annotated too")

assert(mt.mailfrom(conn, "<>") == nil, "mailfrom")
sx_rcpt(conn, "alice@sender.test")
sx_dsn(conn, "ken@drop.test", "5.1.1", "550 5.1.1 User unknown")
sx_eom(conn, "MTQUAR02")
assert(mt.getreply(conn) == SMFIR_DISCARD, "discarded")
assert(not mt.eom_check(conn, MT_HDRADD), "no header on discarded mail")
mt.disconnect(conn)
