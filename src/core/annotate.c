/*
 * NAME
 *	annotate 3
 * SUMMARY
 *	the explanation, written into the report's own text
 * DESCRIPTION
 *	See annotate.h. The message is walked once: its header, then (for
 *	a multipart report) the delimiter lines of its first part, and of
 *	the parts of that part when it is multipart/alternative. Each text
 *	part chosen becomes one splice: the bytes of the part replaced by
 *	its new header and body. The output is the message with at most
 *	two splices, everything between them copied as it was.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/annotate.h>
#include <smtp-explain/explain.h>
#include <smtp-explain/finding.h>
#include <smtp-explain/lang.h>
#include <smtp-explain/reader.h>
#include <smtp-explain/registry.h>
#include <smtp-explain/status.h>

#include "mime.h"

#define AX_FIELD_MAX 1024		/* bytes of one header field looked at */
#define AX_WIDTH 76			/* columns of the block's lines */
#define AX_HTML_MARK "<div class=\"smtp-explain\""

/* A growable output buffer; nomem sticks once set. */
struct ax_buf {
    char   *data;
    size_t  len;
    size_t  cap;
    int     nomem;
};

/* A bounded writer for the block. */
struct ax_w {
    char   *buf;
    size_t  size;
    size_t  len;
};

/* What the header of a message or part says, as far as we need. */
struct ax_hdr {
    char    type[64];			/* "text/plain", lower case; "" none */
    char    boundary[128];		/* as written */
    char    charset[40];		/* lower case */
    char    cte[32];			/* lower case */
    int     has_type;
    int     has_cte;
    int     dkim;			/* a DKIM-Signature field */
};

enum ax_enc {
    AX_IDENT,				/* 7bit, 8bit, binary, none */
    AX_QP,
    AX_B64,
};

/* ------------------------------------------------------------ buffers */

static void ax_put(struct ax_buf *b, const char *s, size_t n)
{
    size_t  cap;
    char   *p;

    if (b->nomem || n == 0)
	return;
    if (n > b->cap - b->len) {
	cap = b->cap ? b->cap : 1024;
	while (cap - b->len < n) {
	    if (cap > ((size_t) -1) / 2) {
		b->nomem = 1;
		return;
	    }
	    cap *= 2;
	}
	if ((p = realloc(b->data, cap)) == 0) {
	    b->nomem = 1;
	    return;
	}
	b->data = p;
	b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static void ax_puts(struct ax_buf *b, const char *s)
{
    ax_put(b, s, strlen(s));
}

static void ax_buf_free(struct ax_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof(*b));
}

static void ax_w_put(struct ax_w *w, const char *s, size_t n)
{
    if (w->size == 0)
	return;
    if (n > w->size - 1 - w->len)
	n = w->size - 1 - w->len;
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = 0;
}

static void ax_w_puts(struct ax_w *w, const char *s)
{
    ax_w_put(w, s, strlen(s));
}

/* ------------------------------------------------------------ the block */

/* Columns of n bytes of UTF-8: continuation bytes take none. */
static size_t ax_width(const char *p, size_t n)
{
    size_t  i, w = 0;

    for (i = 0; i < n; i++)
	if (((unsigned char) p[i] & 0xc0) != 0x80)
	    w++;
    return (w);
}

/*
 * ax_w_para - words of text after a label (and a space, when there is
 * one), wrapped at AX_WIDTH with an indent of two spaces; every line
 * ends with eol. One pass over text.
 */
static void ax_w_para(struct ax_w *w, const char *label, const char *text,
		              const char *eol)
{
    size_t  col, n;
    const char *p = text, *e;
    int     first = 1;

    ax_w_puts(w, "  ");
    ax_w_puts(w, label);
    col = 2 + ax_width(label, strlen(label));
    if (*label) {
	ax_w_put(w, " ", 1);
	col++;
    }
    while (*p) {
	while (*p == ' ')
	    p++;
	if (*p == 0)
	    break;
	for (e = p; *e && *e != ' '; e++)
	     /* void */ ;
	n = (size_t) (e - p);
	if (!first && col + 1 + ax_width(p, n) > AX_WIDTH) {
	    ax_w_puts(w, eol);
	    ax_w_puts(w, "  ");
	    col = 2;
	} else if (!first) {
	    ax_w_put(w, " ", 1);
	    col++;
	}
	ax_w_put(w, p, n);
	col += ax_width(p, n);
	p = e;
	first = 0;
    }
    ax_w_puts(w, eol);
}

/* Whether a finding is news for the sender: something failed or waits. */
static int ax_worth(const struct sx_finding *f, const struct sx_explanation *ex)
{
    if (f->kind == SX_KIND_AUTOREPLY || f->kind == SX_KIND_FEEDBACK)
	return (0);
    if (f->action == SX_ACTION_FAILED || f->action == SX_ACTION_DELAYED)
	return (1);
    if (f->action == SX_ACTION_NONE)
	return (ex->class == SX_CLASS_PERMANENT || ex->class == SX_CLASS_TRANSIENT);
    return (0);
}

/*
 * The block's words (sx_lang_words()) are filled in, never used as a
 * format: sx_word_subst() puts arg in place of the one placeholder the
 * loader let the word have, and "%%" becomes '%'.
 */
#define AX_LINE_MAX 1024		/* a word with its argument, cut to fit */

static void ax_w_timing(struct ax_w *w, const char *const *wd,
			        const struct sx_finding *f,
			        const struct sx_explanation *ex, const char *eol)
{
    const char *until = ex->retry_until ? ex->retry_until : f->retry_until;
    char    line[AX_LINE_MAX];
    int     delayed = f->action == SX_ACTION_DELAYED
    || (f->action == SX_ACTION_NONE && ex->class == SX_CLASS_TRANSIENT);

    if (delayed && until[0])
	(void) sx_word_subst(line, sizeof(line), until != f->retry_until
			     ? wd[SX_WORD_UNTIL_ABOUT] : wd[SX_WORD_UNTIL], until);
    else if (delayed)
	(void) sx_word_subst(line, sizeof(line), wd[SX_WORD_OPEN], 0);
    else if (f->last_attempt[0])
	(void) sx_word_subst(line, sizeof(line), wd[SX_WORD_STOPPED_AT],
			     f->last_attempt);
    else
	(void) sx_word_subst(line, sizeof(line), wd[SX_WORD_STOPPED], 0);
    ax_w_para(w, "", line, eol);
}

/* ax_w_word - a word without an argument, as it is written */

static void ax_w_word(struct ax_w *w, const char *word)
{
    char    line[AX_LINE_MAX];

    ax_w_put(w, line, sx_word_subst(line, sizeof(line), word, 0));
}

size_t  sx_annotate_block(const struct sx_report *rep,
			          const struct sx_annotate_opts *opts,
			          const char *eol, char *buf, size_t size)
{
    struct ax_w w = {.buf = buf, .size = size, .len = 0};
    const char *wd[SX_WORDS];
    struct sx_explanation ex;
    size_t  i, shown = 0, more = 0;
    char    line[AX_LINE_MAX], label[3][AX_LINE_MAX], num[32], url[512];

    if (size > 0)
	buf[0] = 0;
    if (rep == 0)
	return (0);
    for (i = 0; i < rep->count; i++) {
	const struct sx_finding *f = rep->items[i].finding;

	if (!ax_worth(f, &rep->items[i].ex))
	    continue;
	if (shown == SX_ANNOTATE_FINDINGS) {
	    more++;
	    continue;
	}
	if (shown == 0) {
	    sx_lang_words(opts ? opts->langs : 0, opts ? opts->lang : 0,
			  opts ? opts->reg : 0, wd);
	    (void) sx_word_subst(label[0], sizeof(label[0]), wd[SX_WORD_WHO_LABEL], 0);
	    (void) sx_word_subst(label[1], sizeof(label[1]), wd[SX_WORD_WHAT_LABEL], 0);
	    (void) sx_word_subst(label[2], sizeof(label[2]), wd[SX_WORD_HELP_LABEL], 0);
	    ax_w_puts(&w, SX_ANNOTATE_MARK " ");
	    ax_w_word(&w, wd[SX_WORD_INTRO]);
	    ax_w_puts(&w, eol);
	    if (rep->msg != 0 && rep->msg->arrival_date[0]) {
		(void) sx_word_subst(line, sizeof(line), wd[SX_WORD_ARRIVED],
				     rep->msg->arrival_date);
		ax_w_para(&w, "", line, eol);
	    }
	}
	shown++;
	ex = rep->items[i].ex;
	if (opts != 0)
	    sx_lang_explain(opts->langs, opts->lang, &ex);
	ax_w_puts(&w, eol);
	ax_w_puts(&w, "* ");
	if (f->recipient[0])
	    ax_w_puts(&w, f->recipient);
	else
	    ax_w_word(&w, wd[SX_WORD_UNNAMED]);
	ax_w_puts(&w, ": ");
	ax_w_puts(&w, ex.title);
	ax_w_puts(&w, eol);
	if (ex.text[0])
	    ax_w_para(&w, "", ex.text, eol);
	(void) sx_word_subst(line, sizeof(line), wd[SX_WORD_WHO
			     + ((unsigned) ex.who <= SX_WHO_RECIPIENT_ADMIN
				? ex.who : SX_WHO_NONE)], 0);
	ax_w_para(&w, label[0], line, eol);
	if (ex.action[0])
	    ax_w_para(&w, label[1], ex.action, eol);
	ax_w_timing(&w, wd, f, &ex, eol);
	if (sx_explain_url(&ex, f, opts ? opts->help_url : 0, url, sizeof(url)) > 0)
	    ax_w_para(&w, label[2], url, eol);
    }
    if (shown == 0)
	return (0);
    if (more > 0) {
	(void) snprintf(num, sizeof(num), "%zu", more);
	(void) sx_word_subst(line, sizeof(line), wd[SX_WORD_MORE], num);
	ax_w_puts(&w, eol);
	ax_w_puts(&w, line);
	ax_w_puts(&w, eol);
    }
    ax_w_puts(&w, eol);
    /* Never "--" at the start of a line: it could look like a boundary. */
    ax_w_puts(&w, "____________________________________________________________"
	      "______________");
    ax_w_puts(&w, eol);
    ax_w_puts(&w, eol);
    return (w.len);
}

/* ------------------------------------------------------------ headers */

/* The line at i: its length without the line end, and where the next starts. */
static size_t ax_line(const char *p, size_t n, size_t i, size_t *next)
{
    const char *lf = memchr(p + i, '\n', n - i);
    size_t  end = lf ? (size_t) (lf - p) : n;

    *next = lf ? end + 1 : n;
    if (end > i && p[end - 1] == '\r')
	end--;
    return (end - i);
}

static void ax_lower(char *dst, size_t size, const char *s, size_t n)
{
    size_t  i;

    if (n >= size)
	n = size - 1;
    for (i = 0; i < n; i++)
	dst[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char) (s[i] + 32) : s[i];
    dst[n] = 0;
}

/* ax_params - the parameters of a Content-Type value after its type */

static void ax_params(struct ax_hdr *h, const char *p)
{
    const char *name, *v;
    size_t  nlen, vlen;

    while ((p = strchr(p, ';')) != 0) {
	p++;
	while (*p == ' ' || *p == '\t')
	    p++;
	name = p;
	while (*p && *p != '=' && *p != ';')
	    p++;
	if (*p != '=')
	    continue;
	nlen = (size_t) (p - name);
	while (nlen > 0 && (name[nlen - 1] == ' ' || name[nlen - 1] == '\t'))
	    nlen--;
	p++;
	while (*p == ' ' || *p == '\t')
	    p++;
	if (*p == '"') {
	    v = ++p;
	    while (*p && *p != '"')
		p++;
	    vlen = (size_t) (p - v);
	    if (*p)
		p++;
	} else {
	    v = p;
	    while (*p && *p != ';' && *p != ' ' && *p != '\t')
		p++;
	    vlen = (size_t) (p - v);
	}
	if (nlen == 8 && strncasecmp(name, "boundary", 8) == 0
	    && vlen < sizeof(h->boundary)) {
	    memcpy(h->boundary, v, vlen);
	    h->boundary[vlen] = 0;
	} else if (nlen == 7 && strncasecmp(name, "charset", 7) == 0) {
	    ax_lower(h->charset, sizeof(h->charset), v, vlen);
	}
    }
}

static void ax_field(struct ax_hdr *h, char *field)
{
    char   *colon = strchr(field, ':'), *v, *e;

    if (colon == 0)
	return;
    *colon = 0;
    for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
	 /* void */ ;
    if (strcasecmp(field, "Content-Type") == 0) {
	for (e = v; *e && *e != ';' && *e != ' ' && *e != '\t'; e++)
	     /* void */ ;
	ax_lower(h->type, sizeof(h->type), v, (size_t) (e - v));
	h->has_type = 1;
	h->boundary[0] = h->charset[0] = 0;
	ax_params(h, e);
    } else if (strcasecmp(field, "Content-Transfer-Encoding") == 0) {
	for (e = v; *e && *e != ' ' && *e != '\t' && *e != ';'; e++)
	     /* void */ ;
	ax_lower(h->cte, sizeof(h->cte), v, (size_t) (e - v));
	h->has_cte = 1;
    } else if (strcasecmp(field, "DKIM-Signature") == 0) {
	h->dkim = 1;
    }
}

/*
 * ax_header - read the header that starts p[0, n): the fields we need,
 * and where the body starts (after the blank line). Returns 0 when
 * there is no blank line: all header, no body.
 */
static int ax_header(const char *p, size_t n, struct ax_hdr *h, size_t *body)
{
    char    field[AX_FIELD_MAX];
    size_t  flen = 0, i = 0, next, len, take;

    memset(h, 0, sizeof(*h));
    while (i < n) {
	len = ax_line(p, n, i, &next);
	if (len == 0 || (p[i] != ' ' && p[i] != '\t')) {
	    if (flen > 0) {
		field[flen] = 0;
		ax_field(h, field);
		flen = 0;
	    }
	    if (len == 0) {
		*body = next;
		return (1);
	    }
	}
	take = len < sizeof(field) - 1 - flen ? len : sizeof(field) - 1 - flen;
	memcpy(field + flen, p + i, take);
	flen += take;
	i = next;
    }
    if (flen > 0) {
	field[flen] = 0;
	ax_field(h, field);
    }
    *body = n;
    return (0);
}

/* ------------------------------------------------------------ multipart */

/*
 * ax_delim - the next delimiter line of boundary b at or after from:
 * where it starts and where the line after it starts.
 */
static int ax_delim(const char *p, size_t n, size_t from, const char *b,
		            size_t *start, size_t *after)
{
    size_t  blen = strlen(b), i = from, next, len;

    while (i < n) {
	len = ax_line(p, n, i, &next);
	if (len >= 2 + blen && p[i] == '-' && p[i + 1] == '-'
	    && memcmp(p + i + 2, b, blen) == 0) {
	    *start = i;
	    *after = next;
	    return (1);
	}
	i = next;
    }
    return (0);
}

/* The end of a part's content: the line end before the delimiter is its. */
static size_t ax_part_end(const char *p, size_t start, size_t delim)
{
    if (delim > start && p[delim - 1] == '\n')
	delim--;
    if (delim > start && p[delim - 1] == '\r')
	delim--;
    return (delim);
}

/* ------------------------------------------------------------ encodings */

/* ax_sink - decoded bytes into a buffer (mime.c's decoders write here) */

static void ax_sink(void *ctx, const char *p, size_t n)
{
    ax_put((struct ax_buf *) ctx, p, n);
}

/*
 * ax_qp_decode - a whole quoted-printable part, line by line through
 * mime.c's decoder; each line end that is not a soft break is kept as
 * the part wrote it.
 */
static void ax_qp_decode(const char *p, size_t n, struct ax_buf *out)
{
    size_t  i = 0, next, len;

    while (i < n) {
	len = ax_line(p, n, i, &next);
	if (!sx_mime_qp_line(p + i, len, ax_sink, out))
	    ax_put(out, p + i + len, next - i - len);
	i = next;
    }
}

static void ax_qp_encode(const char *p, size_t n, const char *eol,
			         struct ax_buf *out)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t  i, col = 0, rlen;
    unsigned char c;
    char    rep[3];
    int     at_end, literal;

    for (i = 0; i < n; i++) {
	c = (unsigned char) p[i];
	if (c == '\n' || (c == '\r' && i + 1 < n && p[i + 1] == '\n')) {
	    if (c == '\r')
		i++;
	    ax_puts(out, eol);
	    col = 0;
	    continue;
	}
	at_end = (i + 1 == n || p[i + 1] == '\n'
		  || (p[i + 1] == '\r' && i + 2 < n && p[i + 2] == '\n'));
	literal = (c >= 33 && c <= 126 && c != '=')
	    || ((c == ' ' || c == '\t') && !at_end);
	/* 76 columns with the "=" of a soft break, or the line's last. */
	if (col + (literal ? 1 : 3) > (at_end ? AX_WIDTH : AX_WIDTH - 1)) {
	    ax_puts(out, "=");
	    ax_puts(out, eol);
	    col = 0;
	}
	/* "-" opening a line is encoded: no line may look like a boundary. */
	if (literal && !(c == '-' && col == 0)) {
	    rep[0] = (char) c;
	    rlen = 1;
	} else {
	    rep[0] = '=';
	    rep[1] = hex[c >> 4];
	    rep[2] = hex[c & 15];
	    rlen = 3;
	}
	ax_put(out, rep, rlen);
	col += rlen;
    }
}

static void ax_b64_decode(const char *p, size_t n, struct ax_buf *out)
{
    struct sx_b64 st = {0, 0};

    sx_mime_b64_feed(&st, p, n, ax_sink, out);
}

static void ax_b64_encode(const char *p, size_t n, const char *eol,
			          struct ax_buf *out)
{
    static const char al[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t  i, col = 0;
    unsigned long v;
    char    q[4];

    for (i = 0; i < n; i += 3) {
	v = (unsigned long) (unsigned char) p[i] << 16;
	if (i + 1 < n)
	    v |= (unsigned long) (unsigned char) p[i + 1] << 8;
	if (i + 2 < n)
	    v |= (unsigned long) (unsigned char) p[i + 2];
	q[0] = al[(v >> 18) & 63];
	q[1] = al[(v >> 12) & 63];
	q[2] = i + 1 < n ? al[(v >> 6) & 63] : '=';
	q[3] = i + 2 < n ? al[v & 63] : '=';
	if (col + 4 > AX_WIDTH) {
	    ax_puts(out, eol);
	    col = 0;
	}
	ax_put(out, q, 4);
	col += 4;
    }
}

/* ------------------------------------------------------------ one part */

struct ax {
    const char *msg;
    size_t  len;
    const char *eol;			/* the message's line end */
    const char *block;			/* the plain block, LF-ended lines */
    size_t  block_len;
    const struct sx_report *rep;
    const struct sx_annotate_opts *opts;
    int     block8;			/* the block has 8-bit bytes */
};

static const char *ax_eol_of(const char *p, size_t n, const char *dflt)
{
    const char *lf = memchr(p, '\n', n);

    if (lf == 0)
	return (dflt);
    return ((lf > p && lf[-1] == '\r') ? "\r\n" : "\n");
}

/* The plain block with the given line end, or as HTML. */
/* ax_block_utf8 - the block in the options' language, plain or as HTML */

static void ax_block_utf8(const struct ax *a, const struct sx_annotate_opts *opts,
			          int html, const char *eol, struct ax_buf *out)
{
    char    buf[SX_ANNOTATE_BLOCK_MAX];
    size_t  n = sx_annotate_block(a->rep, opts, eol, buf, sizeof(buf)), i, j;

    if (!html) {
	ax_put(out, buf, n);
	return;
    }
    ax_puts(out, AX_HTML_MARK " style=\"border:1px solid #999;padding:0.5em;"
	    "margin-bottom:1em\"><pre style=\"white-space:pre-wrap;"
	    "font-family:sans-serif;margin:0\">");
    for (i = 0; i < n; i = j) {
	for (j = i; j < n && strchr("&<>\"", buf[j]) == 0; j++)
	     /* void */ ;
	ax_put(out, buf + i, j - i);
	if (j == n)
	    break;
	switch (buf[j++]) {
	case '&':
	    ax_puts(out, "&amp;");
	    break;
	case '<':
	    ax_puts(out, "&lt;");
	    break;
	case '>':
	    ax_puts(out, "&gt;");
	    break;
	default:
	    ax_puts(out, "&quot;");
	    break;
	}
    }
    ax_puts(out, "</pre></div>");
    ax_puts(out, eol);
}

/*
 * ax_recode - UTF-8 text in another charset, every character or
 * nothing: 1 when out holds it all, 0 when the charset is unknown or
 * lacks a character (out is then as it was).
 */
static int ax_recode(const char *p, size_t n, const char *cs, struct ax_buf *out)
{
    iconv_t cd = iconv_open(cs, "UTF-8");
    char    tmp[1024], *in = (char *) p, *o;
    size_t  left = n, room, keep = out->len, r;
    int     ok = 1;

    if (cd == (iconv_t) - 1)
	return (0);
    while (ok && left > 0) {
	o = tmp;
	room = sizeof(tmp);
	r = iconv(cd, &in, &left, &o, &room);
	ax_put(out, tmp, (size_t) (o - tmp));
	if (r == (size_t) - 1 && errno != E2BIG)
	    ok = 0;				/* a character it lacks, or junk */
    }
    /* The shift back to the charset's first state (ISO-2022-JP). */
    o = tmp;
    room = sizeof(tmp);
    if (ok && iconv(cd, 0, 0, &o, &room) != (size_t) - 1)
	ax_put(out, tmp, (size_t) (o - tmp));
    iconv_close(cd);
    if (!ok)
	out->len = keep;
    return (ok);
}

/*
 * ax_block_text - the block as the part carries it: UTF-8, or, for a
 * part in another charset (cs), the block in that charset; when the
 * charset lacks a character of the chosen language, the English block.
 * 0 when the charset cannot carry even that (an address it has no
 * letters for, or a charset iconv does not know).
 */
static int ax_block_text(const struct ax *a, int html, const char *eol,
			         const char *cs, struct ax_buf *out)
{
    struct ax_buf u = {0};
    struct sx_annotate_opts en;
    int     ok = 1;

    ax_block_utf8(a, a->opts, html, eol, &u);
    if (cs == 0 || u.nomem) {
	ax_put(out, u.data, u.len);
    } else if (!ax_recode(u.data, u.len, cs, out)) {
	u.len = 0;
	if (a->opts)
	    en = *a->opts;
	else
	    memset(&en, 0, sizeof(en));
	en.lang = "en";
	ax_block_utf8(a, &en, html, eol, &u);
	ok = u.nomem || ax_recode(u.data, u.len, cs, out);
    }
    out->nomem |= u.nomem;
    ax_buf_free(&u);
    return (ok);
}

/* Where the block goes in a decoded HTML text: after <body ...>, else 0. */
static size_t ax_html_pos(const char *p, size_t n)
{
    size_t  i;
    const char *gt;

    for (i = 0; i + 5 <= n; i++) {
	if (p[i] == '<' && strncasecmp(p + i + 1, "body", 4) == 0
	    && (i + 5 == n || strchr(" \t\r\n>", p[i + 5]) != 0)) {
	    gt = memchr(p + i, '>', n - i);
	    return (gt ? (size_t) (gt - p) + 1 : 0);
	}
    }
    return (0);
}

static int ax_starts(const char *p, size_t n, const char *s)
{
    size_t  len = strlen(s);

    return (p != 0 && n >= len && memcmp(p, s, len) == 0);
}

/*
 * ax_charset_ok - can the part carry the block? *to_utf8: an ASCII part
 * is declared UTF-8 for an 8-bit block; *recode: the block is written
 * in the part's own charset (see ax_block_text()).
 */
static const char *ax_charset_ok(const char *cs, int block8, int *to_utf8,
				         const char **recode)
{
    *to_utf8 = 0;
    *recode = 0;
    if (strcmp(cs, "utf-8") == 0 || strcmp(cs, "utf8") == 0)
	return (0);
    if (strncmp(cs, "utf-16", 6) == 0 || strncmp(cs, "utf-32", 6) == 0
	|| strncmp(cs, "ucs", 3) == 0 || strcmp(cs, "utf-7") == 0)
	return ("the text part's charset is not ASCII-compatible");
    if (!block8)
	return (0);
    if (cs[0] == 0 || strcmp(cs, "us-ascii") == 0 || strcmp(cs, "ascii") == 0) {
	*to_utf8 = 1;
	return (0);
    }
    *recode = cs;
    return (0);
}

/*
 * ax_body - the new body of a text part: body[0, n) in encoding enc_in,
 * written in enc_out with the block at the top (or after <body>).
 */
static const char *ax_body(const struct ax *a, const char *body, size_t n,
			           int html, enum ax_enc enc_in,
			           enum ax_enc enc_out, const char *cs,
			           struct ax_buf *out)
{
    struct ax_buf text = {0}, blk = {0};
    const char *eol, *why = 0;
    size_t  pos;

    if (!html && enc_in == enc_out && enc_in != AX_B64) {
	if (ax_starts(body, n, SX_ANNOTATE_MARK))
	    return ("already annotated");
	if (!ax_block_text(a, 0, ax_eol_of(body, n, a->eol), cs, &blk)) {
	    ax_buf_free(&blk);
	    return ("the text part's charset cannot carry the explanation");
	}
	if (enc_out == AX_QP)
	    ax_qp_encode(blk.data, blk.len, a->eol, out);
	else
	    ax_put(out, blk.data, blk.len);
	ax_put(out, body, n);
	out->nomem |= blk.nomem;
	ax_buf_free(&blk);
	return (0);
    }
    if (enc_in == AX_QP)
	ax_qp_decode(body, n, &text);
    else if (enc_in == AX_B64)
	ax_b64_decode(body, n, &text);
    else
	ax_put(&text, body, n);
    if (text.nomem) {
	out->nomem = 1;
	ax_buf_free(&text);
	return (0);
    }
    eol = ax_eol_of(text.data ? text.data : "", text.len,
		    enc_in == AX_B64 ? "\r\n" : a->eol);
    pos = html ? ax_html_pos(text.data ? text.data : "", text.len) : 0;
    if (ax_starts(text.data ? text.data + pos : 0, text.len - pos,
		  html ? AX_HTML_MARK : SX_ANNOTATE_MARK)) {
	why = "already annotated";
	goto done;
    }
    ax_put(&blk, text.data, pos);
    if (!ax_block_text(a, html, eol, cs, &blk)) {
	why = "the text part's charset cannot carry the explanation";
	goto done;
    }
    ax_put(&blk, text.data + pos, text.len - pos);
    if (enc_out == AX_QP)
	ax_qp_encode(blk.data, blk.len, a->eol, out);
    else if (enc_out == AX_B64) {
	ax_b64_encode(blk.data, blk.len, a->eol, out);
	if (n > 0 && body[n - 1] == '\n')
	    ax_puts(out, a->eol);
    } else
	ax_put(out, blk.data, blk.len);
    out->nomem |= blk.nomem;
done:
    ax_buf_free(&text);
    ax_buf_free(&blk);
    return (why);
}

/*
 * ax_part_header - the header of a part, copied field by field; the
 * Content-Type and Content-Transfer-Encoding fields written anew when
 * the part becomes UTF-8 or quoted-printable.
 */
static void ax_part_header(const struct ax *a, const char *p, size_t n,
			           const struct ax_hdr *h, int to_utf8,
			           int to_qp, struct ax_buf *out)
{
    size_t  i = 0, next, len, start;
    int     skip = 0;

    while (i < n) {
	start = i;
	len = ax_line(p, n, i, &next);
	if (len == 0)
	    break;				/* the blank line: kept below */
	if (p[i] != ' ' && p[i] != '\t')
	    skip = (to_utf8 && len >= 13 && strncasecmp(p + i, "Content-Type:", 13) == 0)
		|| (to_qp && len >= 26
		    && strncasecmp(p + i, "Content-Transfer-Encoding:", 26) == 0);
	if (!skip)
	    ax_put(out, p + start, next - start);
	i = next;
    }
    if (to_utf8) {
	ax_puts(out, "Content-Type: ");
	ax_puts(out, h->type[0] ? h->type : "text/plain");
	ax_puts(out, "; charset=utf-8");
	ax_puts(out, a->eol);
    }
    if (to_qp) {
	ax_puts(out, "Content-Transfer-Encoding: quoted-printable");
	ax_puts(out, a->eol);
    }
    ax_put(out, p + i, n - i);
}

/*
 * ax_text - rewrite one text part: part[0, n) with its header (top: the
 * message's own, which may not change; then part is the body alone).
 */
static const char *ax_text(const struct ax *a, const struct ax_hdr *h,
			           const char *part, size_t hlen, size_t n,
			           int html, int top, struct ax_buf *out)
{
    enum ax_enc enc;
    const char *why, *recode;
    int     to_utf8, to_qp = 0, b8;

    if (h->cte[0] == 0 || strcmp(h->cte, "7bit") == 0
	|| strcmp(h->cte, "8bit") == 0 || strcmp(h->cte, "binary") == 0)
	enc = AX_IDENT;
    else if (strcmp(h->cte, "quoted-printable") == 0)
	enc = AX_QP;
    else if (strcmp(h->cte, "base64") == 0)
	enc = AX_B64;
    else
	return ("the text part has an unknown transfer encoding");
    if ((why = ax_charset_ok(h->charset, a->block8, &to_utf8, &recode)) != 0)
	return (why);
    b8 = a->block8;
    if (recode) {
	/* In the part's charset the block may be ASCII after all. */
	struct ax_buf t = {0};
	size_t  i;

	if (!ax_block_text(a, 0, "\n", recode, &t)) {
	    ax_buf_free(&t);
	    return ("the text part's charset cannot carry the explanation");
	}
	for (b8 = 0, i = 0; i < t.len && !b8; i++)
	    b8 = (t.data[i] & 0x80) != 0;
	ax_buf_free(&t);
    }
    if (b8 && enc == AX_IDENT
	&& (h->cte[0] == 0 || strcmp(h->cte, "7bit") == 0))
	to_qp = 1;
    if (top && (to_utf8 || to_qp))
	return ("the message's own header would have to change");
    if (!top)
	ax_part_header(a, part, hlen, h, to_utf8, to_qp, out);
    return (ax_body(a, part + hlen, n - hlen, html, enc,
		    to_qp ? AX_QP : enc, recode, out));
}

/* ------------------------------------------------------------ the message */

struct ax_splice {
    size_t  from;
    size_t  to;
    struct ax_buf with;
};

static int ax_is_text(const struct ax_hdr *h, const char *sub)
{
    if (!h->has_type || h->type[0] == 0)
	return (strcmp(sub, "plain") == 0);
    return (strncmp(h->type, "text/", 5) == 0 && strcmp(h->type + 5, sub) == 0);
}

/* One part p[from, to): a splice when it is the text part wanted. */
static const char *ax_one(const struct ax *a, size_t from, size_t to,
			          int html, struct ax_splice *s)
{
    struct ax_hdr h;
    size_t  body;
    const char *why;

    if (!ax_header(a->msg + from, to - from, &h, &body))
	return ("the text part has no body");
    if (!ax_is_text(&h, html ? "html" : "plain"))
	return ("not the wanted type");
    s->from = from;
    s->to = to;
    /* A part left alone leaves nothing behind (its header may be written). */
    if ((why = ax_text(a, &h, a->msg + from, body, to - from, html, 0, &s->with)) != 0)
	ax_buf_free(&s->with);
    return (why);
}

/* The parts of multipart/alternative p[from, to): first plain, first HTML. */
static const char *ax_alternative(const struct ax *a, const struct ax_hdr *h,
				          size_t from, size_t to,
				          struct ax_splice *s, int *ns)
{
    size_t  start, after, pstart, pend;
    struct ax_hdr ph;
    size_t  body;
    int     plain = 0, html = 0;
    const char *why = 0, *w;

    if (h->boundary[0] == 0 || !ax_delim(a->msg, to, from, h->boundary, &start, &after))
	return ("the alternative part has no boundary");
    while (after < to && !(plain && html)) {
	pstart = after;
	if (!ax_delim(a->msg, to, pstart, h->boundary, &start, &after))
	    break;
	pend = ax_part_end(a->msg, pstart, start);
	(void) ax_header(a->msg + pstart, pend - pstart, &ph, &body);
	if (!plain && ax_is_text(&ph, "plain")) {
	    plain = 1;
	    if ((w = ax_one(a, pstart, pend, 0, &s[*ns])) == 0)
		(*ns)++;
	    else
		why = w;
	} else if (!html && ax_is_text(&ph, "html")) {
	    html = 1;
	    if ((w = ax_one(a, pstart, pend, 1, &s[*ns])) == 0)
		(*ns)++;
	    else
		why = w;
	}
	if (start + 3 + strlen(h->boundary) < to
	    && a->msg[start + 2 + strlen(h->boundary)] == '-'
	    && a->msg[start + 3 + strlen(h->boundary)] == '-')
	    break;				/* the close delimiter */
    }
    if (*ns == 0)
	return (why ? why : "no text part in the alternative");
    return (0);
}

/* The first part of a multipart message: text, or an alternative of it. */
static const char *ax_multipart(const struct ax *a, const struct ax_hdr *top,
				        size_t body, struct ax_splice *s, int *ns)
{
    size_t  start, after, pstart, pend, pbody;
    struct ax_hdr h;

    if (top->boundary[0] == 0
	|| !ax_delim(a->msg, a->len, body, top->boundary, &start, &after))
	return ("the multipart message has no boundary");
    pstart = after;
    if (!ax_delim(a->msg, a->len, pstart, top->boundary, &start, &after))
	return ("the first part does not end");
    pend = ax_part_end(a->msg, pstart, start);
    (void) ax_header(a->msg + pstart, pend - pstart, &h, &pbody);
    if (ax_is_text(&h, "plain")) {
	const char *why = ax_one(a, pstart, pend, 0, &s[0]);

	if (why == 0)
	    *ns = 1;
	return (why);
    }
    if (strcmp(h.type, "multipart/alternative") == 0)
	return (ax_alternative(a, &h, pstart + pbody, pend, s, ns));
    return ("the first part is not text");
}

void    sx_annotate_free(struct sx_annotate_out *out)
{
    free(out->data);
    out->data = 0;
    out->len = out->body = 0;
}

/* Whether any byte of the block has its high bit set. */
static int ax_eight_bit(const struct sx_report *rep,
		               const struct sx_annotate_opts *opts)
{
    char    buf[SX_ANNOTATE_BLOCK_MAX];
    size_t  n = sx_annotate_block(rep, opts, "\n", buf, sizeof(buf)), i;

    for (i = 0; i < n; i++)
	if ((unsigned char) buf[i] & 0x80)
	    return (1);
    return (0);
}

int     sx_annotate(const char *msg, size_t len, const struct sx_report *rep,
		            const struct sx_annotate_opts *opts,
		            struct sx_annotate_out *out)
{
    struct ax a = {.msg = msg, .len = len, .rep = rep, .opts = opts};
    struct ax_hdr top;
    struct ax_splice s[2];
    struct ax_buf res = {0};
    char    probe[8];
    size_t  body, at;
    const char *why;
    int     ns = 0, i;

    memset(out, 0, sizeof(*out));
    memset(s, 0, sizeof(s));
    if (opts != 0 && opts->max > 0 && len > opts->max) {
	out->why = "larger than the size limit";
	return (SX_OK);
    }
    if (sx_annotate_block(rep, opts, "\n", probe, sizeof(probe)) == 0) {
	out->why = "nothing failed or waits";
	return (SX_OK);
    }
    if (!ax_header(msg, len, &top, &body)) {
	out->why = "no body";
	return (SX_OK);
    }
    if (top.dkim && !(opts != 0 && opts->signed_ok)) {
	out->why = "signed (DKIM-Signature)";
	return (SX_OK);
    }
    a.eol = ax_eol_of(msg + body, len - body, ax_eol_of(msg, len, "\n"));
    a.block8 = ax_eight_bit(rep, opts);
    if (strncmp(top.type, "multipart/", 10) == 0) {
	why = ax_multipart(&a, &top, body, s, &ns);
    } else if (ax_is_text(&top, "plain")) {
	s[0].from = body;
	s[0].to = len;
	why = ax_text(&a, &top, msg + body, 0, len - body, 0, 1, &s[0].with);
	ns = why ? 0 : 1;
    } else {
	why = "the message is not text";
    }
    for (i = 0; i < ns; i++)
	res.nomem |= s[i].with.nomem;
    if (ns == 0 || res.nomem) {
	for (i = 0; i < 2; i++)
	    ax_buf_free(&s[i].with);
	if (res.nomem)
	    return (SX_ERR_NOMEM);
	out->why = why ? why : "no text part";
	return (SX_OK);
    }
    at = 0;
    for (i = 0; i < ns; i++) {
	ax_put(&res, msg + at, s[i].from - at);
	ax_put(&res, s[i].with.data, s[i].with.len);
	at = s[i].to;
    }
    ax_put(&res, msg + at, len - at);
    ax_put(&res, "", 1);			/* a NUL past the end, not counted */
    for (i = 0; i < 2; i++)
	ax_buf_free(&s[i].with);
    if (res.nomem) {
	ax_buf_free(&res);
	return (SX_ERR_NOMEM);
    }
    out->data = res.data;
    out->len = res.len - 1;
    out->body = body;
    return (SX_OK);
}
