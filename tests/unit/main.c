/*
 * main.c - run every registered CUnit suite; exit 1 if any test failed.
 * The failure count is read before CU_cleanup_registry(), which clears it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/Basic.h>

#include <smtp-explain/config.h>
#include <smtp-explain/explain.h>
#include <smtp-explain/registry.h>
#include <smtp-explain/report.h>

#include "unit.h"

static struct sx_unit_suite *suites;

void    sx_unit_add(struct sx_unit_suite *s)
{
    struct sx_unit_suite **pp = &suites;

    /* Keep suites in name order so runs are comparable. */
    while (*pp && strcmp((*pp)->name, s->name) < 0)
	pp = &(*pp)->next;
    s->next = *pp;
    *pp = s;
}

/* sx_unit_default_registry - the built-in registry, NULL on failure */

struct sx_registry *sx_unit_default_registry(void)
{
    struct sx_errors errs;

    memset(&errs, 0, sizeof(errs));
    return (sx_config_registry_default(&errs));
}

void    sx_unit_registry_free(struct sx_registry *reg)
{
    sx_registry_free(reg);
}

void    sx_unit_report_one(const struct sx_registry *reg, const struct sx_finding *f,
			           struct sx_report_item *item, struct sx_report *rep)
{
    memset(item, 0, sizeof(*item));
    item->finding = f;
    sx_explain(reg, f, &item->ex);
    memset(rep, 0, sizeof(*rep));
    rep->items = item;
    rep->count = 1;
}

char   *sx_unit_slurp(const char *path, size_t *len)
{
    FILE   *fp = fopen(path, "rb");
    char   *buf = 0;
    size_t  cap = 0, n = 0, got;

    if (fp == 0)
	return (0);
    do {
	if (n + 4096 + 1 > cap) {
	    cap = cap ? cap * 2 : 8192;
	    buf = realloc(buf, cap);
	    if (buf == 0)
		abort();
	}
	got = fread(buf + n, 1, cap - n - 1, fp);
	n += got;
    } while (got > 0);
    fclose(fp);
    buf[n] = 0;
    if (len)
	*len = n;
    return (buf);
}

int     main(int argc, char **argv)
{
    struct sx_unit_suite *s;
    unsigned failed;

    if (CU_initialize_registry() != CUE_SUCCESS)
	return (2);
    for (s = suites; s; s = s->next) {
	CU_pSuite cs;
	CU_TestInfo *t;

	if (argc > 1 && strcmp(argv[1], s->name) != 0)
	    continue;
	cs = CU_add_suite(s->name, s->init, s->cleanup);
	if (cs == 0)
	    return (2);
	for (t = s->tests; t->pName; t++)
	    if (CU_add_test(cs, t->pName, t->pTestFunc) == 0)
		return (2);
    }
    CU_basic_set_mode(CU_BRM_NORMAL);
    CU_basic_run_tests();
    failed = CU_get_number_of_failures() + CU_get_number_of_suites_failed();
    CU_cleanup_registry();
    return (failed ? 1 : 0);
}
