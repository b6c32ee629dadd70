/*
 * NAME
 *	lhost_failed 3
 * SUMMARY
 *	bounces that name their failed recipients in X-Failed-Recipients
 * DESCRIPTION
 *	Exim started the X-Failed-Recipients header and others (Google
 *	Groups, several hosted services) copied it, often with a free-form
 *	text that follows no recipient-by-recipient layout. When the
 *	layout-specific shapes found nothing, each address of the header
 *	becomes a finding; the diagnostic is the text that mentions the
 *	address, else the opening of the bounce text.
 */
#include <string.h>
#include <strings.h>

#include <smtp-explain/text.h>

#include "mime.h"
#include "scan.h"

#define SX_FAILED_DIAG 800

int     sx_lhost_failed(const struct sx_scan *s)
{
    char    list[2048], addr[SX_ADDR_MAX];
    const char *p, *end = sx_scan_end(s), *d;
    size_t  dlen;
    int     added = 0;

    if (!sx_scan_header(s, "X-Failed-Recipients", list, sizeof(list)))
	return (0);
    /* The words of the bounce start after its greeting line, if any. */
    d = s->text;
    while (d < end && (*d == '\n' || *d == ' '))
	d++;
    dlen = (size_t) (end - d);
    if (dlen > SX_FAILED_DIAG)
	dlen = SX_FAILED_DIAG;
    for (p = list; *p;) {
	const char *comma = strchr(p, ',');
	size_t  n = comma ? (size_t) (comma - p) : strlen(p);
	char    one[SX_ADDR_MAX];
	struct sx_finding f;

	sx_text_clean(one, sizeof(one), p, n < sizeof(one) ? n : sizeof(one) - 1);
	sx_mime_addr(one, addr, sizeof(addr));
	p += n + (comma != 0);
	if (addr[0] == 0)
	    continue;
	sx_scan_finding(s, &f, addr, d, dlen, "failed-recipients");
	if (sx_scan_add(s, &f) > 0)
	    added++;
    }
    return (added);
}
