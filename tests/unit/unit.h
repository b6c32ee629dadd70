/*
 * unit.h - how the CUnit suites register themselves.
 *
 * Each tests/unit/test_*.c file declares its suite with SX_SUITE(); a
 * constructor adds it to a list that main.c hands to CUnit, so adding a
 * suite never means editing main.c. Tests run from the tests/ folder:
 * fixtures are found at "fixtures/...".
 */
#ifndef SX_UNIT_H
#define SX_UNIT_H

#include <CUnit/CUnit.h>

struct sx_unit_suite {
    const char *name;
    CU_TestInfo *tests;
    int     (*init)(void);
    int     (*cleanup)(void);
    struct sx_unit_suite *next;
};

extern void sx_unit_add(struct sx_unit_suite *);
extern char *sx_unit_slurp(const char *path, size_t *len);

/*
 * SX_UNIT_DEFAULT_REGISTRY - a suite's "reg", the built-in registry, with
 * reg_init() and reg_fini() to give SX_SUITE() (main.c has the loader).
 */
struct sx_registry;
struct sx_finding;
struct sx_report_item;
struct sx_report;
extern struct sx_registry *sx_unit_default_registry(void);
/* sx_unit_report_one - a report of one finding, explained with reg */
extern void sx_unit_report_one(const struct sx_registry *, const struct sx_finding *,
			               struct sx_report_item *, struct sx_report *);
extern void sx_unit_registry_free(struct sx_registry *);

#define SX_UNIT_DEFAULT_REGISTRY \
    static struct sx_registry *reg; \
    static int reg_init(void) { return ((reg = sx_unit_default_registry()) == 0); } \
    static int reg_fini(void) { sx_unit_registry_free(reg); return (0); }

#define SX_SUITE(id, tests_, init_, cleanup_) \
    static struct sx_unit_suite sx_suite_##id = { #id, tests_, init_, cleanup_, 0 }; \
    __attribute__((constructor)) static void sx_suite_reg_##id(void) \
    { sx_unit_add(&sx_suite_##id); }

#endif
