/*
 * test_reasons.c - the reason rules, each with a fixture of its own.
 *
 * tests/fixtures/reasons holds small delivery reports (NAME.eml) with
 * the findings they must give (NAME.expect, the format every reading
 * suite shares, expect.c). Beyond the findings,
 * this suite checks that the fixtures cover the rules:
 * - every group of reason patterns of the default registry (a run of
 *   patterns with the same reason) decides the reason of at least one
 *   "text-*" fixture;
 * - every stage and final rule of explain.c decides the reason of the
 *   fixture named after it ("stage-NAME" or "final-NAME");
 * - docs/reasons.md names every rule.
 * A new pattern group or rule without its fixture fails here.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/config.h>
#include <smtp-explain/explain.h>
#include <smtp-explain/reader.h>

#include "unit.h"
#include "expect.h"

#define REASONS_DIR	"fixtures/reasons"
#define REASONS_DOC	"../docs/reasons.md"
#define MAX_GROUPS	256
#define MAX_RULES	64

static struct sx_registry *reg;

/* What the fixtures decided by: pattern groups and named rules. */
static unsigned char group_seen[MAX_GROUPS];
static size_t group_count;
static const char *rule_own[MAX_RULES];	/* the rule of "stage-NAME" */

/* group_of - the pattern group of pattern index i */

static size_t group_of(long i)
{
    const struct sx_entry *e, *prev = 0;
    size_t  j, g = 0;

    for (j = 0; j <= (size_t) i; j++) {
	e = sx_registry_at(reg, SX_TABLE_REASON, j);
	if (prev && strcmp(prev->reason, e->reason) != 0)
	    g++;
	prev = e;
    }
    return (g);
}

static void count_groups(void)
{
    size_t  n = sx_registry_count(reg, SX_TABLE_REASON);

    group_count = n ? group_of((long) n - 1) + 1 : 0;
}

/* rule_index - the position of a rule name in sx_explain_rule() */

static long rule_index(const char *name)
{
    const char *r;
    size_t  i;

    for (i = 0; (r = sx_explain_rule(i)) != 0; i++)
	if (strcmp(r, name) == 0)
	    return ((long) i);
    return (-1);
}

/* note - what decided a finding of the fixture called name */

static void note(const struct sx_finding *f, const struct sx_explanation *ex,
		         void *ctx)
{
    const char *name = ctx;
    struct sx_text_hits hits;
    size_t  nlen = strlen(name);
    const char *own = 0;
    long    i;

    if (ex->reason_from == SX_FROM_TEXT && strncmp(name, "text-", 5) == 0) {
	sx_registry_text_hits(reg, f->diagnostic, &hits);
	if (hits.reason >= 0 && group_of(hits.reason) < MAX_GROUPS)
	    group_seen[group_of(hits.reason)] = 1;
    }
    if (strncmp(name, "stage-", 6) == 0)
	own = name + 6;
    else if (strncmp(name, "final-", 6) == 0)
	own = name + 6;
    if (own && nlen > 4) {
	char    rule[128];

	snprintf(rule, sizeof(rule), "%.*s", (int) (nlen - 4 - (size_t) (own - name)), own);
	if ((i = rule_index(rule)) >= 0 && i < MAX_RULES && ex->rule
	    && strcmp(ex->rule, rule) == 0)
	    rule_own[i] = sx_explain_rule((size_t) i);
	else
	    fprintf(stderr, "\n%s: decided by rule \"%s\", not by its own\n",
		    name, ex->rule ? ex->rule : "(none)");
    }
}

/* one - a fixture read whole must give its .expect */

static void one(const char *name, const char *msg, size_t len, const char *want,
		        void *ctx)
{
    struct sx_reader *r = sx_reader_new(0);
    static char got[16384];
    char    file[300];

    (void) ctx;
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(sx_reader_push(r, msg, len), SX_OK);
    CU_ASSERT_EQUAL(sx_reader_finish(r), SX_OK);
    snprintf(file, sizeof(file), "%s.eml", name);
    (void) sx_unit_expect(reg, r, got, sizeof(got), note, file);
    sx_reader_free(r);
    if (strcmp(got, want) != 0)
	fprintf(stderr, "\n%s:\n--- want\n%s--- got\n%s", name, want, got);
    CU_ASSERT_STRING_EQUAL(got, want);
}

static void test_fixtures(void)
{
    int     seen;
    size_t  i;
    const char *rule;

    memset(group_seen, 0, sizeof(group_seen));
    memset(rule_own, 0, sizeof(rule_own));
    count_groups();
    CU_ASSERT_FATAL(group_count > 0 && group_count <= MAX_GROUPS);
    seen = sx_unit_fixtures(REASONS_DIR, one, 0);
    CU_ASSERT(seen >= 40);

    /* Every pattern group decides a fixture of its own. */
    for (i = 0; i < group_count; i++) {
	if (!group_seen[i])
	    fprintf(stderr, "\nreason pattern group %zu has no text-* fixture\n", i + 1);
	CU_ASSERT(group_seen[i]);
    }
    /* So does every stage and final rule. */
    for (i = 0; (rule = sx_explain_rule(i)) != 0; i++) {
	CU_ASSERT_FATAL(i < MAX_RULES);
	if (rule_own[i] == 0)
	    fprintf(stderr, "\nrule \"%s\" has no fixture of its own\n", rule);
	CU_ASSERT_PTR_NOT_NULL(rule_own[i]);
    }
}

/* The document names every rule, as `name`. */

static void test_doc_names_rules(void)
{
    char   *doc = sx_unit_slurp(REASONS_DOC, 0);
    char    quoted[160];
    const char *rule;
    size_t  i;

    CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
    for (i = 0; (rule = sx_explain_rule(i)) != 0; i++) {
	snprintf(quoted, sizeof(quoted), "`%s`", rule);
	if (strstr(doc, quoted) == 0)
	    fprintf(stderr, "\n%s does not name rule %s\n", REASONS_DOC, quoted);
	CU_ASSERT_PTR_NOT_NULL(strstr(doc, quoted));
    }
    CU_ASSERT(i >= 10);
    free(doc);
}

/* The rules' names are unique: a fixture and the document mean one rule. */

static void test_rule_names_unique(void)
{
    const char *a, *b;
    size_t  i, j;

    for (i = 0; (a = sx_explain_rule(i)) != 0; i++)
	for (j = i + 1; (b = sx_explain_rule(j)) != 0; j++)
	    CU_ASSERT(strcmp(a, b) != 0);
    CU_ASSERT_PTR_NULL(sx_explain_rule(i + 1000));
}

static CU_TestInfo tests[] = {
    {"fixtures, and a fixture for every rule", test_fixtures},
    {"docs/reasons.md names every rule", test_doc_names_rules},
    {"rule names are unique", test_rule_names_unique},
    CU_TEST_INFO_NULL,
};

static int reasons_init(void)
{
    struct sx_errors errs;

    memset(&errs, 0, sizeof(errs));
    return ((reg = sx_config_registry_default(&errs)) == 0);
}

static int reasons_clean(void)
{
    sx_registry_free(reg);
    return (0);
}

SX_SUITE(reasons, tests, reasons_init, reasons_clean)
