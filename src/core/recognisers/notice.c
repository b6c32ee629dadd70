/*
 * NAME
 *	notice 3
 * SUMMARY
 *	hosted services' notices that name the recipient between fixed words
 * DESCRIPTION
 *	Some hosted services write one sentence per failed recipient with
 *	the address between fixed words, and give the reply further down
 *	under a label of their own:
 *
 *	    Your message to a@b couldn't be delivered.     (Microsoft 365)
 *	    ...
 *	    Status code: 550 5.1.10
 *	    ...
 *	    Reported error:  550 5.1.10 RESOLVER.ADR.RecipientNotFound; ...
 *
 *	    Your message to a@b has been blocked. ...      (Gmail)
 *	    The response from the remote server was:
 *	    550 5.7.1 ...
 *
 *	A sentence counts only when the words after the address are the
 *	row's too: "your message to" alone is ordinary English. The reply
 *	of a recipient is looked for between its sentence and the next
 *	one, under the row's labels in their order; each part of the text
 *	is searched once.
 *
 *	Other rows open a bare list: the phrase, then the addresses alone
 *	on lines of their own and nothing else (Exchange 2000/2003 and the
 *	Windows SMTP service: "Delivery to the following recipients
 *	failed.", their report fields being in a delivery-status part that
 *	a forwarded or flattened copy no longer has). Each address is a
 *	finding whose diagnostic is the phrase's line. A list followed by
 *	more words is left to the phrase rows, which read such details.
 *
 *	The rows are phrase rows of the exact tier (phrases.h: SX_AROUND
 *	with its after words and labels, SX_BARE), kept with their families
 *	(microsoft.c, google.c) and compiled once by phrases.c. This reader
 *	runs before the list phrases (table.c): its sentences are more
 *	exact than a list row that would start inside the same notice.
 */
#include <string.h>
#include <strings.h>

#include <smtp-explain/text.h>

#include "scan.h"
#include "phrases.h"

/* A sentence found and not yet read: its reply lies below it. */

struct sx_pending {
    const struct sx_marked *n;
    char    addr[SX_ADDR_MAX];
    const char *from;			/* the line after the sentence */
};

static int sx_blank_line(const char *p, const char *eol)
{
    for (; p < eol; p++)
	if (*p != ' ' && *p != '\t')
	    return (0);
    return (1);
}

/*
 * sx_notice_reply - where the reply of a sentence is, in [from, to):
 * after the first of its labels that is there, the rest of that line
 * (and the lines below up to a blank one, unless SX_LABEL_LINE).
 */
static const char *sx_notice_reply(const struct sx_scan *s, const struct sx_marked *n,
				           const char *from, const char *to,
				           const char **endp)
{
    const char *at, *d, *e, *l;
    size_t  i;

    for (i = 0; i < 2; i++) {
	l = n->labels[i];
	if (l == 0 || from >= to
	    || (at = sx_scan_search(s, from, (size_t) (to - from), l)) == 0)
	    continue;
	d = at + strlen(l);
	e = sx_scan_line_end(s, d);
	if (e > to)
	    e = to;
	if ((n->how & SX_LABEL_LINE) == 0) {
	    const char *p = e < to ? e + 1 : e, *eol;

	    /* The reply may start on the next line and go on below. */
	    while (p < to && p - d < 2000) {
		eol = sx_scan_line_end(s, p);
		if (eol > to)
		    eol = to;
		if (sx_blank_line(p, eol) && !sx_blank_line(d, e))
		    break;
		e = eol;
		p = eol < to ? eol + 1 : eol;
	    }
	}
	while (d < e && (*d == ' ' || *d == '\t'))
	    d++;
	*endp = e;
	return (d);
    }
    return (0);
}

/* sx_notice_add - one finding; a warning's is a delay */

static int sx_notice_add(const struct sx_scan *s, const struct sx_marked *n,
			         const char *addr, const char *d, size_t dlen)
{
    struct sx_finding f;

    if (sx_scan_known(s, addr))
	return (0);
    sx_scan_finding(s, &f, addr, d, dlen, n->engine);
    if (n->how & SX_DELAYED)
	f.action = SX_ACTION_DELAYED;
    return (sx_scan_add(s, &f) > 0);
}

/* sx_notice_flush - read the pending sentence's reply, up to to */

static int sx_notice_flush(const struct sx_scan *s, struct sx_pending *pd,
			           const char *to)
{
    const struct sx_marked *n = pd->n;
    const char *d, *e = 0;

    if (n == 0)
	return (0);
    pd->n = 0;
    d = sx_notice_reply(s, n, pd->from, to, &e);
    /* No reply under its labels: not this layout after all. */
    if (d == 0 || e <= d)
	return (0);
    return (sx_notice_add(s, n, pd->addr, d, (size_t) (e - d)));
}

/*
 * sx_notice_bare - the addresses alone on the lines after the phrase's
 * line, and nothing else up to end: one walk to see that it is so, one
 * to add them.
 */
static int sx_notice_bare(const struct sx_scan *s, const struct sx_marked *n,
			          const char *at, const char *end)
{
    char    addr[SX_ADDR_MAX];
    const char *ls = at, *le = sx_scan_line_end(s, at), *p, *eol;
    size_t  k;
    int     pass, count = 0, added = 0;

    while (ls > s->text && ls[-1] != '\n')
	ls--;
    for (pass = 0; pass < 2; pass++) {
	for (p = sx_scan_next_line(s, at); p < end; p = eol < end ? eol + 1 : eol) {
	    eol = sx_scan_line_end(s, p);
	    if (eol > end)
		eol = end;
	    if (sx_blank_line(p, eol))
		continue;
	    if ((k = sx_scan_addr_at(p, eol, addr, sizeof(addr))) == 0
		|| !sx_blank_line(p + k, eol) || count > 1000)
		return (0);			/* more than a list */
	    if (pass == 0)
		count++;
	    else
		added += sx_notice_add(s, n, addr, ls, (size_t) (le - ls));
	}
	if (count == 0)
	    return (0);
    }
    return (added);
}

/*
 * sx_notice_sentence - does the sentence of row n go on at p with an
 * address and the row's words after it? The address into addr.
 */
static int sx_notice_sentence(const struct sx_scan *s, const struct sx_marked *n,
			              const char *p, const char *end, char *addr,
			              size_t size)
{
    const char *lim, *eol;
    size_t  k, alen = strlen(n->reason);

    /*
     * The address right after the words, at most a path's length: a
     * long line that repeats the words is not read to its end each time.
     */
    lim = (size_t) (end - p) > SX_ADDR_MAX + 64 ? p + SX_ADDR_MAX + 64 : end;
    if ((eol = memchr(p, '\n', (size_t) (lim - p))) == 0)
	eol = lim;
    (void) sx_scan_charge(s, (size_t) (eol - p));
    if ((k = sx_scan_addr_at(p, eol, addr, size)) == 0)
	return (0);
    p += k;
    if (p < eol && *p == '>')
	p++;
    return ((size_t) (eol - p) >= alen && strncasecmp(p, n->reason, alen) == 0);
}

int     sx_read_notice(const struct sx_scan *s)
{
    const struct sx_tier *tr = sx_phrase_tier(SX_TIER_EXACT);
    const char *end = sx_scan_end(s), *p = s->text, *at, *q;
    struct sx_pending pd = {.n = 0};
    char    addr[SX_ADDR_MAX];
    size_t  k, i, len;
    int     added = 0;

    if (tr->nneedles == 0)
	return (0);
    while (p < end && !sx_scan_spent(s)
	   && (at = sx_phrases_first(&tr->set, p, (size_t) (end - p), &k)) != 0) {
	(void) sx_scan_charge(s, (size_t) (at - p) + 1);
	len = strlen(tr->needles[k]);
	p = at + len;
	for (i = 0; i < tr->n; i++) {
	    const struct sx_marked *n = tr->rows[i];

	    if (n->start != tr->needles[k] && strcmp(n->start, tr->needles[k]) != 0)
		continue;
	    if (SX_LAYOUT(n->how) == SX_BARE) {
		if (pd.n == 0 && added == 0 && (added = sx_notice_bare(s, n, at, end)) > 0)
		    return (added);
		break;
	    }
	    if (!sx_notice_sentence(s, n, p, end, addr, sizeof(addr)))
		continue;
	    /* The last sentence's reply lies before this one. */
	    added += sx_notice_flush(s, &pd, at);
	    pd.n = n;
	    memcpy(pd.addr, addr, sizeof(pd.addr));
	    q = sx_scan_line_end(s, p);
	    pd.from = q < end ? q + 1 : q;
	    p = pd.from;
	    break;
	}
    }
    added += sx_notice_flush(s, &pd, end);
    return (added);
}
