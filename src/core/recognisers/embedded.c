/*
 * NAME
 *	embedded 3
 * SUMMARY
 *	delivery-status fields written as plain text
 * DESCRIPTION
 *	Some bounces carry RFC 3464 fields that the reader never sees as
 *	a message/delivery-status part: the MIME headers of the report were
 *	lost on the way (a body that still shows its boundaries and part
 *	headers), or the sender pasted the fields into a text part. When
 *	the bounce's own text has a line that starts with Final-Recipient:,
 *	the lines around it are handed to the delivery-status parser as if
 *	they were such a part, from the paragraph that opens the fields up
 *	to a MIME boundary line or the copy of the original.
 */
#include <string.h>
#include <strings.h>

#include <smtp-explain/text.h>

#include "dsn.h"
#include "scan.h"

/* sx_field_line - does the line start with an RFC 3464 field name? */

static int sx_field_line(const char *p, const char *eol)
{
    static const char *const names[] = {
	"reporting-mta:", "final-recipient:", "original-recipient:",
	"action:", "status:", "remote-mta:", "diagnostic-code:",
	"arrival-date:", "last-attempt-date:", "received-from-mta:",
	"x-", "will-retry-until:", "original-envelope-id:", 0,
    };
    const char *const *n;

    for (n = names; *n; n++) {
	size_t  len = strlen(*n);

	if ((size_t) (eol - p) >= len && strncasecmp(p, *n, len) == 0)
	    return (1);
    }
    return (0);
}

int     sx_read_embedded(const struct sx_scan *s)
{
    const char *end = s->text + s->cut, *p, *q;
    struct sx_dsn dsn;
    size_t  before = sx_scan_count(s);

    if ((p = sx_scan_search(s, s->text, s->cut, "\nfinal-recipient:")) == 0)
	return (0);
    p++;
    /* Back to the first field of the per-message group. */
    for (q = p; q > s->text;) {
	const char *bol = q - 1;

	while (bol > s->text && bol[-1] != '\n')
	    bol--;
	if (bol == q - 1) {
	    /* A blank line: go on only if fields stand before it. */
	    const char *b2 = bol;

	    if (b2 == s->text)
		break;
	    while (b2 > s->text && b2[-1] != '\n')
		b2--;
	    if (b2 < bol - 1 && sx_field_line(b2, bol - 1) && b2 != bol - 1) {
		q = bol;
		continue;
	    }
	    break;
	}
	if (!sx_field_line(bol, q - 1))
	    break;
	q = bol;
    }
    sx_dsn_init(&dsn);
    for (p = q; p < end; p = sx_scan_next_line(s, p)) {
	const char *eol = sx_scan_line_end(s, p);

	if (eol - p >= 2 && p[0] == '-' && p[1] == '-')
	    break;
	if (eol - p >= 13 && strncasecmp(p, "content-type:", 13) == 0)
	    break;
	sx_dsn_line(&dsn, p, (size_t) (eol - p), s->reader);
	if (eol >= end)
	    break;
    }
    sx_dsn_end(&dsn, s->reader);
    /* The codes the fields left out come in the completion pass. */
    return ((int) (sx_scan_count(s) - before));
}
