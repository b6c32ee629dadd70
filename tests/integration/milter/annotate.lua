-- annotate.lua - a remote report is annotated, forged headers are
-- deleted, and the added value carries its own leading space only when
-- SMFIP_HDR_LEADSPC was negotiated.
dofile(dir .. "/common.lua")

-- Postfix 3.7 offers HDR_LEADSPC: the value must start with a space.
local conn = sx_connect(nil)
sx_envelope(conn, "mx.remote.test", "192.0.2.7", "<>")
sx_rcpt(conn, "alice@sender.test")
sx_dsn(conn, "bob@remote.test", "5.1.1",
       "550 5.1.1 <bob@remote.test>: Recipient address rejected: User unknown",
       {extra = {{"X-SMTP-Explain", " forged; status=2.0.0"},
                 {"X-SMTP-Explain", " forged again"}}})
sx_eom(conn, "MTANNOT01")
assert(mt.getreply(conn) == SMFIR_CONTINUE, "reply is continue")
assert(mt.eom_check(conn, MT_HDRDELETE, "X-SMTP-Explain"), "forged deleted")
assert(mt.eom_check(conn, MT_HDRADD, "X-SMTP-Explain"), "header added")
local v = mt.getheader(conn, "X-SMTP-Explain", 0)
assert(string.sub(v, 1, 1) == " ", "leading space with HDR_LEADSPC")
sx_contains(v, "kind=dsn")
sx_contains(v, "rcpt=bob@remote.test")
sx_contains(v, "code=550")
sx_contains(v, "status=5.1.1")
sx_contains(v, "class=permanent")
sx_contains(v, "reason=userunknown")
assert(string.find(v, "\r", 1, true) == nil, "folded with LF only")
mt.disconnect(conn)

-- Without HDR_LEADSPC the MTA adds the space: the value has none.
conn = sx_connect(SMFIP_RCPT_REJ + SMFIP_SKIP)
assert(not mt.test_option(conn, SMFIP_HDR_LEADSPC), "no HDR_LEADSPC")
sx_envelope(conn, "mx.remote.test", "192.0.2.7", "<>")
sx_rcpt(conn, "alice@sender.test")
sx_dsn(conn, "carol@remote.test", "4.2.2", "452 4.2.2 Mailbox full")
sx_eom(conn, "MTANNOT02")
assert(mt.getreply(conn) == SMFIR_CONTINUE, "reply is continue")
v = mt.getheader(conn, "X-SMTP-Explain", 0)
assert(string.sub(v, 1, 1) ~= " ", "no leading space without HDR_LEADSPC")
sx_contains(v, "status=4.2.2")
sx_contains(v, "class=transient")
assert(not mt.eom_check(conn, MT_HDRDELETE), "nothing to delete")
mt.disconnect(conn)
