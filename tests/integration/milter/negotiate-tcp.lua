-- negotiate-tcp.lua - on an inet: socket the milter answers every step
-- that comes, as before: steps sent without a reply stall Postfix on TCP
-- (docs/performance.md). HELO and unknown commands stay off.
dofile(dir .. "/common.lua")

local conn = sx_connect(nil)
for _, f in ipairs({"SMFIP_NR_CONN", "SMFIP_NR_MAIL", "SMFIP_NR_RCPT",
                    "SMFIP_NR_HDR", "SMFIP_NR_EOH", "SMFIP_NR_BODY",
                    "SMFIP_NOCONNECT", "SMFIP_NODATA"}) do
    assert(not mt.test_option(conn, _G[f]), f .. " on TCP")
end
assert(mt.test_option(conn, SMFIP_NOHELO), "SMFIP_NOHELO")
assert(mt.test_option(conn, SMFIP_RCPT_REJ), "SMFIP_RCPT_REJ")
assert(mt.test_option(conn, SMFIP_SKIP), "SMFIP_SKIP")
assert(not mt.test_action(conn, SMFIF_SETSYMLIST), "no macro lists on TCP")

sx_envelope(conn, "client.example", "192.0.2.7", "<alice@client.example>")
assert(mt.getreply(conn) == SMFIR_CONTINUE, "MAIL answered")
sx_rcpt(conn, "bob@sender.test")
assert(mt.getreply(conn) == SMFIR_CONTINUE, "RCPT answered")
mt.macro(conn, string.byte("N"), "i", "MTNEG02")
sx_headers(conn, {{"From", "alice@client.example"}, {"Subject", "hello"}})
assert(mt.getreply(conn) == SMFIR_ACCEPT, "ordinary mail accepted at EOH")
mt.disconnect(conn)
