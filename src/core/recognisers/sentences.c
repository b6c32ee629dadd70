/*
 * NAME
 *	sentences 3
 * SUMMARY
 *	one line per recipient, in a server's own words around the address
 * SYNOPSIS
 *	#include "scan.h"
 *
 *	int	sx_read_sentences(const struct sx_scan *s)
 * DESCRIPTION
 *	Some servers write no list: each failed recipient gets a line of
 *	its own whose words say what happened, the address inside them,
 *	before or after the words:
 *
 *	SX_WORDS_AFTER	the address follows the words, as a label:
 *		Ipswitch IMail (SMTP32) "User mailbox exceeds allowed
 *		size: a@b" (imail.c).
 *	SX_WORDS_BEFORE	the address comes before the words, in one
 *		sentence: vpopmail's over-quota notice "Your message to
 *		a@b was rejected due to the user exceeding its mailbox
 *		quota" (qmail.c).
 *
 *	Unlike a phrase row (phrases.c), whose diagnostic starts after its
 *	words, the words are the diagnostic here: the whole line and the
 *	rest of its paragraph (at most SX_SENTENCE_LINES lines), so that
 *	the reason rules see them.
 *
 *	The rows are phrase rows of the words tier (phrases.h), kept
 *	with their families and compiled once by phrases.c; the text is
 *	read in one pass: a line that held a row's words is read once,
 *	and the search goes on after it. Nothing is read past
 *	sx_scan_end().
 * DIAGNOSTICS
 *	The number of findings added.
 */
#include <stddef.h>
#include <string.h>

#include "scan.h"
#include "phrases.h"

#define SX_SENTENCE_LINES 6		/* the diagnostic: line + paragraph */

/* sx_sentence_before - the last address in [p, end), one token at a time */

static int sx_sentence_before(const char *p, const char *end, char *addr,
			              size_t size)
{
    char    tmp[SX_ADDR_MAX];
    const char *q;
    size_t  n;
    int     found = 0;

    while (p < end) {
	while (p < end && (*p == ' ' || *p == '\t'))
	    p++;
	if (p >= end)
	    break;
	if ((n = sx_scan_addr_at(p, end, tmp, sizeof(tmp))) > 0
	    && strlen(tmp) < size) {
	    memcpy(addr, tmp, strlen(tmp) + 1);
	    found = 1;
	    p += n;
	    continue;
	}
	/* Not an address: skip the token. */
	for (q = p; q < end && *q != ' ' && *q != '\t'; q++)
	     /* void */ ;
	p = q;
    }
    return (found);
}

/* sx_sentence_para - the end of the paragraph of the line at p */

static const char *sx_sentence_para(const struct sx_scan *s, const char *p,
				            const char *end)
{
    int     lines = 0;

    while (p < end && lines++ < SX_SENTENCE_LINES
	   && sx_scan_line_end(s, p) > p)
	p = sx_scan_next_line(s, p);
    return (p < end ? p : end);
}

int     sx_read_sentences(const struct sx_scan *s)
{
    const char *end = sx_scan_end(s), *p = s->text, *at, *ls, *le, *pe;
    const struct sx_tier *tr = sx_phrase_tier(SX_TIER_WORDS);
    const struct sx_marked *row;
    char    addr[SX_ADDR_MAX];
    struct sx_finding f;
    size_t  k;
    int     added = 0, ok;

    if (tr->nneedles == 0)
	return (0);
    while (p < end && !sx_scan_spent(s)
	   && (at = sx_phrases_first(&tr->set, p, (size_t) (end - p), &k)) != 0) {
	row = tr->rows[k];
	/* The line of the words, read once: the search goes on after it. */
	for (ls = at; ls > p && ls[-1] != '\n'; ls--)
	     /* void */ ;
	le = sx_scan_line_end(s, at);
	if (le > end)
	    le = end;
	(void) sx_scan_charge(s, (size_t) (le - p) + 1);
	if (SX_LAYOUT(row->how) == SX_WORDS_AFTER)
	    ok = sx_scan_addr_at(at + strlen(row->start), le, addr, sizeof(addr)) > 0;
	else
	    ok = sx_sentence_before(ls, at, addr, sizeof(addr));
	if (ok && !sx_scan_known(s, addr)) {
	    pe = sx_sentence_para(s, ls, end);
	    sx_scan_finding(s, &f, addr, ls, (size_t) (pe - ls), row->engine);
	    if (sx_scan_add(s, &f) > 0)
		added++;
	}
	p = le < end ? le + 1 : end;
    }
    return (added);
}
