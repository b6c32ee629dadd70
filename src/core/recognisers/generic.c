/*
 * NAME
 *	generic 3
 * SUMMARY
 *	last-resort readers: bounces with no phrase of their own
 * DESCRIPTION
 *	When no recogniser knows a report's words, three readers still
 *	find what most bounces write, each a little more guessing than
 *	the one before:
 *
 *	sx_read_generic: an address on a line of its own followed by its
 *	reply; sx_read_labelled: a failure label before an address
 *	("Unknown user: a@b.example"). Both need a message that presents
 *	itself as a bounce (SX_NEED_BOUNCE in the table of recognisers): a
 *	newsletter from no-reply@ lists addresses too; and never read a
 *	list post (List-Id, List-Post without a null sender), which may
 *	quote a bounce under a bounce-like Subject.
 *
 *	sx_read_lastresort: any address in the report's own words that
 *	stands next to a reply code (550, 5.1.1) or to failure words
 *	(user unknown, does not exist, mailbox full, in English, German,
 *	French or Spanish): on its own line, in the lines after it (its
 *	paragraph, or the paragraph after a bare list of addresses), or on
 *	the line just before it. It needs more than a bounce Subject: a
 *	null sender, a report content type, X-Failed-Recipients, a mail
 *	system's From (MAILER-DAEMON, postmaster), or Auto-Submitted with
 *	failure words in the Subject; never a list post.
 *
 *	None of them names an address of the report's own: its From, To,
 *	Cc, Sender, Reply-To and Return-Path, the returned message's
 *	sender, a mail system's mailbox (postmaster, MAILER-DAEMON), nor
 *	an address inside a URL or a mailto: link (sx_lastresort_keep).
 *	The last resort also skips header lines of a quoted original
 *	(From:, To:, Cc:, Message-ID: ...) and stops where a block of them
 *	starts the returned message.
 *
 *	A report that says delivery is only late ("has not yet been
 *	delivered", Subject "... delayed") gives action delayed for every
 *	recipient whose reply is not a permanent one.
 *
 *	Every reader is one pass over the report's own words, charged to
 *	the work budget; nothing is searched again per address.
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/reply.h>
#include <smtp-explain/text.h>

#include "address.h"
#include "mime.h"
#include "scan.h"
#include "snapshot.h"

/* ---------------------------------------------------------- own addresses */

/* sx_lr_local - is addr's local part one of a mail system's mailboxes? */

static int sx_lr_system(const char *addr)
{
    static const char *const locals[] = {
	"postmaster@", "mailer-daemon@", "mail-daemon@", "mailerdaemon@",
	"hostmaster@", "abuse@", "noreply@", "no-reply@", "do-not-reply@",
	"donotreply@", "mdaemon@", "maildelivery@", 0,
    };
    const char *const *l;

    for (l = locals; *l; l++)
	if (strncasecmp(addr, *l, strlen(*l)) == 0)
	    return (1);
    return (0);
}

/* sx_lr_own_add - remember one address of the report's own */

static void sx_lr_own_add(struct sx_scan_memo *mm, const char *v, size_t len)
{
    char    part[2 * SX_ADDR_MAX];

    if (mm->nown >= SX_SCAN_OWN || len == 0)
	return;
    sx_text_copy(part, sizeof(part), v, len);
    sx_mime_addr(part, mm->own[mm->nown], sizeof(mm->own[0]));
    if (strchr(mm->own[mm->nown], '@'))
	mm->nown++;
}

/* sx_lr_own_read - the report's own addresses, read once per scan */

static void sx_lr_own_read(const struct sx_scan *s)
{
    static const char *const fields[] = {
	"From", "To", "Cc", "Sender", "Reply-To", "Return-Path", 0,
    };
    struct sx_scan_memo *mm = s->memo;
    const char *const *fp;
    char    value[1024];

    mm->own_read = 1;
    mm->nown = 0;
    sx_lr_own_add(mm, s->msg->orig_sender, strlen(s->msg->orig_sender));
    for (fp = fields; *fp && mm->nown < SX_SCAN_OWN; fp++) {
	const char *p, *comma;

	(void) sx_scan_charge(s, s->hlen);
	if (!sx_scan_header(s, *fp, value, sizeof(value)))
	    continue;
	/* A list of addresses: each between commas. */
	for (p = value; *p && mm->nown < SX_SCAN_OWN; p = *comma ? comma + 1 : comma) {
	    if ((comma = strchr(p, ',')) == 0)
		comma = p + strlen(p);
	    sx_lr_own_add(mm, p, (size_t) (comma - p));
	}
    }
}

static int sx_lr_keep_addr(const struct sx_scan *s, const char *addr)
{
    struct sx_scan_memo *mm = s->memo;
    int     i;

    if (addr[0] == 0)
	return (1);
    if (sx_lr_system(addr))
	return (0);
    if (!mm->own_read)
	sx_lr_own_read(s);
    for (i = 0; i < mm->nown; i++)
	if (strcasecmp(mm->own[i], addr) == 0)
	    return (0);
    return (1);
}

static int sx_lr_says_failure(const char *, size_t);

/*
 * sx_lastresort_keep - may a guessing reader report f? Not for an
 * address of the report's own; and with SX_VETO_EVIDENCE only when its
 * reply has a code or its words say that something failed.
 */
int     sx_lastresort_keep(const struct sx_scan *s, const struct sx_finding *f)
{
    if (!sx_lr_keep_addr(s, f->recipient))
	return (0);
    if (s->memo->veto == SX_VETO_EVIDENCE && f->replycode == 0 && f->status[0] == 0
	&& (!sx_scan_charge(s, strlen(f->diagnostic))
	    || !sx_lr_says_failure(f->diagnostic, strlen(f->diagnostic))))
	return (0);
    return (1);
}

/* ---------------------------------------------------------- delay reports */

/*
 * sx_lr_delayed - does the report say delivery is only late? Asked
 * once per reading: the Subject, then one search of the report's words.
 */
static int sx_lr_delayed(const struct sx_scan *s)
{
    static const char *const words[] = {
	"not yet been delivered", "has been delayed", "is delayed",
	"will continue to try", "will keep trying", "still trying",
	"will be retried", "delivery attempts will continue",
	"noch nicht zugestellt", "pas encore", "todav\303\255a no", 0,
    };
    const char *const *w;
    const char *end = sx_scan_end(s);

    if (sx_text_find(s->msg->subject, strlen(s->msg->subject), "delay"))
	return (1);
    for (w = words; *w; w++)
	if (sx_scan_search(s, s->text, (size_t) (end - s->text), *w))
	    return (1);
    return (0);
}

/*
 * sx_lr_mark_delays - findings [from, count): delayed when the report
 * says delivery is only late, or the finding's own words say it is
 * still being tried, unless its reply is a permanent one.
 */
static void sx_lr_mark_delays(const struct sx_scan *s, size_t from)
{
    static const char *const later[] = {
	"keep trying", "still waiting", "will retry", "will be retried",
	"retrying", "still trying", "continue to try", 0,
    };
    size_t  i, n = sx_scan_count(s);
    int     report;

    if (from >= n)
	return;
    report = sx_lr_delayed(s);
    for (i = from; i < n; i++) {
	struct sx_finding *f = sx_scan_finding_rw(s, i);
	const char *const *w;
	int     late = report;

	if (f->replycode / 100 == 5 || f->status[0] == '5')
	    continue;
	for (w = later; *w && !late; w++)
	    if (sx_scan_search(s, f->diagnostic, strlen(f->diagnostic), *w))
		late = 1;
	if (late)
	    f->action = SX_ACTION_DELAYED;
    }
}

/*
 * sx_lr_list_post - a mailing list's post (List-Id, List-Post) is a
 * person's message, whatever its Subject; a list does not send bounces
 * with a null sender.
 */
static int sx_lr_list_post(const struct sx_scan *s)
{
    return (!s->msg->null_sender
	    && (sx_scan_has_field(s->headers, s->hlen, "List-Id")
		|| sx_scan_has_field(s->headers, s->hlen, "List-Post")));
}

/* ---------------------------------------------------------- generic */

/*
 * sx_read_generic - any "address line, then its reply" block. With no
 * phrase of its own to go by, it needs a message that presents itself
 * as a bounce (SX_NEED_BOUNCE in table.c): a newsletter from no-reply@
 * lists addresses too.
 */
int     sx_read_generic(const struct sx_scan *s)
{
    size_t  from = sx_scan_count(s);
    int     added;

    if (sx_lr_list_post(s))
	return (0);
    s->memo->veto = SX_VETO_EVIDENCE;
    added = sx_scan_blocks(s, 0, 0, "generic");
    s->memo->veto = 0;
    sx_lr_mark_delays(s, from);
    return (added);
}

/*
 * sx_read_labelled - "Unknown user: a@b.example", "User's mailbox is
 * full: <a@b.example>", "Could not be delivered to: <a@b.example>"
 * with the cause on the next line. The label before the colon is the
 * diagnostic, together with the lines that follow up to a blank line.
 * Header-like labels (To, From, ...) are not causes. Like the generic
 * reader it needs a message that says it is a bounce (SX_NEED_BOUNCE).
 */
int     sx_read_labelled(const struct sx_scan *s)
{
    static const char *const fields[] = {
	"to", "from", "cc", "bcc", "reply-to", "sender", "return-path",
	"delivered-to", "envelope-to", "x-", "original", "final", "message-id",
	"subject", "date", "received", "reporting", "remote", 0,
    };
    static const char *const failures[] = {
	"unknown", "full", "not ", "fail", "unable", "error", "reject",
	"invalid", "denied", "undeliver", "no such", "could", "cannot", 0,
    };
    const char *p = s->text, *end = sx_scan_end(s);
    size_t  first = sx_scan_count(s);
    int     added = 0;

    if (sx_lr_list_post(s))
	return (0);
    s->memo->veto = SX_VETO_OWN;
    while (p < end) {
	const char *eol = sx_scan_line_end(s, p), *colon, *q, *d;
	char    addr[SX_ADDR_MAX];
	const char *const *fp;
	struct sx_finding f;
	int     header = 0;

	if (eol > end)
	    eol = end;
	colon = memchr(p, ':', (size_t) (eol - p));
	q = colon ? colon + 1 : eol;
	while (q < eol && (*q == ' ' || *q == '	'))
	    q++;
	if (colon == 0 || colon - p < 3 || colon - p > 60 || memchr(p, '@', (size_t) (colon - p))
	    || sx_scan_addr_at(q, eol, addr, sizeof(addr)) == 0) {
	    p = sx_scan_next_line(s, p);
	    continue;
	}
	for (d = p; d < colon && (*d == ' ' || *d == '	'); d++)
	     /* void */ ;
	for (fp = fields; *fp; fp++)
	    if (strncasecmp(d, *fp, strlen(*fp)) == 0)
		header = 1;
	/* The label must say that something failed. */
	for (fp = failures; *fp && !header; fp++)
	    if (sx_text_find(d, (size_t) (colon - d), *fp))
		break;
	if (*fp == 0)
	    header = 1;
	if (!header) {
	    const char *stop = sx_scan_next_line(s, p);
	    int     lines = 0;

	    /* The cause may go on for a line or two. */
	    while (stop < end && lines < 2 && *stop != '\n') {
		stop = sx_scan_next_line(s, stop);
		lines++;
	    }
	    sx_scan_finding(s, &f, addr, d, (size_t) (stop - d), "labelled");
	    if (sx_scan_add(s, &f) > 0)
		added++;
	}
	p = sx_scan_next_line(s, p);
    }
    s->memo->veto = 0;
    sx_lr_mark_delays(s, first);
    return (added);
}

/* ---------------------------------------------------------- last resort */

/*
 * Failure words, in lower case (UTF-8 for the accented ones): what a
 * report says of a recipient when it gives no code, or beside one.
 */
static const char *const sx_lr_words[] = {
    /* English */
    "user unknown", "unknown user", "unknown recipient", "recipient unknown",
    "unknown address", "address unknown", "no such user", "no such mailbox",
    "no such recipient", "no such address", "does not exist",
    "doesn't exist", "not exist", "mailbox full", "mailbox is full",
    "over quota", "quota exceeded", "exceeded its quota", "mailbox unavailable",
    "mailbox not found", "not found", "rejected", "refused", "denied",
    "undeliverable", "could not be delivered", "not be delivered",
    "not delivered", "cannot be delivered", "can't be delivered",
    "unable to deliver", "delivery failed", "delivery has failed",
    "failed", "failure", "invalid recipient", "invalid address",
    "invalid mailbox", "disabled", "deactivated", "inactive", "suspended",
    "unrouteable", "unroutable", "host not found", "timed out", "expired",
    "blocked", "permanent error", "temporary error", "error", "unknown",
    "not listed", "no mx", "does not have", "doesn't have", "no such",
    "not allowed", "not permitted", "not accepted", "unavailable",
    "not available", "bad address", "cannot", "can't", "unable",
    "not yet been delivered", "delayed",
    /* German */
    "unbekannt", "existiert nicht", "gibt es nicht", "nicht zugestellt",
    "nicht zustellbar", "unzustellbar", "konnte nicht", "fehlgeschlagen",
    "abgelehnt", "zur\303\274ckgewiesen", "postfach voll",
    "postfach ist voll", "ung\xc3\xbcltig", "nicht gefunden", "fehler",
    /* French */
    "inconnu", "n'existe pas", "introuvable", "non distribu",
    "n'a pas pu", "pas pu \xc3\xaatre", "\303\251chec", "echec",
    "refus\xc3\xa9", "rejet\xc3\xa9", "bo\xc3\xaete pleine", "boite pleine",
    "invalide", "erreur", "impossible de",
    /* Spanish */
    "desconocido", "no existe", "no se pudo entregar",
    "no pudo ser entregado", "no ha podido", "rechazado",
    "buz\xc3\xb3n lleno", "buzon lleno", "inv\xc3\xa1lid", "fall\xc3\xb3",
    "fallo",
};

#define SX_LR_WORDS (sizeof(sx_lr_words) / sizeof(sx_lr_words[0]))

/* Compiled at build time (snapshot.h): sx_sets[SX_SET_FAILURE]. */
const struct sx_set_src sx_src_failure = {
    .name = "failure words", .needles = sx_lr_words, .n = SX_LR_WORDS,
};

/* sx_lr_says_failure - do the words say that something failed? */

static int sx_lr_says_failure(const char *text, size_t len)
{
    return (sx_phrases_first(sx_sets + SX_SET_FAILURE, text, len, 0) != 0);
}

/*
 * sx_lr_gate - a delivery report by its envelope and headers: more
 * than a bounce Subject, which a person's post about a bounce may have.
 */
static int sx_lr_gate(const struct sx_scan *s)
{
    static const char *const subjects[] = {
	"undeliver", "delivery", "returned", "failure", "failed", "delayed",
	"not delivered", "rejected", "unzustellbar", "non remis",
	"no entregado", 0,
    };
    const struct sx_message *m = s->msg;
    const char *const *w;

    if (m->null_sender || m->is_report)
	return (1);
    if (sx_lr_list_post(s))
	return (0);
    if (sx_scan_daemon_from(m->from)
	|| sx_scan_has_field(s->headers, s->hlen, "X-Failed-Recipients"))
	return (1);
    if (m->auto_submitted)
	for (w = subjects; *w; w++)
	    if (sx_text_find(m->subject, strlen(m->subject), *w))
		return (1);
    return (0);
}

/*
 * sx_lr_header_line - does the line start with a header field that a
 * quoted original (or a summary of it) writes? 2: one that only the
 * original's own header block has (Received, Message-ID, ...).
 */
static int sx_lr_header_line(const char *p, const char *eol)
{
    static const char *const summary[] = {
	"from:", "to:", "cc:", "bcc:", "reply-to:", "sender:", "date:",
	"subject:", "sent:", "in-reply-to:", "references:", "delivered-to:",
	"envelope-to:", "x-original-to:", "errors-to:", "resent-", "list-", 0,
    };
    static const char *const original[] = {
	"received:", "return-path:", "message-id:", "dkim-signature:",
	"mime-version:", "content-type:", "x-mailer:", "authentication-results:",
	"arc-", 0,
    };
    const char *const *l;
    size_t  n = (size_t) (eol - p);

    while (p < eol && (*p == ' ' || *p == '\t' || *p == '>'))
	p++, n--;
    for (l = original; *l; l++)
	if (n >= strlen(*l) && strncasecmp(p, *l, strlen(*l)) == 0)
	    return (2);
    for (l = summary; *l; l++)
	if (n >= strlen(*l) && strncasecmp(p, *l, strlen(*l)) == 0)
	    return (1);
    if (n > 2 && (p[0] == 'x' || p[0] == 'X') && p[1] == '-')
	return (1);
    return (0);
}

/* sx_lr_code - a reply code standing alone ("550", "Error 550:") */

static int sx_lr_code(const char *p, const char *eol)
{
    const char *q;

    for (q = p; q + 3 <= eol; q++) {
	if ((*q != '4' && *q != '5') || !isdigit((unsigned char) q[1])
	    || q[1] > '5' || !isdigit((unsigned char) q[2]))
	    continue;
	if (q > p && (isalnum((unsigned char) q[-1]) || q[-1] == '.'
		      || q[-1] == '-' || q[-1] == '/' || q[-1] == ':'))
	    continue;
	/* Followed by ':' '-' ' ' and more words, or the line's end. */
	if (q + 3 == eol)
	    return ((q[0] - '0') * 100 + (q[1] - '0') * 10 + (q[2] - '0'));
	if (q[3] == ':' || q[3] == '-' || q[3] == ')' || q[3] == ']'
	    || (q[3] == ' ' && q + 4 < eol && (isdigit((unsigned char) q[4])
					      || isalpha((unsigned char) q[4]))))
	    return ((q[0] - '0') * 100 + (q[1] - '0') * 10 + (q[2] - '0'));
    }
    return (0);
}

/* Evidence of a line: none, failure words, or a reply code. */
#define SX_LR_NONE	0
#define SX_LR_WORDS_EV	1
#define SX_LR_CODE	2

static int sx_lr_evidence(const struct sx_scan *s, const char *p, const char *eol)
{
    char    st[SX_STATUS_MAX];
    size_t  len = (size_t) (eol - p);

    if (!sx_scan_charge(s, 2 * len))
	return (SX_LR_NONE);
    if (sx_lr_code(p, eol) || (sx_status_find(p, len, st, 0) && st[0] != '2'))
	return (SX_LR_CODE);
    if (sx_phrases_first(sx_sets + SX_SET_FAILURE, p, len, 0))
	return (SX_LR_WORDS_EV);
    return (SX_LR_NONE);
}

/* The bytes that end an address in prose. */
static const unsigned char sx_lr_stop[256] = {
    [0] = 1, [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['<'] = 1, ['>'] = 1,
    ['"'] = 1, ['\''] = 1, [':'] = 1, [';'] = 1, [','] = 1, ['('] = 1,
    [')'] = 1, ['['] = 1, [']'] = 1, ['@'] = 1, ['/'] = 1, ['='] = 1,
    ['?'] = 1, ['&'] = 1, ['{'] = 1, ['}'] = 1, ['|'] = 1, ['\\'] = 1,
};

/*
 * sx_lr_addr - the address around the '@' at at, within [bol, eol):
 * its length in out, or 0 when it is none or a link's (a URL, mailto:).
 * Each side reads at most SX_ADDR_MAX bytes and stops at another '@'.
 */
static size_t sx_lr_addr(const char *bol, const char *at, const char *eol,
			         char *out, size_t size)
{
    const char *a = at, *e = at + 1, *t;

    while (a > bol && at - a < SX_ADDR_MAX && !sx_lr_stop[(unsigned char) a[-1]])
	a--;
    while (e < eol && e - at < SX_ADDR_MAX && !sx_lr_stop[(unsigned char) *e])
	e++;
    while (e > at + 1 && e[-1] == '.')
	e--;
    while (a < at && *a == '.')
	a++;
    if (a == at || e <= at + 1 || memchr(at + 1, '.', (size_t) (e - at - 1)) == 0
	|| (size_t) (e - a) >= size)
	return (0);
    /* A link: "mailto:a@b", "http://x/?to=a@b". */
    for (t = a; t > bol && a - t < 12 && t[-1] != ' ' && t[-1] != '\t' && t[-1] != '<'
	 && t[-1] != '(' && t[-1] != '"'; t--)
	 /* void */ ;
    if ((a - t >= 7 && strncasecmp(t, "mailto:", 7) == 0)
	|| (a > bol && (a[-1] == '/' || a[-1] == '=' || a[-1] == '?' || a[-1] == '&')))
	return (0);
    if (e < eol && (*e == '/' || *e == '?' || *e == '='))
	return (0);
    memcpy(out, a, (size_t) (e - a));
    out[e - a] = 0;
    return ((size_t) (e - a));
}

/* One address waiting for the words that explain it. */
struct sx_lr_pend {
    char    addr[SX_ADDR_MAX];
    const char *bol, *eol;		/* its line */
    int     own;			/* evidence of its line */
    const char *pbol, *peol;		/* the line just before, or NULL */
    int     prev;			/* evidence of that line */
};

#define SX_LR_PENDING	32
#define SX_LR_FWD_LINES	8
#define SX_LR_FWD_BYTES	1500

struct sx_lr {
    const struct sx_scan *s;
    struct sx_lr_pend pend[SX_LR_PENDING];
    int     npend;
    const char *fwd, *fwd_end;		/* lines after the addresses */
    int     fwd_ev, fwd_lines;
    int     blanks;			/* blank lines since the addresses */
    int     added;
};

/* sx_lr_add - one finding, its diagnostic [d, e) */

static void sx_lr_add(struct sx_lr *lr, const char *addr, const char *d, const char *e)
{
    const struct sx_scan *s = lr->s;
    struct sx_finding f;
    char    clean[SX_ADDR_MAX];

    /* The address as the sender wrote it: IMCEA and the like undone. */
    (void) sx_addr_usable(addr, strlen(addr), clean, sizeof(clean));
    if (sx_scan_known(s, clean) || !sx_lr_keep_addr(s, clean))
	return;
    sx_scan_finding(s, &f, clean, d, (size_t) (e - d), "lastresort");
    if (f.replycode == 0)
	f.replycode = sx_lr_code(d, e);
    if (f.replycode && f.status[0] && f.status[0] != '0' + f.replycode / 100)
	f.flags |= SX_FINDING_CLASS_MISMATCH;
    if (sx_scan_add(s, &f) > 0)
	lr->added++;
}

/* sx_lr_resolve - give each waiting address the best words it has */

static void sx_lr_resolve(struct sx_lr *lr)
{
    int     i;

    for (i = 0; i < lr->npend; i++) {
	struct sx_lr_pend *p = lr->pend + i;
	const char *fe = lr->fwd ? lr->fwd_end : p->eol;
	const char *fs = lr->npend == 1 ? p->bol : lr->fwd;

	if (p->own == SX_LR_CODE)
	    sx_lr_add(lr, p->addr, p->bol, fe > p->eol ? fe : p->eol);
	else if (p->prev == SX_LR_CODE)
	    sx_lr_add(lr, p->addr, p->pbol, p->eol);
	else if (lr->fwd && lr->fwd_ev == SX_LR_CODE)
	    sx_lr_add(lr, p->addr, fs, fe);
	else if (p->own == SX_LR_WORDS_EV)
	    sx_lr_add(lr, p->addr, p->bol, fe > p->eol ? fe : p->eol);
	else if (lr->fwd && lr->fwd_ev == SX_LR_WORDS_EV)
	    sx_lr_add(lr, p->addr, fs, fe);
	else if (p->prev == SX_LR_WORDS_EV)
	    sx_lr_add(lr, p->addr, p->pbol, p->eol);
    }
    lr->npend = 0;
    lr->fwd = lr->fwd_end = 0;
    lr->fwd_ev = lr->fwd_lines = lr->blanks = 0;
}

/* sx_lr_pending - is addr already waiting? */

static int sx_lr_pending(const struct sx_lr *lr, const char *addr)
{
    int     i;

    for (i = 0; i < lr->npend; i++)
	if (strcasecmp(lr->pend[i].addr, addr) == 0)
	    return (1);
    return (0);
}

static size_t sx_lr_indent(const char *p, const char *eol)
{
    const char *q = p;

    while (q < eol && (*q == ' ' || *q == '\t'))
	q++;
    return ((size_t) (q - p));
}

/*
 * sx_read_lastresort - one pass over the report's own lines. An address
 * waits (pend) until the words after it end: a blank line after them, a
 * new address, a quoted header, or a bound. Then each waiting address
 * takes, in this order, a code on its own line, a code on the line just
 * before it (no deeper indented), a code after it, failure words on its
 * line, after it, or just before it; without any it is no recipient.
 */
int     sx_read_lastresort(const struct sx_scan *s)
{
    struct sx_lr lr;
    const char *p = s->text, *end = sx_scan_end(s);
    const char *pbol = 0, *peol = 0;
    size_t  pindent = 0, first = sx_scan_count(s);
    int     pev = 0, hdr_run = 0;

    if (!sx_lr_gate(s))
	return (0);
    lr.s = s;
    lr.npend = lr.fwd_ev = lr.fwd_lines = lr.blanks = lr.added = 0;
    lr.fwd = lr.fwd_end = 0;

    while (p < end && !sx_scan_spent(s)) {
	const char *eol = sx_scan_line_end(s, p), *q, *at;
	int     hdr, ev, fresh = 0;
	char    addr[SX_ADDR_MAX];

	if (eol > end)
	    eol = end;
	for (q = p; q < eol && (*q == ' ' || *q == '\t'); q++)
	     /* void */ ;
	if (q == eol) {				/* a blank line */
	    if (lr.npend && (lr.fwd || ++lr.blanks > 2))
		sx_lr_resolve(&lr);
	    pbol = 0;
	    hdr_run = 0;
	    p = sx_scan_next_line(s, p);
	    continue;
	}
	if ((hdr = sx_lr_header_line(p, eol)) != 0) {
	    /* A quoted header: no recipient; a header block: the original. */
	    if (lr.npend)
		sx_lr_resolve(&lr);
	    pbol = 0;
	    if (++hdr_run >= 2 && hdr == 2)
		break;
	    p = sx_scan_next_line(s, p);
	    continue;
	}
	hdr_run = 0;
	ev = sx_lr_evidence(s, p, eol);

	/* The addresses the line names that nothing reported yet. */
	for (q = p; q < eol && (at = memchr(q, '@', (size_t) (eol - q))) != 0; q = at + 1) {
	    if (sx_lr_addr(p, at, eol, addr, sizeof(addr)) == 0
		|| sx_scan_known(s, addr) || !sx_lr_keep_addr(s, addr))
		continue;
	    if (sx_lr_pending(&lr, addr)) {
		fresh = -1;			/* named again: its words */
		continue;
	    }
	    if (fresh == 0 && lr.npend && lr.fwd)
		sx_lr_resolve(&lr);
	    if (lr.npend == SX_LR_PENDING)
		sx_lr_resolve(&lr);
	    {
		struct sx_lr_pend *pd = lr.pend + lr.npend++;

		sx_text_copy(pd->addr, sizeof(pd->addr), addr, strlen(addr));
		pd->bol = p;
		pd->eol = eol;
		pd->own = ev;
		pd->pbol = pbol && pindent <= sx_lr_indent(p, eol) ? pbol : 0;
		pd->peol = pd->pbol ? peol : 0;
		pd->prev = pd->pbol ? pev : SX_LR_NONE;
	    }
	    fresh = 1;
	}
	if (fresh > 0) {
	    pbol = 0;
	} else {
	    /* Words without a new address: what the waiting ones say. */
	    if (lr.npend) {
		if (lr.fwd == 0)
		    lr.fwd = p;
		lr.fwd_end = eol;
		if (ev > lr.fwd_ev)
		    lr.fwd_ev = ev;
		if (++lr.fwd_lines >= SX_LR_FWD_LINES
		    || lr.fwd_end - lr.fwd > SX_LR_FWD_BYTES)
		    sx_lr_resolve(&lr);
	    }
	    pbol = p;
	    peol = eol;
	    pev = ev;
	    pindent = sx_lr_indent(p, eol);
	}
	p = sx_scan_next_line(s, p);
    }
    if (lr.npend)
	sx_lr_resolve(&lr);
    sx_lr_mark_delays(s, first);
    return (lr.added);
}
