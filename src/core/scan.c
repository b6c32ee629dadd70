/*
 * NAME
 *	scan 3
 * SUMMARY
 *	helpers shared by the bounce-shape recognisers
 * DESCRIPTION
 *	See scan.h. The block reader, sx_scan_blocks(), serves most
 *	non-standard bounces: they list each failed recipient on a line of
 *	its own, followed by the reply or an explanation, up to the next
 *	recipient or the copy of the original message.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/reply.h>
#include <smtp-explain/text.h>

#include "mime.h"
#include "scan.h"

int     sx_scan_header(const struct sx_scan *s, const char *name, char *out,
		               size_t size)
{
    const char *p = s->headers, *end = s->headers + s->hlen;
    size_t  n = strlen(name);

    while (p < end) {
	const char *eol = memchr(p, '\n', (size_t) (end - p));

	if (eol == 0)
	    eol = end;
	if ((size_t) (eol - p) > n && p[n] == ':' && strncasecmp(p, name, n) == 0) {
	    const char *v = p + n + 1;

	    while (v < eol && *v == ' ')
		v++;
	    sx_text_clean(out, size, v, (size_t) (eol - v));
	    return (1);
	}
	if (eol == end)
	    break;
	p = eol + 1;
    }
    if (size)
	out[0] = 0;
    return (0);
}

const char *sx_scan_find(const struct sx_scan *s, const char *needle)
{
    return (sx_text_find(s->text, s->cut, needle));
}

const char *sx_scan_line_end(const struct sx_scan *s, const char *p)
{
    const char *end = s->text + s->len;
    const char *eol = memchr(p, '\n', (size_t) (end - p));

    return (eol ? eol : end);
}

const char *sx_scan_next_line(const struct sx_scan *s, const char *p)
{
    const char *eol = sx_scan_line_end(s, p);

    return (eol < s->text + s->len ? eol + 1 : eol);
}

void    sx_scan_finding(const struct sx_scan *s, struct sx_finding *f,
			        const char *rcpt, const char *diag, size_t dlen,
			        const char *engine)
{
    struct sx_reply rep;

    memset(f, 0, sizeof(*f));
    f->kind = SX_KIND_BOUNCE;
    f->action = SX_ACTION_FAILED;
    sx_text_clean(f->recipient, sizeof(f->recipient), rcpt, strlen(rcpt));
    sx_reply_parse(diag, dlen, &rep);
    f->replycode = rep.replycode;
    memcpy(f->status, rep.status, sizeof(f->status));
    memcpy(f->command, rep.command, sizeof(f->command));
    f->flags = rep.flags;
    sx_text_clean(f->diagnostic, sizeof(f->diagnostic), diag, dlen);
    if (dlen >= sizeof(f->diagnostic))
	f->flags |= SX_FINDING_TRUNCATED;
    sx_text_copy(f->engine, sizeof(f->engine), engine, strlen(engine));
    sx_text_copy(f->reporting_mta, sizeof(f->reporting_mta),
		 s->msg->reporting_mta, strlen(s->msg->reporting_mta));
}

/* sx_scan_addr_at - if line [p, eol) is a recipient line, its address */

size_t  sx_scan_addr_at(const char *p, const char *eol, char *out, size_t size)
{
    const char *a, *e, *at;

    while (p < eol && (*p == ' ' || *p == '\t' || *p == '*' || *p == '-'))
	p++;
    a = p;
    if (a < eol && (*a == '<' || *a == '"' || *a == '\''))
	a++;
    for (e = a; e < eol && !strchr(" \t<>\"':;,()[]", *e); e++)
	 /* void */ ;
    if (e == a || (at = memchr(a, '@', (size_t) (e - a))) == 0 || at == a
	|| at + 1 >= e)
	return (0);
    while (e > at + 1 && e[-1] == '.')
	e--;
    if (memchr(at + 1, '.', (size_t) (e - at - 1)) == 0
	&& strncasecmp(at + 1, "localhost", 9) != 0)
	return (0);
    if ((size_t) (e - a) >= size)
	return (0);
    memcpy(out, a, (size_t) (e - a));
    out[e - a] = 0;
    return ((size_t) (e - p) + (a > p ? 1 : 0));
}

/* sx_block_end - the end of the text about one recipient */

static const char *sx_block_end(const struct sx_scan *s, const char *p,
				        const char *limit)
{
    char    addr[SX_ADDR_MAX];
    const char *q = p;
    int     blank = 0;

    while (q < limit) {
	const char *eol = sx_scan_line_end(s, q);

	if (eol > limit)
	    eol = limit;
	if (eol == q || (eol - q == 1 && q[0] == ' ')) {
	    blank++;
	} else {
	    if (q != p && sx_scan_addr_at(q, eol, addr, sizeof(addr)))
		return (q);
	    if (blank >= 2)
		return (q);
	    blank = 0;
	}
	q = eol < limit ? eol + 1 : eol;
	if (q - p > 2000)
	    break;
    }
    return (q);
}

int     sx_scan_blocks(const struct sx_scan *s, const char *start,
		               const char *stop, const char *engine)
{
    const char *p = s->text, *limit = s->text + s->cut;
    char    addr[SX_ADDR_MAX];
    int     added = 0;

    if (start) {
	if ((p = sx_scan_find(s, start)) == 0)
	    return (0);
	p = sx_scan_next_line(s, p);
    }
    if (stop) {
	const char *q = sx_text_find(p, (size_t) (limit - p), stop);

	if (q)
	    limit = q;
    }
    while (p < limit) {
	const char *eol = sx_scan_line_end(s, p);
	size_t  n;

	if (eol > limit)
	    eol = limit;
	if ((n = sx_scan_addr_at(p, eol, addr, sizeof(addr))) != 0) {
	    const char *d = p, *end;
	    struct sx_finding f;
	    size_t  i, dup = 0;

	    /* The diagnostic starts after the address. */
	    while (d < eol && (*d == ' ' || *d == '\t'))
		d++;
	    d += n;
	    while (d < eol && strchr(">:; \t", *d))
		d++;
	    end = sx_block_end(s, sx_scan_next_line(s, p), limit);
	    while (end > d && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	    for (i = 0; i < sx_scan_count(s); i++)
		if (strcasecmp(s->reader ? sx_reader_finding(s->reader, i)->recipient : "",
			       addr) == 0)
		    dup = 1;
	    if (!dup && end > d) {
		sx_scan_finding(s, &f, addr, d, (size_t) (end - d), engine);
		if (sx_scan_add(s, &f) > 0)
		    added++;
	    }
	    p = end > eol ? end : sx_scan_next_line(s, p);
	    continue;
	}
	p = sx_scan_next_line(s, p);
    }
    return (added);
}
