/*
 * test_shapes.c - every bounce-shape fixture read as a whole and in
 * chunks (1, 7, 4096 bytes and a pseudo-random mix): the findings must
 * be those of its .expect file and the same whatever the chunking. The
 * format (expect.c) names the recogniser that must fire, so a fixture
 * cannot pass by luck through another one, and gives each finding's
 * recipient, action, codes and reason, as the default registry
 * explains it.
 *
 * A fixture may also have NAME.expect-autoreplies: what the reader
 * finds when asked to report automatic replies (sx_reader_autoreplies),
 * which by default give nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/config.h>
#include <smtp-explain/explain.h>
#include <smtp-explain/reader.h>

#include "unit.h"
#include "expect.h"

#define SHAPES_DIR "fixtures/shapes"
/* Bounces written by real MTAs (tests/mta, make check-mta). */
#define MTA_DIR    "fixtures/mta"

static struct sx_registry *reg;

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
    (void) sx_unit_expect(reg, r, out, size, 0, 0);
    sx_reader_free(r);
}

static void run(const char *msg, size_t len, int step, char *out, size_t size)
{
    run_as(msg, len, step, 0, out, size);
}

/* one - a fixture read whole must give its .expect, and so in chunks */

static void one(const char *name, const char *msg, size_t len, const char *want,
		        void *ctx)
{
    static const int steps[] = {1, 7, 4096, -1};
    static char got[65536], again[65536];
    size_t  i;

    run(msg, len, 0, got, sizeof(got));
    if (strcmp(got, want) != 0)
	fprintf(stderr, "\n%s:\n--- want\n%s--- got\n%s", name, want, got);
    CU_ASSERT_STRING_EQUAL(got, want);
    for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
	run(msg, len, steps[i], again, sizeof(again));
	if (strcmp(got, again) != 0)
	    fprintf(stderr, "\n%s: chunks of %d differ\n", name, steps[i]);
	CU_ASSERT_STRING_EQUAL(again, got);
    }
    /* With automatic replies reported, when the fixture says so. */
    if (ctx != 0) {
	char    path[512];
	char   *auto_want;

	snprintf(path, sizeof(path), "%s/%s.expect-autoreplies", (const char *) ctx, name);
	if ((auto_want = sx_unit_slurp(path, 0)) != 0) {
	    run_as(msg, len, 0, 1, got, sizeof(got));
	    if (strcmp(got, auto_want) != 0)
		fprintf(stderr, "\n%s (autoreplies):\n--- want\n%s--- got\n%s",
			name, auto_want, got);
	    CU_ASSERT_STRING_EQUAL(got, auto_want);
	    run_as(msg, len, 7, 1, again, sizeof(again));
	    CU_ASSERT_STRING_EQUAL(again, got);
	    free(auto_want);
	}
    }
}

static void test_fixtures(void)
{
    CU_ASSERT(sx_unit_fixtures(SHAPES_DIR, one, (void *) SHAPES_DIR) >= 10);
    /* Bounces written by real MTAs (tests/mta, "make check-mta"). */
    CU_ASSERT(sx_unit_fixtures(MTA_DIR, one, (void *) MTA_DIR) >= 4);
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
