-- negotiate.lua - what the milter asks of the MTA at negotiation.
dofile(dir .. "/common.lua")

local conn = sx_connect(nil)
-- Steps it needs: rejected recipients, body skipping, exact header values.
assert(mt.test_option(conn, SMFIP_RCPT_REJ), "SMFIP_RCPT_REJ")
assert(mt.test_option(conn, SMFIP_SKIP), "SMFIP_SKIP")
assert(mt.test_option(conn, SMFIP_HDR_LEADSPC), "SMFIP_HDR_LEADSPC")
-- It answers every stage: no-reply steps stall Postfix on TCP.
assert(not mt.test_option(conn, SMFIP_NR_HDR), "SMFIP_NR_HDR")
assert(not mt.test_option(conn, SMFIP_NR_EOH), "SMFIP_NR_EOH")
assert(not mt.test_option(conn, SMFIP_NR_BODY), "SMFIP_NR_BODY")
assert(not mt.test_option(conn, SMFIP_NR_RCPT), "SMFIP_NR_RCPT")
assert(not mt.test_option(conn, SMFIP_NODATA), "SMFIP_NODATA")
-- Every event it uses is still sent.
assert(not mt.test_option(conn, SMFIP_NOCONNECT), "SMFIP_NOCONNECT")
assert(not mt.test_option(conn, SMFIP_NORCPT), "SMFIP_NORCPT")
assert(not mt.test_option(conn, SMFIP_NOHDRS), "SMFIP_NOHDRS")
assert(not mt.test_option(conn, SMFIP_NOBODY), "SMFIP_NOBODY")
-- Actions: headers and quarantine only.
assert(mt.test_action(conn, SMFIF_ADDHDRS), "SMFIF_ADDHDRS")
assert(mt.test_action(conn, SMFIF_CHGHDRS), "SMFIF_CHGHDRS")
assert(mt.test_action(conn, SMFIF_QUARANTINE), "SMFIF_QUARANTINE")
assert(not mt.test_action(conn, SMFIF_CHGBODY), "SMFIF_CHGBODY")
assert(not mt.test_action(conn, SMFIF_ADDRCPT), "SMFIF_ADDRCPT")
assert(not mt.test_action(conn, SMFIF_DELRCPT), "SMFIF_DELRCPT")
mt.disconnect(conn)
