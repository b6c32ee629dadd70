/*
 * NAME
 *	mime 3
 * SUMMARY
 *	MIME header values and streaming content decoders
 * DESCRIPTION
 *	See mime.h.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/text.h>

#include "mime.h"

/* sx_param - copy a parameter value (after '=') into out, lower case opt. */

static void sx_param(const char *p, char *out, size_t size, int lower)
{
    size_t  n = 0;

    while (*p == ' ' || *p == '\t')
	p++;
    if (*p == '"') {
	for (p++; *p && *p != '"' && n + 1 < size; p++) {
	    if (*p == '\\' && p[1])
		p++;
	    out[n++] = lower ? (char) tolower((unsigned char) *p) : *p;
	}
    } else {
	for (; *p && *p != ';' && *p != ' ' && *p != '\t' && n + 1 < size; p++)
	    out[n++] = lower ? (char) tolower((unsigned char) *p) : *p;
    }
    out[n] = 0;
}

void    sx_mime_ctype(const char *v, struct sx_ctype *out)
{
    size_t  n = 0;
    const char *p;

    memset(out, 0, sizeof(*out));
    while (*v == ' ' || *v == '\t')
	v++;
    for (p = v; *p && *p != ';' && *p != ' ' && *p != '\t' && n + 1 < sizeof(out->type); p++)
	out->type[n++] = (char) tolower((unsigned char) *p);
    out->type[n] = 0;
    /* Parameters: name=value pairs after ';'. */
    for (p = strchr(p, ';'); p; p = strchr(p + 1, ';')) {
	const char *q = p + 1;

	while (*q == ' ' || *q == '\t')
	    q++;
	if (strncasecmp(q, "boundary=", 9) == 0)
	    sx_param(q + 9, out->boundary, sizeof(out->boundary), 0);
	else if (strncasecmp(q, "report-type=", 12) == 0)
	    sx_param(q + 12, out->report_type, sizeof(out->report_type), 1);
	else if (strncasecmp(q, "charset=", 8) == 0)
	    sx_param(q + 8, out->charset, sizeof(out->charset), 1);
	/* A quoted boundary may hold ';': skip past the closing quote. */
	if (q[0] && strchr(q, '"') && (strncasecmp(q, "boundary=\"", 10) == 0)) {
	    const char *end = strchr(q + 10, '"');

	    if (end)
		p = end;
	}
    }
}

int     sx_mime_cte(const char *v)
{
    while (*v == ' ' || *v == '\t')
	v++;
    if (strncasecmp(v, "quoted-printable", 16) == 0)
	return (SX_CTE_QP);
    if (strncasecmp(v, "base64", 6) == 0)
	return (SX_CTE_BASE64);
    return (SX_CTE_PLAIN);
}

void    sx_decoder_init(struct sx_decoder *d, int cte, char *buf, size_t size)
{
    memset(d, 0, sizeof(*d));
    d->cte = cte;
    d->buf = buf;
    d->size = size;
}

static void sx_emit(struct sx_decoder *d, sx_line_fn fn, void *ctx)
{
    fn(ctx, d->buf, d->len);
    d->len = 0;
}

/* sx_put_run - n bytes at once, a line given out whenever the buffer fills */

static void sx_put_run(struct sx_decoder *d, const char *p, size_t n,
		               sx_line_fn fn, void *ctx)
{
    size_t  room;

    while (n > 0) {
	if (d->len + 1 >= d->size)
	    sx_emit(d, fn, ctx);
	room = d->size - 1 - d->len;
	if (room > n)
	    room = n;
	memcpy(d->buf + d->len, p, room);
	d->len += room;
	p += room;
	n -= room;
    }
}

int     sx_mime_hex(int c)
{
    if (c >= '0' && c <= '9')
	return (c - '0');
    if (c >= 'A' && c <= 'F')
	return (c - 'A' + 10);
    if (c >= 'a' && c <= 'f')
	return (c - 'a' + 10);
    return (-1);
}

int     sx_mime_b64(int c)
{
    if (c >= 'A' && c <= 'Z')
	return (c - 'A');
    if (c >= 'a' && c <= 'z')
	return (c - 'a' + 26);
    if (c >= '0' && c <= '9')
	return (c - '0' + 52);
    if (c == '+')
	return (62);
    if (c == '/')
	return (63);
    return (-1);
}

/*
 * sx_mime_qp_line - one quoted-printable line, without its line end,
 * decoded into fn; 1 when it ends in a soft break (the line goes on).
 * Trailing white space is not part of the encoded text; a "=" that
 * starts no escape is kept as it is.
 */
int     sx_mime_qp_line(const char *line, size_t len, sx_bytes_fn fn, void *ctx)
{
    size_t  i;
    char    c;

    while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
	len--;
    for (i = 0; i < len;) {
	const char *eq = memchr(line + i, '=', len - i);
	size_t  run = (eq ? (size_t) (eq - line) : len) - i;

	/* The bytes up to the next '=' go as they are. */
	if (run)
	    fn(ctx, line + i, run);
	if ((i += run) == len)
	    break;
	if (i + 1 == len)
	    return (1);				/* soft break */
	if (i + 2 < len && sx_mime_hex((unsigned char) line[i + 1]) >= 0
	    && sx_mime_hex((unsigned char) line[i + 2]) >= 0) {
	    c = (char) (sx_mime_hex((unsigned char) line[i + 1]) * 16
			+ sx_mime_hex((unsigned char) line[i + 2]));
	    fn(ctx, &c, 1);
	    i += 3;
	} else {
	    fn(ctx, "=", 1);			/* broken: keep as is */
	    i++;
	}
    }
    return (0);
}

/*
 * sx_mime_b64_feed - base64 text into fn, the state carried from call
 * to call; other bytes (line ends, junk) are skipped, and '=' padding
 * ends a group: its leftover bits are dropped.
 */
void    sx_mime_b64_feed(struct sx_b64 *st, const char *p, size_t n,
			         sx_bytes_fn fn, void *ctx)
{
    char    out[256];
    size_t  i, o = 0;
    int     v;

    for (i = 0; i < n; i++) {
	if (p[i] == '=') {
	    st->bits = 0;
	    st->nbits = 0;
	    continue;
	}
	if ((v = sx_mime_b64((unsigned char) p[i])) < 0)
	    continue;
	st->bits = (st->bits << 6) | (unsigned) v;
	if ((st->nbits += 6) < 8)
	    continue;
	st->nbits -= 8;
	out[o++] = (char) ((st->bits >> st->nbits) & 0xff);
	if (o == sizeof(out)) {
	    fn(ctx, out, o);
	    o = 0;
	}
    }
    if (o)
	fn(ctx, out, o);
}

/* What the line decoder hands its byte sinks: itself and its caller. */
struct sx_dec_sink {
    struct sx_decoder *d;
    sx_line_fn fn;
    void   *ctx;
};

/* sx_dec_bytes - decoded bytes into the line being built */

static void sx_dec_bytes(void *ctx, const char *p, size_t n)
{
    struct sx_dec_sink *k = ctx;

    sx_put_run(k->d, p, n, k->fn, k->ctx);
}

/* sx_dec_lines - decoded base64 bytes, split at their own line ends */

static void sx_dec_lines(void *ctx, const char *p, size_t n)
{
    struct sx_dec_sink *k = ctx;
    struct sx_decoder *d = k->d;
    size_t  i = 0, j;

    while (i < n) {
	if (p[i] == '\n' || p[i] == '\r') {
	    if (p[i] == '\n' && d->last_cr)
		d->last_cr = 0;			/* CRLF: one line end */
	    else {
		d->last_cr = (p[i] == '\r');
		sx_emit(d, k->fn, k->ctx);
	    }
	    i++;
	    continue;
	}
	d->last_cr = 0;
	for (j = i; j < n && p[j] != '\n' && p[j] != '\r'; j++)
	     /* void */ ;
	sx_put_run(d, p + i, j - i, k->fn, k->ctx);
	i = j;
    }
}

void    sx_decoder_line(struct sx_decoder *d, const char *line, size_t len,
			        sx_line_fn fn, void *ctx)
{
    struct sx_dec_sink k = {d, fn, ctx};

    switch (d->cte) {
    case SX_CTE_QP:
	if (!sx_mime_qp_line(line, len, sx_dec_bytes, &k))
	    sx_emit(d, fn, ctx);
	return;
    case SX_CTE_BASE64:
	sx_mime_b64_feed(&d->b64, line, len, sx_dec_lines, &k);
	return;
    default:
	if (d->len) {
	    /* A line longer than the buffer was split: join it back. */
	    sx_put_run(d, line, len, fn, ctx);
	    sx_emit(d, fn, ctx);
	    return;
	}
	fn(ctx, line, len);
	return;
    }
}

void    sx_decoder_flush(struct sx_decoder *d, sx_line_fn fn, void *ctx)
{
    if (d->len)
	sx_emit(d, fn, ctx);
}

/* The bytes that end a bare address word (and NUL). */
static const unsigned char sx_addr_stops[256] = {
    [0] = 1, [' '] = 1, ['\t'] = 1, ['<'] = 1, ['>'] = 1, [';'] = 1, [':'] = 1,
    [','] = 1, ['"'] = 1, ['('] = 1, [')'] = 1, ['['] = 1, [']'] = 1, ['\''] = 1,
};

#define sx_addr_stop(c) (sx_addr_stops[(unsigned char) (c)])

size_t  sx_mime_addr(const char *v, char *out, size_t size)
{
    const char *lt, *gt, *at, *s, *e;

    out[0] = 0;
    if ((at = strchr(v, '@')) == 0) {
	/* No domain: take the token after "type;" as it is. */
	if ((s = strchr(v, ';')) != 0)
	    v = s + 1;
	while (*v == ' ' || *v == '\t' || *v == '<')
	    v++;
	for (e = v; *e && *e != '>' && *e != ' ' && *e != '\t'; e++)
	     /* void */ ;
	return (sx_text_clean(out, size, v, (size_t) (e - v)));
    }
    lt = strchr(v, '<');
    gt = lt ? strchr(lt, '>') : 0;
    if (lt && gt && lt < at && at < gt)
	return (sx_text_clean(out, size, lt + 1, (size_t) (gt - lt - 1)));
    /* Bare address: the word around '@'. */
    for (s = at; s > v && !sx_addr_stop(s[-1]); s--)
	 /* void */ ;
    for (e = at; !sx_addr_stop(*e); e++)
	 /* void */ ;
    while (e > at + 1 && e[-1] == '.')
	e--;
    return (sx_text_clean(out, size, s, (size_t) (e - s)));
}
