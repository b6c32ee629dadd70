/*
 * NAME
 *	reader 3
 * SUMMARY
 *	streaming bounce reader
 * DESCRIPTION
 *	See reader.h. The reader is a line machine: bytes are cut into
 *	lines (LF, CRLF or CR; lines longer than the limit are cut and the
 *	rest dropped), lines into header fields (unfolded, bounded) or
 *	body lines. A stack of multipart boundaries tells which part a line
 *	belongs to; each leaf part has a decoder and a consumer:
 *	delivery-status fields (dsn.c), the headers of a returned original,
 *	or human text kept for the recognisers (textbuf.c). Nothing is kept
 *	of a part beyond what its consumer needs, so memory stays bounded.
 *	At the end, sx_reader_finish() hands what was kept to the analysis
 *	step (analyse.c).
 */
#include <assert.h>
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/reader.h>
#include <smtp-explain/reply.h>
#include <smtp-explain/text.h>

#include "charset.h"
#include "dsn.h"
#include "mime.h"
#include "named.h"
#include "reader_int.h"
#include "scan.h"

/*
 * Lines and header fields longer than 8 KB are cut (RFC 5322 allows 998
 * bytes a line): three such buffers are what every message costs.
 */
const struct sx_limits sx_limits_default = {
    8192,			/* line_max */
    512 * 1024,			/* text_max */
    8192,			/* header_max */
    1000,			/* findings_max */
    12,				/* depth_max */
    SX_BYTES_MAX_DEFAULT,	/* bytes_max */
    SX_WORK_MAX_DEFAULT,	/* work_max */
};

struct sx_reader *sx_reader_new(const struct sx_limits *lim)
{
    struct sx_reader *r = malloc(sizeof(*r));

    if (r == 0)
	return (0);
    /* All but the DSN state, which sx_dsn_init() sets up when used. */
    memset(r, 0, offsetof(struct sx_reader, dsn));
    r->lim = lim ? *lim : sx_limits_default;
    if (r->lim.line_max < 1024)
	r->lim.line_max = 1024;
    if (r->lim.header_max < 1024)
	r->lim.header_max = 1024;
    if (r->lim.depth_max < 1)
	r->lim.depth_max = 1;
    /* One block for the three line-sized buffers. */
    r->line = malloc(2 * (r->lim.line_max + 1) + r->lim.header_max + 1);
    r->levels = malloc(r->lim.depth_max * sizeof(*r->levels));
    if (r->line == 0 || r->levels == 0) {
	sx_reader_free(r);
	return (0);
    }
    r->decbuf = r->line + r->lim.line_max + 1;
    r->field = r->decbuf + r->lim.line_max + 1;
    r->text.max = r->lim.text_max + 1;
    r->html.max = r->lim.text_max + 1;
    r->tophdr.max = SX_TOPHDR_MAX;
    r->pre.max = r->lim.text_max + 1;
    r->top = 1;
    r->state = SX_ST_HEADERS;
    r->use = SX_USE_TEXT;
    return (r);
}

void    sx_reader_free(struct sx_reader *r)
{
    if (r == 0)
	return;
    free(r->f);
    free(r->known);
    sx_named_free(r->named);
    free(r->line);			/* also decbuf and field */
    sx_charset_close(&r->cs);
    free(r->csbuf);
    free(r->levels);
    free(r->text.data);
    free(r->html.data);
    free(r->tophdr.data);
    free(r->pre.data);
    free(r);
}

void    sx_reader_envelope(struct sx_reader *r, const char *from)
{
    if (from == 0)
	return;
    while (*from == ' ')
	from++;
    if (*from == 0 || strcmp(from, "<>") == 0)
	r->msg.null_sender = 1;
}

void    sx_reader_autoreplies(struct sx_reader *r, int on)
{
    r->autoreplies = on != 0;
}

struct sx_message *sx_reader_message_rw(struct sx_reader *r)
{
    return (&r->msg);
}

void    sx_reader_add_dsn(struct sx_reader *r, const struct sx_finding *f)
{
    (void) sx_reader_add(r, f);
}

/* ------------------------------------------------------------ headers */

/*
 * The header fields the reader keeps something of. A name is looked up
 * once, by its length first: most fields are none of these.
 */
enum sx_field_id {
    SX_F_OTHER, SX_F_IN_REPLY_TO, SX_F_REFERENCES, SX_F_SUBJECT, SX_F_FROM,
    SX_F_DATE, SX_F_RETURN_PATH, SX_F_AUTO_SUBMITTED, SX_F_MESSAGE_ID,
    SX_F_CONTENT_LANGUAGE, SX_F_COMPLAINED, SX_F_CONTENT_TYPE, SX_F_CTE,
};

static const struct sx_field_name {
    const char *name;
    size_t  len;
    enum sx_field_id id;
} sx_field_names[] = {
    {"In-Reply-To", 11, SX_F_IN_REPLY_TO},
    {"References", 10, SX_F_REFERENCES},
    {"Subject", 7, SX_F_SUBJECT},
    {"From", 4, SX_F_FROM},
    {"Date", 4, SX_F_DATE},
    {"Return-Path", 11, SX_F_RETURN_PATH},
    {"Auto-Submitted", 14, SX_F_AUTO_SUBMITTED},
    {"Message-ID", 10, SX_F_MESSAGE_ID},
    {"Content-Language", 16, SX_F_CONTENT_LANGUAGE},
    /* Microsoft's complaint copies (JMRP) name who complained. */
    {"X-HmXmrOriginalRecipient", 24, SX_F_COMPLAINED},
    {"Content-Type", 12, SX_F_CONTENT_TYPE},
    {"Content-Transfer-Encoding", 25, SX_F_CTE},
};

static enum sx_field_id sx_field_id(const char *name, size_t len)
{
    size_t  k;

    for (k = 0; k < sizeof(sx_field_names) / sizeof(sx_field_names[0]); k++)
	if (sx_field_names[k].len == len
	    && strncasecmp(name, sx_field_names[k].name, len) == 0)
	    return (sx_field_names[k].id);
    return (SX_F_OTHER);
}

static void sx_top_field(struct sx_reader *r, enum sx_field_id id, const char *value)
{
    struct sx_message *m = &r->msg;
    const char *p;

    switch (id) {
    case SX_F_IN_REPLY_TO:
    case SX_F_REFERENCES:
	m->threaded = 1;
	break;
    case SX_F_SUBJECT:
	sx_text_clean(m->subject, sizeof(m->subject), value, strlen(value));
	break;
    case SX_F_FROM:
	sx_mime_addr(value, m->from, sizeof(m->from));
	break;
    case SX_F_DATE:
	if (m->date[0] == 0)
	    (void) sx_text_copy(m->date, sizeof(m->date), value, strlen(value));
	break;
    case SX_F_RETURN_PATH:
	for (p = value; *p == ' '; p++)
	     /* void */ ;
	if (strncmp(p, "<>", 2) == 0)
	    m->null_sender = 1;
	break;
    case SX_F_AUTO_SUBMITTED:
	for (p = value; *p == ' '; p++)
	     /* void */ ;
	if (strncasecmp(p, "no", 2) != 0 || isalpha((unsigned char) p[2]))
	    m->auto_submitted = 1;
	break;
    default:
	break;
    }
}

static void sx_orig_field(struct sx_reader *r, enum sx_field_id id, const char *value)
{
    struct sx_message *m = &r->msg;

    switch (id) {
    case SX_F_FROM:
    case SX_F_RETURN_PATH:
	if (m->orig_sender[0] == 0)
	    sx_mime_addr(value, m->orig_sender, sizeof(m->orig_sender));
	break;
    case SX_F_MESSAGE_ID:
	if (m->orig_message_id[0] == 0)
	    sx_text_clean(m->orig_message_id, sizeof(m->orig_message_id), value,
			  strlen(value));
	break;
    case SX_F_SUBJECT:
	if (m->orig_subject[0] == 0)
	    sx_text_clean(m->orig_subject, sizeof(m->orig_subject), value,
			  strlen(value));
	break;
    case SX_F_CONTENT_LANGUAGE:
	if (m->orig_language[0] == 0)
	    sx_text_clean(m->orig_language, sizeof(m->orig_language), value,
			  strlen(value));
	break;
    case SX_F_COMPLAINED:
	if (m->complained[0] == 0)
	    sx_mime_addr(value, m->complained, sizeof(m->complained));
	break;
    default:
	break;
    }
}

/* sx_field_done - one whole (unfolded) header field of the current part */

static void sx_field_done(struct sx_reader *r)
{
    char   *name = r->field, *colon, *value;
    size_t  flen = r->flen;
    enum sx_field_id id;

    r->field[r->flen] = 0;
    r->flen = 0;
    if ((colon = strchr(name, ':')) == 0)
	return;
    *colon = 0;
    value = colon + 1;
    while (*value == ' ' || *value == '\t')
	value++;
    /* Names with spaces are not header fields ("From " lines). */
    if (memchr(name, ' ', (size_t) (colon - name))
	|| memchr(name, '\t', (size_t) (colon - name)))
	return;
    id = sx_field_id(name, (size_t) (colon - name));
    if (r->state == SX_ST_BODY && r->use == SX_USE_ORIG) {
	sx_orig_field(r, id, value);
	return;
    }
    if (r->top) {
	sx_top_field(r, id, value);
	if (sx_textbuf_field(&r->tophdr, name, (size_t) (colon - name),
			  value, r->field + flen - value) < 0)
	    r->nomem = 1;
    }
    if (id == SX_F_CONTENT_TYPE) {
	sx_mime_ctype(value, &r->ctype);
	r->have_ctype = 1;
    } else if (id == SX_F_CTE) {
	r->cte = sx_mime_cte(value);
    }
}

static void sx_field_line(struct sx_reader *r, const char *line, size_t len)
{
    /*
     * A line without a colon cannot start a field: it is the rest of
     * the previous one, folded without the leading space that RFC 5322
     * asks for ("Content-Type: multipart/alternative;" then
     * "boundary=..." at the start of the next line).
     */
    if (r->flen > 0 && len > 0 && line[0] != ' ' && line[0] != '\t'
	&& memchr(line, ':', len) == 0) {
	if (r->flen < r->lim.header_max)
	    r->field[r->flen++] = ' ';
    } else if ((line[0] == ' ' || line[0] == '\t') && r->flen > 0) {
	/* Continuation: unfold into one space. */
	while (len > 0 && (*line == ' ' || *line == '\t'))
	    line++, len--;
	if (r->flen < r->lim.header_max)
	    r->field[r->flen++] = ' ';
    } else if (r->flen > 0) {
	sx_field_done(r);
    }
    if (len > r->lim.header_max - r->flen)
	len = r->lim.header_max - r->flen;
    memcpy(r->field + r->flen, line, len);
    r->flen += len;
}

/* ------------------------------------------------------------ parts */

static void sx_consume(void *ctx, const char *line, size_t len);

static void sx_part_end(struct sx_reader *r)
{
    if (r->state == SX_ST_BODY) {
	sx_decoder_flush(&r->dec, sx_consume, r);
	sx_charset_close(&r->cs);
	if (r->use == SX_USE_DSN)
	    sx_dsn_end(&r->dsn, r);
	if (r->use == SX_USE_TEXT || r->use == SX_USE_HTML) {
	    struct sx_textbuf *b = r->use == SX_USE_TEXT ? &r->text : &r->html;

	    if (sx_textbuf_append(b, "\n", 1) < 0)
		r->nomem = 1;
	}
    }
    r->use = SX_USE_NONE;
}

/* sx_headers_done - the blank line after a header block: pick a consumer */

static void sx_headers_done(struct sx_reader *r)
{
    const char *t;
    int     was_top = r->top;

    if (r->flen)
	sx_field_done(r);
    r->top = 0;
    if (!r->have_ctype)
	/* RFC 2046: parts of multipart/digest default to message/rfc822. */
	strcpy(r->ctype.type, "text/plain");
    t = r->ctype.type;
    if (strncmp(t, "multipart/", 10) == 0 && r->ctype.boundary[0]) {
	if (was_top && strcmp(t, "multipart/report") == 0) {
	    if (strcmp(r->ctype.report_type, "delivery-status") == 0)
		r->msg.is_report = 1;
	    else if (strcmp(r->ctype.report_type, "feedback-report") == 0)
		r->msg.is_feedback = 1;
	    else if (strcmp(r->ctype.report_type, "disposition-notification") == 0
		     || strcmp(r->ctype.report_type,
			       "global-disposition-notification") == 0)
		r->msg.is_mdn = 1;
	}
	if (r->depth < r->lim.depth_max) {
	    struct sx_level *lv = r->levels + r->depth++;

	    lv->blen = sx_text_copy(lv->boundary, sizeof(lv->boundary),
				    r->ctype.boundary, strlen(r->ctype.boundary));
	}
	/* Too deep: its parts are read as part of the enclosing one. */
	r->state = SX_ST_SKIP;
	r->use = SX_USE_NONE;
	return;
    }
    r->state = SX_ST_BODY;
    r->html_in_tag = 0;
    if (strcmp(t, "message/delivery-status") == 0
	|| strcmp(t, "message/global-delivery-status") == 0) {
	r->use = SX_USE_DSN;
	r->saw_dsn_part = 1;
	sx_dsn_init(&r->dsn);
    } else if (strcmp(t, "message/rfc822") == 0 || strcmp(t, "message/global") == 0
	       || strcmp(t, "text/rfc822-headers") == 0
	       || strcmp(t, "message/global-headers") == 0) {
	r->use = SX_USE_ORIG;
	r->orig_in_headers = 1;
	r->orig_is_message = (t[0] == 'm');
    } else if (strcmp(t, "text/plain") == 0 || strcmp(t, "text/enriched") == 0
	       || strcmp(t, "message/feedback-report") == 0
	       || strcmp(t, "message/disposition-notification") == 0
	       || strcmp(t, "message/global-disposition-notification") == 0
	       || t[0] == 0) {
	r->use = SX_USE_TEXT;
	r->text_parts++;
    } else if (strcmp(t, "text/html") == 0) {
	r->use = SX_USE_HTML;
    } else {
	r->use = SX_USE_NONE;
    }
    sx_decoder_init(&r->dec, r->use == SX_USE_NONE ? SX_CTE_PLAIN : r->cte,
		    r->decbuf, r->lim.line_max);
    /* Text in another charset is read as UTF-8 (its buffer on demand). */
    if ((r->use == SX_USE_TEXT || r->use == SX_USE_HTML)
	&& sx_charset_open(&r->cs, r->ctype.charset) && r->csbuf == 0
	&& (r->csbuf = malloc(SX_CS_FACTOR * r->lim.line_max + 1)) == 0) {
	sx_charset_close(&r->cs);
	r->nomem = 1;
    }
}

static void sx_part_begin(struct sx_reader *r)
{
    r->parts_seen = 1;
    memset(&r->ctype, 0, sizeof(r->ctype));
    r->have_ctype = 0;
    r->cte = SX_CTE_PLAIN;
    r->flen = 0;
    r->state = SX_ST_HEADERS;
}

/* sx_boundary - is the line a boundary of an open multipart? */

static int sx_boundary(struct sx_reader *r, const char *line, size_t len)
{
    unsigned k;

    if (len < 3 || line[0] != '-' || line[1] != '-')
	return (0);
    for (k = r->depth; k-- > 0;) {
	struct sx_level *lv = r->levels + k;
	size_t  rest;

	if (len - 2 < lv->blen || memcmp(line + 2, lv->boundary, lv->blen) != 0)
	    continue;
	rest = 2 + lv->blen;
	sx_part_end(r);
	r->depth = k + 1;
	if (len - rest >= 2 && line[rest] == '-' && line[rest + 1] == '-') {
	    /* Close delimiter: back in the enclosing multipart's body. */
	    r->depth = k;
	    r->state = SX_ST_SKIP;
	} else {
	    sx_part_begin(r);
	}
	return (1);
    }
    return (0);
}

/* sx_html_breaks - does the tag whose name starts at p end a block? */

static int sx_html_breaks(const char *p, size_t n)
{
    static const struct {
	const char *name;
	size_t  len;
    } tags[] = {{"br", 2}, {"/p", 2}, {"/div", 4}, {"/tr", 3}};
    size_t  k;

    /* A tag cut at the line's end (one byte of name) is not; most are not. */
    if (n < 2 || (p[0] != '/' && p[0] != 'b' && p[0] != 'B'))
	return (0);
    for (k = 0; k < sizeof(tags) / sizeof(tags[0]); k++)
	if (n >= tags[k].len && strncasecmp(p, tags[k].name, tags[k].len) == 0)
	    return (1);
    return (0);
}

/* sx_consume - a decoded line of the current leaf part */

static void sx_consume(void *ctx, const char *line, size_t len)
{
    struct sx_reader *r = ctx;

    /* Another charset: converted, unless the line is plain ASCII. */
    if (r->cs.open && !sx_charset_plain_line(&r->cs, line, len)) {
	len = sx_charset_line(&r->cs, line, len, r->csbuf,
			      SX_CS_FACTOR * r->lim.line_max + 1);
	line = r->csbuf;
    }

    switch (r->use) {
    case SX_USE_TEXT:
	if (sx_textbuf_line(&r->text, line, len) < 0)
	    r->nomem = 1;
	break;
    case SX_USE_HTML:{
	    size_t  i, start = 0;
	    int     st = 0;

	    /* Tags out; a tag that ends a block becomes a line end. */
	    for (i = 0; i < len;) {
		const char *c;

		if (r->html_in_tag) {
		    if ((c = memchr(line + i, '>', len - i)) == 0)
			break;
		    r->html_in_tag = 0;
		    start = i = (size_t) (c - line) + 1;
		    continue;
		}
		if ((c = memchr(line + i, '<', len - i)) == 0)
		    break;
		i = (size_t) (c - line);
		st |= sx_textbuf_append(&r->html, line + start, i - start);
		if (sx_html_breaks(line + i + 1, len - i - 1))
		    st |= sx_textbuf_append(&r->html, "\n", 1);
		r->html_in_tag = 1;
		i++;
	    }
	    if (!r->html_in_tag)
		st |= sx_textbuf_append(&r->html, line + start, len - start);
	    st |= sx_textbuf_append(&r->html, "\n", 1);
	    if (st < 0)
		r->nomem = 1;
	    break;
	}
    case SX_USE_DSN:
	sx_dsn_line(&r->dsn, line, len, r);
	break;
    case SX_USE_ORIG:
	if (!r->orig_in_headers)
	    break;
	if (len == 0 || (len == 1 && line[0] == ' ')) {
	    if (r->flen)
		sx_field_done(r);
	    r->orig_in_headers = 0;
	    break;
	}
	sx_field_line(r, line, len);
	break;
    default:
	break;
    }
}

/* sx_line - one raw line of the message */

static void sx_line(struct sx_reader *r, const char *line, size_t len)
{
    if (r->depth > 0 && r->state != SX_ST_HEADERS && sx_boundary(r, line, len))
	return;
    if (r->depth > 0 && r->state == SX_ST_HEADERS && !r->top && len > 2
	&& line[0] == '-' && line[1] == '-' && sx_boundary(r, line, len))
	return;				/* part without headers or blank line */
    switch (r->state) {
    case SX_ST_HEADERS:
	if (len == 0) {
	    sx_headers_done(r);
	    return;
	}
	/* A top-level body that starts without a blank line. */
	if (r->top && r->flen == 0 && line[0] != ' ' && line[0] != '\t'
	    && memchr(line, ':', len) == 0) {
	    sx_headers_done(r);
	    sx_line(r, line, len);
	    return;
	}
	sx_field_line(r, line, len);
	return;
    case SX_ST_BODY:
	sx_decoder_line(&r->dec, line, len, sx_consume, r);
	return;
    case SX_ST_SKIP:
	/*
	 * The top-level preamble is kept in case no boundary ever comes:
	 * some senders declare a multipart and write plain text.
	 */
	if (r->depth == 1 && !r->parts_seen
	    && (sx_textbuf_append(&r->pre, line, len) < 0
		|| sx_textbuf_append(&r->pre, "\n", 1) < 0))
	    r->nomem = 1;
	return;
    }
}

/* sx_reader_budget - how much of n more bytes may still be read */

static size_t sx_reader_budget(struct sx_reader *r, size_t n)
{
    size_t  left;

    if (r->lim.bytes_max == 0)
	return (n);
    left = r->bytes < r->lim.bytes_max ? r->lim.bytes_max - r->bytes : 0;
    if (n > left) {
	n = left;
	r->msg.cut = SX_CUT_BYTES;
    }
    r->bytes += n;
    return (n);
}

int     sx_reader_push(struct sx_reader *r, const char *buf, size_t len)
{
    const char *p = buf, *end, *lf = 0, *cr = 0;

    assert(!r->finished);
    len = sx_reader_budget(r, len);
    end = buf + len;
    while (p < end) {
	const char *eol;
	size_t  n;

	if (r->cr_pending) {
	    r->cr_pending = 0;
	    if (*p == '\n') {
		p++;
		continue;
	    }
	}
	/*
	 * The next line end, LF or CR, found with fast scans. Where lines
	 * end in CR alone the next LF lies far ahead: it is found once per
	 * chunk, not again for every line before it; the same for CR.
	 */
	if (lf == 0 || lf < p) {
	    lf = memchr(p, '\n', (size_t) (end - p));
	    if (lf == 0)
		lf = end;
	}
	/* The next CR likewise: where lines end in LF alone, once a chunk. */
	if (cr == 0 || cr < p) {
	    cr = memchr(p, '\r', (size_t) (end - p));
	    if (cr == 0)
		cr = end;
	}
	eol = lf < end ? lf : 0;
	if (cr < end && (eol == 0 || cr < eol))
	    eol = cr;
	n = (size_t) ((eol ? eol : end) - p);
	if (eol != 0 && r->llen == 0) {
	    /* A whole line inside the chunk: read it where it lies. */
	    r->cr_pending = (*eol == '\r');
	    sx_line(r, p, n < r->lim.line_max ? n : r->lim.line_max);
	    p = eol + 1;
	    continue;
	}
	if (n > r->lim.line_max - r->llen)
	    n = r->lim.line_max - r->llen;
	memcpy(r->line + r->llen, p, n);
	r->llen += n;
	if (eol == 0)
	    break;
	r->cr_pending = (*eol == '\r');
	sx_line(r, r->line, r->llen);
	r->llen = 0;
	p = eol + 1;
    }
    return (r->nomem ? SX_ERR_NOMEM : SX_OK);
}

int     sx_reader_header(struct sx_reader *r, const char *name, const char *value)
{
    size_t  n, v;

    assert(!r->finished && r->top);
    if (r->flen)
	sx_field_done(r);
    n = strlen(name);
    v = strlen(value);
    if (sx_reader_budget(r, n + v + 3) < n + v + 3)
	return (SX_OK);
    if (n + 2 + v > r->lim.header_max)
	v = r->lim.header_max > n + 2 ? r->lim.header_max - n - 2 : 0;
    if (n > r->lim.header_max - 2)
	return (SX_OK);
    memcpy(r->field, name, n);
    r->field[n] = ':';
    r->field[n + 1] = ' ';
    memcpy(r->field + n + 2, value, v);
    r->flen = n + 2 + v;
    /* Folded values arrive with their line ends: unfold them. */
    for (v = 0; v < r->flen; v++)
	if (r->field[v] == '\r' || r->field[v] == '\n')
	    r->field[v] = ' ';
    sx_field_done(r);
    return (r->nomem ? SX_ERR_NOMEM : SX_OK);
}

int     sx_reader_end_headers(struct sx_reader *r)
{
    assert(!r->finished && r->top);
    sx_line(r, "", 0);
    return (r->nomem ? SX_ERR_NOMEM : SX_OK);
}

int     sx_reader_maybe_bounce(const struct sx_reader *r)
{
    return (sx_scan_signs(&r->msg, r->tophdr.data ? r->tophdr.data : "",
			  r->tophdr.len) != SX_SIGN_NONE);
}

/* ------------------------------------------------------------ finish */

int     sx_reader_finish(struct sx_reader *r)
{
    assert(!r->finished);
    if (r->llen || r->cr_pending)
	sx_line(r, r->line, r->llen);
    if (r->state == SX_ST_HEADERS && r->top)
	sx_headers_done(r);
    sx_part_end(r);
    r->finished = 1;

    if (sx_analyse(r) < 0)
	return (SX_ERR_NOMEM);
    return (r->nomem ? SX_ERR_NOMEM : SX_OK);
}

size_t  sx_reader_work(const struct sx_reader *r)
{
    return (r->work);
}

const char *sx_cut_name(int cut)
{
    return (cut == SX_CUT_BYTES ? "bytes" : cut == SX_CUT_WORK ? "work" : "");
}

size_t  sx_reader_count(const struct sx_reader *r)
{
    return (r->nf);
}

const struct sx_finding *sx_reader_finding(const struct sx_reader *r, size_t i)
{
    return (i < r->nf ? r->f + i : 0);
}

const struct sx_message *sx_reader_message(const struct sx_reader *r)
{
    return (&r->msg);
}
