/*
 * NAME
 *	render 3
 * SUMMARY
 *	the X-SMTP-Explain header value
 * DESCRIPTION
 *	See render.h and docs/header-format.md. The value is built item by
 *	item by a small writer that knows the current column: it folds
 *	before an item that would pass column 78, and inside quoted
 *	strings at spaces (where unfolding gives the space back). The
 *	writer never passes the caller's buffer; when an item does not fit
 *	it stops adding items and the header ends cleanly.
 */
#include <string.h>
#include <stdio.h>

#include <smtp-explain/render.h>
#include <smtp-explain/text.h>
#include <smtp-explain/status.h>

#define SX_COLS 78
#define SX_WORD_COLS 900		/* longest line a word may make */

struct sx_writer {
    char   *buf;
    size_t  size;
    size_t  len;
    size_t  col;
    const char *fold;		/* EOL + WSP */
    size_t  eol_len;		/* length of the EOL part of fold */
    int     full;
};

static void sx_w_raw(struct sx_writer *w, const char *s, size_t n)
{
    if (w->full || w->len + n + 1 > w->size) {
	w->full = 1;
	return;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = 0;
}

static void sx_w_fold(struct sx_writer *w, int keep_space)
{
    /* Between items: EOL + tab. Inside text: EOL + space. */
    sx_w_raw(w, w->fold, w->eol_len);
    sx_w_raw(w, keep_space ? " " : w->fold + w->eol_len,
	     keep_space ? 1 : strlen(w->fold + w->eol_len));
    w->col = 1;
}

static int sx_tchar(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
	return (1);
    switch (c) {
    case '.': case '@': case '_': case '+': case '-': case '/': case '!':
    case '#': case '$': case '&': case '*': case '^': case '`': case '{':
    case '|': case '}': case '~': case '\'':
	return (1);
    default:
	return (0);
    }
}

/* sx_w_encoded - an RFC 2047 encoded-word for text with 8-bit bytes */

static size_t sx_encode_word(const char *s, size_t n, char *out, size_t size)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t  o = 0, i;

    o = (size_t) snprintf(out, size, "=?utf-8?q?");
    for (i = 0; i < n && o + 4 < size; i++) {
	unsigned char c = (unsigned char) s[i];

	if (c == ' ')
	    out[o++] = '_';
	else if (c > 0x7e || c < 0x21 || c == '=' || c == '?' || c == '_'
		 || c == '"' || c == '\\') {
	    out[o++] = '=';
	    out[o++] = hex[c >> 4];
	    out[o++] = hex[c & 15];
	} else
	    out[o++] = (char) c;
    }
    if (o + 3 > size)
	o = size - 3;
    memcpy(out + o, "?=", 3);
    return (o + 2);
}

static int sx_has_8bit(const char *s)
{
    for (; *s; s++)
	if ((unsigned char) *s > 0x7e)
	    return (1);
    return (0);
}

/* sx_w_item - "; key=value", folding as needed */

static void sx_w_item(struct sx_writer *w, const char *key, const char *raw,
		              size_t max, int first)
{
    char    clean[1024], enc[1200];
    const char *v = clean;
    size_t  vlen, klen = strlen(key), i, need;
    int     quote = 0;

    vlen = sx_text_clean(clean, max + 1 < sizeof(clean) ? max + 1 : sizeof(clean),
			 raw, strlen(raw));
    if (vlen == 0)
	return;
    if (sx_has_8bit(clean)) {
	/* Encoded-words of at most 75 characters, separated by spaces. */
	size_t  o = 0, at = 0;

	while (at < vlen && o + 80 < sizeof(enc)) {
	    size_t  take = vlen - at > 18 ? 18 : vlen - at;

	    if (o)
		enc[o++] = ' ';
	    o += sx_encode_word(clean + at, take, enc + o, sizeof(enc) - o);
	    at += take;
	}
	enc[o] = 0;
	v = enc;
	vlen = o;
	quote = 1;
    }
    for (i = 0; i < vlen && !quote; i++)
	if (!sx_tchar((unsigned char) v[i]))
	    quote = 1;
    if (!first)
	sx_w_raw(w, ";", 1), w->col++;
    /* A quoted value that fits on a line of its own starts one. */
    need = klen + 1 + (quote ? 2 : 0) + vlen + 1;
    if (quote && need > SX_COLS - 8)
	need = klen + 2 + 8;
    if (!first && w->col + need > SX_COLS)
	sx_w_fold(w, 0);
    else if (!first)
	sx_w_raw(w, " ", 1), w->col++;
    sx_w_raw(w, key, klen);
    sx_w_raw(w, "=", 1);
    w->col += klen + 1;
    if (!quote) {
	sx_w_raw(w, v, vlen);
	w->col += vlen;
	return;
    }
    sx_w_raw(w, "\"", 1);
    w->col++;
    for (i = 0; i < vlen;) {
	size_t  word = i;

	/* One word, then decide whether the space after it folds. */
	while (word < vlen && v[word] != ' ')
	    word++;
	for (; i < word; i++) {
	    /* A word that cannot fold is cut: lines stay under 998. */
	    if (w->col >= SX_WORD_COLS) {
		i = word;
		break;
	    }
	    if (v[i] == '"' || v[i] == '\\')
		sx_w_raw(w, "\\", 1), w->col++;
	    sx_w_raw(w, v + i, 1);
	    w->col++;
	}
	if (i < vlen) {
	    size_t  next = i + 1;

	    while (next < vlen && v[next] != ' ')
		next++;
	    if (w->col + (next - i) + 2 > SX_COLS)
		sx_w_fold(w, 1);
	    else
		sx_w_raw(w, " ", 1), w->col++;
	    i++;
	}
    }
    sx_w_raw(w, "\"", 1);
    w->col++;
}

int     sx_render_header(const struct sx_render_opts *opts,
			         const struct sx_finding *f,
			         const struct sx_explanation *ex,
			         size_t index, size_t total, char *buf, size_t size)
{
    struct sx_writer w;
    char    num[32];
    const char *fold = opts && opts->fold ? opts->fold : "\n\t";
    size_t  diag_max = opts && opts->diag_max ? opts->diag_max : 200;
    size_t  mark;

    if (size == 0)
	return (SX_ERR_LIMIT);
    memset(&w, 0, sizeof(w));
    w.buf = buf;
    w.size = size;
    w.fold = fold;
    w.eol_len = strspn(fold, "\r\n");
    w.col = strlen(SX_HEADER_NAME) + 2;
    buf[0] = 0;

    {
	const char *id = opts && opts->authserv_id && *opts->authserv_id
	    ? opts->authserv_id : "localhost";
	char    idc[256];
	size_t  n = sx_text_clean(idc, sizeof(idc), id, strlen(id));
	size_t  i;

	for (i = 0; i < n; i++)
	    if (!sx_tchar((unsigned char) idc[i]))
		idc[i] = '_';
	sx_w_raw(&w, idc, n);
	w.col += n;
    }
    snprintf(num, sizeof(num), "%zu/%zu", index + 1, total);
    sx_w_item(&w, "n", num, 32, 0);
    sx_w_item(&w, "kind", sx_kind_name(f->kind), 32, 0);
    if (f->action)
	sx_w_item(&w, "action", sx_action_name(f->action), 32, 0);
    sx_w_item(&w, "rcpt", f->recipient, SX_ADDR_MAX, 0);
    if (f->original_recipient[0] && strcmp(f->original_recipient, f->recipient))
	sx_w_item(&w, "orcpt", f->original_recipient, SX_ADDR_MAX, 0);
    if (f->replycode) {
	snprintf(num, sizeof(num), "%03d", f->replycode);
	sx_w_item(&w, "code", num, 8, 0);
    }
    if (f->status[0])
	sx_w_item(&w, "status", f->status, SX_STATUS_MAX, 0);
    sx_w_item(&w, "class", sx_class_name(ex->class), 32, 0);
    sx_w_item(&w, "reason", ex->reason, 32, 0);
    sx_w_item(&w, "who", sx_who_name(ex->who), 32, 0);
    sx_w_item(&w, "retry", sx_retry_name(ex->retry), 32, 0);
    if (ex->vendor_name[0])
	sx_w_item(&w, "vendor", ex->vendor_name, 32, 0);
    if (f->remote_mta[0])
	sx_w_item(&w, "remote-mta", f->remote_mta, 128, 0);
    if (f->flags & SX_FINDING_CLASS_MISMATCH)
	sx_w_item(&w, "mismatch", "yes", 8, 0);
    if (w.full) {
	/* Not even the structured part fits. */
	buf[0] = 0;
	return (SX_ERR_LIMIT);
    }
    mark = w.len;
    sx_w_item(&w, "title", ex->title, 120, 0);
    if (!opts || opts->with_text) {
	sx_w_item(&w, "meaning", ex->text, 600, 0);
	sx_w_item(&w, "advice", ex->action, 600, 0);
    }
    if (opts && opts->with_diag && f->diagnostic[0])
	sx_w_item(&w, "diag", f->diagnostic, diag_max, 0);
    if (w.full) {
	/* Keep the structured part, drop what did not fit. */
	w.full = 0;
	w.len = mark;
	buf[mark] = 0;
    }
    return ((int) w.len);
}
