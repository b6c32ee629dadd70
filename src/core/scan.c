/*
 * NAME
 *	scan 3
 * SUMMARY
 *	helpers used by the bounce-shape recognisers
 * DESCRIPTION
 *	See scan.h. The block reader, sx_scan_blocks(), serves most
 *	non-standard bounces: they list each failed recipient on a line of
 *	its own, followed by the reply or an explanation, up to the next
 *	recipient or the copy of the original message. The inline reader,
 *	sx_scan_inline(), serves those that name the recipient inside a
 *	sentence and explain below it.
 *
 *	Every helper is one pass over a bounded range; none allocates.
 */
#include <assert.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/reply.h>
#include <smtp-explain/text.h>

#include "address.h"
#include "match.h"
#include "mime.h"
#include "named.h"
#include "scan.h"
#include "snapshot.h"

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

const char *sx_scan_search(const struct sx_scan *s, const char *hay, size_t len,
			           const char *needle)
{
    const char *at;

    if (sx_scan_spent(s))
	return (0);
    /* What the search looked at: up to the end of what it found. */
    at = sx_text_find(hay, len, needle);
    (void) sx_scan_charge(s, at ? (size_t) (at - hay) + strlen(needle) : len);
    return (at);
}

const char *sx_scan_find(const struct sx_scan *s, const char *needle)
{
    return (sx_scan_search(s, s->text, s->cut, needle));
}

/*
 * Line walks charge each line they read. Once the budget is spent the
 * line is empty and the next one is past the end: every walk stops.
 */
const char *sx_scan_line_end(const struct sx_scan *s, const char *p)
{
    const char *end = s->text + s->len;
    const char *eol;

    if (sx_scan_spent(s))
	return (p);
    eol = memchr(p, '\n', (size_t) (end - p));
    if (eol == 0)
	eol = end;
    (void) sx_scan_charge(s, (size_t) (eol - p) + 1);
    return (eol);
}

const char *sx_scan_next_line(const struct sx_scan *s, const char *p)
{
    const char *eol = sx_scan_line_end(s, p);

    if (sx_scan_spent(s))
	return (s->text + s->len);
    return (eol < s->text + s->len ? eol + 1 : eol);
}

/* sx_scan_line_code - a reply that starts a line of the text */

#define SX_LINE_CODE_TRIES	16
#define SX_LINE_CODE_SPAN	8192

static void sx_scan_line_code(const char *text, size_t len, struct sx_reply *rep)
{
    const char *p = text, *end = text + len;
    struct sx_reply r;
    int     tries = 0;

    /*
     * A few candidates, each read up to a bounded span: a hostile text
     * of lines that look like replies must not make each read the rest.
     */
    while (p < end && tries < SX_LINE_CODE_TRIES) {
	const char *eol = memchr(p, '\n', (size_t) (end - p)), *q = p;

	if (eol == 0)
	    eol = end;
	while (q < eol && (*q == ' ' || *q == '\t' || *q == '<'))
	    q++;
	if (eol - q > 4 && (q[0] == '4' || q[0] == '5')
	    && (q[3] == ' ' || q[3] == '-') && ++tries
	    && sx_reply_parse(q, (size_t) (end - q) < SX_LINE_CODE_SPAN
			      ? (size_t) (end - q) : SX_LINE_CODE_SPAN, &r)
	    && r.replycode
	    && r.replycode / 100 == q[0] - '0') {
	    rep->replycode = r.replycode;
	    if (rep->status[0] == 0)
		memcpy(rep->status, r.status, sizeof(rep->status));
	    return;
	}
	p = eol + 1;
    }
}

void    sx_scan_finding(const struct sx_scan *s, struct sx_finding *f,
			        const char *rcpt, const char *diag, size_t dlen,
			        const char *engine)
{
    struct sx_scan_memo *mm = s->memo;
    const struct sx_reply *rep = &mm->rep;

    memset(f, 0, sizeof(*f));
    f->kind = SX_KIND_BOUNCE;
    f->action = SX_ACTION_FAILED;
    sx_text_clean(f->recipient, sizeof(f->recipient), rcpt, strlen(rcpt));
    /*
     * Recipients of one list share their reply: it is read once. Only
     * a reply in the text itself is kept (a caller's buffer may change).
     */
    if (mm->diag != diag || mm->dlen != dlen || diag < s->text
	|| diag > s->text + s->len) {
	sx_reply_parse(diag, dlen, &mm->rep);
	if (mm->rep.replycode == 0)
	    sx_scan_line_code(diag, dlen, &mm->rep);
	sx_text_clean(mm->clean, sizeof(mm->clean), diag, dlen);
	(void) sx_scan_charge(s, dlen);
	mm->diag = diag >= s->text && diag <= s->text + s->len ? diag : 0;
	mm->dlen = dlen;
    }
    f->replycode = rep->replycode;
    memcpy(f->status, rep->status, sizeof(f->status));
    memcpy(f->command, rep->command, sizeof(f->command));
    f->flags = rep->flags;
    memcpy(f->diagnostic, mm->clean, sizeof(f->diagnostic));
    if (dlen >= sizeof(f->diagnostic))
	f->flags |= SX_FINDING_TRUNCATED;
    sx_text_copy(f->engine, sizeof(f->engine), engine, strlen(engine));
    sx_text_copy(f->reporting_mta, sizeof(f->reporting_mta),
		 s->msg->reporting_mta, strlen(s->msg->reporting_mta));
}

/*
 * The bytes that end an address on a recipient line (and NUL, which
 * strchr() would have matched too): a table, since every line of every
 * list is tried.
 */
static const unsigned char sx_addr_stop[256] = {
    [0] = 1, [' '] = 1, ['\t'] = 1, ['<'] = 1, ['>'] = 1, ['"'] = 1,
    ['\''] = 1, [':'] = 1, [';'] = 1, [','] = 1, ['('] = 1, [')'] = 1,
    ['['] = 1, [']'] = 1,
};

/*
 * sx_scan_usable - an address read from the text as the sender wrote
 * it (an IMCEA encapsulation decoded, address.h), in place; unchanged
 * when nothing usable is inside.
 */
void    sx_scan_usable(char *addr, size_t size)
{
    char    out[SX_ADDR_MAX];

    if (strncasecmp(addr, "imcea", 5) == 0
	&& sx_addr_usable(addr, strlen(addr), out, sizeof(out)) != SX_ADDR_NONE)
	sx_text_copy(addr, size, out, strlen(out));
}

/* sx_scan_addr_at - if line [p, eol) is a recipient line, its address */

size_t  sx_scan_addr_at(const char *p, const char *eol, char *out, size_t size)
{
    const char *a, *e, *at, *p0 = p;

    /* List marks before the address: "* ", "- ", ">>> ". */
    while (p < eol && (*p == ' ' || *p == '\t' || *p == '*' || *p == '-'
		       || *p == '>'))
	p++;
    a = p;
    if (a < eol && (*a == '<' || *a == '"' || *a == '\''))
	a++;
    for (e = a; e < eol && !sx_addr_stop[(unsigned char) *e]; e++)
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
    sx_scan_usable(out, size);
    return ((size_t) (e - p0) + (a > p ? 1 : 0));
}

/*
 * Phrase sets: an automaton over the needles (match.c). The fixed sets
 * are compiled at build time (snapshot.h); this builds one at run time
 * (the generator, the tests). Without memory for the automaton the
 * needles are looked for one by one, which is slower but as linear
 * (the lists are short and fixed).
 */
void    sx_phrases_init(struct sx_phrases *ph, const char *const *needles,
			        size_t n)
{
    ph->needles = needles;
    ph->n = n;
    ph->m = sx_match_new(needles, n);
}

const char *sx_phrases_first(const struct sx_phrases *ph, const char *hay,
			             size_t len, size_t *which)
{
    const char *best = 0, *p;
    size_t  k;

    if (ph->m)
	return (sx_match_first(ph->m, hay, len, which));
    for (k = 0; k < ph->n; k++)
	if ((p = sx_text_find(hay, len, ph->needles[k])) != 0
	    && (best == 0 || p < best)) {
	    best = p;
	    if (which)
		*which = k;
	}
    return (best);
}

/* sx_scan_end - where the bounce's own words end */

const char *sx_scan_end(const struct sx_scan *s)
{
    return (s->end ? s->end : sx_scan_end_find(s));
}

/*
 * Where the returned original starts (cut), and where the bounce's own
 * words end (end, the start of the line that introduces a copy of the
 * original). Both lists are searched in one pass: the first mark found
 * decides, and only an end mark needs a second look for the cut.
 */
static const char *const sx_marks[] = {
    /* cut: the copy of the original begins here */
    "below this line is a copy of the message",
    "this is a copy of the message",
    "original message follows",
    "original message headers",
    "----- original message -----",
    "------ this is a copy of the message",
    "included is a copy of the message header",
    "the header of the original message",
    "--- the header of the original message is following",
    "unsent message below",
    "----- transcript of session follows -----\n\n",
    /* end: copies of the original that the cut marks do not know */
    "below is a copy of the original message",
    "message headers follow",
    "unsent message follows",
    "--original message",
    "- original message -",
    "original message header",
    "the original message headers are included",
    "------ original message headers",
    "--- the header of the original message",
    "---returned message---",
    "------- returned message --------",
};

#define SX_CUT_MARKS 11
#define SX_ALL_MARKS (sizeof(sx_marks) / sizeof(sx_marks[0]))

/* Compiled at build time (snapshot.h): sx_sets[SX_SET_MARKS] ... */
const struct sx_set_src sx_src_marks = {
    .name = "marks", .needles = sx_marks, .n = SX_ALL_MARKS,
};
const struct sx_set_src sx_src_marks_cut = {
    .name = "cut marks", .needles = sx_marks, .n = SX_CUT_MARKS,
};
const struct sx_set_src sx_src_marks_end = {
    .name = "end marks", .needles = sx_marks + SX_CUT_MARKS,
    .n = SX_ALL_MARKS - SX_CUT_MARKS,
};

static const char *sx_line_start(const struct sx_scan *s, const char *p)
{
    while (p > s->text && p[-1] != '\n')
	p--;
    return (p);
}

void    sx_scan_limits(struct sx_scan *s)
{
    size_t  which = 0;
    const char *p, *c;

    (void) sx_scan_charge(s, s->len);
    if ((p = sx_phrases_first(sx_sets + SX_SET_MARKS, s->text, s->len, &which)) == 0) {
	s->cut = s->len;
	s->end = s->text + s->len;
	return;
    }
    if (which < SX_CUT_MARKS) {
	s->cut = (size_t) (p - s->text);
	s->end = s->text + s->cut;
	return;
    }
    s->end = sx_line_start(s, p);
    c = sx_phrases_first(sx_sets + SX_SET_MARKS_CUT, p, s->len - (size_t) (p - s->text), 0);
    s->cut = c ? (size_t) (c - s->text) : s->len;
}

const char *sx_scan_end_find(const struct sx_scan *s)
{
    const char *p;

    (void) sx_scan_charge(s, s->cut);
    p = sx_phrases_first(sx_sets + SX_SET_MARKS_END, s->text, s->cut, 0);
    return (p ? sx_line_start(s, p) : s->text + s->cut);
}

/* sx_scan_has_field - does a field of this name start a line of the block? */

int     sx_scan_has_field(const char *h, size_t len, const char *name)
{
    const char *p = h, *end = h + len;
    size_t  n = strlen(name);

    while (p && p < end) {
	if ((size_t) (end - p) > n && p[n] == ':' && strncasecmp(p, name, n) == 0)
	    return (1);
	if ((p = memchr(p, '\n', (size_t) (end - p))) != 0)
	    p++;
    }
    return (0);
}

/*
 * sx_reply_subject - "Re: ...", "Fwd: ...", "AW: ...": a person answers
 * or passes on a message; its subject may well quote a bounce's.
 */
static int sx_reply_subject(const char *subject)
{
    static const char *const prefixes[] = {
	"re", "fw", "fwd", "aw", "wg", "sv", "vs", "tr", "antw", "rif", "odp",
	"res", "enc", "rv", 0,
    };
    const char *p = subject, *w;
    const char *const *pp;

    while (*p == ' ' || *p == '\t')
	p++;
    for (w = p; isalpha((unsigned char) *w); w++)
	 /* void */ ;
    if (w == p || (*w != ':' && !(w[0] == ' ' && w[1] == ':')))
	return (0);
    for (pp = prefixes; *pp; pp++)
	if ((size_t) (w - p) == strlen(*pp) && strncasecmp(p, *pp, (size_t) (w - p)) == 0)
	    return (1);
    return (0);
}

/*
 * sx_scan_daemon_from - is from the address of a mail system
 * ("MAILER-DAEMON@...", "postmaster@...", also "MAILER-DAEMON" with no
 * domain)?
 */
int     sx_scan_daemon_from(const char *from)
{
    static const char *const daemons[] = {
	"mailer-daemon@", "postmaster@", "mail-daemon@", "maildelivery@",
	"mailerdaemon@", "mdaemon@", "post_master@", 0,
    };
    const char *const *l;

    for (l = daemons; *l; l++) {
	size_t  n = strlen(*l);

	if (strncasecmp(from, *l, n) == 0
	    || (strncasecmp(from, *l, n - 1) == 0 && from[n - 1] == 0))
	    return (1);
    }
    return (0);
}

int     sx_scan_signs(const struct sx_message *m, const char *h, size_t hlen)
{
    /* Automated senders of all kinds write under these names. */
    static const char *const automated[] = {
	"bounce", "noreply@", "no-reply@", "automailer@", "nobody@", "root@", 0,
    };
    /* Bounces from a mailbox-like sender still say so in the subject. */
    static const char *const subjects[] = {
	"undeliver", "delivery status notification", "returned mail",
	"delivery failure", "failure notice", "mail delivery failed",
	"delivery has failed", "non-delivery", "nondeliverable",
	"could not be delivered", "delivery problem", 0,
    };
    /* Complaint feedback without ARF (Microsoft's JMRP) says so. */
    static const char *const complaints[] = {
	"complaint about message from", 0,
    };
    const char *const *l;
    const char *from = m->from;

    if (m->null_sender || m->is_report || m->is_feedback || m->complained[0]
	|| sx_scan_has_field(h, hlen, "X-Failed-Recipients"))
	return (SX_SIGN_BOUNCE);
    /* Mail systems write bounces (also "MAILER-DAEMON <>", no domain). */
    if (sx_scan_daemon_from(from))
	return (SX_SIGN_BOUNCE);
    if (!sx_reply_subject(m->subject))
	for (l = subjects; *l; l++)
	    if (sx_text_find(m->subject, strlen(m->subject), *l))
		return (SX_SIGN_BOUNCE);
    for (l = complaints; *l; l++)
	if (sx_text_find(m->subject, strlen(m->subject), *l))
	    return (SX_SIGN_AUTO);
    if (m->auto_submitted || sx_autoreply_hint(h, hlen, m->subject)
	|| sx_text_find(h, hlen, "\nx-autoreply")
	|| sx_text_find(h, hlen, "\nx-autorespond"))
	return (SX_SIGN_AUTO);
    for (l = automated; *l; l++) {
	size_t  n = strlen(*l);

	if (strncasecmp(from, *l, n) == 0
	    || ((*l)[n - 1] == '@' && strncasecmp(from, *l, n - 1) == 0
		&& from[n - 1] == 0))
	    return (SX_SIGN_AUTO);
    }
    return (SX_SIGN_NONE);
}

int     sx_scan_has(const struct sx_scan *s, const char *needle)
{
    return (sx_scan_search(s, s->text, (size_t) (sx_scan_end(s) - s->text), needle) != 0);
}

/*
 * sx_scan_again - the address is named a second time ("<a@b>" in the
 * list, "<a@b>... Deferred: 421 ..." in the transcript below it): the
 * later block completes a finding that had no reply of its own.
 */
static void sx_scan_again(struct sx_finding *known, const struct sx_finding *f)
{
    if (known->replycode || known->status[0] || (f->replycode == 0 && f->status[0] == 0))
	return;
    known->replycode = f->replycode;
    memcpy(known->status, f->status, sizeof(known->status));
    memcpy(known->command, f->command, sizeof(known->command));
    memcpy(known->diagnostic, f->diagnostic, sizeof(known->diagnostic));
    known->flags = f->flags;
}

/* sx_blank - is [p, eol) an empty line? */

static int sx_blank(const char *p, const char *eol)
{
    for (; p < eol; p++)
	if (*p != ' ' && *p != '\t')
	    return (0);
    return (1);
}

/*
 * sx_exim_child - Exim's line for an address it does not print: "an
 * undisclosed address", "pipe to |prog", "save to /file"; the address
 * the sender used follows in a "generated from" or "generated by" line.
 */
static int sx_exim_child(const char *p, const char *eol)
{
    static const char *const leads[] = {
	"an undisclosed address", "pipe to |", "save to /", 0,
    };
    const char *const *l;

    while (p < eol && (*p == ' ' || *p == '\t'))
	p++;
    for (l = leads; *l; l++)
	if ((size_t) (eol - p) >= strlen(*l) && strncasecmp(p, *l, strlen(*l)) == 0)
	    return (1);
    return (0);
}

/*
 * sx_generated - the address of a "(generated from a@b)" note (else of
 * "generated by a@b") in the lines [p, end) below a recipient: the one
 * the sender used. 1 and out when there is one.
 */
static int sx_generated(const struct sx_scan *s, const char *p, const char *end,
			        char *out, size_t size)
{
    const char *g, *eol;
    char    tmp[SX_ADDR_MAX];

    if (p >= end || !sx_scan_charge(s, (size_t) (end - p)))
	return (0);
    if ((g = sx_text_find(p, (size_t) (end - p), "generated from ")) == 0
	&& (g = sx_text_find(p, (size_t) (end - p), "generated by ")) == 0)
	return (0);
    if ((eol = memchr(g, '\n', (size_t) (end - g))) == 0)
	eol = end;
    if (sx_addr_usable(g, (size_t) (eol - g), tmp, sizeof(tmp)) == SX_ADDR_NONE)
	return (0);
    sx_text_copy(out, size, tmp, strlen(tmp));
    return (1);
}

/* sx_block_end - the end of the text about one recipient */

static size_t sx_indent(const char *p, const char *eol)
{
    const char *q = p;

    while (q < eol && (*q == ' ' || *q == '\t'))
	q++;
    return ((size_t) (q - p));
}

static const char *sx_block_end(const struct sx_scan *s, const char *p,
				        const char *limit, size_t indent)
{
    char    addr[SX_ADDR_MAX];
    const char *q = p;
    int     blank = 0;

    while (q < limit) {
	const char *eol = sx_scan_line_end(s, q);

	if (eol > limit)
	    eol = limit;
	if (sx_blank(q, eol)) {
	    blank++;
	} else {
	    /* An address indented deeper belongs to the reply text. */
	    if (sx_indent(q, eol) <= indent
		&& (sx_scan_addr_at(q, eol, addr, sizeof(addr)) || sx_exim_child(q, eol)))
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

/* sx_scan_para - the explanation below a line: paragraphs up to a code */

static const char *sx_scan_para(const struct sx_scan *s, const char *p,
				        const char *limit)
{
    const char *q = p, *last = p;
    int     paras = 0, in_para = 0;
    struct sx_scan_memo *mm = s->memo;

    /* Each address of a bare list asks for the same paragraphs. */
    if (mm->para_at == p && mm->para_limit == limit)
	return (mm->para_end);

    while (q < limit && q - p < 2000) {
	const char *eol = sx_scan_line_end(s, q);

	if (eol > limit)
	    eol = limit;
	if (sx_blank(q, eol)) {
	    if (in_para) {
		/* A paragraph ends: stop once it holds a reply. */
		in_para = 0;
		if (++paras >= 3 || sx_replycode_find(p, (size_t) (last - p), 0)
		    || sx_status_find(p, (size_t) (last - p), 0, 0))
		    break;
	    }
	} else {
	    in_para = 1;
	    last = eol;
	}
	q = eol < limit ? eol + 1 : eol;
    }
    mm->para_at = p;
    mm->para_limit = limit;
    mm->para_end = last;
    return (last);
}

/* sx_list_end - past the blank lines and bare addresses that follow */

static const char *sx_list_end(const struct sx_scan *s, const char *p,
			               const char *limit)
{
    char    addr[SX_ADDR_MAX];
    struct sx_scan_memo *mm = s->memo;
    const char *from = p;

    /* From any line of a list its end is the same: walked once. */
    if (mm->list_limit == limit && p >= mm->list_from && p <= mm->list_to)
	return (mm->list_to);
    mm->list_from = from;
    mm->list_limit = limit;
    while (p < limit) {
	const char *eol = sx_scan_line_end(s, p);
	size_t  n;

	if (eol > limit)
	    eol = limit;
	if (!sx_blank(p, eol)
	    && ((n = sx_scan_addr_at(p, eol, addr, sizeof(addr))) == 0
		|| !sx_blank(p + n, eol)))
	    break;
	p = eol < limit ? eol + 1 : eol;
    }
    mm->list_to = p;
    return (p);
}

int     sx_scan_blocks_in(const struct sx_scan *s, const char *p,
			          const char *limit, const char *engine)
{
    char    addr[SX_ADDR_MAX];
    int     added = 0;

    while (p < limit) {
	const char *eol = sx_scan_line_end(s, p);
	size_t  n;

	if (eol > limit)
	    eol = limit;
	if ((n = sx_scan_addr_at(p, eol, addr, sizeof(addr))) != 0
	    || sx_exim_child(p, eol)) {
	    const char *d = p, *end, *next;
	    struct sx_finding f;

	    if (n == 0) {
		addr[0] = 0;
		n = (size_t) (eol - p);
	    }
	    /* The diagnostic starts after the address. */
	    d += n;
	    while (d < eol && strchr(">:; \t", *d))
		d++;
	    end = sx_block_end(s, eol < limit ? eol + 1 : eol, limit,
			       sx_indent(p, eol));
	    while (end > d && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	    next = end > eol ? end : sx_scan_next_line(s, p);
	    /*
	     * Exim: "(generated from a@b)" in the lines of this address
	     * names the address the sender used; an undisclosed address
	     * without it names none.
	     */
	    if (end > eol)
		(void) sx_generated(s, eol, end, addr, sizeof(addr));
	    if (end <= eol && d == eol) {
		/* A bare list of addresses: the details come after it. */
		d = sx_list_end(s, eol, limit);
		end = sx_scan_para(s, d, limit);
	    }
	    if (end > d && addr[0]) {
		struct sx_finding *known = sx_scan_known(s, addr);

		/* Named again after its reply was found: nothing to add. */
		if (known && (known->replycode || known->status[0])) {
		    p = next;
		    continue;
		}
		sx_scan_finding(s, &f, addr, d, (size_t) (end - d), engine);
		if (known)
		    sx_scan_again(known, &f);
		else if (sx_scan_add(s, &f) > 0)
		    added++;
	    }
	    p = next;
	    continue;
	}
	p = sx_scan_next_line(s, p);
    }
    return (added);
}

int     sx_scan_blocks(const struct sx_scan *s, const char *start,
		               const char *stop, const char *engine)
{
    const char *p = s->text, *limit = sx_scan_end(s);

    if (start) {
	if ((p = sx_scan_search(s, s->text, (size_t) (limit - s->text), start)) == 0)
	    return (0);
	p = sx_scan_next_line(s, p);
    }
    if (stop && p < limit) {
	const char *q = sx_scan_search(s, p, (size_t) (limit - p), stop);

	if (q)
	    limit = q;
    }
    return (sx_scan_blocks_in(s, p, limit, engine));
}

/* sx_scan_addr_in - the first address in [p, eol), anywhere on the line */

static int sx_scan_addr_in(const char *p, const char *eol, char *out, size_t size)
{
    char    line[2 * SX_ADDR_MAX];
    const char *at = memchr(p, '@', (size_t) (eol - p));

    if (at == 0)
	return (0);
    /* Around the '@' only: the line may be long. */
    if (at - p > SX_ADDR_MAX)
	p = at - SX_ADDR_MAX;
    if (eol - at > SX_ADDR_MAX)
	eol = at + SX_ADDR_MAX;
    sx_text_copy(line, sizeof(line), p, (size_t) (eol - p));
    sx_mime_addr(line, out, size);
    sx_scan_usable(out, size);
    return (strchr(out, '@') != 0 && strchr(out, '.') != 0);
}

int     sx_scan_inline(const struct sx_scan *s, const char *phrase,
		               const char *stop, const char *engine)
{
    const char *p = s->text, *limit = sx_scan_end(s);
    size_t  plen = strlen(phrase);
    int     added = 0;

    if (stop) {
	const char *q = sx_scan_search(s, s->text, (size_t) (limit - s->text), stop);

	if (q)
	    limit = q;
    }
    while (p < limit
	   && (p = sx_scan_search(s, p, (size_t) (limit - p), phrase)) != 0) {
	const char *eol = sx_scan_line_end(s, p + plen), *d, *end, *next;
	char    addr[SX_ADDR_MAX];
	struct sx_finding f;

	if (eol > limit)
	    eol = limit;
	/* The address may wrap to the next line. */
	if (!sx_scan_addr_in(p + plen, eol, addr, sizeof(addr))) {
	    const char *nl = eol < limit ? eol + 1 : eol;
	    const char *neol = sx_scan_line_end(s, nl);

	    if (neol > limit || !sx_scan_addr_in(nl, neol, addr, sizeof(addr))) {
		p += plen;
		continue;
	    }
	    eol = neol;
	}
	/* The explanation ends where the next recipient starts. */
	next = sx_scan_search(s, eol, (size_t) (limit - eol), phrase);
	end = sx_scan_para(s, eol < limit ? eol + 1 : eol, next ? next : limit);
	/* The reply may follow the address on its own line. */
	d = p + plen;
	if (!sx_scan_known(s, addr)) {
	    sx_scan_finding(s, &f, addr, d, end > d ? (size_t) (end - d) : 0, engine);
	    if (sx_scan_add(s, &f) > 0)
		added++;
	}
	p = next ? next : limit;
    }
    return (added);
}

/* sx_class_ok - does reply code fit the finding's status class? */

static int sx_class_ok(const struct sx_finding *f, int code)
{
    return (f->status[0] == 0 || f->status[0] == '0' + code / 100);
}

/*
 * The reply on each line that names a recipient, read once whatever
 * the number of recipients it names (state 0: not read yet).
 */
struct sx_line_memo {
    int     state;			/* 0 unread, 1 a reply, -1 none */
    int     replycode;
    char    status[SX_STATUS_MAX];
};

/* sx_complete_code - a reply code that only the transcript holds */

static void sx_complete_code(const struct sx_scan *s, const struct sx_named *nx,
			             struct sx_line_memo *memo, size_t i,
			             const char *end, int alone)
{
    struct sx_finding *f = sx_scan_finding_rw(s, i);
    const char *p, *t;
    struct sx_reply rep;
    size_t  rlen = strlen(f->recipient), from = 0;
    long    k;

    /* Each line that names the address, once: it may quote a reply. */
    for (k = nx && rlen ? sx_named_first(nx, i) : -1; k >= 0;
	 k = sx_named_occ(nx, k)->next) {
	const struct sx_occ *o = sx_named_occ(nx, k);
	struct sx_line_memo *lm = memo + o->line;

	if (o->start < from)
	    continue;
	if (o->start + rlen > (size_t) (end - s->text))
	    break;
	from = o->eol;
	if (!sx_scan_charge(s, 1))
	    return;
	if (lm->state == 0) {
	    (void) sx_scan_charge(s, o->eol - o->bol);
	    lm->state = -1;
	    if (sx_reply_parse(s->text + o->bol, o->eol - o->bol, &rep) && rep.replycode) {
		lm->state = 1;
		lm->replycode = rep.replycode;
		memcpy(lm->status, rep.status, sizeof(lm->status));
	    }
	}
	if (lm->state > 0 && sx_class_ok(f, lm->replycode)) {
	    if (f->replycode == 0)
		f->replycode = lm->replycode;
	    /* The remote's own code beats a summary "5.0.0". */
	    if (lm->status[0] && (f->status[0] == 0 || sx_status_summary(f->status))
		&& lm->status[0] == '0' + lm->replycode / 100)
		memcpy(f->status, lm->status, sizeof(f->status));
	    return;
	}
    }
    /* One recipient: the last reply of its session transcript. */
    if (!alone || f->replycode || (t = sx_scan_search(s, s->text, (size_t) (end - s->text),
				     "transcript of session follows")) == 0)
	return;
    for (p = sx_scan_next_line(s, t); p < end; p = sx_scan_next_line(s, p)) {
	const char *eol = sx_scan_line_end(s, p), *q = p;

	if (eol - p >= 4 && strncmp(p, "<<< ", 4) == 0)
	    q = p + 4;
	if (eol - q >= 3 && sx_reply_parse(q, (size_t) (eol - q), &rep)
	    && rep.replycode && q[0] == '0' + rep.replycode / 100
	    && sx_class_ok(f, rep.replycode)) {
	    f->replycode = rep.replycode;
	    return;
	}
	if (eol == p)
	    break;
    }
}

/* sx_expired - status x.4.7: the sender gave up; the cause lies behind */

static int sx_expired(const char *st)
{
    return (st[0] && strcmp(st + 1, ".4.7") == 0);
}

/* sx_complete_cause - the reply behind an "expired" status */

static void sx_complete_cause(const struct sx_scan *s, const struct sx_named *nx,
			              size_t i, const char *end)
{
    struct sx_finding *f = sx_scan_finding_rw(s, i);
    const char *d = f->diagnostic, *p;
    long    k;
    size_t  at, len = strlen(d), off = 0;
    char    st[SX_STATUS_MAX];

    /* In the diagnostic: a second reply after the first code. */
    while (off < len && sx_status_find(d + off, len - off, st, &at)) {
	if (!sx_expired(st) && st[0] != '2') {
	    size_t  b = off + at;

	    memcpy(f->status, st, sizeof(f->status));
	    if (b >= 4 && d[b - 1] == ' ' && isdigit((unsigned char) d[b - 4])) {
		struct sx_reply rep;

		if (sx_reply_parse(d + b - 4, len - b + 4, &rep) && rep.replycode)
		    f->replycode = rep.replycode;
	    }
	    return;
	}
	off += at + 1;
    }
    /* In the human text: the attempts listed after the recipient. */
    if (f->recipient[0] == 0 || nx == 0 || (k = sx_named_first(nx, i)) < 0
	|| sx_named_occ(nx, k)->start + strlen(f->recipient) > (size_t) (end - s->text))
	return;
    p = s->text + sx_named_occ(nx, k)->start;
    len = (size_t) (end - p) < 2000 ? (size_t) (end - p) : 2000;
    off = 0;
    while (off < len && sx_status_find(p + off, len - off, st, &at)) {
	if (!sx_expired(st) && st[0] == f->status[0]) {
	    memcpy(f->status, st, sizeof(f->status));
	    return;
	}
	off += at + 1;
    }
}

/*
 * sx_block_at - the line that holds at and the lines after it, up to
 * a blank line (at most 200 bytes back, 800 on).
 */
static const char *sx_block_at(const char *text, size_t len, const char *at,
			               const char **endp)
{
    const char *start, *end;

    for (start = at; start > text && start[-1] != '\n' && at - start < 200; start--)
	 /* void */ ;
    for (end = at; (size_t) (end - text) < len && end - at < 800; end++)
	if (*end == '\n' && (size_t) (end + 1 - text) < len && end[1] == '\n')
	    break;
    *endp = end;
    return (start);
}

/*
 * sx_block_stop - a block ends before the next line that opens with
 * another recipient of the report: reports that write one line per
 * recipient ("a@b: 550 ...", OpenSMTPD) have no blank line between
 * them. Occurrences are numbered in text order: a few steps on.
 */
static const char *sx_block_stop(const struct sx_scan *s, const struct sx_named *nx,
				         long k, const char *end)
{
    const struct sx_occ *o = sx_named_occ(nx, k), *q;
    const char *p;
    size_t  n = sx_named_count(nx);
    long    j;

    for (j = k + 1; (size_t) j < n && j - k <= 64; j++) {
	q = sx_named_occ(nx, j);
	if (s->text + q->bol >= end)
	    break;
	if (q->bol == o->bol || q->addr == o->addr)
	    continue;
	for (p = s->text + q->bol; p < s->text + q->start
	     && (*p == ' ' || *p == '\t' || *p == '<' || *p == '*' || *p == '-'); p++)
	     /* void */ ;
	if (p == s->text + q->start)
	    return (s->text + q->bol);
    }
    return (end);
}

/* sx_fill_from_text - DSN recipients whose report gave no reply text */

static void sx_fill_from_text(const struct sx_scan *s)
{
    const struct sx_named *nx = 0;
    const char *text = s->text;
    size_t  i, rlen, len = s->cut;
    int     tries;

    for (i = 0; i < sx_scan_count(s); i++) {
	struct sx_finding *f = sx_scan_finding_rw(s, i);
	const char *start, *end;
	size_t  from = 0;
	long    k;
	struct sx_reply rep;

	if ((f->replycode && f->diagnostic[0] && f->command[0]) || f->recipient[0] == 0)
	    continue;
	if (nx == 0 && (nx = sx_scan_named(s)) == 0)
	    return;
	rlen = strlen(f->recipient);

	/*
	 * The first block that names the address and quotes a reply; a
	 * list of addresses often comes before the transcript.
	 */
	for (tries = 0, k = sx_named_first(nx, i); tries < 4 && k >= 0;
	     k = sx_named_occ(nx, k)->next) {
	    const char *at = text + sx_named_occ(nx, k)->start;

	    if ((size_t) (at - text) < from)
		continue;			/* inside the last one */
	    if (!sx_scan_charge(s, 1000))
		return;
	    tries++;
	    from = (size_t) (at - text) + rlen;
	    start = sx_block_at(text, len, at, &end);
	    end = sx_block_stop(s, nx, k, end);
	    if (!sx_reply_parse(start, (size_t) (end - start), &rep)) {
		/*
		 * No code, but words about this recipient ("pipe to
		 * |prog", "mailbox is full: retry timeout exceeded"):
		 * they are the only diagnostic there is.
		 */
		if (f->diagnostic[0] == 0 && (size_t) (end - start) > rlen + 16)
		    sx_text_clean(f->diagnostic, sizeof(f->diagnostic), start,
				  (size_t) (end - start));
		continue;
	    }
	    /* The human part often says which command the reply answered. */
	    if (f->command[0] == 0)
		memcpy(f->command, rep.command, sizeof(f->command));
	    if (f->replycode == 0 && rep.replycode
		&& (f->status[0] == 0 || f->status[0] == '0' + rep.replycode / 100))
		f->replycode = rep.replycode;
	    /*
	     * The remote's enhanced code beats a summary "4.0.0" of the
	     * same class (Courier's delay notices write only that in
	     * their fields, and the reply in the text).
	     */
	    if (rep.status[0] && (f->status[0] == 0
		    || (sx_status_summary(f->status) && rep.status[0] == f->status[0]
			&& rep.replycode / 100 == rep.status[0] - '0'
			&& (f->replycode == 0 || f->replycode == rep.replycode))))
		memcpy(f->status, rep.status, sizeof(f->status));
	    if (f->diagnostic[0] == 0)
		sx_text_clean(f->diagnostic, sizeof(f->diagnostic), start,
			      (size_t) (end - start));
	    break;
	}
    }
}

/* sx_has_sent - does the text quote a command sent (">>> ")? */

static int sx_has_sent(const char *text, size_t len)
{
    const char *p = text, *end = text + len;

    /* '>' is rare outside such lines: look for it first. */
    while (end - p >= 4 && (p = memchr(p, '>', (size_t) (end - p - 3))) != 0) {
	if (memcmp(p, ">>> ", 4) == 0)
	    return (1);
	p++;
    }
    return (0);
}

/*
 * sx_fill_command - the command a transcript shows each reply answered,
 * for findings whose own text does not say.
 */
static void sx_fill_command(const struct sx_scan *s)
{
    const struct sx_named *nx;
    size_t  n = sx_scan_count(s);
    const char **replies;
    char    (*cmd)[16];
    size_t  i, k;

    if (!sx_scan_charge(s, 2 * s->cut) || !sx_has_sent(s->text, s->cut)
	|| (nx = sx_scan_named(s)) == 0)
	return;
    replies = malloc(n * sizeof(*replies));
    cmd = malloc(n * sizeof(*cmd));
    if (replies == 0 || cmd == 0) {
	free(replies);
	free(cmd);
	sx_scan_nomem(s);
	return;
    }
    for (i = 0; i < n; i++) {
	const char *d = sx_scan_finding_rw(s, i)->diagnostic;

	memcpy(cmd[i], sx_scan_finding_rw(s, i)->command, sizeof(cmd[i]));
	/* The reply as quoted: without a "smtp;" type prefix. */
	for (k = 0; k < 24 && d[k] && d[k] != ';' && d[k] != ' '; k++)
	     /* void */ ;
	if (d[k] == ';')
	    for (d += k + 1; *d == ' '; d++)
		 /* void */ ;
	replies[i] = d;
    }
    sx_reply_transcripts(s->text, s->cut, nx, n, replies, cmd);
    for (i = 0; i < n; i++)
	memcpy(sx_scan_finding_rw(s, i)->command, cmd[i], sizeof(cmd[i]));
    free(replies);
    free(cmd);
}

/*
 * sx_fill_recipients - findings whose recipient is no usable address
 * (an X.400 address without an RFC-822 element, an internal alias):
 * when X-Failed-Recipients names as many addresses that no finding has,
 * they are those recipients, in order.
 */
#define SX_XFR_MAX	16

static void sx_fill_recipients(const struct sx_scan *s)
{
    char    value[2048], out[SX_ADDR_MAX];
    char    list[SX_XFR_MAX][SX_ADDR_MAX];
    size_t  bad[SX_XFR_MAX];
    size_t  i, n = sx_scan_count(s), nbad = 0, nlist = 0;
    const char *p, *comma;

    for (i = 0; i < n; i++) {
	struct sx_finding *f = sx_scan_finding_rw(s, i);

	if (f->recipient[0] == 0 || f->kind == SX_KIND_AUTOREPLY
	    || f->kind == SX_KIND_FEEDBACK
	    || sx_addr_usable(f->recipient, strlen(f->recipient), out,
			      sizeof(out)) != SX_ADDR_NONE)
	    continue;
	if (nbad == SX_XFR_MAX)
	    return;
	bad[nbad++] = i;
    }
    (void) sx_scan_charge(s, s->hlen);
    if (nbad == 0 || !sx_scan_header(s, "X-Failed-Recipients", value, sizeof(value)))
	return;
    for (p = value; *p; p = *comma ? comma + 1 : comma) {
	if ((comma = strchr(p, ',')) == 0)
	    comma = p + strlen(p);
	if (sx_addr_usable(p, (size_t) (comma - p), out, sizeof(out)) == SX_ADDR_NONE
	    || sx_scan_known(s, out))
	    continue;
	if (nlist == SX_XFR_MAX)
	    return;
	sx_text_copy(list[nlist++], sizeof(list[0]), out, strlen(out));
    }
    if (nlist != nbad)
	return;
    for (i = 0; i < nbad; i++) {
	struct sx_finding *f = sx_scan_finding_rw(s, bad[i]);

	if (f->original_recipient[0] == 0)
	    memcpy(f->original_recipient, f->recipient, sizeof(f->original_recipient));
	sx_text_copy(f->recipient, sizeof(f->recipient), list[i], strlen(list[i]));
    }
}

/* sx_scan_complete - the one completion pass, after recogniser rc fired */

/*
 * sx_session_reply - the one failing reply of a session transcript:
 * the run of "<<< " lines that ends with "<<< NNN " (a 4xx or 5xx), and
 * the ">>> " command before it. Found only when the text up to cut holds
 * exactly one such reply: with more, which recipient each answered is
 * for the transcript reader to say. One pass over the lines.
 */
static int sx_session_reply(const struct sx_scan *s, const char **rp, size_t *rlen,
			            char *cmd, size_t csize)
{
    const char *p = s->text, *end = s->text + s->cut, *eol, *run = 0;
    const char *sent = 0, *found_sent = 0;
    int     count = 0;

    (void) sx_scan_charge(s, s->cut);
    for (; p < end; p = eol < end ? eol + 1 : end) {
	if ((eol = memchr(p, '\n', (size_t) (end - p))) == 0)
	    eol = end;
	if (eol - p >= 8 && memcmp(p, ">>> ", 4) == 0) {
	    sent = p + 4;
	    run = 0;
	    continue;
	}
	if (eol - p < 8 || memcmp(p, "<<< ", 4) != 0) {
	    run = 0;
	    continue;
	}
	if (run == 0)
	    run = p;
	if ((p[4] == '4' || p[4] == '5') && p[5] >= '0' && p[5] <= '9'
	    && p[6] >= '0' && p[6] <= '9' && p[7] == ' ') {
	    if (++count > 1)
		return (0);
	    *rp = run;
	    *rlen = (size_t) (eol - run);
	    found_sent = sent;
	    run = 0;
	}
    }
    if (count != 1)
	return (0);
    cmd[0] = 0;
    if (found_sent) {
	size_t  k;

	for (k = 0; k + 1 < csize && found_sent[k] >= 'A' && found_sent[k] <= 'Z'; k++)
	    cmd[k] = found_sent[k];
	cmd[k] = 0;
	if (strcmp(cmd, "RCPT") != 0 && strcmp(cmd, "MAIL") != 0
	    && strcmp(cmd, "DATA") != 0)
	    cmd[0] = 0;
    }
    return (1);
}

/*
 * sx_fill_session - DSN findings with no diagnostic at all, when the
 * report's transcript holds a single failing reply (sendmail writes the
 * remote's reply to DATA there only, and a status of its own, 5.5.0):
 * that reply is theirs, and its enhanced code, of the same class, says
 * more than a status "c.0.0" or "c.5.0".
 */
static void sx_fill_session(const struct sx_scan *s)
{
    const char *r = 0;
    size_t  i, rlen = 0;
    char    cmd[16];
    struct sx_reply rep;
    int     have = -1;

    for (i = 0; i < sx_scan_count(s); i++) {
	struct sx_finding *f = sx_scan_finding_rw(s, i);

	if (f->kind != SX_KIND_DSN || f->diagnostic[0] || f->action == SX_ACTION_DELIVERED)
	    continue;
	if (have < 0)
	    have = sx_session_reply(s, &r, &rlen, cmd, sizeof(cmd))
		&& sx_reply_parse(r, rlen, &rep) && rep.replycode;
	if (!have)
	    return;
	if (f->status[0] && f->status[0] != '0' + rep.replycode / 100)
	    continue;
	sx_text_clean(f->diagnostic, sizeof(f->diagnostic), r, rlen);
	if (f->replycode == 0 || f->replycode / 100 == rep.replycode / 100)
	    f->replycode = rep.replycode;
	if (rep.status[0] && rep.status[0] == f->status[0]
	    && (sx_status_summary(f->status) || strcmp(f->status + 1, ".5.0") == 0))
	    memcpy(f->status, rep.status, sizeof(f->status));
	if (f->command[0] == 0 && cmd[0])
	    memcpy(f->command, cmd, sizeof(f->command));
    }
}

/*
 * sx_fill_expired - OpenSMTPD (6.x) reports an envelope that reached its
 * expiry time as a delay notice: Action delayed, Status 4.4.7, the
 * recipient's line "a@b: Envelope expired" (its scheduler's words when
 * it gives up). The message is gone: the action is failed.
 */
static void sx_fill_expired(const struct sx_scan *s)
{
    size_t  i;

    for (i = 0; i < sx_scan_count(s); i++) {
	struct sx_finding *f = sx_scan_finding_rw(s, i);

	if (f->kind == SX_KIND_DSN && f->action == SX_ACTION_DELAYED
	    && strcmp(f->status + 1, ".4.7") == 0
	    && sx_text_find(f->diagnostic, strlen(f->diagnostic), "envelope expired"))
	    f->action = SX_ACTION_FAILED;
    }
}

void    sx_scan_complete(const struct sx_scan *s, const struct sx_recogniser *rc)
{
    const char *end = sx_scan_end(s);
    size_t  i, n;
    const struct sx_named *nx = 0;
    struct sx_line_memo *memo = 0;
    int     indexed = 0;

    sx_fill_recipients(s);
    if (rc->flags & SX_RC_FILL_TEXT)
	sx_fill_from_text(s);
    /* Findings read from delivery-status fields: what they left out. */
    for (i = 0, n = sx_scan_count(s); i < n; i++) {
	struct sx_finding *f = sx_scan_finding_rw(s, i);
	int     cause = sx_expired(f->status);
	int     code = (f->replycode == 0 || sx_status_summary(f->status))
	    && f->action != SX_ACTION_DELIVERED;

	if (f->kind != SX_KIND_DSN || (!cause && !code))
	    continue;
	if (!indexed) {
	    indexed = 1;
	    if ((nx = sx_scan_named(s)) != 0
		&& (memo = calloc(sx_named_lines(nx) + 1, sizeof(*memo))) == 0)
		nx = 0;
	}
	if (cause)
	    sx_complete_cause(s, nx, i, end);
	/* The cause may have given a code: ask again. */
	if ((f->replycode == 0 || sx_status_summary(f->status))
	    && f->action != SX_ACTION_DELIVERED)
	    sx_complete_code(s, nx, memo, i, end, n == 1);
    }
    free(memo);
    sx_fill_session(s);
    sx_fill_command(s);
    sx_fill_expired(s);
}
