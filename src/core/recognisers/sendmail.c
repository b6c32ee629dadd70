/*
 * NAME
 *	sendmail 3
 * SUMMARY
 *	sendmail session transcripts without a delivery-status part
 * DESCRIPTION
 *	Old sendmail (V5, V8 without DSN) returns only the transcript of
 *	its sessions, where each failed recipient is a line
 *
 *		554 <user@example.org>... 550 Host unknown
 *		550 <user@example.org>... User unknown
 *
 *	after the remote's replies ("<<< 550 ...") of the session that
 *	failed ("While talking to host:"). Each such line becomes a
 *	finding. The reply code is the remote's: the one written after
 *	"...", else the last "<<<" reply of the session (whose words then
 *	open the diagnostic), else the code that opens the line.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/reply.h>
#include <smtp-explain/text.h>

#include "scan.h"
#include "phrases.h"

int     sx_read_transcript(const struct sx_scan *s)
{
    const char *end = sx_scan_end(s), *p, *last = 0, *last_eol = 0;
    int     added = 0;

    if ((p = sx_scan_search(s, s->text, (size_t) (end - s->text),
			  "transcript of session follows")) == 0)
	return (0);
    for (p = sx_scan_next_line(s, p); p < end; p = sx_scan_next_line(s, p)) {
	const char *eol = sx_scan_line_end(s, p), *dots, *d;
	char    addr[SX_ADDR_MAX];
	struct sx_finding f;
	struct sx_reply rep;
	size_t  n;

	if (eol > end)
	    eol = end;
	if (eol - p > 16 && strncasecmp(p, "while talking to", 16) == 0)
	    last = 0;
	if (eol - p > 7 && strncmp(p, "<<< ", 4) == 0
	    && (p[4] == '4' || p[4] == '5'))
	    last = p + 4, last_eol = eol;
	if (eol - p < 8 || (p[0] != '4' && p[0] != '5') || p[3] != ' '
	    || !isdigit((unsigned char) p[1]) || !isdigit((unsigned char) p[2])
	    || (n = sx_scan_addr_at(p + 4, eol, addr, sizeof(addr))) == 0
	    || (dots = p + 4 + n) + 3 > eol || strncmp(dots, "...", 3) != 0)
	    continue;
	d = dots + 3;
	while (d < eol && *d == ' ')
	    d++;
	sx_scan_finding(s, &f, addr, d, (size_t) (eol - d), "sendmail");
	if (f.replycode == 0 && last
	    && sx_reply_parse(last, (size_t) (last_eol - last), &rep)
	    && rep.replycode) {
	    char    both[SX_DIAG_MAX];
	    size_t  k = 0, m;

	    /*
	     * sendmail's own words ("Remote protocol error") say less than
	     * the remote's reply they stand for: that comes first.
	     */
	    m = (size_t) (last_eol - last);
	    if (m > sizeof(both) / 2)
		m = sizeof(both) / 2;
	    memcpy(both, last, m);
	    k = m;
	    both[k++] = ';';
	    both[k++] = ' ';
	    m = (size_t) (eol - d);
	    if (m > sizeof(both) - k)
		m = sizeof(both) - k;
	    memcpy(both + k, d, m);
	    k += m;
	    sx_scan_finding(s, &f, addr, both, k, "sendmail");
	    f.replycode = rep.replycode;
	    if (f.status[0] == 0)
		memcpy(f.status, rep.status, sizeof(f.status));
	}
	if (f.replycode == 0)
	    f.replycode = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	if (strncasecmp(d, "deferred", 8) == 0)
	    f.action = SX_ACTION_DELAYED;
	if (sx_scan_add(s, &f) > 0)
	    added++;
    }
    return (added);
}

/* Sendmail's own bounce text (the phrases that open its list). */

const struct sx_marked sx_rows_sendmail[] = {
    SX_ROW("sendmail", "the following addresses had permanent fatal errors", SX_LIST, 0),
    SX_ROW("sendmail", "the following addresses had transient non-fatal errors", SX_LIST | SX_DELAYED, 0),
    SX_ROWS_END,
};
