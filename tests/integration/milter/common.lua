-- common.lua - helpers used by every miltertest script.
-- Globals from the command line (miltertest -D): socket, the milter's
-- socket; dir, this folder.

function sx_connect(steps)
    local conn = mt.connect(socket, 40, 0.25)
    assert(conn, "cannot connect to " .. socket)
    -- miltertest reads the third argument as protocol steps (SMFIP_*).
    assert(mt.negotiate(conn, nil, steps, nil) == nil, "negotiate")
    return conn
end

-- The client as Postfix tells it: the connect event, or, when the milter
-- asked not to get it (SMFIP_NOCONNECT), the connect macros alone.
function sx_envelope(conn, host, ip, from, port)
    if mt.test_option(conn, SMFIP_NOCONNECT) then
        mt.macro(conn, SMFIC_CONNECT, "j", "mx.test", "{client_name}", host,
                 "{client_addr}", ip, "{client_port}", port or "4321")
    else
        assert(mt.conninfo(conn, host, ip) == nil, "conninfo")
    end
    assert(mt.mailfrom(conn, from) == nil, "mailfrom")
end

function sx_rcpt(conn, rcpt)
    mt.macro(conn, SMFIC_RCPT, "{rcpt_mailer}", "smtp", "{rcpt_host}",
             "[127.0.0.1]", "{rcpt_addr}", rcpt)
    assert(mt.rcptto(conn, "<" .. rcpt .. ">") == nil, "rcptto")
end

-- A recipient Postfix rejected, as it tells a milter with SMFIP_RCPT_REJ.
function sx_rcpt_rejected(conn, rcpt, status, text)
    mt.macro(conn, SMFIC_RCPT, "{rcpt_mailer}", "error", "{rcpt_host}",
             status, "{rcpt_addr}", text)
    assert(mt.rcptto(conn, "<" .. rcpt .. ">") == nil, "rcptto rejected")
end

function sx_headers(conn, headers)
    for _, h in ipairs(headers) do
        assert(mt.header(conn, h[1], h[2]) == nil, "header " .. h[1])
    end
    assert(mt.eoh(conn) == nil, "eoh")
end

-- Headers and body of an RFC 3464 report about one recipient.
function sx_dsn(conn, rcpt, status, diag, opts)
    opts = opts or {}
    local headers = {
        {"From", "Mail Delivery System <MAILER-DAEMON@mx.remote.test>"},
        {"To", "alice@sender.test"},
        {"Subject", opts.subject or "Undelivered Mail Returned to Sender"},
        {"Auto-Submitted", "auto-replied"},
        {"MIME-Version", "1.0"},
        {"Content-Type", "multipart/report; report-type=delivery-status;\n\tboundary=\"B1\""},
    }
    for _, h in ipairs(opts.extra or {}) do
        table.insert(headers, h)
    end
    sx_headers(conn, headers)
    local body = "--B1\r\nContent-Type: text/plain\r\n\r\n<" .. rcpt .. ">: " ..
        diag .. "\r\n\r\n--B1\r\nContent-Type: message/delivery-status\r\n\r\n" ..
        "Reporting-MTA: dns; mx.remote.test\r\n\r\n" ..
        "Final-Recipient: rfc822; " .. rcpt .. "\r\nAction: failed\r\n" ..
        "Status: " .. status .. "\r\nRemote-MTA: dns; mailstore.remote.test\r\n" ..
        "Diagnostic-Code: smtp; " .. diag .. "\r\n\r\n--B1--\r\n"
    assert(mt.bodystring(conn, body) == nil, "body")
end

function sx_eom(conn, qid)
    mt.macro(conn, string.byte("E"), "i", qid)
    assert(mt.eom(conn) == nil, "eom")
end

function sx_contains(s, what)
    assert(s ~= nil, "no value")
    if string.find(s, what, 1, true) == nil then
        error("\"" .. what .. "\" not in \"" .. s .. "\"", 2)
    end
end
