-- replies.lua - defer and reject rules give exactly the configured reply.
dofile(dir .. "/common.lua")

local conn = sx_connect(nil)
sx_envelope(conn, "mx.remote.test", "192.0.2.7", "<>")
sx_rcpt(conn, "alice@sender.test")
sx_dsn(conn, "bob@reject.test", "5.1.1", "550 5.1.1 User unknown")
sx_eom(conn, "MTREPLY01")
-- A custom reply makes miltertest report SMFIR_REPLYCODE.
assert(mt.getreply(conn) == SMFIR_REPLYCODE, "reject is a custom reply")
-- '%' doubled for the MTA, which turns "%%" back into "%".
assert(mt.eom_check(conn, MT_SMTPREPLY,
       "554 5.7.1 Reports about reject.test are refused, 100%% sure"),
       "reject reply text")
assert(not mt.eom_check(conn, MT_HDRADD), "no header on a rejected message")

-- Same connection, next message: state was reset.
assert(mt.mailfrom(conn, "<>") == nil, "mailfrom")
sx_rcpt(conn, "alice@sender.test")
sx_dsn(conn, "bob@defer.test", "4.4.1", "451 4.4.1 No answer from host")
sx_eom(conn, "MTREPLY02")
assert(mt.getreply(conn) == SMFIR_REPLYCODE, "defer is a custom reply")
assert(mt.eom_check(conn, MT_SMTPREPLY, "450 4.7.0 Reports about defer.test wait"),
       "defer reply text")
mt.disconnect(conn)
