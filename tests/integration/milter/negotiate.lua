-- negotiate.lua - what the milter asks of the MTA at negotiation, on a
-- unix socket (run.sh runs it; negotiate-tcp.lua is the inet: side).
dofile(dir .. "/common.lua")

local conn = sx_connect(nil)
-- Steps it needs: rejected recipients, body skipping, exact header values.
assert(mt.test_option(conn, SMFIP_RCPT_REJ), "SMFIP_RCPT_REJ")
assert(mt.test_option(conn, SMFIP_SKIP), "SMFIP_SKIP")
assert(mt.test_option(conn, SMFIP_HDR_LEADSPC), "SMFIP_HDR_LEADSPC")
-- Nothing is decided at MAIL or a header: no reply there. Recipients are
-- answered, so that a session whose recipients were all rejected is read
-- before Postfix hangs up (abort.lua).
assert(mt.test_option(conn, SMFIP_NR_MAIL), "SMFIP_NR_MAIL")
assert(not mt.test_option(conn, SMFIP_NR_RCPT), "SMFIP_NR_RCPT")
assert(mt.test_option(conn, SMFIP_NR_HDR), "SMFIP_NR_HDR")
-- End of headers (mail that is no report is accepted there), body chunks
-- (skip) and end of message are answered.
assert(not mt.test_option(conn, SMFIP_NR_EOH), "SMFIP_NR_EOH")
assert(not mt.test_option(conn, SMFIP_NR_BODY), "SMFIP_NR_BODY")
-- The client comes with the connect macros; HELO, DATA, unknown
-- commands are not used.
assert(mt.test_option(conn, SMFIP_NOCONNECT), "SMFIP_NOCONNECT")
assert(mt.test_option(conn, SMFIP_NOHELO), "SMFIP_NOHELO")
assert(mt.test_option(conn, SMFIP_NODATA), "SMFIP_NODATA")
assert(mt.test_option(conn, SMFIP_NOUNKNOWN), "SMFIP_NOUNKNOWN")
-- Every event it uses is still sent.
assert(not mt.test_option(conn, SMFIP_NOMAIL), "SMFIP_NOMAIL")
assert(not mt.test_option(conn, SMFIP_NORCPT), "SMFIP_NORCPT")
assert(not mt.test_option(conn, SMFIP_NOHDRS), "SMFIP_NOHDRS")
assert(not mt.test_option(conn, SMFIP_NOEOH), "SMFIP_NOEOH")
assert(not mt.test_option(conn, SMFIP_NOBODY), "SMFIP_NOBODY")
-- Actions: headers, quarantine and the macro lists.
assert(mt.test_action(conn, SMFIF_ADDHDRS), "SMFIF_ADDHDRS")
assert(mt.test_action(conn, SMFIF_CHGHDRS), "SMFIF_CHGHDRS")
assert(mt.test_action(conn, SMFIF_QUARANTINE), "SMFIF_QUARANTINE")
assert(mt.test_action(conn, SMFIF_SETSYMLIST), "SMFIF_SETSYMLIST")
assert(not mt.test_action(conn, SMFIF_CHGBODY), "SMFIF_CHGBODY")
assert(not mt.test_action(conn, SMFIF_ADDRCPT), "SMFIF_ADDRCPT")
assert(not mt.test_action(conn, SMFIF_DELRCPT), "SMFIF_DELRCPT")

-- The whole message with no reply before the end of the headers: the
-- client from the macros, an ordinary message accepted there.
sx_envelope(conn, "client.example", "192.0.2.7", "<alice@client.example>")
sx_rcpt(conn, "bob@sender.test")
mt.macro(conn, string.byte("N"), "i", "MTNEG01")
sx_headers(conn, {{"From", "alice@client.example"}, {"Subject", "hello"}})
assert(mt.getreply(conn) == SMFIR_ACCEPT, "ordinary mail accepted at EOH")
mt.disconnect(conn)
