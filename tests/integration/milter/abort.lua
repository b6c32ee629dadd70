-- abort.lua - no recipient accepted: no end of message, only abort. The
-- milter must log the rejections there (checked by run.sh).
dofile(dir .. "/common.lua")

local text = "Recipient address rejected: User unknown in relay recipient table"
local conn = sx_connect(nil)
sx_envelope(conn, "harvester.example", "192.0.2.66", "<spam@harvester.example>")
sx_rcpt_rejected(conn, "abort-probe1@sender.test", "5.1.1", text)
sx_rcpt_rejected(conn, "abort-probe2@sender.test", "5.1.1", text)
sx_rcpt_rejected(conn, "abort-probe3@sender.test", "5.1.1", text)
assert(mt.abort(conn) == nil, "abort")
mt.disconnect(conn)
