/*
 * NAME
 *	generic 3
 * SUMMARY
 *	last-resort readers: bounces with no phrase of their own
 * DESCRIPTION
 *	When no recogniser knows a report's words, two readers still find
 *	what most bounces write: an address on a line of its own followed by
 *	its reply (sx_read_generic), or a failure label before an address
 *	("Unknown user: a@b.example", sx_read_labelled). Neither has a
 *	phrase to go by, so both need a message that presents itself as a
 *	bounce (SX_NEED_BOUNCE in the table of recognisers): a newsletter
 *	from no-reply@ lists addresses too.
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/reply.h>
#include <smtp-explain/text.h>

#include "scan.h"

/*
 * sx_read_generic - any "address line, then its reply" block. With no
 * phrase of its own to go by, it needs a message that presents itself
 * as a bounce (SX_NEED_BOUNCE in table.c): a newsletter from no-reply@
 * lists addresses too.
 */
int     sx_read_generic(const struct sx_scan *s)
{
    return (sx_scan_blocks(s, 0, 0, "generic"));
}

/*
 * sx_read_labelled - the last resort: "Unknown user: a@b.example",
 * "User's mailbox is full: <a@b.example>", "Could not be delivered
 * to: <a@b.example>" with the cause on the next line. The label before
 * the colon is the diagnostic, together with the lines that follow up
 * to a blank line. Header-like labels (To, From, ...) are not causes.
 * Like the generic reader it needs a message that says it is a bounce
 * (SX_NEED_BOUNCE).
 */
int     sx_read_labelled(const struct sx_scan *s)
{
    static const char *const fields[] = {
	"to", "from", "cc", "bcc", "reply-to", "sender", "return-path",
	"delivered-to", "envelope-to", "x-", "original", "final", "message-id",
	"subject", "date", "received", "reporting", "remote", 0,
    };
    static const char *const failures[] = {
	"unknown", "full", "not ", "fail", "unable", "error", "reject",
	"invalid", "denied", "undeliver", "no such", "could", "cannot", 0,
    };
    const char *p = s->text, *end = sx_scan_end(s);
    int     added = 0;

    while (p < end) {
	const char *eol = sx_scan_line_end(s, p), *colon, *q, *d;
	char    addr[SX_ADDR_MAX];
	const char *const *fp;
	struct sx_finding f;
	int     header = 0;

	if (eol > end)
	    eol = end;
	colon = memchr(p, ':', (size_t) (eol - p));
	q = colon ? colon + 1 : eol;
	while (q < eol && (*q == ' ' || *q == '	'))
	    q++;
	if (colon == 0 || colon - p < 3 || colon - p > 60 || memchr(p, '@', (size_t) (colon - p))
	    || sx_scan_addr_at(q, eol, addr, sizeof(addr)) == 0) {
	    p = sx_scan_next_line(s, p);
	    continue;
	}
	for (d = p; d < colon && (*d == ' ' || *d == '	'); d++)
	     /* void */ ;
	for (fp = fields; *fp; fp++)
	    if (strncasecmp(d, *fp, strlen(*fp)) == 0)
		header = 1;
	/* The label must say that something failed. */
	for (fp = failures; *fp && !header; fp++)
	    if (sx_text_find(d, (size_t) (colon - d), *fp))
		break;
	if (*fp == 0)
	    header = 1;
	if (!header) {
	    const char *stop = sx_scan_next_line(s, p);
	    int     lines = 0;

	    /* The cause may go on for a line or two. */
	    while (stop < end && lines < 2 && *stop != '\n') {
		stop = sx_scan_next_line(s, stop);
		lines++;
	    }
	    sx_scan_finding(s, &f, addr, d, (size_t) (stop - d), "labelled");
	    if (sx_scan_add(s, &f) > 0)
		added++;
	}
	p = sx_scan_next_line(s, p);
    }
    return (added);
}

