/*
 * NAME
 *	phrases 3
 * SUMMARY
 *	bounces known by the phrase that opens their list of recipients
 * DESCRIPTION
 *	Most non-standard bounces differ only in the words that open the
 *	list of failed recipients and in how each recipient is written:
 *	such shapes are phrase rows (phrases.h) and share the readers of
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
 *	A row whose phrase announces a delay ("... has been delayed") has
 *	SX_DELAYED or-ed into its layout: its findings are warnings, action
 *	delayed.
 *
 *	The rows live with their family, one file per MTA or vendor
 *	(phrases.h); sx_families[] below lists the families. The build
 *	compiles the rows into one automaton per tier (snapshot.h), looked
 *	for in one pass; the earliest phrase that yields a finding wins. A
 *	sending system that needs more than a phrase and a layout has a
 *	recogniser of its own (a file in this folder and a row in
 *	table.c). A new phrase is a row
 *	in its family's file: its sending system, its words (lower case)
 *	and its layout; a new family is a file and a line of sx_families[].
 *
 *	What a reading learnt of each row (where it started, where its
 *	line walk stopped, where the row's reason phrase is) is kept in a
 *	memo of one entry per row, made for each reading: there is no
 *	limit on the number of rows.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/reply.h>
#include <smtp-explain/text.h>

#include "match.h"
#include "scan.h"
#include "phrases.h"
#include "snapshot.h"

/* The families, in the order their rows are compiled. */

struct sx_family {
    const struct sx_marked *rows;
    const char *name;			/* of rows, in C (sx_tiers_emit()) */
};

#define SX_FAMILY(f) {.rows = sx_rows_##f, .name = "sx_rows_" #f}

static const struct sx_family sx_families[] = {
    SX_FAMILY(qmail),
    SX_FAMILY(postfix),
    SX_FAMILY(exim),
    SX_FAMILY(gateways),
    SX_FAMILY(sendmail),
    SX_FAMILY(zoho),
    SX_FAMILY(google),
    SX_FAMILY(microsoft),
    SX_FAMILY(courier),
    SX_FAMILY(opensmtpd),
    SX_FAMILY(dma),
    SX_FAMILY(filters),
    SX_FAMILY(oracle),
    SX_FAMILY(mobile),
    SX_FAMILY(imail),
    SX_FAMILY(domino),
    SX_FAMILY(yahoo),
    SX_FAMILY(kerio),
    SX_FAMILY(x400),
};

#define SX_FAMILIES_N (sizeof(sx_families) / sizeof(sx_families[0]))

/* What one reading learnt of one row (sx_marked_again()). */

struct sx_row_memo {
    const char *start;			/* the last reading's start (read) */
    const char *stop;			/* where its line walk stopped (stopped) */
    const char *reason_at;		/* its reason phrase (reason_done) */
    unsigned char done;			/* read in the whole text: nothing */
    unsigned char read;
    unsigned char stopped;
    unsigned char reason_done;
};

/* A reading: every row's memo, and where block walks find nothing. */

struct sx_marked_read {
    struct sx_row_memo *rows;
    const char *blocks_done;		/* block walks from here on find nothing */
};

/* The tiers (phrases.h): compiled at build time from the families. */

static int sx_tier_of(int how)
{
    switch (SX_LAYOUT(how)) {
    case SX_AROUND:
    case SX_BARE:
	return (SX_TIER_EXACT);
    case SX_WORDS_AFTER:
    case SX_WORDS_BEFORE:
	return (SX_TIER_WORDS);
    default:
	return (SX_TIER_LIST);
    }
}

/* sx_tier_fill - the rows of tier t and their distinct words */

static int sx_tier_fill(struct sx_tier *tr, int t)
{
    const struct sx_marked *m;
    size_t  i, k, n = 0;

    for (i = 0; i < SX_FAMILIES_N; i++)
	for (m = sx_families[i].rows; m->engine; m++)
	    n += sx_tier_of(m->how) == t;
    if (n == 0)
	return (0);
    if ((tr->rows = calloc(n, sizeof(*tr->rows))) == 0
	|| (tr->needles = calloc(n, sizeof(*tr->needles))) == 0
	|| (tr->first = calloc(n, sizeof(*tr->first))) == 0)
	return (-1);
    for (i = 0; i < SX_FAMILIES_N; i++)
	for (m = sx_families[i].rows; m->engine; m++) {
	    if (sx_tier_of(m->how) != t)
		continue;
	    tr->rows[tr->n++] = m;
	    for (k = 0; k < tr->nneedles; k++)
		if (strcmp(tr->needles[k], m->start) == 0)
		    break;
	    if (k == tr->nneedles) {
		tr->first[k] = m;
		tr->needles[tr->nneedles++] = m->start;
	    }
	}
    sx_phrases_init(&tr->set, tr->needles, tr->nneedles);
    return (tr->set.m != 0 || tr->nneedles == 0 ? 0 : -1);
}

void    sx_tiers_free(struct sx_tier *tiers)
{
    int     t;

    for (t = 0; t < SX_TIERS; t++) {
	free(tiers[t].rows);
	free(tiers[t].needles);
	free(tiers[t].first);
	sx_match_free(tiers[t].set.m);
	memset(tiers + t, 0, sizeof(tiers[t]));
    }
}

int     sx_tiers_build(struct sx_tier *tiers)
{
    int     t;

    memset(tiers, 0, SX_TIERS * sizeof(*tiers));
    for (t = 0; t < SX_TIERS; t++)
	if (sx_tier_fill(tiers + t, t) < 0) {
	    sx_tiers_free(tiers);
	    return (-1);
	}
    return (0);
}

/* sx_row_emit - a row's address, in C: "&sx_rows_exim[3]" */

static int sx_row_emit(FILE *fp, const struct sx_marked *row)
{
    const struct sx_marked *m;
    size_t  i;

    for (i = 0; i < SX_FAMILIES_N; i++)
	for (m = sx_families[i].rows; m->engine; m++)
	    if (m == row)
		return (fprintf(fp, "&%s[%zu],", sx_families[i].name,
				(size_t) (m - sx_families[i].rows)) < 0 ? -1 : 0);
    return (-1);				/* not a family's row */
}

static int sx_rows_emit(FILE *fp, const char *name, const struct sx_marked **rows,
			        size_t n)
{
    size_t  i;

    fprintf(fp, "static const struct sx_marked *const %s[%zu] = {", name, n);
    for (i = 0; i < n; i++) {
	fputs(i % 4 ? " " : "\n    ", fp);
	if (sx_row_emit(fp, rows[i]) < 0)
	    return (-1);
    }
    fputs("\n};\n", fp);
    return (0);
}

int     sx_tiers_emit(FILE *fp, const struct sx_tier *tiers)
{
    const struct sx_tier *tr;
    char    name[64], rows[64], first[64];
    int     t;

    for (t = 0; t < SX_TIERS; t++) {
	tr = tiers + t;
	if (tr->n == 0)
	    continue;
	snprintf(name, sizeof(name), "sx_tier%d", t);
	snprintf(rows, sizeof(rows), "sx_tier%d_rows", t);
	snprintf(first, sizeof(first), "sx_tier%d_first", t);
	if (sx_rows_emit(fp, rows, tr->rows, tr->n) < 0
	    || sx_rows_emit(fp, first, tr->first, tr->nneedles) < 0
	    || sx_phrases_emit(fp, &tr->set, name) < 0)
	    return (-1);
    }
    fprintf(fp, "const struct sx_tier sx_phrase_tiers[%d] = {\n", SX_TIERS);
    for (t = 0; t < SX_TIERS; t++) {
	tr = tiers + t;
	if (tr->n == 0) {
	    fputs("    {.n = 0},\n", fp);
	    continue;
	}
	/* Read-only data: the readers write nothing through these. */
	fprintf(fp, "    {.rows = (const struct sx_marked **) sx_tier%d_rows, .n = %zu,\n"
		"     .needles = (const char **) sx_tier%d_needles, .nneedles = %zu,\n"
		"     .first = (const struct sx_marked **) sx_tier%d_first,\n     .set = ",
		t, tr->n, t, tr->nneedles, t);
	snprintf(name, sizeof(name), "sx_tier%d", t);
	sx_phrases_ref(fp, &tr->set, name);
	fputs("},\n", fp);
    }
    fputs("};\n", fp);
    return (ferror(fp) ? -1 : 0);
}

const struct sx_tier *sx_phrase_tier(int t)
{
    return (t >= 0 && t < SX_TIERS ? sx_phrase_tiers + t : 0);
}

/* Row of needle k in the list tier (its words are its own). */

#define sx_marked(k) (sx_phrase_tiers[SX_TIER_LIST].first[k])

/*
 * sx_marked_lines - the lines after the phrase, up to a blank line, that
 * hold an address (after label, when given, else at the line's start):
 * one finding each, whose reply is [diag, diag + dlen), or the line
 * itself when diag is null. rm learns where the walk stopped.
 */
static int sx_marked_lines(const struct sx_scan *s, const struct sx_marked *m,
			           struct sx_row_memo *rm, const char *at,
			           const char *limit, const char *label,
			           const char *diag, size_t dlen)
{
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
    rm->stop = p < limit ? p : limit;
    rm->stopped = 1;
    return (added);
}

/* sx_marked_common - one reply, written before the list, for all */

static int sx_marked_common(const struct sx_scan *s, const struct sx_marked *m,
			            struct sx_row_memo *rm, const char *at,
			            const char *limit)
{
    const char *r;

    /* The first occurrence in the text, looked for once. */
    if (!rm->reason_done) {
	rm->reason_at = sx_scan_search(s, s->text, (size_t) (sx_scan_end(s) - s->text),
				       m->reason);
	rm->reason_done = 1;
    }
    if ((r = rm->reason_at) == 0 || r + strlen(m->reason) > at)
	return (0);
    r = sx_scan_next_line(s, r);
    return (sx_marked_lines(s, m, rm, at, limit, 0, r, (size_t) (at - r)));
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

/*
 * sx_marked_again - would reading row k at its new start repeat a
 * reading that found nothing? The same start gives the same answer; a
 * row read in the whole text (SX_SENTENCE) needs no second reading; a
 * line walk (SX_COMMON, SX_RECORD) finds nothing on lines it walked;
 * and a block walk (SX_LIST, SX_LEAD) that found nothing from some
 * line finds nothing from any line after it, whatever the row. Hostile
 * texts repeat a phrase thousands of times to make each start over.
 */
static int sx_marked_again(const struct sx_marked_read *rd, size_t k,
			           const char *start)
{
    const struct sx_row_memo *rm = rd->rows + k;

    if (rm->read && rm->start == start)
	return (1);
    switch (SX_LAYOUT(sx_marked(k)->how)) {
    case SX_SENTENCE:
	return (rm->done);
    case SX_COMMON:
    case SX_RECORD:
	return (rm->stopped && start < rm->stop);
    case SX_LIST:
    case SX_LEAD:
	return (rd->blocks_done != 0 && start >= rd->blocks_done);
    default:
	return (0);
    }
}

static void sx_marked_none(struct sx_marked_read *rd, size_t k, const char *start)
{
    struct sx_row_memo *rm = rd->rows + k;
    int     how = SX_LAYOUT(sx_marked(k)->how);

    rm->read = 1;
    rm->start = start;
    if (how == SX_SENTENCE)
	rm->done = 1;
    if ((how == SX_LIST || how == SX_LEAD)
	&& (rd->blocks_done == 0 || start < rd->blocks_done))
	rd->blocks_done = start;
}

/* sx_marked_delayed - findings [first, now) only report a delay */

static void sx_marked_delayed(const struct sx_scan *s, size_t first)
{
    size_t  i;

    for (i = first; i < sx_scan_count(s); i++)
	sx_scan_finding_rw(s, i)->action = SX_ACTION_DELAYED;
}

/* sx_marked_row - read the layout of row k whose phrase is at at */

static int sx_marked_row(const struct sx_scan *s, struct sx_marked_read *rd,
			         size_t k, const char *at, const char *start,
			         const char *end)
{
    const struct sx_marked *m = sx_marked(k);

    switch (SX_LAYOUT(m->how)) {
    case SX_SENTENCE:
	return (sx_scan_inline(s, m->start, 0, m->engine));
    case SX_COMMON:
	return (sx_marked_common(s, m, rd->rows + k, at, end));
    case SX_CAUSE:
	return (sx_marked_cause(s, m, at, end));
    case SX_RECORD:
	return (sx_marked_lines(s, m, rd->rows + k, at, end, m->reason, 0, 0));
    case SX_ALONE:
	return (sx_marked_alone(s, m, at, end));
    case SX_LEAD:
	return (sx_marked_lead(s, m, at, end));
    default:
	return (sx_scan_blocks_in(s, start, end, m->engine));
    }
}

int     sx_read_phrases(const struct sx_scan *s)
{
    const char *end = sx_scan_end(s), *p = s->text, *at, *start;
    struct sx_marked_read rd;
    const struct sx_tier *tr = sx_phrase_tier(SX_TIER_LIST);
    size_t  k, first;
    int     n = 0;

    if (tr->nneedles == 0 || (rd.rows = calloc(tr->nneedles, sizeof(*rd.rows))) == 0)
	return (0);
    rd.blocks_done = 0;
    while (p < end && !sx_scan_spent(s)
	   && (at = sx_phrases_first(&tr->set, p, (size_t) (end - p), &k)) != 0) {
	(void) sx_scan_charge(s, (size_t) (at - p) + 1);
	p = at + 1;
	start = sx_scan_next_line(s, at);
	if (sx_marked_again(&rd, k, start))
	    continue;
	first = sx_scan_count(s);
	if ((n = sx_marked_row(s, &rd, k, at, start, end)) > 0) {
	    if (sx_marked(k)->how & SX_DELAYED)
		sx_marked_delayed(s, first);
	    break;
	}
	sx_marked_none(&rd, k, start);
    }
    free(rd.rows);
    return (n > 0 ? n : 0);
}
