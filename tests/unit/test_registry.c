/*
 * test_registry.c - loading, overriding and looking up registry entries.
 */
#include <string.h>

#include <smtp-explain/config.h>
#include <smtp-explain/registry.h>

#include "unit.h"

#define FIX "fixtures/registry/"

static struct sx_registry *small;

static int small_init(void)
{
    struct sx_errors errs;

    memset(&errs, 0, sizeof(errs));
    small = sx_registry_new();
    if (small == 0 || sx_config_registry_file(small, "fixtures/registry/small.conf",
					      &errs) != SX_OK)
	return (1);
    return (sx_registry_seal(small) != SX_OK);
}

static int small_clean(void)
{
    sx_registry_free(small);
    return (0);
}

static void test_enhanced_fallback(void)
{
    static const struct {
	const char *status;
	const char *title;
	int     level;
    }       t[] = {
	{"5.1.1", "No mailbox", 3},
	{"4.1.1", "No mailbox", 3},
	{"4.2.2", "Full for now", 3},
	{"5.2.2", "Full", 3},
	{"5.7.99", "Policy", 2},
	{"5.3.9", "Permanent", 1},
	{"4.3.9", 0, 0},
	{"bogus", 0, 0},
    };
    size_t  i;

    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
	int     level = -1;
	const struct sx_entry *e = sx_registry_enhanced(small, t[i].status, &level);

	CU_ASSERT_EQUAL(level, t[i].level);
	if (t[i].title) {
	    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	    CU_ASSERT_STRING_EQUAL(e->title, t[i].title);
	} else {
	    CU_ASSERT_PTR_NULL(e);
	}
    }
}

static void test_basic(void)
{
    const struct sx_entry *e = sx_registry_basic(small, 550);

    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->reason, "rejected");
    CU_ASSERT_EQUAL(e->who, SX_WHO_SENDER);
    CU_ASSERT_EQUAL(e->retry, SX_RETRY_NO);
    CU_ASSERT_PTR_NULL(sx_registry_basic(small, 599));
    CU_ASSERT_PTR_NULL(sx_registry_basic(small, -1));
    CU_ASSERT_PTR_NULL(sx_registry_basic(small, 1000));
}

static void test_vendor(void)
{
    static const struct {
	const char *status;
	int     code;
	const char *text;
	const char *host;
	const char *vendor;
    }       t[] = {
	{"5.7.26", 550, "This mail is UNAUTHENTICATED", "mx.google.com", "gmail"},
	{"5.7.26", 550, "This mail is unauthenticated", "mx.example.org", 0},
	{"5.7.26", 550, "dmarc fail", "mx.google.com", 0},
	{"5.7.26", 550, "unauthenticated", "", "gmail"},
	{"5.7.606", 550, "Access denied", "a.mail.protection.outlook.com", "microsoft"},
	{"5.7.700", 550, "Access denied", "a.mail.protection.outlook.com", 0},
	{"5.7.606", 550, "Access denied", "", 0},
	{"", 421, "[TS04] Messages from x temporarily deferred", "", "yahoo"},
    };
    size_t  i;

    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
	const struct sx_entry *e = sx_registry_vendor(small, t[i].status, t[i].code,
						      t[i].text, t[i].host);

	if (t[i].vendor) {
	    CU_ASSERT_PTR_NOT_NULL(e);
	    if (e)
		CU_ASSERT_STRING_EQUAL(e->vendor, t[i].vendor);
	} else {
	    CU_ASSERT_PTR_NULL(e);
	}
    }
}

static void test_reason_text(void)
{
    CU_ASSERT_STRING_EQUAL(sx_registry_reason_by_text(small, "User unknown"), "userunknown");
    /* Table order decides, not the position in the text. */
    CU_ASSERT_STRING_EQUAL(sx_registry_reason_by_text(small,
			   "no such user or mailbox full"), "mailboxfull");
    CU_ASSERT_PTR_NULL(sx_registry_reason_by_text(small, "all is well"));
}

static void test_override(void)
{
    struct sx_errors errs;
    struct sx_registry *reg = sx_registry_new();

    memset(&errs, 0, sizeof(errs));
    CU_ASSERT_EQUAL(sx_config_registry_file(reg, "fixtures/registry/small.conf", &errs), SX_OK);
    CU_ASSERT_EQUAL(sx_config_registry_file(reg, "fixtures/registry/override.conf", &errs), SX_OK);
    CU_ASSERT_EQUAL_FATAL(sx_registry_seal(reg), SX_OK);
    CU_ASSERT_STRING_EQUAL(sx_registry_basic(reg, 550)->title, "Local title");
    CU_ASSERT_STRING_EQUAL(sx_registry_basic(reg, 421)->title, "Closing");
    CU_ASSERT_EQUAL(sx_registry_count(reg, SX_TABLE_BASIC), 2);
    sx_registry_free(reg);
}

static void test_vendor_override(void)
{
    struct sx_errors errs;
    struct sx_registry *reg = sx_registry_new();
    const struct sx_entry *e;

    memset(&errs, 0, sizeof(errs));
    CU_ASSERT_EQUAL(sx_config_registry_file(reg, "fixtures/registry/small.conf", &errs), SX_OK);
    CU_ASSERT_EQUAL(sx_config_registry_file(reg, "fixtures/registry/vendor-override.conf",
					    &errs), SX_OK);
    CU_ASSERT_EQUAL_FATAL(sx_registry_seal(reg), SX_OK);
    e = sx_registry_vendor(reg, "5.7.26", 550, "unauthenticated", "mx.google.com");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->title, "Local gmail title");
    e = sx_registry_vendor(reg, "5.7.26", 550, "zzz", "");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->vendor, "other");
    CU_ASSERT_EQUAL(sx_registry_count(reg, SX_TABLE_VENDOR), 4);
    sx_registry_free(reg);
}

static void test_bad_files(void)
{
    struct sx_errors errs;
    struct sx_registry *reg = sx_registry_new();
    static const char *const expect[] = {
	"fixtures/registry/bad.conf:5: malformed code \"5500\" for basic entry",
	"fixtures/registry/bad.conf:6: unknown key \"colour\" in basic entry",
	"fixtures/registry/bad.conf:7: who: unknown value \"everyone\"",
	"fixtures/registry/bad.conf:9: reason: unknown reason \"nonsense\"",
	"fixtures/registry/bad.conf:10: unknown key \"extras\" in registry",
    };
    size_t  i, j;

    memset(&errs, 0, sizeof(errs));
    CU_ASSERT_EQUAL(sx_config_registry_file(reg, "fixtures/registry/bad.conf", &errs),
		    SX_ERR_CONFIG);
    CU_ASSERT_EQUAL(errs.count, 5);
    for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
	int     found = 0;

	for (j = 0; j < errs.count && j < SX_ERRORS_MAX; j++)
	    if (strncmp(errs.msg[j], expect[i], strlen(expect[i])) == 0)
		found = 1;
	if (!found)
	    fprintf(stderr, "\n  missing error: %s\n", expect[i]);
	CU_ASSERT_TRUE(found);
    }
    /* Nothing of a bad file is added. */
    CU_ASSERT_EQUAL(sx_registry_count(reg, SX_TABLE_BASIC), 0);

    memset(&errs, 0, sizeof(errs));
    CU_ASSERT_EQUAL(sx_config_registry_file(reg, "fixtures/registry/syntax.conf", &errs),
		    SX_ERR_CONFIG);
    CU_ASSERT_EQUAL(errs.count, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(errs.msg[0], "fixtures/registry/syntax.conf:5:"));

    memset(&errs, 0, sizeof(errs));
    CU_ASSERT_EQUAL(sx_config_registry_file(reg, "fixtures/registry/none.conf", &errs),
		    SX_ERR_IO);
    CU_ASSERT_PTR_NOT_NULL(strstr(errs.msg[0], "none.conf"));
    sx_registry_free(reg);
}

/* Wording is filed apart from the facts, under the same key. */

static void test_texts_apart(void)
{
    struct sx_errors errs;
    struct sx_registry *reg = sx_registry_new();
    const struct sx_entry *e;

    memset(&errs, 0, sizeof(errs));
    CU_ASSERT_EQUAL(sx_config_registry_file(reg, FIX "small.conf", &errs), SX_OK);
    /* Facts alone: the wording loaded for the key stays. */
    CU_ASSERT_EQUAL(sx_config_registry_file(reg, FIX "facts.conf", &errs), SX_OK);
    /* Wording alone, as a language file: replaces each record whole. */
    CU_ASSERT_EQUAL(sx_config_registry_file(reg, FIX "texts.conf", &errs), SX_OK);
    CU_ASSERT_EQUAL(errs.count, 0);
    CU_ASSERT_EQUAL_FATAL(sx_registry_seal(reg), SX_OK);

    e = sx_registry_basic(reg, 550);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->title, "Abgelehnt");
    CU_ASSERT_STRING_EQUAL(e->text, "t550 de");
    CU_ASSERT_STRING_EQUAL(e->reason, "blocked");
    CU_ASSERT_EQUAL(e->retry, SX_RETRY_AFTER_FIX);
    CU_ASSERT_PTR_NULL(e->ref);		/* facts are replaced whole */

    e = sx_registry_enhanced(small, "5.1.1", 0);
    CU_ASSERT_STRING_EQUAL(e->title, "No mailbox");
    e = sx_registry_enhanced(reg, "5.1.1", 0);
    CU_ASSERT_STRING_EQUAL(e->title, "Kein Postfach");
    CU_ASSERT_PTR_NULL(e->text);
    CU_ASSERT_STRING_EQUAL(e->reason, "userunknown");

    /* The vendor key: vendor, code and pattern (in any case). */
    e = sx_registry_vendor(reg, "5.7.26", 550, "unauthenticated", "mx.google.com");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->title, "Gmail: nicht angemeldet");
    CU_ASSERT_EQUAL(e->who, SX_WHO_SENDER_ADMIN);

    /* Fallbacks: facts and wording too. */
    e = sx_registry_fallback(reg, "permanent");
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->title, "Failed");
    CU_ASSERT_EQUAL(e->retry, SX_RETRY_NO);
    CU_ASSERT_PTR_NULL(sx_registry_fallback(reg, "transient"));
    /* "*" has wording and no entry: a record that nothing takes. */
    CU_ASSERT_PTR_NULL(sx_registry_fallback(reg, "*"));
    CU_ASSERT_EQUAL(sx_registry_unused_texts(reg), 1);
    sx_registry_free(reg);
}

/* The same through the API, and what it refuses. */

static void test_texts_api(void)
{
    struct sx_registry *reg = sx_registry_new();
    struct sx_entry e, w;

    CU_ASSERT_PTR_NOT_NULL_FATAL(reg);
    memset(&e, 0, sizeof(e));
    e.code = "554";
    e.reason = "rejected";
    e.title = "Refused";
    e.text = "first";
    CU_ASSERT_EQUAL(sx_registry_add(reg, SX_TABLE_BASIC, &e), SX_OK);
    CU_ASSERT(sx_registry_has_texts(reg, SX_TABLE_BASIC, &e));
    memset(&w, 0, sizeof(w));
    w.code = "554";
    w.title = "Refused again";
    w.reason = "nonsense";		/* not read: wording only */
    CU_ASSERT_EQUAL(sx_registry_add_texts(reg, SX_TABLE_BASIC, &w), SX_OK);
    w.code = "5540";
    CU_ASSERT_EQUAL(sx_registry_add_texts(reg, SX_TABLE_BASIC, &w), SX_ERR_INVALID);
    CU_ASSERT_EQUAL(sx_registry_add_texts(reg, SX_TABLE_REASON, &w), SX_ERR_INVALID);
    e.reason = "nonsense";
    CU_ASSERT_EQUAL(sx_registry_add(reg, SX_TABLE_BASIC, &e), SX_ERR_INVALID);
    e.reason = 0;
    e.code = "dsn";
    CU_ASSERT_EQUAL(sx_registry_add(reg, SX_TABLE_FALLBACK, &e), SX_OK);
    e.code = "nobody";
    CU_ASSERT_EQUAL(sx_registry_add(reg, SX_TABLE_FALLBACK, &e), SX_ERR_INVALID);
    CU_ASSERT_EQUAL_FATAL(sx_registry_seal(reg), SX_OK);
    CU_ASSERT_STRING_EQUAL(sx_registry_basic(reg, 554)->title, "Refused again");
    CU_ASSERT_PTR_NULL(sx_registry_basic(reg, 554)->text);
    /* The taxonomy's own string, whatever was passed in. */
    CU_ASSERT_PTR_NOT_NULL(sx_registry_basic(reg, 554)->reason);
    CU_ASSERT_EQUAL(sx_registry_unused_texts(reg), 0);
    sx_registry_free(reg);
}

/* The reason taxonomy and what the rules know of it. */

static void test_reasons(void)
{
    CU_ASSERT(sx_reason_valid("userunknown"));
    CU_ASSERT(sx_reason_valid("undefined"));
    CU_ASSERT(!sx_reason_valid("UserUnknown"));
    CU_ASSERT(!sx_reason_valid("nonsense"));
    CU_ASSERT(!sx_reason_valid(0));
    CU_ASSERT(sx_reason_attrs("mailboxfull") & SX_REASON_PRECISE);
    CU_ASSERT(!(sx_reason_attrs("userunknown") & SX_REASON_PRECISE));
    CU_ASSERT(sx_reason_attrs("userunknown") & SX_REASON_FILTER_AT_DATA);
    CU_ASSERT(sx_reason_attrs("rejected") & SX_REASON_HOST_AT_HELLO);
    CU_ASSERT(sx_reason_attrs("delivered") & SX_REASON_SUCCESS);
    CU_ASSERT_EQUAL(sx_reason_attrs("nonsense"), 0);
    /* Enum names: one table each, read and written. */
    CU_ASSERT_STRING_EQUAL(sx_retry_name(SX_RETRY_AFTER_FIX), "after_fix");
    CU_ASSERT_STRING_EQUAL(sx_class_name(SX_CLASS_LOCAL), "local");
    {
	enum sx_retry r = SX_RETRY_YES;
	enum sx_who w = SX_WHO_NONE;

	CU_ASSERT(!sx_retry_parse("unknown", &r));
	CU_ASSERT(sx_retry_parse("No", &r) && r == SX_RETRY_NO);
	CU_ASSERT(sx_who_parse("recipient_admin", &w) && w == SX_WHO_RECIPIENT_ADMIN);
    }
}

static void test_bad_texts(void)
{
    struct sx_errors errs;
    struct sx_registry *reg = sx_registry_new();
    static const char *const expect[] = {
	FIX "bad-texts.conf:7: unknown key \"who\" in texts.basic entry",
	FIX "bad-texts.conf:8: texts.basic entry without \"title\"",
	FIX "bad-texts.conf:10: unknown key \"colours\" in texts "
	"(expected basic, enhanced, vendor, fallback or block)",
	FIX "bad-texts.conf:15: basic entry without \"title\"",
	FIX "bad-texts.conf:16: basic entry without \"title\"",
	FIX "bad-texts.conf:19: malformed code \"nobody\" for fallback entry",
    };
    size_t  i, j;

    memset(&errs, 0, sizeof(errs));
    CU_ASSERT_EQUAL(sx_config_registry_file(reg, FIX "bad-texts.conf", &errs),
		    SX_ERR_CONFIG);
    CU_ASSERT_EQUAL(errs.count, sizeof(expect) / sizeof(expect[0]));
    for (i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
	int     found = 0;

	for (j = 0; j < errs.count && j < SX_ERRORS_MAX; j++)
	    if (strcmp(errs.msg[j], expect[i]) == 0)
		found = 1;
	if (!found)
	    fprintf(stderr, "\n  missing error: %s\n", expect[i]);
	CU_ASSERT_TRUE(found);
    }
    CU_ASSERT_EQUAL_FATAL(sx_registry_seal(reg), SX_OK);
    CU_ASSERT_EQUAL(sx_registry_count(reg, SX_TABLE_BASIC), 0);
    CU_ASSERT_EQUAL(sx_registry_unused_texts(reg), 0);
    sx_registry_free(reg);
}

static CU_TestInfo tests[] = {
    {"enhanced fallbacks", test_enhanced_fallback},
    {"basic codes", test_basic},
    {"vendor by code, text, host", test_vendor},
    {"reason by text", test_reason_text},
    {"later file overrides", test_override},
    {"vendor override among others", test_vendor_override},
    {"bad files change nothing", test_bad_files},
    {"wording apart from facts", test_texts_apart},
    {"wording through the API", test_texts_api},
    {"reason taxonomy and names", test_reasons},
    {"bad wording changes nothing", test_bad_texts},
    CU_TEST_INFO_NULL,
};

SX_SUITE(registry, tests, small_init, small_clean)
