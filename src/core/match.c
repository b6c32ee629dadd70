/*
 * NAME
 *	match 3
 * SUMMARY
 *	many-pattern substring search
 * DESCRIPTION
 *	The automaton is built as a trie, then completed into a DFA by a
 *	breadth-first pass over failure links. Bytes are mapped to a small
 *	alphabet (the distinct case-folded bytes of the patterns, plus one
 *	class for every other byte) so the transition table stays small.
 */
#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "match.h"
#include "match_int.h"

void    sx_match_free(struct sx_match *m)
{
    if (m == 0)
	return;
    free(m->delta);
    free(m->out);
    free(m->term);
    free(m->same);
    free(m->dict);
    free(m->plen);
    free(m->pair);
    free(m->depth);
    free(m->shift);
    free(m);
}

/*
 * sx_match_renumber - states in breadth-first order. A walk over
 * ordinary text stays near the root; numbered first, those states
 * share a few cache lines instead of lying all over the table.
 */
static int sx_match_renumber(struct sx_match *m, const uint16_t *order, size_t n)
{
    size_t  ns = m->nstates, i, c;
    uint16_t *map = malloc(ns * sizeof(*map));
    uint16_t *delta = malloc(ns * m->nclass * sizeof(*delta));
    uint16_t *dict = malloc(ns * sizeof(*dict));
    int32_t *out = malloc(ns * sizeof(*out));
    long   *term = malloc(ns * sizeof(*term));
    uint16_t *depth = malloc(ns * sizeof(*depth));

    if (map == 0 || delta == 0 || dict == 0 || out == 0 || term == 0 || depth == 0
	|| n + 1 != ns) {
	free(map), free(delta), free(dict), free(out), free(term), free(depth);
	return (n + 1 != ns ? 0 : -1);
    }
    map[0] = 0;
    for (i = 0; i < n; i++)
	map[order[i]] = (uint16_t) (i + 1);
    for (i = 0; i < ns; i++) {
	size_t  to = map[i];

	for (c = 0; c < m->nclass; c++)
	    delta[to * m->nclass + c] = map[m->delta[i * m->nclass + c]];
	dict[to] = map[m->dict[i]];
	out[to] = m->out[i];
	term[to] = m->term[i];
	depth[to] = m->depth[i];
    }
    free(m->delta), free(m->dict), free(m->out), free(m->term), free(m->depth), free(map);
    m->delta = delta, m->dict = dict, m->out = out, m->term = term, m->depth = depth;
    return (0);
}

/*
 * sx_match_shifts - a skip table for sx_match_first() (Wu-Manber): a
 * window as long as the shortest pattern slides over the text; the two
 * bytes at its end say how far it may move without passing a place
 * where a pattern could start. Only for patterns of three bytes or more.
 */
#define SX_SHIFT_SIZE	SX_MATCH_SHIFT_SIZE
#define SX_SHIFT_HASH(a, b) \
    ((((unsigned) sx_fold(a) << 5) ^ (unsigned) sx_fold(b)) & (SX_SHIFT_SIZE - 1))

static unsigned char sx_fold(unsigned char c)
{
    return ((unsigned) (c - 'A') < 26u ? (unsigned char) (c + 32) : c);
}

static int sx_match_shifts(struct sx_match *m, const char *const *pats, size_t n)
{
    size_t  i, j, w = (size_t) -1;

    for (i = 0; i < n; i++)
	if (m->plen[i] && m->plen[i] < w)
	    w = m->plen[i];
    if (w == (size_t) -1 || w < 3)
	return (0);
    m->minlen = w;
    if ((m->shift = malloc(SX_SHIFT_SIZE)) == 0)
	return (-1);
    memset(m->shift, w - 1 < 255 ? (int) (w - 1) : 255, SX_SHIFT_SIZE);
    for (i = 0; i < n; i++) {
	const unsigned char *p = (const unsigned char *) pats[i];

	if (m->plen[i] == 0)
	    continue;
	for (j = 1; j < w; j++) {
	    unsigned h = SX_SHIFT_HASH(p[j - 1], p[j]);

	    if (m->shift[h] > w - 1 - j)
		m->shift[h] = (unsigned char) (w - 1 - j);
	}
    }
    return (0);
}

/*
 * sx_match_pairs - the two-byte starts of the patterns, in both cases.
 * Where the automaton is at its root and the next two bytes start no
 * pattern, the first of them can be passed without a transition: the
 * state after the second is the same either way. Ordinary text is
 * mostly such bytes. Not used when a pattern has a single byte.
 */
static int sx_match_pairs(struct sx_match *m, const char *const *pats, size_t n)
{
    size_t  i;

    for (i = 0; i < n; i++)
	if (pats[i][0] && pats[i][1] == 0)
	    return (0);
    if ((m->pair = calloc(SX_MATCH_PAIR_SIZE, 1)) == 0)
	return (-1);
    for (i = 0; i < n; i++) {
	unsigned a = (unsigned char) tolower((unsigned char) pats[i][0]), b;
	unsigned ca, cb;

	if (a == 0)
	    continue;				/* an empty pattern starts nothing */
	b = (unsigned char) tolower((unsigned char) pats[i][1]);
	for (ca = 0; ca < 2; ca++)
	    for (cb = 0; cb < 2; cb++) {
		unsigned x = ca ? (unsigned) toupper((int) a) : a;
		unsigned y = cb ? (unsigned) toupper((int) b) : b;
		unsigned k = x << 8 | y;

		m->pair[k >> 3] |= (unsigned char) (1u << (k & 7));
	    }
    }
    return (sx_match_shifts(m, pats, n));
}

/* sx_match_skip - at the root: the next byte that may start a pattern */

static inline size_t sx_match_skip(const struct sx_match *m, const unsigned char *t,
				           size_t i, size_t len)
{
    for (; i + 1 < len; i++) {
	unsigned k = (unsigned) t[i] << 8 | t[i + 1];

	if (m->pair[k >> 3] & (1u << (k & 7)))
	    return (i);
    }
    return (len);			/* a last byte alone starts nothing */
}

struct sx_match *sx_match_new(const char *const *pats, size_t n)
{
    struct sx_match *m = calloc(1, sizeof(*m));
    size_t  i, cap = 1, total = 1;
    uint16_t *fail = 0, *queue = 0;
    size_t  head = 0, tail = 0;
    unsigned c;

    if (m == 0)
	return (0);
    /* Alphabet of the patterns, case folded. */
    m->nclass = 1;
    for (i = 0; i < n; i++) {
	const unsigned char *p;

	for (p = (const unsigned char *) pats[i]; *p; p++) {
	    unsigned char f = (unsigned char) tolower(*p);

	    if (m->cls[f] == 0)
		m->cls[f] = (unsigned char) m->nclass++;
	    total++;
	}
    }
    for (c = 'A'; c <= 'Z'; c++)
	m->cls[c] = m->cls[tolower((int) c)];
    if (total > 65535)
	goto fail;
    cap = total;
    m->delta = calloc(cap * m->nclass, sizeof(*m->delta));
    m->out = malloc(cap * sizeof(*m->out));
    m->term = malloc(cap * sizeof(*m->term));
    m->dict = calloc(cap, sizeof(*m->dict));
    m->same = malloc((n ? n : 1) * sizeof(*m->same));
    m->plen = calloc(n ? n : 1, sizeof(*m->plen));
    m->depth = calloc(cap, sizeof(*m->depth));
    m->npat = n;
    fail = calloc(cap, sizeof(*fail));
    queue = malloc(cap * sizeof(*queue));
    if (m->delta == 0 || m->out == 0 || m->term == 0 || m->dict == 0
	|| m->same == 0 || m->plen == 0 || m->depth == 0 || fail == 0 || queue == 0)
	goto fail;
    for (i = 0; i < cap; i++)
	m->out[i] = SX_MATCH_NONE, m->term[i] = -1;
    for (i = 0; i < n; i++)
	m->same[i] = -1;
    m->nstates = 1;

    /* The trie; 0 is the root and doubles as "no edge". */
    for (i = 0; i < n; i++) {
	const unsigned char *p = (const unsigned char *) pats[i];
	size_t  s = 0;

	if (*p == 0)
	    continue;
	m->plen[i] = (uint16_t) strlen(pats[i]);
	if (m->plen[i] > m->maxlen)
	    m->maxlen = m->plen[i];
	for (; *p; p++) {
	    unsigned k = m->cls[(unsigned char) tolower(*p)];
	    uint16_t *d = m->delta + s * m->nclass + k;

	    if (*d == 0) {
		m->depth[m->nstates] = (uint16_t) (m->depth[s] + 1);
		*d = (uint16_t) m->nstates++;
	    }
	    s = *d;
	}
	if ((int32_t) i < m->out[s])
	    m->out[s] = (int32_t) i;
	/* Equal patterns chain from the state's term. */
	m->same[i] = m->term[s];
	m->term[s] = (long) i;
    }

    /* Breadth first: failure links and completed transitions. */
    for (c = 0; c < m->nclass; c++)
	if (m->delta[c])
	    queue[tail++] = m->delta[c];
    while (head < tail) {
	size_t  s = queue[head++];

	if (m->out[fail[s]] < m->out[s])
	    m->out[s] = m->out[fail[s]];
	m->dict[s] = m->term[fail[s]] >= 0 ? fail[s] : m->dict[fail[s]];
	for (c = 0; c < m->nclass; c++) {
	    uint16_t *d = m->delta + s * m->nclass + c;
	    uint16_t f = m->delta[fail[s] * m->nclass + c];

	    if (*d) {
		fail[*d] = f;
		queue[tail++] = *d;
	    } else {
		*d = f;
	    }
	}
    }
    free(fail);
    if (sx_match_renumber(m, queue, tail) < 0) {
	free(queue);
	goto fail;
    }
    free(queue);
    if (sx_match_pairs(m, pats, n) < 0)
	goto fail;
    return (m);

fail:
    free(fail);
    free(queue);
    sx_match_free(m);
    return (0);
}

void    sx_match_scan(const struct sx_match *m, const char *text, size_t len,
		              size_t split, long *first, unsigned char *bits)
{
    const unsigned char *t = (const unsigned char *) text;
    size_t  s = 0, d, i;
    long    best = SX_MATCH_NONE, k;

    for (i = 0; i < len; i++) {
	if (s == 0 && m->pair && (i = sx_match_skip(m, t, i, len)) >= len)
	    break;
	s = m->delta[s * m->nclass + m->cls[t[i]]];
	if (m->out[s] == SX_MATCH_NONE)
	    continue;
	if (m->out[s] < best)
	    best = m->out[s];
	if (bits == 0) {
	    if (best == 0)
		break;				/* nothing can come first */
	    continue;
	}
	for (d = s; d; d = m->dict[d])
	    for (k = m->term[d]; k >= 0; k = m->same[k])
		if ((size_t) k >= split)
		    bits[(k - (long) split) >> 3] |= (unsigned char) (1u << ((k - (long) split) & 7));
    }
    *first = (best == SX_MATCH_NONE || (size_t) best >= split) ? -1 : best;
}

/*
 * sx_match_first - the leftmost occurrence. A pattern found ending at
 * i may start later than a longer one that ends after i, so the walk
 * goes on until no pattern can still start at or before the best.
 */
/*
 * sx_match_at - the lowest pattern that starts at t (a walk down the
 * trie, not through failure links), or -1; *steps counts the bytes read.
 */
static long sx_match_at(const struct sx_match *m, const unsigned char *t,
			        size_t len, size_t *steps)
{
    size_t  s = 0, i;
    long    best = -1, k;

    for (i = 0; i < len && i < m->maxlen; i++) {
	s = m->delta[s * m->nclass + m->cls[t[i]]];
	(*steps)++;
	if (s == 0 || m->depth[s] != i + 1)
	    break;				/* no pattern starts with t[0..i] */
	for (k = m->term[s]; k >= 0; k = m->same[k])
	    if (best < 0 || k < best)
		best = k;
    }
    return (best);
}

const char *sx_match_first(const struct sx_match *m, const char *text,
			           size_t len, size_t *which)
{
    const unsigned char *t = (const unsigned char *) text;
    size_t  s = 0, d, i = 0, best = (size_t) -1, bestk = 0, start;
    size_t  steps = 0, allow = 2 * len + 64;
    long    k;

    /*
     * Skipping: where the window's last two bytes allow no start, move
     * on; elsewhere see whether a pattern starts at the window. When the
     * looks cost more than two passes over the text (a text made of the
     * patterns' prefixes), the automaton reads the rest once.
     */
    if (m->shift) {
	while (len >= m->minlen && i <= len - m->minlen && steps <= allow) {
	    const unsigned char *e = t + i + m->minlen - 1;
	    unsigned sh = m->shift[SX_SHIFT_HASH(e[-1], e[0])];

	    if (sh) {
		i += sh;
		continue;
	    }
	    if ((k = sx_match_at(m, t + i, len - i, &steps)) >= 0) {
		if (which)
		    *which = (size_t) k;
		return (text + i);
	    }
	    i++;
	}
	if (len < m->minlen || i > len - m->minlen)
	    return (0);
    }
    for (; i < len; i++) {
	if (best != (size_t) -1 && i >= best + m->maxlen)
	    break;
	if (s == 0 && m->pair && (i = sx_match_skip(m, t, i, len)) >= len)
	    break;
	s = m->delta[s * m->nclass + m->cls[t[i]]];
	if (m->out[s] == SX_MATCH_NONE)
	    continue;
	for (d = m->term[s] >= 0 ? s : m->dict[s]; d; d = m->dict[d])
	    for (k = m->term[d]; k >= 0; k = m->same[k]) {
		start = i + 1 - m->plen[k];
		if (start < best || (start == best && (size_t) k < bestk))
		    best = start, bestk = (size_t) k;
	    }
    }
    if (best == (size_t) -1)
	return (0);
    if (which)
	*which = bestk;
    return (text + best);
}

size_t  sx_match_each(const struct sx_match *m, const char *text, size_t len,
		              size_t max_visits, sx_match_fn *fn, void *ctx)
{
    const unsigned char *t = (const unsigned char *) text;
    size_t  s = 0, d, i, visits = 0;
    long    k;

    for (i = 0; i < len; i++) {
	if (s == 0 && m->pair && (i = sx_match_skip(m, t, i, len)) >= len)
	    break;
	s = m->delta[s * m->nclass + m->cls[t[i]]];
	if (m->out[s] == SX_MATCH_NONE)
	    continue;
	for (d = m->term[s] >= 0 ? s : m->dict[s]; d; d = m->dict[d])
	    for (k = m->term[d]; k >= 0; k = m->same[k]) {
		if (++visits > max_visits)
		    return (i);
		if (fn(ctx, (size_t) k, i + 1 - m->plen[k]) != 0)
		    return (i);
	    }
    }
    return (len);
}

size_t  sx_match_count(const struct sx_match *m)
{
    return (m->npat);
}

/*
 * The snapshot (match_int.h): an automaton written as C data, and the
 * comparison that proves the data is the automaton. Both walk one table
 * of the automaton's arrays.
 */

enum sx_match_count {
    SX_COUNT_TRANSITIONS,	/* nstates * nclass */
    SX_COUNT_STATES,
    SX_COUNT_PATTERNS,
    SX_COUNT_PAIR,		/* SX_MATCH_PAIR_SIZE */
    SX_COUNT_SHIFT,		/* SX_MATCH_SHIFT_SIZE */
};

struct sx_match_array {
    const char *member;		/* its name in struct sx_match */
    const char *type;		/* its element type, in C */
    size_t  offset;		/* of the pointer in struct sx_match */
    size_t  size;		/* of an element: 1, 2, 4 or 8 */
    enum sx_match_count count;
};

#define SX_ARR(m, t, c) {#m, #t, offsetof(struct sx_match, m), sizeof(t), (c)}

static const struct sx_match_array sx_match_arrays[] = {
    SX_ARR(delta, uint16_t, SX_COUNT_TRANSITIONS),
    SX_ARR(out, int32_t, SX_COUNT_STATES),
    SX_ARR(term, long, SX_COUNT_STATES),
    SX_ARR(same, long, SX_COUNT_PATTERNS),
    SX_ARR(dict, uint16_t, SX_COUNT_STATES),
    SX_ARR(plen, uint16_t, SX_COUNT_PATTERNS),
    SX_ARR(pair, unsigned char, SX_COUNT_PAIR),
    SX_ARR(depth, uint16_t, SX_COUNT_STATES),
    SX_ARR(shift, unsigned char, SX_COUNT_SHIFT),
};

#define SX_MATCH_ARRAYS (sizeof(sx_match_arrays) / sizeof(sx_match_arrays[0]))

static const void *sx_array_of(const struct sx_match *m, const struct sx_match_array *a)
{
    return (*(const void *const *) ((const char *) m + a->offset));
}

static size_t sx_array_len(const struct sx_match *m, const struct sx_match_array *a)
{
    switch (a->count) {
    case SX_COUNT_TRANSITIONS:
	return (m->nstates * m->nclass);
    case SX_COUNT_STATES:
	return (m->nstates);
    case SX_COUNT_PATTERNS:
	return (m->npat);
    case SX_COUNT_PAIR:
	return (SX_MATCH_PAIR_SIZE);
    case SX_COUNT_SHIFT:
	return (SX_MATCH_SHIFT_SIZE);
    }
    return (0);
}

/* sx_array_at - element i, as a number (types per sx_match_arrays[]) */

static long sx_array_at(const void *arr, const struct sx_match_array *a, size_t i)
{
    switch (a->size) {
    case 1:
	return ((long) ((const unsigned char *) arr)[i]);
    case 2:
	return ((long) ((const uint16_t *) arr)[i]);
    case 4:
	return ((long) ((const int32_t *) arr)[i]);
    default:
	return (((const long *) arr)[i]);
    }
}

int     sx_match_emit(FILE *fp, const struct sx_match *m, const char *name)
{
    const struct sx_match_array *a;
    const void *arr;
    size_t  i, n;

    for (a = sx_match_arrays; a < sx_match_arrays + SX_MATCH_ARRAYS; a++) {
	if ((arr = sx_array_of(m, a)) == 0 || (n = sx_array_len(m, a)) == 0)
	    continue;
	fprintf(fp, "static const %s %s_%s[%zu] = {", a->type, name, a->member, n);
	for (i = 0; i < n; i++)
	    fprintf(fp, "%s%ld,", i % 16 ? "" : "\n", sx_array_at(arr, a, i));
	fprintf(fp, "\n};\n");
    }
    fprintf(fp, "static const struct sx_match %s = {\n    .cls = {", name);
    for (i = 0; i < sizeof(m->cls); i++)
	fprintf(fp, "%s%u,", i % 16 ? "" : "\n\t", (unsigned) m->cls[i]);
    fprintf(fp, "\n    },\n    .nclass = %u,\n", m->nclass);
    /* Read-only data: nothing writes through these (see match_int.h). */
    for (a = sx_match_arrays; a < sx_match_arrays + SX_MATCH_ARRAYS; a++)
	if (sx_array_of(m, a) != 0 && sx_array_len(m, a) != 0)
	    fprintf(fp, "    .%s = (%s *) %s_%s,\n", a->member, a->type, name, a->member);
    fprintf(fp, "    .minlen = %zu,\n    .maxlen = %zu,\n    .nstates = %zu,\n"
	    "    .npat = %zu,\n};\n", m->minlen, m->maxlen, m->nstates, m->npat);
    return (ferror(fp) ? -1 : 0);
}

int     sx_match_same(const struct sx_match *x, const struct sx_match *y)
{
    const struct sx_match_array *a;
    const void *p, *q;
    size_t  n;

    if (x == 0 || y == 0)
	return (x == y);
    if (memcmp(x->cls, y->cls, sizeof(x->cls)) != 0 || x->nclass != y->nclass
	|| x->nstates != y->nstates || x->npat != y->npat || x->minlen != y->minlen
	|| x->maxlen != y->maxlen)
	return (0);
    for (a = sx_match_arrays; a < sx_match_arrays + SX_MATCH_ARRAYS; a++) {
	if ((n = sx_array_len(x, a)) == 0)
	    continue;			/* nothing read from it */
	p = sx_array_of(x, a);
	q = sx_array_of(y, a);
	if ((p == 0) != (q == 0) || (p && memcmp(p, q, n * a->size) != 0))
	    return (0);
    }
    return (1);
}
