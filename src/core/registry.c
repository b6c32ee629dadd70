/*
 * NAME
 *	registry 3
 * SUMMARY
 *	what SMTP reply codes mean: tables and lookups
 * DESCRIPTION
 *	See registry.h. Entries are appended as they are loaded; sealing
 *	sorts each table by key (stable, so that of two entries with one
 *	key the later wins and the earlier is dropped) and builds the
 *	indexes: a direct array for basic codes, binary search for
 *	enhanced and vendor codes, and a pattern automaton for the reason
 *	and vendor text fragments (see sx_match in match.c).
 */
#include <assert.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/registry.h>
#include <smtp-explain/reply.h>
#include <smtp-explain/text.h>

#include "match.h"

/* What one vendor lookup knows of the text: which patterns occur. */
struct sx_vendor_q {
    const struct sx_registry *reg;
    const char *text;
    const char *host;
    int     scanned;
    const unsigned char *bits;	/* own, or a sx_text_hits' */
    unsigned char own[SX_VENDOR_BITS / 8];
};

/* A vendor code range, parsed once at seal. */
struct sx_range {
    unsigned cls, subj, lo, hi;
    size_t  index;		/* in the vendor table */
    unsigned seq;		/* load order */
};

struct sx_table {
    struct sx_entry *v;		/* entries, owned */
    unsigned *seq;		/* load order, parallel to v */
    size_t *runs;		/* sealed: end of the run of v[i]'s code */
    uint32_t *hash;		/* sealed: code -> first index + 1, or 0 */
    size_t  hcap;		/* slots in hash, a power of two */
    size_t  len;
    size_t  cap;
};

struct sx_registry {
    struct sx_table t[4];
    int     sealed;
    const struct sx_entry *basic_idx[1000];
    struct sx_match *texts;	/* reason then vendor patterns */
    struct sx_range *ranges;	/* vendor entries with a code range */
    size_t  nranges;
    unsigned seq;
};

/* Range bounds of a vendor code "5.7.500-5.7.750", parsed at seal. */

static int sx_code_range(const char *code, unsigned *cls, unsigned *subj,
			         unsigned *lo, unsigned *hi)
{
    const char *dash = strchr(code, '-');
    unsigned c2, s2;

    if (dash == 0)
	return (0);
    if (sscanf(code, "%u.%u.%u", cls, subj, lo) != 3
	|| sscanf(dash + 1, "%u.%u.%u", &c2, &s2, hi) != 3
	|| c2 != *cls || s2 != *subj || *hi < *lo)
	return (0);
    return (1);
}

struct sx_registry *sx_registry_new(void)
{
    return (calloc(1, sizeof(struct sx_registry)));
}

static void sx_entry_free_strings(struct sx_entry *e)
{
    const char *const *h;

    free((void *) e->code);
    free((void *) e->vendor);
    free((void *) e->title);
    free((void *) e->text);
    free((void *) e->action);
    free((void *) e->reason);
    free((void *) e->reason_transient);
    free((void *) e->ref);
    free((void *) e->pattern);
    if (e->hosts) {
	for (h = e->hosts; *h; h++)
	    free((void *) *h);
	free((void *) e->hosts);
    }
}

void    sx_registry_free(struct sx_registry *reg)
{
    size_t  i, j;

    if (reg == 0)
	return;
    for (i = 0; i < 4; i++) {
	for (j = 0; j < reg->t[i].len; j++)
	    sx_entry_free_strings(reg->t[i].v + j);
	free(reg->t[i].v);
	free(reg->t[i].seq);
	free(reg->t[i].runs);
	free(reg->t[i].hash);
    }
    sx_match_free(reg->texts);
    free(reg->ranges);
    free(reg);
}

static int sx_dup(const char **dst, const char *src)
{
    if (src == 0) {
	*dst = 0;
	return (0);
    }
    if ((*dst = strdup(src)) == 0)
	return (-1);
    return (0);
}

/*
 * sx_dup_text - a copy made safe once, at load: the words a registry
 * gives (title, meaning, advice) go into headers as they are.
 */
static int sx_dup_text(const char **dst, const char *src)
{
    size_t  n;
    char   *d;

    if (src == 0) {
	*dst = 0;
	return (0);
    }
    n = strlen(src);
    if ((d = malloc(n + 1)) == 0)
	return (-1);
    sx_text_clean(d, n + 1, src, n);
    *dst = d;
    return (0);
}

/* sx_key_valid - is the code of an entry well formed for its table? */

static int sx_key_valid(enum sx_entry_table tab, const struct sx_entry *e)
{
    const char *c = e->code;
    unsigned a, b, lo, hi;

    switch (tab) {
    case SX_TABLE_BASIC:
	return (c && strlen(c) == 3 && c[0] >= '1' && c[0] <= '5'
		&& c[1] >= '0' && c[1] <= '9' && c[2] >= '0' && c[2] <= '9');
    case SX_TABLE_ENHANCED:
	if (c == 0 || strlen(c) < 5)
	    return (0);
	if (strcmp(c + 1, ".*.*") == 0)
	    return (c[0] == '2' || c[0] == '4' || c[0] == '5');
	if (c[0] != 'X' && c[0] != '2' && c[0] != '4' && c[0] != '5')
	    return (0);
	{
	    char    probe[SX_STATUS_MAX];
	    size_t  n = strlen(c);

	    if (n >= sizeof(probe))
		return (0);
	    memcpy(probe, c, n + 1);
	    probe[0] = '5';
	    if (n >= 2 && strcmp(probe + n - 2, ".*") == 0) {
		/* subject: "X.7.*" */
		probe[n - 2] = 0;
		return (sscanf(probe, "5.%u", &a) == 1 && a < 1000
			&& strspn(probe + 2, "0123456789") == n - 4);
	    }
	    return (sx_status_valid(probe, n));
	}
    case SX_TABLE_VENDOR:
	if (e->vendor == 0 || *e->vendor == 0 || c == 0)
	    return (0);
	if (strcmp(c, "*") == 0)
	    return (e->pattern != 0 && *e->pattern != 0);
	if (strchr(c, '-'))
	    return (sx_code_range(c, &a, &b, &lo, &hi));
	if (strlen(c) == 3)
	    return (c[0] >= '2' && c[0] <= '5' && strspn(c, "0123456789") == 3);
	return (sx_status_valid(c, strlen(c)));
    case SX_TABLE_REASON:
	return (e->reason && *e->reason && e->pattern && *e->pattern);
    }
    return (0);
}

int     sx_registry_add(struct sx_registry *reg, enum sx_entry_table tab,
			        const struct sx_entry *in)
{
    struct sx_table *t;
    struct sx_entry *e;
    size_t  n;

    assert(reg != 0 && !reg->sealed && (unsigned) tab < 4);
    if (!sx_key_valid(tab, in))
	return (SX_ERR_INVALID);
    t = reg->t + tab;
    if (t->len == t->cap) {
	size_t  ncap = t->cap ? t->cap * 2 : 64;
	struct sx_entry *nv = realloc(t->v, ncap * sizeof(*nv));
	unsigned *ns;

	if (nv == 0)
	    return (SX_ERR_NOMEM);
	t->v = nv;
	if ((ns = realloc(t->seq, ncap * sizeof(*ns))) == 0)
	    return (SX_ERR_NOMEM);
	t->seq = ns;
	t->cap = ncap;
    }
    e = t->v + t->len;
    memset(e, 0, sizeof(*e));
    e->class = in->class;
    e->who = in->who;
    e->retry = in->retry;
    if (sx_dup(&e->code, in->code ? in->code : "") || sx_dup(&e->vendor, in->vendor)
	|| sx_dup_text(&e->title, in->title) || sx_dup_text(&e->text, in->text)
	|| sx_dup_text(&e->action, in->action) || sx_dup(&e->reason, in->reason)
	|| sx_dup(&e->reason_transient, in->reason_transient)
	|| sx_dup(&e->ref, in->ref) || sx_dup(&e->pattern, in->pattern))
	goto nomem;
    if (e->pattern) {
	char   *p;

	for (p = (char *) e->pattern; *p; p++)
	    if (*p >= 'A' && *p <= 'Z')
		*p = (char) (*p - 'A' + 'a');
    }
    if (in->hosts) {
	const char **h;

	for (n = 0; in->hosts[n]; n++)
	     /* void */ ;
	if ((h = calloc(n + 1, sizeof(*h))) == 0)
	    goto nomem;
	e->hosts = h;
	for (n = 0; in->hosts[n]; n++)
	    if (sx_dup(h + n, in->hosts[n]))
		goto nomem;
    }
    t->seq[t->len] = reg->seq++;
    t->len++;
    return (SX_OK);

nomem:
    sx_entry_free_strings(e);
    return (SX_ERR_NOMEM);
}

/* Sorting: by key, then load order. */

struct sx_sortable {
    struct sx_entry e;
    unsigned seq;
    enum sx_entry_table tab;
};

static const char *sx_key_vendor(const struct sx_entry *e, char *buf, size_t size)
{
    snprintf(buf, size, "%s\t%s\t%s", e->code, e->vendor ? e->vendor : "",
	     e->pattern ? e->pattern : "");
    return (buf);
}

static int sx_sort_cmp(const void *a, const void *b)
{
    const struct sx_sortable *x = a, *y = b;
    int     r;

    /* By key, then load order: entries with one key become neighbours. */
    if (x->tab == SX_TABLE_VENDOR) {
	char    kx[512], ky[512];

	r = strcmp(sx_key_vendor(&x->e, kx, sizeof(kx)),
		   sx_key_vendor(&y->e, ky, sizeof(ky)));
    } else if (x->tab == SX_TABLE_REASON) {
	r = strcmp(x->e.pattern, y->e.pattern);
    } else {
	r = strcmp(x->e.code, y->e.code);
    }
    if (r)
	return (r);
    return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

/* Vendor lookups want one code's entries together, in load order. */
static int sx_code_seq_cmp(const void *a, const void *b)
{
    const struct sx_sortable *x = a, *y = b;
    int     r = strcmp(x->e.code, y->e.code);

    if (r)
	return (r);
    return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

static int sx_same_key(enum sx_entry_table tab, const struct sx_entry *a,
		               const struct sx_entry *b)
{
    char    ka[512], kb[512];

    switch (tab) {
    case SX_TABLE_VENDOR:
	return (strcmp(sx_key_vendor(a, ka, sizeof(ka)),
		       sx_key_vendor(b, kb, sizeof(kb))) == 0);
    case SX_TABLE_REASON:
	return (strcmp(a->pattern, b->pattern) == 0);
    default:
	return (strcmp(a->code, b->code) == 0);
    }
}

static int sx_seq_cmp(const void *a, const void *b)
{
    const struct sx_sortable *x = a, *y = b;

    return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

static void sx_table_seal(struct sx_table *t, enum sx_entry_table tab)
{
    struct sx_sortable *s;
    size_t  i, o;

    if (t->len == 0)
	return;
    if ((s = malloc(t->len * sizeof(*s))) == 0)
	return;				/* unsorted: lookups still work */
    for (i = 0; i < t->len; i++) {
	s[i].e = t->v[i];
	s[i].seq = t->seq[i];
	s[i].tab = tab;
    }
    qsort(s, t->len, sizeof(*s), sx_sort_cmp);
    for (i = o = 0; i < t->len; i++) {
	/* Of several entries with one key, the last loaded wins. */
	if (i + 1 < t->len && sx_same_key(tab, &s[i].e, &s[i + 1].e)) {
	    sx_entry_free_strings(&s[i].e);
	    continue;
	}
	s[o++] = s[i];
    }
    /* Reason patterns are tried in load order: keep that order. */
    if (tab == SX_TABLE_REASON)
	qsort(s, o, sizeof(*s), sx_seq_cmp);
    else if (tab == SX_TABLE_VENDOR)
	qsort(s, o, sizeof(*s), sx_code_seq_cmp);
    for (i = 0; i < o; i++) {
	t->v[i] = s[i].e;
	t->seq[i] = s[i].seq;
    }
    t->len = o;
    free(s);
}

/*
 * sx_table_runs - for each entry, one past the last entry with the same
 * code (the table is sorted by code): lookups then step through a run
 * without comparing codes. Without memory, lookups compare.
 */
static void sx_table_runs(struct sx_table *t)
{
    size_t  i;

    if ((t->runs = malloc((t->len ? t->len : 1) * sizeof(*t->runs))) == 0)
	return;
    for (i = t->len; i-- > 0;)
	t->runs[i] = i + 1 < t->len && strcmp(t->v[i].code, t->v[i + 1].code) == 0
	    ? t->runs[i + 1] : i + 1;
}

/* sx_code_hash - FNV-1a of a code string */

static uint32_t sx_code_hash(const char *code)
{
    uint32_t h = 2166136261u;

    for (; *code; code++)
	h = (h ^ (unsigned char) *code) * 16777619u;
    return (h);
}

/*
 * sx_table_hash - an open-addressing index from each code to its first
 * entry: a lookup is one string compare instead of a binary search.
 * Without memory, lookups search.
 */
static void sx_table_hash(struct sx_table *t)
{
    size_t  i, cap = 16, k;

    while (cap < 2 * t->len)
	cap *= 2;
    if ((t->hash = calloc(cap, sizeof(*t->hash))) == 0)
	return;
    t->hcap = cap;
    for (i = 0; i < t->len; i++) {
	if (i > 0 && strcmp(t->v[i - 1].code, t->v[i].code) == 0)
	    continue;				/* only the first of a run */
	for (k = sx_code_hash(t->v[i].code) & (cap - 1); t->hash[k]; k = (k + 1) & (cap - 1))
	     /* void */ ;
	t->hash[k] = (uint32_t) (i + 1);
    }
}

/* Ranges are tried in load order: index order follows it per code only. */
static int sx_range_cmp(const void *a, const void *b)
{
    const struct sx_range *x = a, *y = b;

    return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

void    sx_registry_seal(struct sx_registry *reg)
{
    size_t  i;
    struct sx_table *b = reg->t + SX_TABLE_BASIC;
    struct sx_table *r = reg->t + SX_TABLE_REASON;
    struct sx_table *v = reg->t + SX_TABLE_VENDOR;

    assert(!reg->sealed);
    for (i = 0; i < 4; i++)
	sx_table_seal(reg->t + i, (enum sx_entry_table) i);
    for (i = 0; i < SX_TABLE_REASON; i++)
	sx_table_hash(reg->t + i);
    sx_table_runs(reg->t + SX_TABLE_VENDOR);
    for (i = 0; i < b->len; i++)
	reg->basic_idx[atoi(b->v[i].code)] = b->v + i;
    {
	reg->ranges = malloc((v->len ? v->len : 1) * sizeof(*reg->ranges));
	for (i = 0; reg->ranges && i < v->len; i++) {
	    struct sx_range *rg = reg->ranges + reg->nranges;

	    if (strchr(v->v[i].code, '-')
		&& sx_code_range(v->v[i].code, &rg->cls, &rg->subj, &rg->lo, &rg->hi)) {
		rg->index = i;
		rg->seq = v->seq[i];
		reg->nranges++;
	    }
	}
    }
    if (reg->nranges > 1)
	qsort(reg->ranges, reg->nranges, sizeof(*reg->ranges), sx_range_cmp);
    /*
     * One automaton over both pattern lists, reasons first: a text asked
     * about both ways is read once (sx_registry_text_hits()).
     */
    if (r->len + v->len > 0 && v->len <= SX_VENDOR_BITS) {
	const char **pats = malloc((r->len + v->len) * sizeof(*pats));

	if (pats) {
	    for (i = 0; i < r->len; i++)
		pats[i] = r->v[i].pattern;
	    for (i = 0; i < v->len; i++)
		pats[r->len + i] = v->v[i].pattern ? v->v[i].pattern : "";
	    reg->texts = sx_match_new(pats, r->len + v->len);
	    free(pats);
	}
    }
    reg->sealed = 1;
}

size_t  sx_registry_count(const struct sx_registry *reg, enum sx_entry_table tab)
{
    return (reg->t[tab].len);
}

const struct sx_entry *sx_registry_at(const struct sx_registry *reg,
			              enum sx_entry_table tab, size_t i)
{
    return (i < reg->t[tab].len ? reg->t[tab].v + i : 0);
}

const struct sx_entry *sx_registry_basic(const struct sx_registry *reg, int code)
{
    assert(reg->sealed);
    if (code < 0 || code > 999)
	return (0);
    return (reg->basic_idx[code]);
}

/* sx_find_code - binary search of a sorted table for the first code */

static const struct sx_entry *sx_find_code(const struct sx_table *t,
				             const char *code, size_t *at)
{
    size_t  lo = 0, hi = t->len, k;

    if (t->hash) {
	for (k = sx_code_hash(code) & (t->hcap - 1); t->hash[k]; k = (k + 1) & (t->hcap - 1)) {
	    lo = t->hash[k] - 1;
	    if (strcmp(t->v[lo].code, code) == 0) {
		if (at)
		    *at = lo;
		return (t->v + lo);
	    }
	}
	return (0);
    }
    while (lo < hi) {
	size_t  mid = (lo + hi) / 2;

	if (strcmp(t->v[mid].code, code) < 0)
	    lo = mid + 1;
	else
	    hi = mid;
    }
    if (lo < t->len && strcmp(t->v[lo].code, code) == 0) {
	if (at)
	    *at = lo;
	return (t->v + lo);
    }
    return (0);
}

/*
 * sx_fits_class - can an "X." entry explain this status? They are
 * written for failures (4 and 5); a success code (2.y.z) only takes
 * one that itself describes a success, else its own class's entry.
 */
static int sx_fits_class(const struct sx_entry *e, const char *status)
{
    return (status[0] != '2' || e->reason == 0 || strcmp(e->reason, "delivered") == 0);
}

const struct sx_entry *sx_registry_enhanced(const struct sx_registry *reg,
				             const char *status, int *exact)
{
    const struct sx_table *t = reg->t + SX_TABLE_ENHANCED;
    const struct sx_entry *e;
    char    key[SX_STATUS_MAX + 2];
    const char *dot;
    size_t  n;

    assert(reg->sealed);
    if (exact)
	*exact = 0;
    if (status == 0 || !sx_status_valid(status, strlen(status)))
	return (0);
    n = strlen(status);
    /* Detail: "5.1.1", then "X.1.1". */
    if ((e = sx_find_code(t, status, 0)) != 0)
	goto level3;
    memcpy(key, status, n + 1);
    key[0] = 'X';
    if ((e = sx_find_code(t, key, 0)) != 0 && sx_fits_class(e, status))
	goto level3;
    /* Subject: "5.1.*", then "X.1.*". */
    dot = strchr(status + 2, '.');
    n = (size_t) (dot - status) + 1;
    memcpy(key, status, n);
    key[n] = '*';
    key[n + 1] = 0;
    if ((e = sx_find_code(t, key, 0)) != 0)
	goto level2;
    key[0] = 'X';
    if ((e = sx_find_code(t, key, 0)) != 0 && sx_fits_class(e, status))
	goto level2;
    /* Class: "5.*.*". */
    snprintf(key, sizeof(key), "%c.*.*", status[0]);
    if ((e = sx_find_code(t, key, 0)) != 0) {
	if (exact)
	    *exact = 1;
	return (e);
    }
    return (0);
level3:
    if (exact)
	*exact = 3;
    return (e);
level2:
    if (exact)
	*exact = 2;
    return (e);
}

/* sx_vendor_ok - do the host globs and the text pattern of e fit? */

static int sx_vendor_ok(struct sx_vendor_q *q, const struct sx_entry *e)
{
    const char *const *h;
    const struct sx_table *t = q->reg->t + SX_TABLE_VENDOR;
    int     host_ok = 0;

    if (e->pattern && *e->pattern) {
	if (q->text == 0)
	    return (0);
	if (q->reg->texts) {
	    size_t  k = (size_t) (e - t->v);
	    long    reason;

	    /* One pass over the text answers for every pattern. */
	    if (!q->scanned) {
		memset(q->own, 0, (t->len + 7) / 8);
		sx_match_scan(q->reg->texts, q->text, strlen(q->text),
			      q->reg->t[SX_TABLE_REASON].len, &reason, q->own);
		q->bits = q->own;
		q->scanned = 1;
	    }
	    if (!(q->bits[k >> 3] & (1u << (k & 7))))
		return (0);
	} else if (sx_text_find(q->text, strlen(q->text), e->pattern) == 0)
	    return (0);
    }
    if (e->hosts && e->hosts[0]) {
	if (q->host == 0 || *q->host == 0)
	    /* Unknown host: the text alone must identify the vendor. */
	    return (e->pattern && *e->pattern);
	for (h = e->hosts; *h && !host_ok; h++)
	    host_ok = sx_glob_match(*h, q->host);
	return (host_ok);
    }
    return (1);
}

static const struct sx_entry *sx_vendor_run(struct sx_vendor_q *q, const char *code)
{
    const struct sx_table *t = q->reg->t + SX_TABLE_VENDOR;
    size_t  i, end;

    if (sx_find_code(t, code, &i) == 0)
	return (0);
    if (t->runs) {
	for (end = t->runs[i]; i < end; i++) {
	    /* Once the text is scanned, an absent pattern is one bit. */
	    if (q->scanned && t->v[i].pattern && *t->v[i].pattern
		&& !(q->bits[i >> 3] & (1u << (i & 7))))
		continue;
	    if (sx_vendor_ok(q, t->v + i))
		return (t->v + i);
	}
	return (0);
    }
    for (; i < t->len && strcmp(t->v[i].code, code) == 0; i++)
	if (sx_vendor_ok(q, t->v + i))
	    return (t->v + i);
    return (0);
}

void    sx_registry_text_hits(const struct sx_registry *reg, const char *text,
			              struct sx_text_hits *hits)
{
    assert(reg->sealed);
    hits->scanned = 0;
    hits->reason = -1;
    if (reg->texts == 0 || text == 0)
	return;
    memset(hits->bits, 0, (reg->t[SX_TABLE_VENDOR].len + 7) / 8);
    sx_match_scan(reg->texts, text, strlen(text), reg->t[SX_TABLE_REASON].len,
		  &hits->reason, hits->bits);
    hits->scanned = 1;
}

const struct sx_entry *sx_registry_vendor(const struct sx_registry *reg,
			               const char *status, int replycode,
				             const char *text, const char *host)
{
    return (sx_registry_vendor_hits(reg, status, replycode, text, host, 0));
}

const struct sx_entry *sx_registry_vendor_hits(const struct sx_registry *reg,
			               const char *status, int replycode,
				             const char *text, const char *host,
					             const struct sx_text_hits *hits)
{
    const struct sx_table *t = reg->t + SX_TABLE_VENDOR;
    const struct sx_entry *e;
    struct sx_vendor_q q;
    char    code[8];
    size_t  i;

    assert(reg->sealed);
    if (t->len == 0)
	return (0);
    q.reg = reg;
    q.text = text;
    q.host = host;
    q.scanned = 0;
    if (hits && hits->scanned && text) {
	q.bits = hits->bits;
	q.scanned = 1;
    }
    if (status && *status && (e = sx_vendor_run(&q, status)) != 0)
	return (e);
    if (status && *status && reg->nranges) {
	unsigned c, s, d;
	char   *end;

	/* Ranges are few, parsed at seal: a scan of them is cheap. */
	c = (unsigned) strtoul(status, &end, 10);
	s = (unsigned) strtoul(end + (*end == '.'), &end, 10);
	d = (unsigned) strtoul(end + (*end == '.'), &end, 10);
	for (i = 0; i < reg->nranges; i++) {
	    const struct sx_range *rg = reg->ranges + i;

	    if (rg->cls == c && rg->subj == s && d >= rg->lo && d <= rg->hi
		&& sx_vendor_ok(&q, t->v + rg->index))
		return (t->v + rg->index);
	}
    }
    if (replycode >= 200 && replycode <= 599) {
	snprintf(code, sizeof(code), "%d", replycode);
	if ((e = sx_vendor_run(&q, code)) != 0)
	    return (e);
    }
    return (sx_vendor_run(&q, "*"));
}

const char *sx_registry_reason_hits(const struct sx_registry *reg, const char *text,
				            const struct sx_text_hits *hits)
{
    if (hits == 0 || !hits->scanned)
	return (sx_registry_reason_by_text(reg, text));
    return (hits->reason >= 0 ? reg->t[SX_TABLE_REASON].v[hits->reason].reason : 0);
}

const char *sx_registry_reason_by_text(const struct sx_registry *reg,
				               const char *text)
{
    const struct sx_table *r = reg->t + SX_TABLE_REASON;
    long    hit;
    size_t  i;

    assert(reg->sealed);
    if (text == 0 || r->len == 0)
	return (0);
    if (reg->texts) {
	sx_match_scan(reg->texts, text, strlen(text), r->len, &hit, 0);
	return (hit >= 0 ? r->v[hit].reason : 0);
    }
    /* Without the automaton (out of memory at seal): one by one. */
    for (i = 0; i < r->len; i++)
	if (sx_text_find(text, strlen(text), r->v[i].pattern))
	    return (r->v[i].reason);
    return (0);
}

/* The reason taxonomy, compatible with common bounce classifiers. */

static const char *const sx_reasons[] = {
    "userunknown", "mailboxfull", "filtered", "hostunknown", "spamdetected",
    "blocked", "policyviolation", "securityerror", "authfailure", "expired",
    "suspend", "rejected", "toomanyconn", "speeding", "mesgtoobig",
    "exceedlimit", "networkerror", "norelaying", "notaccept", "systemerror",
    "systemfull", "syntaxerror", "contenterror", "mailererror",
    "virusdetected", "hasmoved", "badreputation", "requireptr",
    "notcompliantrfc", "delivered", "vacation", "feedback", "onhold",
    "undefined", 0,
};

int     sx_reason_valid(const char *name)
{
    const char *const *r;

    for (r = sx_reasons; *r; r++)
	if (strcmp(*r, name) == 0)
	    return (1);
    return (0);
}

/* Names of the enums, for data files and output. */

static const char *const sx_class_names[] = {
    "unknown", "success", "intermediate", "transient", "permanent", "local",
};
static const char *const sx_who_names[] = {
    "none", "sender", "sender_admin", "recipient", "recipient_admin",
};
static const char *const sx_retry_names[] = {
    "unknown", "no", "yes", "after_fix",
};

#define SX_NAME(tab, v) \
    ((unsigned) (v) < sizeof(tab) / sizeof(tab[0]) ? tab[v] : tab[0])

const char *sx_class_name(enum sx_class c)
{
    return (SX_NAME(sx_class_names, c));
}

const char *sx_who_name(enum sx_who w)
{
    return (SX_NAME(sx_who_names, w));
}

const char *sx_retry_name(enum sx_retry r)
{
    return (SX_NAME(sx_retry_names, r));
}

static int sx_name_parse(const char *const *tab, size_t n, const char *s, int *out)
{
    size_t  i;

    for (i = 0; i < n; i++)
	if (strcasecmp(tab[i], s) == 0) {
	    *out = (int) i;
	    return (1);
	}
    return (0);
}

int     sx_class_parse(const char *s, enum sx_class *out)
{
    int     v;

    if (!sx_name_parse(sx_class_names, 6, s, &v))
	return (0);
    *out = (enum sx_class) v;
    return (1);
}

int     sx_who_parse(const char *s, enum sx_who *out)
{
    int     v;

    if (!sx_name_parse(sx_who_names, 5, s, &v))
	return (0);
    *out = (enum sx_who) v;
    return (1);
}

int     sx_retry_parse(const char *s, enum sx_retry *out)
{
    int     v;

    if (!sx_name_parse(sx_retry_names, 4, s, &v) || v == 0)
	return (0);
    *out = (enum sx_retry) v;
    return (1);
}

enum sx_class sx_class_of_code(int code)
{
    switch (code / 100) {
    case 1:
	return (SX_CLASS_LOCAL);
    case 2:
	return (SX_CLASS_SUCCESS);
    case 3:
	return (SX_CLASS_INTERMEDIATE);
    case 4:
	return (SX_CLASS_TRANSIENT);
    case 5:
	return (SX_CLASS_PERMANENT);
    default:
	return (SX_CLASS_UNKNOWN);
    }
}

enum sx_class sx_class_of_status(const char *status)
{
    if (status == 0)
	return (SX_CLASS_UNKNOWN);
    switch (status[0]) {
    case '2':
	return (SX_CLASS_SUCCESS);
    case '4':
	return (SX_CLASS_TRANSIENT);
    case '5':
	return (SX_CLASS_PERMANENT);
    default:
	return (SX_CLASS_UNKNOWN);
    }
}
