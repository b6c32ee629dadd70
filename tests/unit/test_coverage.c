/*
 * test_coverage.c - the embedded registry explains every basic reply
 * code of RFC 5321 and its extensions (and those met in practice), and
 * every detail code of the IANA enhanced status code registry, to an
 * entry of its own; unknown codes fall back to their subject and class.
 * Every entry has its wording, and all the wording belongs to an entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/config.h>
#include <smtp-explain/registry.h>

#include "unit.h"

SX_UNIT_DEFAULT_REGISTRY

static const char *const basic[] = {
    "101", "111", "200", "211", "214", "220", "221", "235", "250", "251",
    "252", "253", "334", "354", "355", "420", "421", "422", "430", "431",
    "432", "441", "442", "446", "447", "449", "450", "451", "452", "453",
    "454", "455", "456", "458", "459", "471", "500", "501", "502", "503",
    "504", "510", "511", "512", "513", "517", "520", "521", "523", "524",
    "525", "530", "533", "534", "535", "538", "541", "550", "551", "552",
    "553", "554", "555", "556", "557", "571",
};

/* Every enumerated code of the IANA registry (X.0.0 to X.7.30). */
static const char *const enhanced[] = {
    "X.0.0", "X.1.0", "X.1.1", "X.1.2", "X.1.3", "X.1.4", "X.1.5", "X.1.6",
    "X.1.7", "X.1.8", "X.1.9", "X.1.10", "X.2.0", "X.2.1", "X.2.2", "X.2.3",
    "X.2.4", "X.3.0", "X.3.1", "X.3.2", "X.3.3", "X.3.4", "X.3.5", "X.3.6",
    "X.4.0", "X.4.1", "X.4.2", "X.4.3", "X.4.4", "X.4.5", "X.4.6", "X.4.7",
    "X.5.0", "X.5.1", "X.5.2", "X.5.3", "X.5.4", "X.5.5", "X.5.6", "X.6.0",
    "X.6.1", "X.6.2", "X.6.3", "X.6.4", "X.6.5", "X.6.6", "X.6.7", "X.6.8",
    "X.6.9", "X.6.10", "X.7.0", "X.7.1", "X.7.2", "X.7.3", "X.7.4", "X.7.5",
    "X.7.6", "X.7.7", "X.7.8", "X.7.9", "X.7.10", "X.7.11", "X.7.12",
    "X.7.13", "X.7.14", "X.7.15", "X.7.16", "X.7.17", "X.7.18", "X.7.19",
    "X.7.20", "X.7.21", "X.7.22", "X.7.23", "X.7.24", "X.7.25", "X.7.26",
    "X.7.27", "X.7.28", "X.7.29", "X.7.30",
};

static void check_entry(const struct sx_entry *e, const char *code)
{
    CU_ASSERT_PTR_NOT_NULL(e);
    if (e == 0) {
	fprintf(stderr, "\n  no entry for %s\n", code);
	return;
    }
    CU_ASSERT(e->title && strlen(e->title) > 3);
    CU_ASSERT(e->text && strlen(e->text) > 20);
    CU_ASSERT(e->action && strlen(e->action) > 10);
    CU_ASSERT(e->reason && sx_reason_valid(e->reason));
}

static void test_basic(void)
{
    size_t  i;

    for (i = 0; i < sizeof(basic) / sizeof(basic[0]); i++)
	check_entry(sx_registry_basic(reg, atoi(basic[i])), basic[i]);
}

static void test_enhanced(void)
{
    static const char classes[] = "45";
    size_t  i, c;

    for (i = 0; i < sizeof(enhanced) / sizeof(enhanced[0]); i++)
	for (c = 0; c < 2; c++) {
	    char    code[16];
	    int     level = 0;

	    snprintf(code, sizeof(code), "%c%s", classes[c], enhanced[i] + 1);
	    check_entry(sx_registry_enhanced(reg, code, &level), code);
	    CU_ASSERT_EQUAL(level, 3);
	}
}

static void test_fallbacks(void)
{
    static const struct {
	const char *code;
	int     level;
	enum sx_class class;
    }       t[] = {
	{"5.7.99", 2, SX_CLASS_PERMANENT},
	{"4.1.77", 2, SX_CLASS_TRANSIENT},
	{"5.9.9", 1, SX_CLASS_PERMANENT},
	{"2.9.9", 1, SX_CLASS_SUCCESS},
    };
    size_t  i;

    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
	int     level = 0;

	CU_ASSERT_PTR_NOT_NULL(sx_registry_enhanced(reg, t[i].code, &level));
	CU_ASSERT_EQUAL(level, t[i].level);
	CU_ASSERT_EQUAL(sx_class_of_status(t[i].code), t[i].class);
    }
}

/* Success codes are never explained by an entry written for failures. */

static void test_success_codes(void)
{
    static const char *const codes[] = {
	"2.1.1", "2.2.2", "2.4.7", "2.7.1", "2.5.3", "2.1.5", "2.0.0", "2.6.0",
    };
    size_t  i;

    for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
	const struct sx_entry *e = sx_registry_enhanced(reg, codes[i], 0);

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(e->reason ? e->reason : "delivered", "delivered");
    }
    /* 2.1.5 (address valid) keeps its own X.1.5 meaning. */
    CU_ASSERT_STRING_EQUAL(sx_registry_enhanced(reg, "2.1.5", 0)->code, "X.1.5");
}

/* Every entry of every table has its wording, and no wording is left over. */

static void test_wording(void)
{
    static const enum sx_entry_table tabs[] = {
	SX_TABLE_BASIC, SX_TABLE_ENHANCED, SX_TABLE_VENDOR, SX_TABLE_FALLBACK,
    };
    const struct sx_entry *e;
    size_t  i, t;

    for (t = 0; t < sizeof(tabs) / sizeof(tabs[0]); t++)
	for (i = 0; (e = sx_registry_at(reg, tabs[t], i)) != 0; i++) {
	    CU_ASSERT(e->title && strlen(e->title) > 3);
	    if (e->title == 0)
		fprintf(stderr, "\n  no wording for %s %s %s\n", e->code,
			e->vendor ? e->vendor : "", e->pattern ? e->pattern : "");
	}
    CU_ASSERT_EQUAL(sx_registry_unused_texts(reg), 0);
    /* What is said when nothing says more, by kind, class and "*". */
    CU_ASSERT_PTR_NOT_NULL(sx_registry_fallback(reg, "autoreply"));
    CU_ASSERT_PTR_NOT_NULL(sx_registry_fallback(reg, "feedback"));
    CU_ASSERT_PTR_NOT_NULL(sx_registry_fallback(reg, "permanent"));
    CU_ASSERT_PTR_NOT_NULL(sx_registry_fallback(reg, "transient"));
    CU_ASSERT_PTR_NOT_NULL(sx_registry_fallback(reg, "success"));
    e = sx_registry_fallback(reg, "*");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT(e->text && e->action);
}

/*
 * The data files, read as files (errors then name the file and line):
 * the facts need their wording, and with it they make the default.
 */
static void test_data_files(void)
{
    struct sx_errors errs;
    struct sx_registry *r = sx_registry_new();
    size_t  t;

    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    memset(&errs, 0, sizeof(errs));
    CU_ASSERT_EQUAL(sx_config_registry_file(r, "../etc/registry.conf", &errs),
		    SX_ERR_CONFIG);
    CU_ASSERT_PTR_NOT_NULL(strstr(errs.msg[0], "entry without \"title\""));
    memset(&errs, 0, sizeof(errs));
    CU_ASSERT_EQUAL(sx_config_registry_file(r, "../etc/texts/en.conf", &errs), SX_OK);
    CU_ASSERT_EQUAL(sx_config_registry_file(r, "../etc/registry.conf", &errs), SX_OK);
    if (errs.count)
	fprintf(stderr, "\n  %s\n", errs.msg[0]);
    CU_ASSERT_EQUAL_FATAL(sx_registry_seal(r), SX_OK);
    for (t = 0; t < SX_TABLES; t++)
	CU_ASSERT_EQUAL(sx_registry_count(r, (enum sx_entry_table) t),
			sx_registry_count(reg, (enum sx_entry_table) t));
    CU_ASSERT_EQUAL(sx_registry_unused_texts(r), 0);
    sx_registry_free(r);
}

static CU_TestInfo tests[] = {
    {"success codes", test_success_codes},
    {"every basic code", test_basic},
    {"every IANA detail code", test_enhanced},
    {"subject and class fallbacks", test_fallbacks},
    {"wording for every entry", test_wording},
    {"data files on their own", test_data_files},
    CU_TEST_INFO_NULL,
};

SX_SUITE(coverage, tests, reg_init, reg_fini)
