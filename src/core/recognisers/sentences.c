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
 *	SX_AFTER  the address follows the words, as a label: Ipswitch
 *		  IMail (SMTP32) "User mailbox exceeds allowed size: a@b".
 *	SX_BEFORE the address comes before the words, in one sentence:
 *		  vpopmail's over-quota notice "Your message to a@b was
 *		  rejected due to the user exceeding its mailbox quota."
 *
 *	Unlike a phrase row (phrases.c), whose diagnostic starts after its
 *	words, the words are the diagnostic here: the whole line and the
 *	rest of its paragraph (at most SX_SENTENCE_LINES lines), so that
 *	the reason rules see them.
 *
 *	The rows are compiled once into one automaton and the text is
 *	read in one pass: a line that held a row's words is read once,
 *	and the search goes on after it. Nothing is read past
 *	sx_scan_end().
 * DIAGNOSTICS
 *	The number of findings added.
 */
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include "scan.h"

#define SX_AFTER	0		/* the address after the words */
#define SX_BEFORE	1		/* the address before the words */

#define SX_SENTENCE_LINES 6		/* the diagnostic: line + paragraph */

struct sx_sentence {
    const char *engine;
    const char *words;			/* lower case */
    int     where;			/* SX_AFTER, SX_BEFORE */
};

static const struct sx_sentence sx_sentences[] = {
    /* Ipswitch IMail, SMTP32: one "label: address" line per recipient. */
    {"imailserver", "user mailbox exceeds allowed size:", SX_AFTER},
    /* vpopmail (vdelivermail), a domain's over-quota notice. */
    {"vpopmail", "was rejected due to the user exceeding its mailbox quota", SX_BEFORE},
};

#define SX_SENTENCES_N (sizeof(sx_sentences) / sizeof(sx_sentences[0]))

static const char *sx_sentence_words[SX_SENTENCES_N];
static struct sx_phrases sx_sentence_set;
static pthread_once_t sx_sentence_once = PTHREAD_ONCE_INIT;

static void sx_sentence_init(void)
{
    size_t  i;

    for (i = 0; i < SX_SENTENCES_N; i++)
	sx_sentence_words[i] = sx_sentences[i].words;
    sx_phrases_init(&sx_sentence_set, sx_sentence_words, SX_SENTENCES_N);
}

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
    const struct sx_sentence *row;
    char    addr[SX_ADDR_MAX];
    struct sx_finding f;
    size_t  k;
    int     added = 0, ok;

    (void) pthread_once(&sx_sentence_once, sx_sentence_init);
    while (p < end && !sx_scan_spent(s)
	   && (at = sx_phrases_first(&sx_sentence_set, p, (size_t) (end - p), &k)) != 0) {
	row = sx_sentences + k;
	/* The line of the words, read once: the search goes on after it. */
	for (ls = at; ls > p && ls[-1] != '\n'; ls--)
	     /* void */ ;
	le = sx_scan_line_end(s, at);
	if (le > end)
	    le = end;
	(void) sx_scan_charge(s, (size_t) (le - p) + 1);
	if (row->where == SX_AFTER)
	    ok = sx_scan_addr_at(at + strlen(row->words), le, addr, sizeof(addr)) > 0;
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
