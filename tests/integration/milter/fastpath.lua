-- fastpath.lua - mail that is no report is accepted at end of headers
-- (the body is never sent), unless forged headers must go: then the
-- body is skipped and the headers deleted at end of message.
dofile(dir .. "/common.lua")

local conn = sx_connect(nil)
sx_envelope(conn, "client.example", "192.0.2.9", "<carol@client.example>")
sx_rcpt(conn, "alice@sender.test")
sx_headers(conn, {{"From", "Carol <carol@client.example>"},
                  {"Subject", "lunch?"}, {"Content-Type", "text/plain"}})
assert(mt.getreply(conn) == SMFIR_ACCEPT, "accepted at eoh")

-- Next message on the same connection, with a forged header.
assert(mt.mailfrom(conn, "<carol@client.example>") == nil, "mailfrom")
sx_rcpt(conn, "alice@sender.test")
sx_headers(conn, {{"From", "Carol <carol@client.example>"},
                  {"X-SMTP-Explain", " mx.test; status=5.1.1; forged"},
                  {"Subject", "lunch?"}})
assert(mt.getreply(conn) == SMFIR_CONTINUE, "continue: header to delete")
assert(mt.bodystring(conn, "see you\r\n") == nil, "body")
assert(mt.getreply(conn) == SMFIR_SKIP, "body skipped")
sx_eom(conn, "MTFAST02")
assert(mt.getreply(conn) == SMFIR_CONTINUE, "continue")
assert(mt.eom_check(conn, MT_HDRDELETE, "X-SMTP-Explain"), "forged deleted")
assert(not mt.eom_check(conn, MT_HDRADD), "nothing added")
mt.disconnect(conn)
