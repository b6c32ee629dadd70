/*
 * test_snapshot.c - the snapshot compiled at build time (snapshot.h) is
 * what the run-time loaders build: the built-in registry and every
 * compiled-in language entry by entry and field by field, with the same
 * indexes; every fixed pattern set and phrase tier with the same words
 * and the same automaton, which finds the same matches in every fixture.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/config.h>
#include <smtp-explain/lang.h>
#include <smtp-explain/registry.h>

#include "match.h"
#include "match_int.h"
#include "registry_int.h"
#include "scan.h"
#include "snapshot.h"
#include "recognisers/phrases.h"
#include "unit.h"

/* Where a difference was found, for the failure message. */
static char why[256];

static int differs(const char *what, const char *tab, size_t i)
{
    snprintf(why, sizeof(why), "%s (table %s, entry %zu)", what, tab, i);
    return (0);
}

static int same_str(const char *a, const char *b)
{
    return (a == b || (a && b && strcmp(a, b) == 0));
}

/* same_entry - every field of sx_entry_fields[] that tab has */

static int same_entry(const struct sx_entry *a, const struct sx_entry *b,
		              enum sx_entry_table tab, const char *tname, size_t i)
{
    const struct sx_field *f;
    const char *const *x, *const *y;

    for (f = sx_entry_fields; f->key; f++) {
	if (!(f->tables & SX_IN(tab)))
	    continue;
	switch (f->type) {
	case SX_FIELD_ENUM:
	    if (*(const int *) ((const char *) a + f->offset)
		!= *(const int *) ((const char *) b + f->offset))
		return (differs(f->key, tname, i));
	    break;
	case SX_FIELD_REASON:
	    /* The taxonomy's own string, both ways. */
	    if (*SX_FIELD_STRP(a, f) != *SX_FIELD_STRP(b, f))
		return (differs(f->key, tname, i));
	    break;
	case SX_FIELD_HOSTS:
	    x = *(const char *const *const *) ((const char *) a + f->offset);
	    y = *(const char *const *const *) ((const char *) b + f->offset);
	    if ((x == 0) != (y == 0))
		return (differs(f->key, tname, i));
	    for (; x && *x && *y; x++, y++)
		if (strcmp(*x, *y) != 0)
		    return (differs(f->key, tname, i));
	    if (x && (*x || *y))
		return (differs(f->key, tname, i));
	    break;
	default:
	    if (!same_str(*SX_FIELD_STRP(a, f), *SX_FIELD_STRP(b, f)))
		return (differs(f->key, tname, i));
	    break;
	}
    }
    return (1);
}

static int same_table(const struct sx_table *a, const struct sx_table *b,
		              enum sx_entry_table tab, const char *tname)
{
    size_t  i;

    if (a->len != b->len)
	return (differs("length", tname, 0));
    for (i = 0; i < a->len; i++) {
	if (!same_entry(a->v + i, b->v + i, tab, tname, i))
	    return (0);
	if (a->seq[i] != b->seq[i])
	    return (differs("load order", tname, i));
	if ((a->runs == 0) != (b->runs == 0) || (a->runs && a->runs[i] != b->runs[i]))
	    return (differs("runs", tname, i));
    }
    if ((a->hash == 0) != (b->hash == 0) || a->hcap != b->hcap
	|| (a->hash && memcmp(a->hash, b->hash, a->hcap * sizeof(*a->hash)) != 0))
	return (differs("code hash", tname, 0));
    return (1);
}

static int same_registry(const struct sx_registry *a, const struct sx_registry *b)
{
    static const char *const names[SX_TABLES] = {
	"basic", "enhanced", "vendor", "reasons", "fallback", "block",
    };
    char    wname[32];
    size_t  i, tab;
    long    x, y;

    for (tab = 0; tab < SX_TABLES; tab++) {
	snprintf(wname, sizeof(wname), "texts.%s", names[tab]);
	if (!same_table(a->t + tab, b->t + tab, (enum sx_entry_table) tab, names[tab])
	    || !same_table(a->texts + tab, b->texts + tab, (enum sx_entry_table) tab,
			   wname))
	    return (0);
    }
    for (i = 0; i < 1000; i++) {
	x = a->basic_idx[i] ? a->basic_idx[i] - a->t[SX_TABLE_BASIC].v : -1;
	y = b->basic_idx[i] ? b->basic_idx[i] - b->t[SX_TABLE_BASIC].v : -1;
	if (x != y)
	    return (differs("basic index", "basic", i));
    }
    if (a->nranges != b->nranges)
	return (differs("ranges", "vendor", 0));
    for (i = 0; i < a->nranges; i++)
	if (a->ranges[i].cls != b->ranges[i].cls || a->ranges[i].subj != b->ranges[i].subj
	    || a->ranges[i].lo != b->ranges[i].lo || a->ranges[i].hi != b->ranges[i].hi
	    || a->ranges[i].index != b->ranges[i].index
	    || a->ranges[i].seq != b->ranges[i].seq)
	    return (differs("range", "vendor", i));
    if (a->sealed != b->sealed || a->unused_texts != b->unused_texts || a->seq != b->seq)
	return (differs("counts", "-", 0));
    if (!sx_match_same(a->patterns, b->patterns))
	return (differs("pattern automaton", "reasons+vendor", 0));
    return (1);
}

static void test_registry_same(void)
{
    struct sx_errors errs;
    struct sx_registry *built, *snap;

    memset(&errs, 0, sizeof(errs));
    built = sx_config_registry_parse(0, &errs);
    snap = sx_config_registry_with(0, &errs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(built);
    CU_ASSERT_PTR_NOT_NULL_FATAL(snap);
    CU_ASSERT_EQUAL(errs.count, 0);
    CU_ASSERT_FALSE(built->borrowed);
    CU_ASSERT_TRUE(snap->borrowed);		/* the snapshot, read in place */
    CU_ASSERT_PTR_NOT_NULL(snap->patterns);
    CU_ASSERT(sx_registry_count(snap, SX_TABLE_VENDOR) > 0);
    why[0] = 0;
    CU_ASSERT_TRUE(same_registry(built, snap));
    if (why[0])
	fprintf(stderr, "\nsnapshot registry: %s\n", why);
    sx_registry_free(built);
    sx_registry_free(snap);
}

static void test_langs_same(void)
{
    struct sx_errors errs;
    struct sx_langs *built, *snap, *one;
    size_t  i;

    memset(&errs, 0, sizeof(errs));
    built = sx_langs_parse(0, &errs);
    snap = sx_langs_embedded(0, &errs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(built);
    CU_ASSERT_PTR_NOT_NULL_FATAL(snap);
    CU_ASSERT(sx_langs_count(built) > 0);
    CU_ASSERT_EQUAL_FATAL(sx_langs_count(built), sx_langs_count(snap));
    for (i = 0; i < sx_langs_count(built); i++) {
	why[0] = 0;
	CU_ASSERT_STRING_EQUAL(sx_langs_name(built, i), sx_langs_name(snap, i));
	CU_ASSERT_TRUE(sx_langs_texts(snap, i)->borrowed);
	CU_ASSERT_TRUE(same_registry(sx_langs_texts(built, i), sx_langs_texts(snap, i)));
	if (why[0])
	    fprintf(stderr, "\nsnapshot texts %s: %s\n", sx_langs_name(built, i), why);
    }
    /* Only the language asked for. */
    one = sx_langs_embedded(sx_langs_name(built, 0), &errs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(one);
    CU_ASSERT_EQUAL(sx_langs_count(one), 1);
    CU_ASSERT_STRING_EQUAL(sx_langs_name(one, 0), sx_langs_name(built, 0));
    sx_langs_free(one);
    sx_langs_free(built);
    sx_langs_free(snap);
}

static int same_words(const struct sx_phrases *a, const struct sx_phrases *b)
{
    size_t  k;

    if (a->n != b->n)
	return (0);
    for (k = 0; k < a->n; k++)
	if (strcmp(a->needles[k], b->needles[k]) != 0)
	    return (0);
    return (1);
}

static void test_sets_same(void)
{
    struct sx_phrases built;
    int     i;

    for (i = 0; i < SX_SETS; i++) {
	sx_phrases_init(&built, sx_set_srcs[i]->needles, sx_set_srcs[i]->n);
	CU_ASSERT_PTR_NOT_NULL(built.m);
	CU_ASSERT_PTR_NOT_NULL(sx_sets[i].m);
	CU_ASSERT(sx_sets[i].n > 0);
	CU_ASSERT_TRUE(same_words(&built, sx_sets + i));
	CU_ASSERT_TRUE(sx_match_same(built.m, sx_sets[i].m));
	sx_match_free(built.m);
    }
}

static void test_tiers_same(void)
{
    struct sx_tier built[SX_TIERS];
    const struct sx_tier *a, *b;
    size_t  k;
    int     t;

    CU_ASSERT_EQUAL_FATAL(sx_tiers_build(built), 0);
    for (t = 0; t < SX_TIERS; t++) {
	a = built + t;
	b = sx_phrase_tier(t);
	CU_ASSERT(b->n > 0);
	CU_ASSERT_EQUAL_FATAL(a->n, b->n);
	CU_ASSERT_EQUAL_FATAL(a->nneedles, b->nneedles);
	for (k = 0; k < a->n; k++)
	    CU_ASSERT_PTR_EQUAL(a->rows[k], b->rows[k]);	/* the families' rows */
	for (k = 0; k < a->nneedles; k++) {
	    CU_ASSERT_STRING_EQUAL(a->needles[k], b->needles[k]);
	    CU_ASSERT_PTR_EQUAL(a->first[k], b->first[k]);
	}
	CU_ASSERT_TRUE(same_words(&a->set, &b->set));
	CU_ASSERT_TRUE(sx_match_same(a->set.m, b->set.m));
    }
    sx_tiers_free(built);
}

/*
 * Same matches: every way of asking an automaton, on every fixture, the
 * run-time build against the snapshot's.
 */

struct each_sum {
    size_t  n;
    unsigned long sum;
};

static int each_add(void *ctx, size_t k, size_t start)
{
    struct each_sum *e = ctx;

    e->n++;
    e->sum = e->sum * 31 + k * 1000003u + start;
    return (0);
}

static int same_matches(const struct sx_match *a, const struct sx_match *b,
		                const char *text, size_t len)
{
    unsigned char ba[8192], bb[8192];
    size_t  wa = 0, wb = 0, split = sx_match_count(a) / 2;
    struct each_sum ea = {0, 0}, eb = {0, 0};
    long    fa, fb;

    if (sx_match_count(a) != sx_match_count(b)
	|| sx_match_first(a, text, len, &wa) != sx_match_first(b, text, len, &wb)
	|| wa != wb)
	return (0);
    if (sx_match_count(a) - split > sizeof(ba) * 8)
	return (0);
    memset(ba, 0, sizeof(ba));
    memset(bb, 0, sizeof(bb));
    sx_match_scan(a, text, len, split, &fa, ba);
    sx_match_scan(b, text, len, split, &fb, bb);
    if (fa != fb || memcmp(ba, bb, sizeof(ba)) != 0)
	return (0);
    if (sx_match_each(a, text, len, 100000, each_add, &ea)
	!= sx_match_each(b, text, len, 100000, each_add, &eb))
	return (0);
    return (ea.n == eb.n && ea.sum == eb.sum);
}

struct corpus {
    const struct sx_registry *built, *snap;
    const struct sx_tier *tiers;	/* built at run time */
    struct sx_phrases sets[SX_SETS];	/* built at run time */
    size_t  texts;
    size_t  hits;			/* texts in which a registry pattern occurs */
};

static void check_text(struct corpus *c, const char *text, size_t len)
{
    static struct sx_text_hits ha, hb;
    int     i;

    for (i = 0; i < SX_SETS; i++)
	CU_ASSERT_TRUE(same_matches(c->sets[i].m, sx_sets[i].m, text, len));
    for (i = 0; i < SX_TIERS; i++)
	CU_ASSERT_TRUE(same_matches(c->tiers[i].set.m, sx_phrase_tier(i)->set.m,
				    text, len));
    CU_ASSERT_TRUE(same_matches(c->built->patterns, c->snap->patterns, text, len));
    sx_registry_text_hits(c->built, text, &ha);
    sx_registry_text_hits(c->snap, text, &hb);
    CU_ASSERT_EQUAL(ha.scanned, hb.scanned);
    CU_ASSERT_EQUAL(ha.reason, hb.reason);
    CU_ASSERT_EQUAL(memcmp(ha.bits, hb.bits, sizeof(ha.bits)), 0);
    CU_ASSERT_PTR_EQUAL(sx_registry_reason_by_text(c->built, text),
			sx_registry_reason_by_text(c->snap, text));
    c->hits += ha.reason >= 0;
    c->texts++;
}

static void check_dir(struct corpus *c, const char *dir)
{
    DIR    *d = opendir(dir);
    struct dirent *de;
    char    path[512];
    char   *text;
    size_t  len, n;

    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    while ((de = readdir(d)) != 0) {
	n = strlen(de->d_name);
	if (n < 5 || strcmp(de->d_name + n - 4, ".eml") != 0)
	    continue;
	snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
	if ((text = sx_unit_slurp(path, &len)) == 0)
	    continue;
	check_text(c, text, len);
	free(text);
    }
    closedir(d);
}

static void test_matches_same(void)
{
    static const char *const dirs[] = {
	"fixtures/shapes", "fixtures/dsn", "fixtures/reasons", "fixtures/mta",
	"fixtures/mbox", "fixtures/pending",
    };
    struct sx_errors errs;
    struct sx_registry *built, *snap;
    struct sx_tier tiers[SX_TIERS];
    struct corpus c;
    size_t  i;

    memset(&errs, 0, sizeof(errs));
    memset(&c, 0, sizeof(c));
    built = sx_config_registry_parse(0, &errs);
    snap = sx_config_registry_default(&errs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(built);
    CU_ASSERT_PTR_NOT_NULL_FATAL(snap);
    CU_ASSERT_EQUAL_FATAL(sx_tiers_build(tiers), 0);
    c.built = built;
    c.snap = snap;
    c.tiers = tiers;
    for (i = 0; i < SX_SETS; i++)
	sx_phrases_init(c.sets + i, sx_set_srcs[i]->needles, sx_set_srcs[i]->n);
    for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
	check_dir(&c, dirs[i]);
    CU_ASSERT(c.texts > 100);
    CU_ASSERT(c.hits > 10);			/* the texts do exercise the patterns */
    for (i = 0; i < SX_SETS; i++)
	sx_match_free(c.sets[i].m);
    sx_tiers_free(tiers);
    sx_registry_free(built);
    sx_registry_free(snap);
}

/*
 * A configuration without a registry of its own reads the snapshot;
 * one with extras has them on top of the built-in entries, merged as
 * before (the run-time loader).
 */
static void test_config_uses(void)
{
    struct sx_errors errs;
    struct sx_config *conf;
    struct sx_registry *reg;

    memset(&errs, 0, sizeof(errs));
    conf = sx_config_load(0, &errs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(conf);
    CU_ASSERT_TRUE(conf->registry->borrowed);
    sx_config_unref(conf);

    reg = sx_config_registry_with("fixtures/registry/override.conf", &errs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(reg);
    CU_ASSERT_FALSE(reg->borrowed);
    CU_ASSERT(sx_registry_count(reg, SX_TABLE_BASIC)
	      >= sx_registry_count(sx_snapshot_registry, SX_TABLE_BASIC));
    sx_registry_free(reg);
}

static CU_TestInfo tests[] = {
    {"registry: snapshot = run-time build", test_registry_same},
    {"languages: snapshot = run-time build", test_langs_same},
    {"fixed pattern sets: same words, same automata", test_sets_same},
    {"phrase tiers: same rows, words, automata", test_tiers_same},
    {"automata: same matches in every fixture", test_matches_same},
    {"configuration: snapshot unless extras", test_config_uses},
    CU_TEST_INFO_NULL,
};

SX_SUITE(snapshot, tests, 0, 0)
