/*
 * NAME
 *	xfailed 3
 * SUMMARY
 *	bounces that name their failed recipients in X-Failed-Recipients
 * DESCRIPTION
 *	Exim started the X-Failed-Recipients header and others (Google
 *	Groups, several hosted services) copied it, often with a free-form
 *	text that follows no recipient-by-recipient layout. When the
 *	layout-specific shapes found nothing, each address of the header
 *	becomes a finding; the diagnostic is the text that mentions the
 *	address, else the opening of the bounce text, with the help links
 *	of the rest when it is too long to keep whole.
 */
#include <string.h>
#include <strings.h>

#include <smtp-explain/text.h>

#include "mime.h"
#include "scan.h"

#define SX_FAILED_DIAG 800

/*
 * sx_failed_links - the help links of a text too long to keep whole:
 * they name the cause in any language ("groups.google.com/support").
 * Written once into out (size bytes), each after a space; every
 * recipient's diagnostic then takes the same words.
 */
static size_t sx_failed_links(char *out, size_t size, const char *p, const char *end)
{
    size_t  have = 0, n;
    int     links = 0;
    const char *u;

    out[0] = 0;
    while (links < 3 && p < end
	   && (u = sx_text_find(p, (size_t) (end - p), "http")) != 0) {
	for (n = 0; u + n < end && n < 200 && u[n] > ' ' && u[n] != '>'
	     && u[n] != '"' && u[n] != ')' && (unsigned char) u[n] < 0x7f; n++)
	     /* void */ ;
	if (n > 10 && have + n + 2 < size) {
	    out[have++] = ' ';
	    have += sx_text_clean(out + have, size - have, u, n);
	    links++;
	}
	p = u + (n ? n : 1);
    }
    return (have);
}

/* sx_failed_append - the links after the diagnostic, when they fit */

static void sx_failed_append(struct sx_finding *f, const char *links, size_t n)
{
    size_t  have = strlen(f->diagnostic);
    const char *p = links;

    /* Link by link, each that fits whole. */
    while (p < links + n) {
	const char *q = memchr(p + 1, ' ', (size_t) (links + n - p - 1));
	size_t  w = (size_t) ((q ? q : links + n) - p);

	if (have + w + 1 < sizeof(f->diagnostic)) {
	    memcpy(f->diagnostic + have, p, w);
	    have += w;
	    f->diagnostic[have] = 0;
	}
	p += w;
    }
}

int     sx_read_xfailed(const struct sx_scan *s)
{
    char    list[2048], addr[SX_ADDR_MAX], links[SX_DIAG_MAX];
    const char *p, *end = sx_scan_end(s), *d;
    size_t  dlen, nlinks;
    int     added = 0, have_links = 0;

    if (!sx_scan_header(s, "X-Failed-Recipients", list, sizeof(list)))
	return (0);
    /* The words of the bounce start after its greeting line, if any. */
    d = s->text;
    while (d < end && (*d == '\n' || *d == ' '))
	d++;
    dlen = (size_t) (end - d);
    if (dlen > SX_FAILED_DIAG)
	dlen = SX_FAILED_DIAG;
    nlinks = 0;
    links[0] = 0;
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
	if (!have_links) {
	    (void) sx_scan_charge(s, (size_t) (end - d));
	    nlinks = sx_failed_links(links, sizeof(links), d + dlen, end);
	    have_links = 1;
	}
	sx_failed_append(&f, links, nlinks);
	if (sx_scan_add(s, &f) > 0)
	    added++;
    }
    return (added);
}
