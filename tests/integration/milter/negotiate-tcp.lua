-- negotiate-tcp.lua - on an inet: socket the milter still answers each
-- recipient and each header: Postfix's writes past 4 KB without a reply
-- would wait for a delayed ACK (docs/performance.md). MAIL, whose data
-- is small and bounded, stays unanswered; connect and DATA stay off.
dofile(dir .. "/common.lua")

local conn = sx_connect(nil)
assert(mt.test_option(conn, SMFIP_NR_MAIL), "SMFIP_NR_MAIL")
assert(not mt.test_option(conn, SMFIP_NR_RCPT), "SMFIP_NR_RCPT")
assert(not mt.test_option(conn, SMFIP_NR_HDR), "SMFIP_NR_HDR")
assert(not mt.test_option(conn, SMFIP_NR_EOH), "SMFIP_NR_EOH")
assert(not mt.test_option(conn, SMFIP_NR_BODY), "SMFIP_NR_BODY")
assert(mt.test_option(conn, SMFIP_NOCONNECT), "SMFIP_NOCONNECT")
assert(mt.test_option(conn, SMFIP_NODATA), "SMFIP_NODATA")
assert(mt.test_option(conn, SMFIP_RCPT_REJ), "SMFIP_RCPT_REJ")
assert(mt.test_option(conn, SMFIP_SKIP), "SMFIP_SKIP")

sx_envelope(conn, "client.example", "192.0.2.7", "<alice@client.example>")
sx_rcpt(conn, "bob@sender.test")
assert(mt.getreply(conn) == SMFIR_CONTINUE, "RCPT answered")
mt.macro(conn, string.byte("N"), "i", "MTNEG02")
sx_headers(conn, {{"From", "alice@client.example"}, {"Subject", "hello"}})
assert(mt.getreply(conn) == SMFIR_ACCEPT, "ordinary mail accepted at EOH")
mt.disconnect(conn)
