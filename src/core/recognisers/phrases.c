/*
 * NAME
 *	phrases 3
 * SUMMARY
 *	bounces known by the phrase that opens their list of recipients
 * DESCRIPTION
 *	Most non-standard bounces differ only in the words that open the
 *	list of failed recipients and in how each recipient is written:
 *	such shapes are rows of sx_marked[] and share the readers of
 *	scan.c:
 *
 *	SX_LIST	recipients on lines of their own after the phrase, each
 *		followed by its reply (sx_scan_blocks_in()).
 *	SX_SENTENCE the recipient inside the phrase's sentence, the
 *		reply in the paragraph below (sx_scan_inline()).
 *	SX_COMMON recipients listed after the phrase have one reply in common,
 *		written before it, after the row's "reason" phrase.
 *	SX_CAUSE the lines after the phrase give the cause, and the lines
 *		of addresses right below it share it (Lotus Notes).
 *	SX_RECORD one line per recipient, the address after the row's
 *		"reason" label and the reply in the same line ("[Status:
 *		Error, Address: <a@b>, ResponseCode 421, ...]").
 *	SX_ALONE the reply follows the phrase and no address is given (SMS
 *		gateways): one finding whose recipient is not known.
 *	SX_LEAD	as SX_LIST, but the line of the phrase says what happened to
 *		all of them ("... was aborted after 5.0 hour(s):") and ends
 *		each diagnostic.
 *
 *	All phrases are looked for in one pass; the earliest that yields a
 *	finding wins. A sending system that needs more than a phrase and a
 *	layout has a recogniser of its own (a file in this folder and a row
 *	in table.c). A new phrase is a row of sx_marked[]: its MTA family,
 *	its words (lower case) and its layout.
 */
#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/reply.h>
#include <smtp-explain/text.h>

#include "scan.h"

#define SX_LIST		0
#define SX_SENTENCE	1
#define SX_COMMON	2
#define SX_CAUSE	3
#define SX_RECORD	4
#define SX_ALONE	5
#define SX_LEAD		6

struct sx_marked {
    const char *engine;
    const char *start;			/* lower case */
    int     how;
    const char *reason;			/* SX_COMMON: where the reply starts */
};

static const struct sx_marked sx_marked[] = {
    {"qmail", "this is the qmail-send program", SX_LIST, 0},
    {"postfix", "this is the mail system at host", SX_LIST, 0},
    {"exim", "could not be delivered to one or more", SX_LIST, 0},
    {"exim", "the following address failed", SX_LIST, 0},
    {"exim", "the following address(es) failed", SX_LIST, 0},
    {"exim", "delivery to the following recipients failed", SX_LIST, 0},
    {"x4", "to the following address(es) could not be delivered", SX_LIST, 0},
    {"x1", "the following addresses had delivery errors", SX_LIST, 0},
    {"sendmail", "the following addresses had permanent fatal errors", SX_LIST, 0},
    {"sendmail", "the following addresses had transient non-fatal errors", SX_LIST, 0},
    {"zoho", "the following addresses had fatal errors", SX_RECORD, "address:"},
    {"gmail", "delivery to the following recipient failed permanently", SX_LIST, 0},
    {"gmail", "delivery to the following recipient has been delayed", SX_LIST, 0},
    {"exchange", "could not be reached", SX_LIST, 0},
    {"exchange", "diagnostic information for administrators", SX_LIST, 0},
    {"courier", "your message to the following recipients cannot be delivered", SX_LIST, 0},
    {"opensmtpd", "the following list of recipients", SX_LIST, 0},
    {"dragonfly", "there was an error delivering your mail to", SX_SENTENCE, 0},
    {"mailfoundry", "unable to deliver message to", SX_SENTENCE, 0},
    {"x6", "rejected recipient", SX_SENTENCE, 0},
    {"messagingserver", "recipient address:", SX_SENTENCE, 0},
    {"ezweb", "recipient: <", SX_SENTENCE, 0},
    {"imailserver", "undeliverable to ", SX_SENTENCE, 0},
    {"kddi", "could not be delivered to: <", SX_SENTENCE, 0},
    {"mailmarshal", "the following recipients were affected", SX_COMMON,
    "could not be delivered because of"},
    {"notes", "------- failure reasons", SX_CAUSE, 0},
    {"verizon", "error message below:", SX_ALONE, 0},
    {"x3", "to the following recipients was aborted after", SX_LEAD, 0},
};

#define SX_MARKED_N (sizeof(sx_marked) / sizeof(sx_marked[0]))

/* The reading memo keeps a bit per row (scan.h). */
_Static_assert(SX_MARKED_N <= SX_SCAN_ROWS, "more phrase rows than SX_SCAN_ROWS");

/*
 * sx_marked_lines - the lines after the phrase, up to a blank line, that
 * hold an address (after label, when given, else at the line's start):
 * one finding each, whose reply is [diag, diag + dlen), or the line
 * itself when diag is null.
 */
static int sx_marked_lines(const struct sx_scan *s, const struct sx_marked *m,
			           const char *at, const char *limit, const char *label,
				           const char *diag, size_t dlen)
{
    const char **stop = &s->memo->row_stop[m - sx_marked];
    const char *p, *eol, *a;
    char    addr[SX_ADDR_MAX];
    struct sx_finding f;
    int     added = 0, lines = 0;
    size_t  llen = label ? strlen(label) : 0;

    for (p = sx_scan_next_line(s, at); p < limit && lines < 1000;
	 p = sx_scan_next_line(s, p), lines++) {
	eol = sx_scan_line_end(s, p);
	if (eol == p)
	    break;
	a = p;
	if (label && (a = sx_text_find(p, (size_t) (eol - p), label)) != 0)
	    a += llen;
	if (a == 0 || sx_scan_addr_at(a, eol, addr, sizeof(addr)) == 0)
	    continue;
	if (diag)
	    sx_scan_finding(s, &f, addr, diag, dlen, m->engine);
	else
	    sx_scan_finding(s, &f, addr, p, (size_t) (eol - p), m->engine);
	if (sx_scan_add(s, &f) > 0)
	    added++;
    }
    *stop = p < limit ? p : limit;
    s->memo->rows_stopped |= 1ULL << (m - sx_marked);
    return (added);
}

/* sx_marked_common - one reply, written before the list, for all */

static int sx_marked_common(const struct sx_scan *s, const struct sx_marked *m,
			            const char *at, const char *limit)
{
    struct sx_scan_memo *mm = s->memo;
    size_t  k = (size_t) (m - sx_marked);
    const char *r;

    /* The first occurrence in the text, looked for once. */
    if (!((mm->reason_done >> k) & 1)) {
	mm->reason_at[k] = sx_scan_search(s, s->text, (size_t) (sx_scan_end(s) - s->text),
					m->reason);
	mm->reason_done |= 1ULL << k;
    }
    if ((r = mm->reason_at[k]) == 0 || r + strlen(m->reason) > at)
	return (0);
    r = sx_scan_next_line(s, r);
    return (sx_marked_lines(s, m, at, limit, 0, r, (size_t) (at - r)));
}

/* sx_marked_record - one line per recipient: labelled address and reply */

static int sx_marked_record(const struct sx_scan *s, const struct sx_marked *m,
			            const char *at, const char *limit)
{
    return (sx_marked_lines(s, m, at, limit, m->reason, 0, 0));
}

/* sx_marked_lead - blocks whose lead line applies to every recipient */

static int sx_marked_lead(const struct sx_scan *s, const struct sx_marked *m,
			          const char *at, const char *limit)
{
    const char *ls = at, *le = sx_scan_line_end(s, at);
    size_t  first = sx_scan_count(s), i, have, n;
    int     added;

    while (ls > s->text && ls[-1] != '\n')
	ls--;
    added = sx_scan_blocks_in(s, sx_scan_next_line(s, at), limit, m->engine);
    for (i = first; i < sx_scan_count(s); i++) {
	struct sx_finding *f = sx_scan_finding_rw(s, i);

	have = strlen(f->diagnostic);
	n = (size_t) (le - ls);
	if (have + 3 + n < sizeof(f->diagnostic)) {
	    if (have)
		f->diagnostic[have++] = ';', f->diagnostic[have++] = ' ';
	    sx_text_clean(f->diagnostic + have, sizeof(f->diagnostic) - have, ls, n);
	}
    }
    return (added);
}

/* sx_marked_alone - a reply that names no address */

static int sx_marked_alone(const struct sx_scan *s, const struct sx_marked *m,
			           const char *at, const char *limit)
{
    const char *r = sx_scan_next_line(s, at), *p = r;
    struct sx_finding f;
    struct sx_reply rep;
    int     lines = 0;

    while (p < limit && lines++ < 10 && sx_scan_line_end(s, p) > p)
	p = sx_scan_next_line(s, p);
    if (p == r || !sx_reply_parse(r, (size_t) (p - r), &rep) || rep.replycode == 0)
	return (0);
    sx_scan_finding(s, &f, "", r, (size_t) (p - r), m->engine);
    return (sx_scan_add(s, &f) > 0);
}

/* sx_marked_cause - the cause first, then the addresses it applies to */

static int sx_marked_cause(const struct sx_scan *s, const struct sx_marked *m,
			           const char *at, const char *limit)
{
    const char *r = sx_scan_next_line(s, at), *p, *eol, *cause_end = 0;
    char    addr[SX_ADDR_MAX];
    struct sx_finding f;
    int     added = 0, lines = 0;

    for (p = r; p < limit && lines < 20; p = sx_scan_next_line(s, p), lines++) {
	eol = sx_scan_line_end(s, p);
	if (eol == p && cause_end == 0)
	    continue;
	if (sx_scan_addr_at(p, eol, addr, sizeof(addr)) == 0) {
	    if (cause_end)
		break;				/* the list has ended */
	    continue;
	}
	if (cause_end == 0)
	    cause_end = p;
	if (cause_end == r)
	    break;				/* no cause given */
	sx_scan_finding(s, &f, addr, r, (size_t) (cause_end - r), m->engine);
	if (sx_scan_add(s, &f) > 0)
	    added++;
    }
    return (added);
}

/* All phrases of the table, compiled once. */

static const char *sx_marked_starts[SX_MARKED_N];
static struct sx_phrases sx_marked_set;
static pthread_once_t sx_marked_once = PTHREAD_ONCE_INIT;

static void sx_marked_init(void)
{
    size_t  i;

    for (i = 0; i < SX_MARKED_N; i++)
	sx_marked_starts[i] = sx_marked[i].start;
    sx_phrases_init(&sx_marked_set, sx_marked_starts, SX_MARKED_N);
}

/*
 * sx_marked_again - would reading row k at its new start repeat a
 * reading that found nothing? The same start gives the same answer; a
 * row read in the whole text (SX_SENTENCE) needs no second reading; a
 * line walk (SX_COMMON, SX_RECORD) finds nothing on lines it walked;
 * and a block walk (SX_LIST, SX_LEAD) that found nothing from some
 * line finds nothing from any line after it, whatever the row. Hostile
 * texts repeat a phrase thousands of times to make each start over.
 */
static int sx_marked_again(const struct sx_scan *s, size_t k, const char *start)
{
    struct sx_scan_memo *mm = s->memo;

    int     read = (mm->rows_read >> k) & 1;

    if (read && mm->row_start[k] == start)
	return (1);
    switch (sx_marked[k].how) {
    case SX_SENTENCE:
	return ((mm->rows_done >> k) & 1);
    case SX_COMMON:
    case SX_RECORD:
	return (((mm->rows_stopped >> k) & 1) && start < mm->row_stop[k]);
    case SX_LIST:
    case SX_LEAD:
	return (mm->blocks_done != 0 && start >= mm->blocks_done);
    default:
	return (0);
    }
}

static void sx_marked_none(const struct sx_scan *s, size_t k, const char *start)
{
    struct sx_scan_memo *mm = s->memo;

    mm->rows_read |= 1ULL << k;
    mm->row_start[k] = start;
    if (sx_marked[k].how == SX_SENTENCE)
	mm->rows_done |= 1ULL << k;
    if ((sx_marked[k].how == SX_LIST || sx_marked[k].how == SX_LEAD)
	&& (mm->blocks_done == 0 || start < mm->blocks_done))
	mm->blocks_done = start;
}

int     sx_read_phrases(const struct sx_scan *s)
{
    const char *end = sx_scan_end(s), *p = s->text, *at, *start;
    size_t  k;
    int     n;

    (void) pthread_once(&sx_marked_once, sx_marked_init);
    while (p < end && !sx_scan_spent(s)
	   && (at = sx_phrases_first(&sx_marked_set, p, (size_t) (end - p), &k)) != 0) {
	const struct sx_marked *m = sx_marked + k;

	(void) sx_scan_charge(s, (size_t) (at - p) + 1);
	p = at + 1;
	start = sx_scan_next_line(s, at);
	if (sx_marked_again(s, k, start))
	    continue;
	switch (m->how) {
	case SX_SENTENCE:
	    n = sx_scan_inline(s, m->start, 0, m->engine);
	    break;
	case SX_COMMON:
	    n = sx_marked_common(s, m, at, end);
	    break;
	case SX_CAUSE:
	    n = sx_marked_cause(s, m, at, end);
	    break;
	case SX_RECORD:
	    n = sx_marked_record(s, m, at, end);
	    break;
	case SX_ALONE:
	    n = sx_marked_alone(s, m, at, end);
	    break;
	case SX_LEAD:
	    n = sx_marked_lead(s, m, at, end);
	    break;
	default:
	    n = sx_scan_blocks_in(s, start, end, m->engine);
	    break;
	}
	if (n > 0)
	    return (n);
	sx_marked_none(s, k, start);
    }
    return (0);
}

