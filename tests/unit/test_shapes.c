/*
 * test_shapes.c - every bounce-shape fixture read as a whole and in
 * chunks (1, 7, 4096 bytes and a pseudo-random mix): the findings must
 * be those of its .expect file and the same whatever the chunking. The
 * file's first line names the recogniser that must fire ("recogniser
 * TAB name", "none" when nothing may), so a fixture cannot pass by
 * luck through another one; then one "recipient TAB status TAB
 * replycode TAB reason" line per finding, in order, the reason as the
 * default registry explains it.
 *
 * A fixture may also have NAME.expect-autoreplies: what the reader
 * finds when asked to report automatic replies (sx_reader_autoreplies),
 * which by default give nothing.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/config.h>
#include <smtp-explain/explain.h>
#include <smtp-explain/reader.h>

#include "unit.h"

#define SHAPES_DIR "fixtures/shapes"

/* render - the findings as .expect lines, into out */

static struct sx_registry *reg;

static void render(const struct sx_reader *r, char *out, size_t size)
{
    size_t  i, n = 0;

    out[0] = 0;
    n += (size_t) snprintf(out, size, "recogniser\t%s\n",
			   sx_reader_count(r) ? sx_reader_message(r)->engine : "none");
    for (i = 0; i < sx_reader_count(r) && n < size; i++) {
	const struct sx_finding *f = sx_reader_finding(r, i);
	struct sx_explanation ex;
	char    code[8] = "";

	if (f->replycode)
	    snprintf(code, sizeof(code), "%03d", f->replycode);
	sx_explain(reg, f, &ex);
	n += (size_t) snprintf(out + n, size - n, "%s\t%s\t%s\t%s\n",
			       f->recipient, f->status, code, ex.reason);
    }
}

/* run - read msg in chunks: step > 0 fixed, 0 whole, -1 pseudo-random */

static void run_as(const char *msg, size_t len, int step, int autoreplies,
		           char *out, size_t size)
{
    struct sx_reader *r = sx_reader_new(0);
    unsigned seed = 12345;
    size_t  at = 0, n;

    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    sx_reader_autoreplies(r, autoreplies);
    while (at < len) {
	if (step > 0)
	    n = (size_t) step;
	else if (step == 0)
	    n = len;
	else {
	    seed = seed * 1103515245u + 12345u;
	    n = 1 + (seed >> 16) % 97;
	}
	if (n > len - at)
	    n = len - at;
	CU_ASSERT_EQUAL(sx_reader_push(r, msg + at, n), SX_OK);
	at += n;
    }
    CU_ASSERT_EQUAL(sx_reader_finish(r), SX_OK);
    render(r, out, size);
    sx_reader_free(r);
}

static void run(const char *msg, size_t len, int step, char *out, size_t size)
{
    run_as(msg, len, step, 0, out, size);
}

static void test_fixtures(void)
{
    static const int steps[] = {0, 1, 7, 4096, -1};
    DIR    *dir = opendir(SHAPES_DIR);
    struct dirent *de;
    int     seen = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    while ((de = readdir(dir)) != 0) {
	size_t  nlen = strlen(de->d_name), len, i;
	char    path[512], want_path[512];
	char   *msg, *want;
	static char got[65536], again[65536];

	if (nlen < 5 || strcmp(de->d_name + nlen - 4, ".eml") != 0)
	    continue;
	snprintf(path, sizeof(path), "%s/%s", SHAPES_DIR, de->d_name);
	snprintf(want_path, sizeof(want_path), "%s/%.*s.expect", SHAPES_DIR,
		 (int) (nlen - 4), de->d_name);
	msg = sx_unit_slurp(path, &len);
	want = sx_unit_slurp(want_path, 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(msg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	run(msg, len, 0, got, sizeof(got));
	if (strcmp(got, want) != 0)
	    fprintf(stderr, "\n%s:\n--- want\n%s--- got\n%s", de->d_name, want, got);
	CU_ASSERT_STRING_EQUAL(got, want);
	for (i = 1; i < sizeof(steps) / sizeof(steps[0]); i++) {
	    run(msg, len, steps[i], again, sizeof(again));
	    if (strcmp(got, again) != 0)
		fprintf(stderr, "\n%s: chunks of %d differ\n", de->d_name, steps[i]);
	    CU_ASSERT_STRING_EQUAL(again, got);
	}
	/* With automatic replies reported, when the fixture says so. */
	snprintf(want_path, sizeof(want_path), "%s/%.*s.expect-autoreplies",
		 SHAPES_DIR, (int) (nlen - 4), de->d_name);
	free(want);
	if ((want = sx_unit_slurp(want_path, 0)) != 0) {
	    run_as(msg, len, 0, 1, got, sizeof(got));
	    if (strcmp(got, want) != 0)
		fprintf(stderr, "\n%s (autoreplies):\n--- want\n%s--- got\n%s",
			de->d_name, want, got);
	    CU_ASSERT_STRING_EQUAL(got, want);
	    run_as(msg, len, 7, 1, again, sizeof(again));
	    CU_ASSERT_STRING_EQUAL(again, got);
	    free(want);
	}
	free(msg);
	seen++;
    }
    closedir(dir);
    CU_ASSERT(seen >= 10);
}

static CU_TestInfo tests[] = {
    {"fixtures, whole and chunked", test_fixtures},
    CU_TEST_INFO_NULL,
};

static int shapes_init(void)
{
    struct sx_errors errs;

    memset(&errs, 0, sizeof(errs));
    return ((reg = sx_config_registry_default(&errs)) == 0);
}

static int shapes_clean(void)
{
    sx_registry_free(reg);
    return (0);
}

SX_SUITE(shapes, tests, shapes_init, shapes_clean)
