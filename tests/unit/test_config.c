/*
 * test_config.c - the configuration loader: defaults, every setting, the
 * exact "file:line: message" of each error, registry layering, and the
 * reference count.
 */
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <CUnit/CUnit.h>

#include <smtp-explain/config.h>
#include <smtp-explain/policy.h>
#include <smtp-explain/registry.h>
#include "unit.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define FIX "fixtures/config/"

static struct sx_config *load_ok(const char *path)
{
    struct sx_errors errs;
    struct sx_config *conf;
    size_t  i;

    memset(&errs, 0, sizeof(errs));
    conf = sx_config_load(path, &errs);
    for (i = 0; i < errs.count && i < SX_ERRORS_MAX; i++)
	fprintf(stderr, "\n%s", errs.msg[i]);
    CU_ASSERT_PTR_NOT_NULL(conf);
    CU_ASSERT_EQUAL(errs.count, 0);
    return (conf);
}

/* The defaults, as documented, from the embedded and the shipped file. */
static void check_defaults(const struct sx_config *conf)
{
    const struct sx_settings *set = &conf->settings;

    CU_ASSERT_STRING_EQUAL(set->socket, "unix:/run/smtp-explain/milter.sock");
    CU_ASSERT_STRING_EQUAL(set->user, "");
    CU_ASSERT_STRING_EQUAL(set->pidfile, "");
    CU_ASSERT_EQUAL(set->socket_mode, 0660);
    CU_ASSERT_STRING_EQUAL(set->socket_group, "");
    CU_ASSERT_EQUAL(set->syslog_facility, LOG_MAIL);
    CU_ASSERT_STRING_EQUAL(set->authserv_id, "");
    CU_ASSERT_EQUAL(set->on_error, SX_ON_ERROR_ACCEPT);
    CU_ASSERT_EQUAL(set->max_headers, 20);
    CU_ASSERT_EQUAL(set->strip_foreign, 1);
    CU_ASSERT_EQUAL(set->header_text, 1);
    CU_ASSERT_EQUAL(set->header_diag, 1);
    CU_ASSERT_EQUAL(set->diag_max, 200);
    CU_ASSERT_EQUAL(set->annotate_session_rejects, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(set->local_domains);
    CU_ASSERT_PTR_NULL(set->local_domains[0]);
    CU_ASSERT_STRING_EQUAL(set->stats_file, "");
    CU_ASSERT_EQUAL(set->stats_interval, 60);
    CU_ASSERT_PTR_NOT_NULL(conf->registry);
    CU_ASSERT_EQUAL_FATAL(sx_policy_count(conf->policy), 1);
    CU_ASSERT_STRING_EQUAL(sx_policy_rule_name(conf->policy, 0), "annotate-all");
    CU_ASSERT_EQUAL(conf->refcount, 1);
}

static void test_default(void)
{
    struct sx_config *conf = load_ok(NULL);

    if (conf == 0)
	return;
    CU_ASSERT_STRING_EQUAL(conf->path, "(default)");
    check_defaults(conf);
    sx_config_unref(conf);
}

static void test_shipped_file(void)
{
    struct sx_config *conf = load_ok("../etc/smtp-explain.conf");

    if (conf == 0)
	return;
    CU_ASSERT_STRING_EQUAL(conf->path, "../etc/smtp-explain.conf");
    check_defaults(conf);
    sx_config_unref(conf);
}

static void test_empty_file(void)
{
    struct sx_config *conf = load_ok(FIX "empty.conf");

    if (conf == 0)
	return;
    /* No policy section: no rules, findings are annotated. */
    CU_ASSERT_EQUAL(sx_policy_count(conf->policy), 0);
    CU_ASSERT_EQUAL(conf->settings.max_headers, 20);
    sx_config_unref(conf);
}

static void test_every_setting(void)
{
    struct sx_config *conf = load_ok(FIX "full.conf");
    const struct sx_settings *set;

    if (conf == 0)
	return;
    set = &conf->settings;
    CU_ASSERT_STRING_EQUAL(set->socket, "inet:8894@127.0.0.1");
    CU_ASSERT_STRING_EQUAL(set->user, "smtpx");
    CU_ASSERT_STRING_EQUAL(set->pidfile, "/run/smtp-explain/milter.pid");
    CU_ASSERT_EQUAL(set->socket_mode, 0640);
    CU_ASSERT_STRING_EQUAL(set->socket_group, "postfix");
    CU_ASSERT_EQUAL(set->syslog_facility, LOG_LOCAL3);
    CU_ASSERT_STRING_EQUAL(set->authserv_id, "mx.example.org");
    CU_ASSERT_EQUAL(set->on_error, SX_ON_ERROR_TEMPFAIL);
    CU_ASSERT_EQUAL(set->max_headers, 5);
    CU_ASSERT_EQUAL(set->strip_foreign, 0);
    CU_ASSERT_EQUAL(set->header_text, 0);
    CU_ASSERT_EQUAL(set->header_diag, 0);
    CU_ASSERT_EQUAL(set->diag_max, 80);
    CU_ASSERT_EQUAL(set->annotate_session_rejects, 1);
    CU_ASSERT_STRING_EQUAL(set->local_domains[0], "example.org");
    CU_ASSERT_STRING_EQUAL(set->local_domains[1], "*.example.org");
    CU_ASSERT_PTR_NULL(set->local_domains[2]);
    CU_ASSERT_STRING_EQUAL(set->stats_file, "/var/lib/smtp-explain/stats");
    CU_ASSERT_EQUAL(set->stats_interval, 300);
    CU_ASSERT_EQUAL(sx_policy_count(conf->policy), 1);
    CU_ASSERT_STRING_EQUAL(sx_policy_rule_name(conf->policy, 0), "rule1");
    sx_config_unref(conf);
}

/*
 * Bad files: every error, in order, exactly. A trailing '*' compares only
 * the text before it (the C library words regerror() messages).
 */
static const struct {
    const char *file;
    const char *errors[14];
} bad_cases[] = {
    {FIX "nope.conf", {
	FIX "nope.conf: cannot open: No such file or directory",
    }},
    {FIX "bad-syntax.conf", {
	FIX "bad-syntax.conf:3: syntax error",
    }},
    {FIX "include-main.conf", {
	FIX "include-part.conf:2: \"max_headers\" must be between 0 and 1000, not -1",
    }},
    {FIX "bad-keys.conf", {
	FIX "bad-keys.conf:7: unknown setting \"polcy\" in the top level",
	FIX "bad-keys.conf:3: unknown setting \"sockte\" in settings",
	FIX "bad-keys.conf:4: \"max_headers\" must be an integer",
	FIX "bad-keys.conf:5: \"strip_foreign\" must be true or false",
	FIX "bad-keys.conf:9: policy default must be \"annotate\" or \"accept\", "
	"not \"reject\" (write a last rule without criteria for other actions)",
	FIX "bad-keys.conf:13: unknown setting \"acton\" in a rule",
	FIX "bad-keys.conf:14: unknown kind \"bounces\": want dsn, bounce, "
	"session, autoreply, feedback or reply",
    }},
    {FIX "bad-settings.conf", {
	FIX "bad-settings.conf:3: bad socket \"inet:127.0.0.1:8895\": this is "
	"Postfix's notation; the milter listens on inet:PORT@HOST: "
	"inet:8895@127.0.0.1",
	FIX "bad-settings.conf:4: \"socket_mode\" must be an octal string such "
	"as \"0660\"",
	FIX "bad-settings.conf:5: \"syslog_facility\" must be \"auth\", "
	"\"authpriv\", \"cron\", \"daemon\", \"ftp\", \"lpr\", \"mail\", "
	"\"news\", \"syslog\", \"user\", \"uucp\", \"local0\", \"local1\", "
	"\"local2\", \"local3\", \"local4\", \"local5\", \"local6\" or "
	"\"local7\", not \"mial\"",
	FIX "bad-settings.conf:6: \"on_error\" must be \"accept\" or "
	"\"tempfail\", not \"reject\"",
	FIX "bad-settings.conf:7: \"max_headers\" must be between 0 and 1000, "
	"not 5000",
	FIX "bad-settings.conf:8: bad value \"user@example.org\" for "
	"\"local_domains\": want a domain or a glob such as *.example.com",
	FIX "bad-settings.conf:9: \"pidfile\" must be an absolute path or \"\"",
    }},
    {FIX "bad-reply.conf", {
	FIX "bad-reply.conf:4: replycode 550 does not fit action \"defer\": "
	"want 4xx",
	FIX "bad-reply.conf:5: xcode 4.7.1 does not fit replycode 550 (action "
	"\"reject\"): want 5.x.x",
	FIX "bad-reply.conf:6: bad xcode \"5.7\": want an enhanced status code "
	"such as 5.7.1",
	FIX "bad-reply.conf:7: bad replycode \"5x0\": want three digits such "
	"as 550",
	FIX "bad-reply.conf:8: \"text\" is only used with action \"defer\" or "
	"\"reject\"",
	FIX "bad-reply.conf:9: rule \"w1\": action \"rewrite\" needs a "
	"\"subject\" template",
	FIX "bad-reply.conf:10: \"subject\" is only used with action \"rewrite\"",
	FIX "bad-reply.conf:10: \"quarantine_reason\" is only used with action "
	"\"quarantine\"",
    }},
    {FIX "bad-match.conf", {
	FIX "bad-match.conf:4: bad regular expression \"mailbox (full\": *",
	FIX "bad-match.conf:5: \"text\": lone '%' in template (write %% for a "
	"percent sign, %{name} for a variable)",
	FIX "bad-match.conf:6: \"subject\": unknown template variable %{titel}",
	FIX "bad-match.conf:7: bad reply code \"6xx\" for \"code\": want a "
	"reply code such as 550, \"55x\" or \"5xx\"",
	FIX "bad-match.conf:7: bad value \"5.7.x.1\" for \"status\": want an "
	"enhanced code such as \"5.7.26\" or \"5.7.*\"",
	FIX "bad-match.conf:8: unknown class \"fatal\": want success, "
	"transient or permanent",
	FIX "bad-match.conf:8: bad value \"userunkown\" for \"reason\": want a "
	"reason of the taxonomy such as \"userunknown\" (see docs/registry.md)",
	FIX "bad-match.conf:9: rule \"o1\": orig_local needs "
	"settings.local_domains (without them every original looks foreign)",
	FIX "bad-match.conf:10: rule \"s1\": kind \"session\" is only seen by "
	"rules with rejected_min",
	FIX "bad-match.conf:11: \"rejected_min\" must be between 1 and 100000, "
	"not 0",
	FIX "bad-match.conf:12: rule \"s3\": rules with rejected_min only see "
	"session rejections; kind must be \"session\" or left out",
	FIX "bad-match.conf:13: bad rule name \"bad name!\": want up to 63 "
	"letters, digits, '.', '_' or '-'",
	FIX "bad-match.conf:14: rule name \"t1\" is already used at line 5",
	/* a bad code before a good one: nothing leaks (found by fuzzing) */
	FIX "bad-match.conf:15: bad reply code \"6xx\" for \"code\": want a "
	"reply code such as 550, \"55x\" or \"5xx\"",
    }},
};

static int same_error(const char *want, const char *got)
{
    size_t  len = strlen(want);

    if (len > 0 && want[len - 1] == '*')
	return (strncmp(want, got, len - 1) == 0);
    return (strcmp(want, got) == 0);
}

static void test_bad_files(void)
{
    struct sx_errors errs;
    struct sx_config *conf;
    size_t  i;
    size_t  j;
    size_t  want;

    for (i = 0; i < COUNT(bad_cases); i++) {
	memset(&errs, 0, sizeof(errs));
	conf = sx_config_load(bad_cases[i].file, &errs);
	CU_ASSERT_PTR_NULL(conf);
	sx_config_unref(conf);
	for (want = 0; want < COUNT(bad_cases[i].errors)
	     && bad_cases[i].errors[want]; want++)
	     /* void */ ;
	if (errs.count != want)
	    fprintf(stderr, "\n%s: %zu errors, want %zu",
		    bad_cases[i].file, errs.count, want);
	CU_ASSERT_EQUAL(errs.count, want);
	for (j = 0; j < want && j < errs.count; j++) {
	    if (!same_error(bad_cases[i].errors[j], errs.msg[j]))
		fprintf(stderr, "\nwant: %s\n got: %s",
			bad_cases[i].errors[j], errs.msg[j]);
	    CU_ASSERT(same_error(bad_cases[i].errors[j], errs.msg[j]));
	}
    }
}

/* Errors already in errs are kept; a NULL errs is allowed. */
static void test_errors_accumulate(void)
{
    struct sx_errors errs;

    memset(&errs, 0, sizeof(errs));
    sx_errors_add(&errs, "a.conf", 0, "first %d", 1);
    CU_ASSERT_PTR_NULL(sx_config_load(FIX "bad-syntax.conf", &errs));
    CU_ASSERT_EQUAL(errs.count, 2);
    CU_ASSERT_STRING_EQUAL(errs.msg[0], "a.conf: first 1");
    CU_ASSERT_STRING_EQUAL(errs.msg[1], FIX "bad-syntax.conf:3: syntax error");
    CU_ASSERT_PTR_NULL(sx_config_load(FIX "bad-syntax.conf", NULL));
}

static void test_errors_overflow(void)
{
    struct sx_errors errs;
    int     i;

    memset(&errs, 0, sizeof(errs));
    for (i = 1; i <= SX_ERRORS_MAX + 8; i++)
	sx_errors_add(&errs, "x.conf", i, "error %d", i);
    sx_errors_add(&errs, NULL, 0, "no file");
    sx_errors_add(NULL, "x.conf", 1, "ignored");
    CU_ASSERT_EQUAL(errs.count, SX_ERRORS_MAX + 9);
    CU_ASSERT_STRING_EQUAL(errs.msg[0], "x.conf:1: error 1");
    CU_ASSERT_STRING_EQUAL(errs.msg[SX_ERRORS_MAX - 1], "x.conf:32: error 32");
}

/* Embedded registry, then registry_file (next to the file), then inline. */
static void test_registry_layers(void)
{
    struct sx_config *conf = load_ok(FIX "registry.conf");
    const struct sx_entry *e;

    if (conf == 0)
	return;
    e = sx_registry_basic(conf->registry, 550);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->title, "Title from the file");
    e = sx_registry_basic(conf->registry, 551);
    CU_ASSERT_PTR_NOT_NULL_FATAL(e);
    CU_ASSERT_STRING_EQUAL(e->title, "Inline title");
    sx_config_unref(conf);
}

static void test_registry_errors(void)
{
    struct sx_errors errs;

    memset(&errs, 0, sizeof(errs));
    CU_ASSERT_PTR_NULL(sx_config_load(FIX "bad-registry.conf", &errs));
    CU_ASSERT(errs.count >= 2);
    /* The missing file is named as it was looked for. */
    CU_ASSERT_PTR_NOT_NULL(strstr(errs.msg[0], FIX "no-such-registry.conf"));
    CU_ASSERT_PTR_NOT_NULL(strstr(errs.msg[errs.count - 1],
				  FIX "bad-registry.conf:"));
}

static void test_refcount(void)
{
    struct sx_config *conf = load_ok(NULL);

    if (conf == 0)
	return;
    CU_ASSERT_PTR_EQUAL(sx_config_ref(conf), conf);
    CU_ASSERT_EQUAL(conf->refcount, 2);
    sx_config_unref(conf);
    CU_ASSERT_EQUAL(conf->refcount, 1);
    sx_config_unref(conf);		/* freed: the leak checker would say */
    CU_ASSERT_PTR_NULL(sx_config_ref(NULL));
    sx_config_unref(NULL);
}

static CU_TestInfo config_tests[] = {
    {"embedded default", test_default},
    {"shipped file equals defaults", test_shipped_file},
    {"empty file", test_empty_file},
    {"every setting", test_every_setting},
    {"bad files: exact messages", test_bad_files},
    {"errors accumulate", test_errors_accumulate},
    {"errors overflow", test_errors_overflow},
    {"registry layers", test_registry_layers},
    {"registry errors", test_registry_errors},
    {"reference count", test_refcount},
    CU_TEST_INFO_NULL,
};

SX_SUITE(config, config_tests, NULL, NULL)
