/*
 * NAME
 *	named 3
 * SUMMARY
 *	where each of many addresses is named in a text
 * DESCRIPTION
 *	See named.h. Equal addresses are folded first (a small hash), the
 *	distinct ones become the patterns of one automaton, and its single
 *	pass records each occurrence. Occurrences arrive in the order in
 *	which they end; an address holds no line end, so that is also the
 *	order of their lines, and a cursor that follows the pass finds
 *	each line's start and end once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/text.h>

#include "match.h"
#include "named.h"

struct sx_named {
    struct sx_occ *occ;
    size_t  nocc;
    size_t  cap;
    size_t  max;			/* occurrences kept at most */
    size_t  nlines;
    long   *head;			/* per address: first occurrence */
    long   *tail;
    unsigned *count;
    long   *canon;			/* per address: first equal one, or -1 */
    /* the pass */
    const char *text;
    size_t  text_len;
    size_t  cursor;			/* line ends seen up to here */
    size_t  bol;			/* start of the cursor's line */
    size_t  pending;			/* first occurrence without its eol */
    const size_t *pat_addr;		/* automaton pattern -> address */
    const size_t *pat_len;
    int     nomem;
};

/* sx_named_hash - FNV-1a of the address, case folded */

static uint64_t sx_named_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    for (; *s; s++)
	h = (h ^ sx_lower((unsigned char) *s)) * 1099511628211ULL;
    return (h);
}

static int sx_named_same(const char *a, const char *b)
{
    for (; *a && sx_lower((unsigned char) *a) == sx_lower((unsigned char) *b); a++, b++)
	 /* void */ ;
    return (*a == 0 && *b == 0);
}

/* sx_named_advance - line ends up to offset end: close pending lines */

static void sx_named_advance(struct sx_named *nx, size_t end)
{
    while (nx->cursor < end) {
	const char *nl = memchr(nx->text + nx->cursor, '\n', end - nx->cursor);
	size_t  x;

	if (nl == 0) {
	    nx->cursor = end;
	    return;
	}
	x = (size_t) (nl - nx->text);
	for (; nx->pending < nx->nocc; nx->pending++)
	    nx->occ[nx->pending].eol = (uint32_t) x;
	nx->bol = x + 1;
	nx->cursor = x + 1;
    }
}

static int sx_named_hit(void *ctx, size_t pat, size_t start)
{
    struct sx_named *nx = ctx;
    size_t  a = nx->pat_addr[pat];
    struct sx_occ *o;

    if (nx->count[a] >= SX_NAMED_PER || nx->nocc >= nx->max)
	return (0);
    sx_named_advance(nx, start + nx->pat_len[pat]);
    if (nx->nocc == nx->cap) {
	size_t  ncap = nx->cap ? 2 * nx->cap : 16;
	struct sx_occ *no;

	if (ncap > nx->max)
	    ncap = nx->max;
	if ((no = realloc(nx->occ, ncap * sizeof(*no))) == 0) {
	    nx->nomem = 1;
	    return (1);
	}
	nx->occ = no;
	nx->cap = ncap;
    }
    o = nx->occ + nx->nocc;
    o->start = (uint32_t) start;
    o->bol = (uint32_t) nx->bol;
    o->eol = (uint32_t) nx->text_len;
    if (nx->nocc == 0 || nx->occ[nx->nocc - 1].bol != o->bol)
	nx->nlines++;
    o->line = (uint32_t) (nx->nlines - 1);
    o->addr = (int32_t) a;
    o->next = -1;
    if (nx->tail[a] >= 0)
	nx->occ[nx->tail[a]].next = (int32_t) nx->nocc;
    else
	nx->head[a] = (long) nx->nocc;
    nx->tail[a] = (long) nx->nocc;
    nx->count[a]++;
    nx->nocc++;
    return (0);
}

/*
 * sx_named_few - the same occurrences for a few addresses, found by one
 * plain search each (most reports name one or two recipients: building
 * an automaton would cost more than the searches). Each search is
 * linear and each address has SX_NAMED_PER occurrences at most, so the
 * cost is that of a few passes; they are handed on in the order in
 * which they end, as the automaton would.
 */
#define SX_NAMED_FEW	4

static int sx_named_few(struct sx_named *nx, const char *text, size_t len,
			        const char **pats, size_t npat)
{
    size_t  at[SX_NAMED_FEW], k, best;
    const char *p;

    /* The next occurrence of each, or len when there is none. */
    for (k = 0; k < npat; k++)
	at[k] = (p = sx_text_find(text, len, pats[k])) ? (size_t) (p - text) : len;
    for (;;) {
	best = npat;
	for (k = 0; k < npat; k++)
	    if (at[k] < len && (best == npat || at[k] + nx->pat_len[k]
				< at[best] + nx->pat_len[best]))
		best = k;
	if (best == npat)
	    return (0);
	(void) sx_named_hit(nx, best, at[best]);
	if (nx->nomem)
	    return (-1);
	if (nx->count[nx->pat_addr[best]] >= SX_NAMED_PER) {
	    at[best] = len;
	    continue;
	}
	p = sx_text_find(text + at[best] + 1, len - at[best] - 1, pats[best]);
	at[best] = p ? (size_t) (p - text) : len;
    }
}

struct sx_named *sx_named_new(const char *text, size_t len, size_t text_len,
			              const char *const *addr, size_t n)
{
    struct sx_named *nx = calloc(1, sizeof(*nx));
    size_t  hsize = 16, i, npat = 0, chars = 0;
    long   *slot = 0;
    const char **pats = 0;
    size_t *pat_addr = 0, *pat_len = 0;
    struct sx_match *m = 0;

    if (nx == 0)
	return (0);
    if (len > UINT32_MAX - 1)
	len = UINT32_MAX - 1;
    if (text_len > UINT32_MAX - 1)
	text_len = UINT32_MAX - 1;
    while (hsize < 2 * n)
	hsize *= 2;
    /*
     * One block for the per-address arrays (kept) and another for what
     * only the build needs: most reports name one or two recipients.
     */
    {
	size_t  k = n ? n : 1;
	char   *keep = malloc(k * (3 * sizeof(long) + sizeof(unsigned)));
	char   *tmp = malloc(hsize * sizeof(*slot) + k * (sizeof(*pats)
				      + sizeof(*pat_addr) + sizeof(*pat_len)));

	if (keep == 0 || tmp == 0) {
	    free(keep);
	    free(tmp);
	    goto fail;
	}
	nx->head = (long *) keep;
	nx->tail = nx->head + k;
	nx->canon = nx->tail + k;
	nx->count = (unsigned *) (nx->canon + k);
	memset(nx->count, 0, k * sizeof(*nx->count));
	slot = (long *) tmp;
	pats = (const char **) (slot + hsize);
	pat_addr = (size_t *) (pats + k);
	pat_len = pat_addr + k;
    }
    memset(slot, 0xff, hsize * sizeof(*slot));
    /* Equal addresses fold into the first; the rest are patterns. */
    for (i = 0; i < n; i++) {
	size_t  h, alen = strlen(addr[i]);

	nx->head[i] = nx->tail[i] = -1;
	nx->canon[i] = -1;
	if (alen == 0)
	    continue;
	for (h = (size_t) sx_named_hash(addr[i]) & (hsize - 1); slot[h] >= 0;
	     h = (h + 1) & (hsize - 1))
	    if (sx_named_same(addr[slot[h]], addr[i]))
		break;
	if (slot[h] >= 0) {
	    nx->canon[i] = nx->canon[slot[h]];
	    continue;
	}
	slot[h] = (long) i;
	if (chars + alen > SX_NAMED_CHARS)
	    continue;				/* not indexed: never found */
	chars += alen;
	nx->canon[i] = (long) i;
	pats[npat] = addr[i];
	pat_addr[npat] = i;
	pat_len[npat] = alen;
	npat++;
    }
    nx->max = SX_NAMED_PER * (npat ? npat : 1);
    nx->text = text;
    nx->text_len = text_len;
    nx->pat_addr = pat_addr;
    nx->pat_len = pat_len;
    if (npat > 0 && npat <= SX_NAMED_FEW) {
	if (sx_named_few(nx, text, len, pats, npat) < 0)
	    goto fail;
    } else if (npat > 0) {
	if ((m = sx_match_new(pats, npat)) == 0)
	    goto fail;
	(void) sx_match_each(m, text, len, 4 * len + 64, sx_named_hit, nx);
	if (nx->nomem)
	    goto fail;
    }
    if (npat > 0) {
	/* The last line with occurrences ends after the pass. */
	if (nx->pending < nx->nocc && nx->cursor < text_len) {
	    const char *nl = memchr(text + nx->cursor, '\n', text_len - nx->cursor);

	    for (i = nx->pending; i < nx->nocc; i++)
		nx->occ[i].eol = (uint32_t) (nl ? (size_t) (nl - text) : text_len);
	}
    }
    sx_match_free(m);
    free(slot);				/* also pats, pat_addr, pat_len */
    nx->pat_addr = nx->pat_len = 0;
    return (nx);

fail:
    sx_match_free(m);
    free(slot);
    nx->pat_addr = nx->pat_len = 0;
    sx_named_free(nx);
    return (0);
}

long    sx_named_first(const struct sx_named *nx, size_t i)
{
    long    c = nx->canon[i];

    return (c < 0 ? -1 : nx->head[c]);
}

const struct sx_occ *sx_named_occ(const struct sx_named *nx, long k)
{
    return (nx->occ + k);
}

size_t  sx_named_count(const struct sx_named *nx)
{
    return (nx->nocc);
}

size_t  sx_named_lines(const struct sx_named *nx)
{
    return (nx->nlines);
}

void    sx_named_free(struct sx_named *nx)
{
    if (nx == 0)
	return;
    free(nx->occ);
    free(nx->head);			/* also tail, canon, count */
    free(nx);
}
