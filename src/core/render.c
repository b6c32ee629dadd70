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
 *
 *	RFC 5322 allows 998 characters a line. What cannot fold (a long
 *	token, one long word of a quoted string) is cut at SX_WORD_COLS,
 *	well below that. The writer also counts the bytes of the physical
 *	line, the field name included, and refuses a write that would pass
 *	SX_HEADER_LINE_MAX, as for a full buffer: should a path above ever
 *	get its column wrong, the item is lost, never the bound.
 */
#include <stdint.h>
#include <string.h>
#include <stdio.h>

#include <smtp-explain/reader.h>
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
    size_t  line;		/* bytes of the current line, name included */
    const char *fold;		/* EOL + WSP */
    size_t  eol_len;		/* length of the EOL part of fold */
    int     full;
};

static void sx_w_put(struct sx_writer *w, const char *s, size_t n)
{
    if (w->full || w->len + n + 1 > w->size) {
	w->full = 1;
	return;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = 0;
}

/* sx_w_raw - text on the current line, which never passes the limit */

static void sx_w_raw(struct sx_writer *w, const char *s, size_t n)
{
    if (w->line + n > SX_HEADER_LINE_MAX) {
	w->full = 1;
	return;
    }
    sx_w_put(w, s, n);
    w->line += n;
}

static void sx_w_fold(struct sx_writer *w, int keep_space)
{
    /* Between items: EOL + tab. Inside text: EOL + space. */
    sx_w_put(w, w->fold, w->eol_len);
    w->line = 0;
    sx_w_raw(w, keep_space ? " " : w->fold + w->eol_len,
	     keep_space ? 1 : strlen(w->fold + w->eol_len));
    w->col = 1;
}

/*
 * sx_tchar - may c appear in a value written without quotes? Letters,
 * digits and . @ _ + - / ! # $ & * ^ ` { | } ~ ' (a table: it is asked
 * for every byte of every value).
 */
static const unsigned char sx_tchar_tab[256] = {
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1,
    ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1,
    ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1,
    ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1,
    ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1,
    ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,
    ['V'] = 1, ['W'] = 1, ['X'] = 1, ['Y'] = 1, ['Z'] = 1,
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,
    ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['.'] = 1, ['@'] = 1, ['_'] = 1, ['+'] = 1, ['-'] = 1, ['/'] = 1, ['!'] = 1,
    ['#'] = 1, ['$'] = 1, ['&'] = 1, ['*'] = 1, ['^'] = 1, ['`'] = 1, ['{'] = 1,
    ['|'] = 1, ['}'] = 1, ['~'] = 1, ['\''] = 1,
};

#define sx_tchar(c) (sx_tchar_tab[(unsigned char) (c)])

/*
 * sx_w_classify - what writing the value takes: SX_W_QUOTE (not a
 * token), SX_W_8BIT (encoded-words), SX_W_ESC (a '"' or '\\' to
 * escape). After the first byte that needs quotes, the rest is looked
 * at eight bytes at a time.
 */
#define SX_W_QUOTE	1
#define SX_W_8BIT	2
#define SX_W_ESC	4

static int sx_w_classify(const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    const uint64_t low7 = 0x7f7f7f7f7f7f7f7fULL;
    uint64_t x, all = 0, esc = 0, d;
    int     flags = 0;
    size_t  i;

    for (i = 0; i < n && !(flags & SX_W_QUOTE); i++) {
	unsigned char c = (unsigned char) s[i];

	if (c > 0x7e)
	    return (SX_W_8BIT | SX_W_QUOTE);
	if (!sx_tchar(c))
	    flags |= SX_W_QUOTE;
	if (c == '"' || c == '\\')
	    flags |= SX_W_ESC;
    }
    for (; n - i >= 8; i += 8) {
	memcpy(&x, s + i, sizeof(x));
	all |= x;
	/* Exact per byte: the high bit of each byte equal to '"' or '\\'. */
	d = x ^ (ones * '"');
	esc |= ~(((d & low7) + low7) | d) & high;
	d = x ^ (ones * '\\');
	esc |= ~(((d & low7) + low7) | d) & high;
    }
    for (; i < n; i++) {
	all |= (unsigned char) s[i];
	if (s[i] == '"' || s[i] == '\\')
	    flags |= SX_W_ESC;
    }
    if (all & high)
	return (SX_W_8BIT | SX_W_QUOTE);
    return (flags | (esc ? SX_W_ESC : 0));
}

/*
 * sx_w_plain - the words of a quoted string without escapes and too
 * short to be cut: each line is written in one piece. Folding at a
 * space happens when the next word would end past column 76; that is
 * at the last space up to that column, or at the first space after it.
 */
static void sx_w_plain(struct sx_writer *w, const char *v, size_t vlen)
{
    size_t  s0 = 0;
    const char *sp;

    while (w->col + (vlen - s0) > SX_COLS - 2) {
	sp = 0;
	if (w->col <= SX_COLS - 2)
	    sp = memrchr(v + s0, ' ', SX_COLS - 2 - w->col + 1);
	if (sp == 0)
	    sp = memchr(v + s0, ' ', vlen - s0);
	if (sp == 0)
	    break;
	sx_w_raw(w, v + s0, (size_t) (sp - v) - s0);
	sx_w_fold(w, 1);
	s0 = (size_t) (sp - v) + 1;
    }
    sx_w_raw(w, v + s0, vlen - s0);
    w->col += vlen - s0;
}

/*
 * sx_w_word - one word of a quoted string, with '"' and '\\' escaped.
 * A word that cannot fold is cut at SX_WORD_COLS: lines stay under 998.
 * Runs without escapes are written in one piece.
 */
static void sx_w_word(struct sx_writer *w, const char *s, size_t n)
{
    size_t  i = 0, j, stop;

    while (i < n && w->col < SX_WORD_COLS) {
	stop = n - i < SX_WORD_COLS - w->col ? n : i + (SX_WORD_COLS - w->col);
	for (j = i; j < stop && s[j] != '"' && s[j] != '\\'; j++)
	     /* void */ ;
	if (j > i) {
	    sx_w_raw(w, s + i, j - i);
	    w->col += j - i;
	    i = j;
	    continue;
	}
	sx_w_raw(w, "\\", 1);
	sx_w_raw(w, s + i, 1);
	w->col += 2;
	i++;
    }
}

/* sx_w_ratio - "%zu/%zu" into buf, cut as snprintf() would, without printf */

static void sx_w_ratio(char *buf, size_t size, size_t a, size_t b)
{
    char    tmp[48];
    size_t  n = sizeof(tmp), i;

    tmp[--n] = 0;
    do
	tmp[--n] = (char) ('0' + b % 10);
    while ((b /= 10) != 0);
    tmp[--n] = '/';
    do
	tmp[--n] = (char) ('0' + a % 10);
    while ((a /= 10) != 0);
    for (i = 0; i + 1 < size && tmp[n + i]; i++)
	buf[i] = tmp[n + i];
    buf[i] = 0;
}

/*
 * sx_w_item - "; key=value", folding as needed. SX_W_FIRST: no "; "
 * before it. SX_W_SAFE: raw is already safe text (made so when the
 * registry was loaded, or a name of ours) and needs no cleaning.
 */
#define SX_W_FIRST	1
#define SX_W_SAFE	2

static void sx_w_item(struct sx_writer *w, const char *key, const char *raw,
		              size_t max, int how)
{
    char    clean[1024], enc[4096];
    const char *v = clean, *sp;
    size_t  vlen, klen = strlen(key), i, word, need;
    int     flags, quote, first = (how & SX_W_FIRST) != 0;

    if ((how & SX_W_SAFE) && (vlen = strlen(raw)) <= max && vlen < sizeof(clean))
	v = raw;
    else
	vlen = sx_text_clean(clean, max + 1 < sizeof(clean) ? max + 1 : sizeof(clean),
			     raw, strlen(raw));
    if (vlen == 0)
	return;
    flags = sx_w_classify(v, vlen);
    quote = (flags & SX_W_QUOTE) != 0;
    if (flags & SX_W_8BIT) {
	/* Encoded-words of at most 75 characters, separated by spaces. */
	vlen = sx_text_encode(enc, sizeof(enc), v, vlen, 1);
	v = enc;
	flags = SX_W_QUOTE;		/* encoded-words need no escapes */
    }
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
	/* A token cannot fold: cut it (it is ASCII, no character splits). */
	if (w->col + vlen > SX_WORD_COLS)
	    vlen = w->col < SX_WORD_COLS ? SX_WORD_COLS - w->col : 0;
	sx_w_raw(w, v, vlen);
	w->col += vlen;
	return;
    }
    sx_w_raw(w, "\"", 1);
    w->col++;
    if (!(flags & SX_W_ESC) && w->col + vlen < SX_WORD_COLS) {
	sx_w_plain(w, v, vlen);
	sx_w_raw(w, "\"", 1);
	w->col++;
	return;
    }
    /* One word, then decide whether the space after it folds. */
    sp = memchr(v, ' ', vlen);
    word = sp ? (size_t) (sp - v) : vlen;
    for (i = 0; i < vlen;) {
	sx_w_word(w, v + i, word - i);
	if ((i = word) < vlen) {
	    size_t  next;

	    sp = memchr(v + i + 1, ' ', vlen - i - 1);
	    next = sp ? (size_t) (sp - v) : vlen;
	    if (w->col + (next - i) + 2 > SX_COLS)
		sx_w_fold(w, 1);
	    else
		sx_w_raw(w, " ", 1), w->col++;
	    i++;
	    word = next;
	}
    }
    sx_w_raw(w, "\"", 1);
    w->col++;
}

/*
 * sx_trusted - may a value from the remote side stand in the result
 * header? Only when it cannot read as an item of ours: no "=" or ";",
 * no quote, backslash or space, nothing but the characters of an
 * address or a host name.
 */
static int sx_trusted(const char *v, int host)
{
    const unsigned char *p = (const unsigned char *) v;

    if (*p == 0)
	return (0);
    for (; *p; p++) {
	if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
	    || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-')
	    continue;
	if (!host && (*p == '@' || *p == '_' || *p == '+'))
	    continue;
	if (host && (*p == '[' || *p == ']' || *p == ':'))
	    continue;
	return (0);
    }
    return (1);
}

/* sx_status_ok - an enhanced code as RFC 3463 writes it: d.ddd.ddd */

static int sx_status_ok(const char *v)
{
    size_t  n, dots = 0;

    if (v[0] < '2' || v[0] > '5' || v[1] != '.')
	return (0);
    for (v += 2; dots < 2; v++, dots++) {
	for (n = 0; v[n] >= '0' && v[n] <= '9'; n++)
	     /* void */ ;
	if (n == 0 || n > 3 || (dots == 0 && v[n] != '.') || (dots == 1 && v[n] != 0))
	    return (0);
	v += n;
    }
    return (1);
}

/*
 * sx_render_items - the identifier and the key=value items. trusted:
 * leave out every value from the remote side that sx_trusted() refuses
 * (the result header), instead of cleaning and quoting it.
 */
static void sx_render_items(struct sx_writer *w, const struct sx_render_opts *opts,
			            const struct sx_finding *f,
			            const struct sx_explanation *ex,
			            size_t index, size_t total, int trusted)
{
    const char *until;
    char    num[32];

    {
	const char *id = opts && opts->authserv_id && *opts->authserv_id
	    ? opts->authserv_id : "localhost";
	char    idc[256];
	size_t  n = sx_text_clean(idc, sizeof(idc), id, strlen(id));
	size_t  i;

	for (i = 0; i < n; i++)
	    if (!sx_tchar((unsigned char) idc[i]) || (trusted && idc[i] == '='))
		idc[i] = '_';
	sx_w_raw(w, idc, n);
	w->col += n;
    }
    sx_w_ratio(num, sizeof(num), index + 1, total);
    sx_w_item(w, "n", num, 32, SX_W_SAFE);
    sx_w_item(w, "kind", sx_kind_name(f->kind), 32, SX_W_SAFE);
    if (f->action)
	sx_w_item(w, "action", sx_action_name(f->action), 32, SX_W_SAFE);
    if (!trusted || sx_trusted(f->recipient, 0))
	sx_w_item(w, "rcpt", f->recipient, SX_ADDR_MAX, 0);
    if (f->original_recipient[0] && strcmp(f->original_recipient, f->recipient)
	&& (!trusted || sx_trusted(f->original_recipient, 0)))
	sx_w_item(w, "orcpt", f->original_recipient, SX_ADDR_MAX, 0);
    if (f->replycode) {
	if (f->replycode > 0 && f->replycode <= 999) {
	    /* "%03d" without the cost of printf. */
	    num[0] = (char) ('0' + f->replycode / 100);
	    num[1] = (char) ('0' + f->replycode / 10 % 10);
	    num[2] = (char) ('0' + f->replycode % 10);
	    num[3] = 0;
	    sx_w_item(w, "code", num, 8, SX_W_SAFE);
	} else if (!trusted) {
	    snprintf(num, sizeof(num), "%03d", f->replycode);
	    sx_w_item(w, "code", num, 8, SX_W_SAFE);
	}
    }
    if (f->status[0] && (!trusted || sx_status_ok(f->status)))
	sx_w_item(w, "status", f->status, SX_STATUS_MAX, 0);
    sx_w_item(w, "class", sx_class_name(ex->class), 32, SX_W_SAFE);
    sx_w_item(w, "reason", ex->reason, 32, SX_W_SAFE);
    sx_w_item(w, "who", sx_who_name(ex->who), 32, SX_W_SAFE);
    sx_w_item(w, "retry", sx_retry_name(ex->retry), 32, SX_W_SAFE);
    if (ex->vendor_name[0] && (!trusted || sx_trusted(ex->vendor_name, 1)))
	sx_w_item(w, "vendor", ex->vendor_name, 32, 0);
    if (f->remote_mta[0] && (!trusted || sx_trusted(f->remote_mta, 1)))
	sx_w_item(w, "remote-mta", f->remote_mta, 128, 0);
    /* A date has spaces and commas: never in the trusted header. */
    until = ex->retry_until ? ex->retry_until : f->retry_until;
    if (until[0] && !trusted)
	sx_w_item(w, "retry-until", until, 64, 0);
    if (f->flags & SX_FINDING_CLASS_MISMATCH)
	sx_w_item(w, "mismatch", "yes", 8, 0);
    if (opts && opts->cut)
	sx_w_item(w, "cut", sx_cut_name(opts->cut), 8, SX_W_SAFE);
    if (opts && opts->lang && sx_trusted(opts->lang, 0))
	sx_w_item(w, "lang", opts->lang, 8, SX_W_SAFE);
}

/* sx_render_start - a writer for the value of header name */

static void sx_render_start(struct sx_writer *w, const struct sx_render_opts *opts,
			            const char *name, char *buf, size_t size)
{
    const char *fold = opts && opts->fold ? opts->fold : "\n\t";

    memset(w, 0, sizeof(*w));
    w->buf = buf;
    w->size = size;
    w->fold = fold;
    w->eol_len = strspn(fold, "\r\n");
    w->col = strlen(name) + 2;
    w->line = w->col;
    buf[0] = 0;
}

int     sx_render_header(const struct sx_render_opts *opts,
			         const struct sx_finding *f,
			         const struct sx_explanation *ex,
			         size_t index, size_t total, char *buf, size_t size)
{
    struct sx_writer w;
    size_t  diag_max = opts && opts->diag_max ? opts->diag_max : 200;
    size_t  mark;

    if (size == 0)
	return (SX_ERR_LIMIT);
    sx_render_start(&w, opts, SX_HEADER_NAME, buf, size);
    sx_render_items(&w, opts, f, ex, index, total, 0);
    if (w.full) {
	/* Not even the structured part fits. */
	buf[0] = 0;
	return (SX_ERR_LIMIT);
    }
    mark = w.len;
    sx_w_item(&w, "title", ex->title, 120, SX_W_SAFE);
    if (!opts || opts->with_text) {
	sx_w_item(&w, "meaning", ex->text, 600, SX_W_SAFE);
	sx_w_item(&w, "advice", ex->action, 600, SX_W_SAFE);
	if (ex->action_admin && ex->action_admin[0])
	    sx_w_item(&w, "advice-admin", ex->action_admin, 600, SX_W_SAFE);
    }
    {
	char    url[512];

	/* Ours (the registry's ref, the admin's template): cleaned all the same. */
	if (sx_explain_url(ex, f, opts ? opts->help_url : 0, url, sizeof(url)) > 0)
	    sx_w_item(&w, "url", url, sizeof(url), 0);
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

int     sx_render_result(const struct sx_render_opts *opts,
			         const struct sx_finding *f,
			         const struct sx_explanation *ex,
			         size_t index, size_t total, char *buf, size_t size)
{
    struct sx_writer w;

    if (size == 0)
	return (SX_ERR_LIMIT);
    sx_render_start(&w, opts, SX_RESULT_NAME, buf, size);
    sx_render_items(&w, opts, f, ex, index, total, 1);
    if (w.full) {
	buf[0] = 0;
	return (SX_ERR_LIMIT);
    }
    return ((int) w.len);
}
