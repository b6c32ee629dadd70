/*
 * test_policy.c - the policy engine: patterns, templates, safe reply
 * text, the criteria table (each row on its own, and against the
 * documentation), and whole-message verdicts against
 * fixtures/config/policy.conf.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libconfig.h>
#include <CUnit/CUnit.h>

#include <smtp-explain/config.h>
#include <smtp-explain/finding.h>
#include <smtp-explain/names.h>
#include <smtp-explain/policy.h>
#include <smtp-explain/registry.h>
#include "config_parse.h"
#include "policy_int.h"
#include "unit.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static struct sx_config *conf;

static int policy_init(void)
{
    struct sx_errors errs;
    size_t  i;

    memset(&errs, 0, sizeof(errs));
    conf = sx_config_load("fixtures/config/policy.conf", &errs);
    for (i = 0; i < errs.count && i < SX_ERRORS_MAX; i++)
	fprintf(stderr, "%s\n", errs.msg[i]);
    return (conf == 0);
}

static int policy_cleanup(void)
{
    sx_config_unref(conf);
    conf = 0;
    return (0);
}

/* ---------------------------------------------------------- patterns */

static void test_code_patterns(void)
{
    static const struct {
	const char *pat;
	int     code;
	int     match;
    } cases[] = {
	{"550", 550, 1}, {"550", 551, 0}, {"55x", 554, 1}, {"55X", 552, 1},
	{"5xx", 421, 0}, {"5xx", 0, 0}, {"4xx", 451, 1}, {"xx1", 421, 1},
    };
    size_t  i;

    for (i = 0; i < COUNT(cases); i++)
	CU_ASSERT_EQUAL(sx_policy_code_match(cases[i].pat, cases[i].code),
			cases[i].match);
}

static void test_code_check(void)
{
    static const struct {
	const char *pat;
	int     ok;
    } cases[] = {
	{"550", 1}, {"4xx", 1}, {"x5x", 1}, {"5x", 0}, {"5500", 0},
	{"650", 0}, {"a50", 0}, {"", 0}, {"5.x", 0},
    };
    size_t  i;

    for (i = 0; i < COUNT(cases); i++)
	CU_ASSERT_EQUAL(sx_policy_code_check(cases[i].pat), cases[i].ok);
}

static void test_status_patterns(void)
{
    static const struct {
	const char *pat;
	const char *status;
	int     match;
    } cases[] = {
	{"5.7.*", "5.7.26", 1}, {"5.7.*", "5.1.1", 0}, {"*.1.1", "4.1.1", 1},
	{"5.1.1", "5.1.10", 0}, {"5.1.1", "5.1.1", 1}, {"5.7.26", "", 0},
	{"5.*.*", "5.4.7", 1}, {"4.*.*", "5.4.7", 0}, {"X.7.1", "4.7.1", 1},
	{"5.7.1", "5.7.1x", 0}, {"5.7.26", "5.007.026", 1},
    };
    size_t  i;

    for (i = 0; i < COUNT(cases); i++)
	CU_ASSERT_EQUAL(sx_policy_status_match(cases[i].pat, cases[i].status),
			cases[i].match);
}

static void test_status_check(void)
{
    static const struct {
	const char *pat;
	int     ok;
    } cases[] = {
	{"5.7.26", 1}, {"5.7.*", 1}, {"*.1.1", 1}, {"2.0.0", 1},
	{"5.7", 0}, {"3.1.1", 0}, {"5.7.1234", 0}, {"5..1", 0},
	{"5.7.1.", 0}, {"5.7.1*", 0}, {"", 0},
    };
    size_t  i;

    for (i = 0; i < COUNT(cases); i++)
	CU_ASSERT_EQUAL(sx_policy_status_check(cases[i].pat), cases[i].ok);
}

/* --------------------------------------------------------- templates */

static void test_template_check(void)
{
    static const struct {
	const char *tmpl;
	int     ok;
	const char *why;
    } cases[] = {
	{"[Undeliverable: %{title}] %{subject}", 1, ""},
	{"100%% sure", 1, ""},
	{"%{code} %{status} %{reason} %{rcpt} %{class} %{count} %{rule}", 1, ""},
	{"%{nope}", 0, "unknown template variable %{nope}"},
	{"50% off", 0, "lone '%' in template (write %% for a percent sign, "
	 "%{name} for a variable)"},
	{"%{title", 0, "unterminated %{ in template"},
	{"two\nlines", 0, "control character in template"},
    };
    char    why[200];
    size_t  i;

    for (i = 0; i < COUNT(cases); i++) {
	why[0] = 0;
	CU_ASSERT_EQUAL(sx_policy_template_check(cases[i].tmpl, why,
						 sizeof(why)), cases[i].ok);
	CU_ASSERT_STRING_EQUAL(why, cases[i].why);
    }
}

static void test_template_expand(void)
{
    struct sx_policy_vars v;
    char    out[64];

    memset(&v, 0, sizeof(v));
    v.title = "DMARC\tfailure";
    v.subject = "Hello\r\nBcc: victim@example.net";
    v.code = "550";
    CU_ASSERT_EQUAL(sx_policy_expand(out, sizeof(out),
				     "[%{title}] %{subject} %{rcpt}%%", &v),
		    strlen("[DMARC failure] Hello Bcc: victim@example.net %"));
    CU_ASSERT_STRING_EQUAL(out, "[DMARC failure] Hello Bcc: victim@example.net %");

    /* Cut to fit, never in the middle of a UTF-8 character. */
    v.subject = "\xc3\xa9\xc3\xa9\xc3\xa9";
    sx_policy_expand(out, 6, "ab%{subject}", &v);
    CU_ASSERT_STRING_EQUAL(out, "ab\xc3\xa9");
}

static void test_reply_safe(void)
{
    static const struct {
	const char *in;
	const char *out;
    } cases[] = {
	{"100% sure", "100%% sure"},
	{"  two\r\nlines\t", "two lines"},
	{"bell\a and \x1b[31m", "bell and [31m"},
	{"caf\xc3\xa9", "caf??"},
	{"%%", "%%%%"},
	{"", ""},
    };
    char    out[SX_REPLY_TEXT_MAX + 1];
    char    big[2000];
    size_t  i;

    for (i = 0; i < COUNT(cases); i++) {
	sx_policy_reply_safe(out, sizeof(out), cases[i].in);
	CU_ASSERT_STRING_EQUAL(out, cases[i].out);
    }
    /* Capped at 980 bytes whatever the buffer. */
    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    CU_ASSERT_EQUAL(sx_policy_reply_safe(out, sizeof(out), big), 980);
    /* A '%' that does not fit with its twin is left out. */
    big[979] = '%';
    CU_ASSERT_EQUAL(sx_policy_reply_safe(out, sizeof(out), big), 979);
    CU_ASSERT_EQUAL(strchr(out, '%'), NULL);
    /* A small buffer bounds it too. */
    CU_ASSERT_EQUAL(sx_policy_reply_safe(out, 5, "a%b%c"), 4);
    CU_ASSERT_STRING_EQUAL(out, "a%%b");
    /* Cut right after a space: no trailing space (nor before a '%'). */
    CU_ASSERT_EQUAL(sx_policy_reply_safe(out, 5, "abc de"), 3);
    CU_ASSERT_STRING_EQUAL(out, "abc");
    CU_ASSERT_EQUAL(sx_policy_reply_safe(out, 6, "abc %x"), 3);
    CU_ASSERT_STRING_EQUAL(out, "abc");
}

/* ---------------------------------------------------------- criteria */

static size_t criteria_count(void)
{
    size_t  n = 0;

    while (sx_policy_criteria[n].key)
	n++;
    return (n);
}

/* Every row is whole, and no key is used twice. */
static void test_criteria_rows(void)
{
    const struct sx_criterion *c;
    const struct sx_criterion *d;

    CU_ASSERT(criteria_count() > 0);
    CU_ASSERT(criteria_count() <= SX_CRITERIA_MAX);
    for (c = sx_policy_criteria; c->key; c++) {
	CU_ASSERT(c->key[0] != 0);
	CU_ASSERT_PTR_NOT_NULL(c->parse);
	CU_ASSERT_PTR_NOT_NULL(c->match);
	for (d = sx_policy_criteria; d < c; d++)
	    if (strcmp(c->key, d->key) == 0) {
		fprintf(stderr, "\ncriterion \"%s\" twice", c->key);
		CU_FAIL("a criterion key is used twice");
	    }
    }
}

/*
 * The keys a document lists, one per line: in docs/policy.md the rows
 * "| `key` | ..." of the table under "### Criteria"; in the man page the
 * ".It Ic key" lines of ".Ss Criteria". Returns how many, 0 when the
 * file or the section is missing.
 */
static size_t doc_keys(const char *path, const char *section,
		               const char *prefix, const char *stop,
		               char keys[][40], size_t max)
{
    char   *text = sx_unit_slurp(path, 0);
    char   *line;
    char   *next;
    size_t  n = 0;
    size_t  plen = strlen(prefix);
    size_t  len;
    int     in = 0;

    if (text == 0)
	return (0);
    for (line = text; line && *line; line = next) {
	if ((next = strchr(line, '\n')) != 0)
	    *next++ = 0;
	if (!in) {
	    in = (strcmp(line, section) == 0);
	    continue;
	}
	if (strncmp(line, stop, strlen(stop)) == 0)
	    break;
	if (strncmp(line, prefix, plen) != 0 || n == max)
	    continue;
	len = strcspn(line + plen, "` ");
	if (len > 0 && len < sizeof(keys[0])) {
	    memcpy(keys[n], line + plen, len);
	    keys[n++][len] = 0;
	}
    }
    free(text);
    return (n);
}

static int is_criterion(const char *key)
{
    const struct sx_criterion *c;

    for (c = sx_policy_criteria; c->key; c++)
	if (strcmp(c->key, key) == 0)
	    return (1);
    return (0);
}

/* The documents name every criterion, and nothing else as one. */
static void test_criteria_documented(void)
{
    static const struct {
	const char *path;
	const char *section;
	const char *prefix;
	const char *stop;
    } docs[] = {
	{"../docs/policy.md", "### Criteria", "| `", "#"},
	{"../docs/man/smtp-explain.conf.5", ".Ss Criteria", ".It Ic ", ".Ss"},
    };
    const struct sx_criterion *c;
    char    keys[SX_CRITERIA_MAX * 2][40];
    size_t  n;
    size_t  i;
    size_t  d;

    for (d = 0; d < COUNT(docs); d++) {
	n = doc_keys(docs[d].path, docs[d].section, docs[d].prefix,
		     docs[d].stop, keys, COUNT(keys));
	if (n == 0)
	    fprintf(stderr, "\n%s: no criteria found", docs[d].path);
	CU_ASSERT(n > 0);
	for (i = 0; i < n; i++)
	    if (!is_criterion(keys[i])) {
		fprintf(stderr, "\n%s documents \"%s\", which is no "
			"criterion", docs[d].path, keys[i]);
		CU_FAIL("a documented criterion is not in the table");
	    }
	for (c = sx_policy_criteria; c->key; c++) {
	    for (i = 0; i < n && strcmp(keys[i], c->key) != 0; i++)
		 /* void */ ;
	    if (i == n) {
		fprintf(stderr, "\n%s does not document \"%s\"",
			docs[d].path, c->key);
		CU_FAIL("a criterion is not documented");
	    }
	}
    }
}

/*
 * Each criterion on its own: its setting, written as in a rule, is
 * parsed by its row and matched against one finding. Every row needs
 * at least one case here.
 */
static const struct crit_case {
    const char *key;
    const char *value;			/* libconfig text */
    int     match;
} crit_cases[] = {
    {"code", "550", 1},
    {"code", "[551, 552]", 0},
    {"code", "(\"4xx\", \"5x0\")", 1},
    {"status", "\"5.1.*\"", 1},
    {"status", "[\"5.7.26\", \"4.*.*\"]", 0},
    {"class", "\"permanent\"", 1},
    {"class", "[\"success\", \"transient\"]", 0},
    {"reason", "[\"mailboxfull\", \"userunknown\"]", 1},
    {"reason", "\"mailboxfull\"", 0},
    {"vendor", "\"G*\"", 1},
    {"vendor", "\"microsoft\"", 0},
    {"recipient_domain", "\"example.com\"", 1},
    {"recipient_domain", "\"*.example.com\"", 0},
    {"recipient_domain", "\"bob@*\"", 1},
    {"sender_domain", "\"lists.example.com\"", 1},
    {"sender_domain", "\"example.org\"", 0},
    {"remote_mta", "\"*.remote.test\"", 1},
    {"remote_mta", "\"*.google.com\"", 0},
    {"dsn_action", "\"failed\"", 1},
    {"dsn_action", "[\"delayed\", \"delivered\"]", 0},
    {"kind", "[\"bounce\", \"dsn\"]", 1},
    {"kind", "\"autoreply\"", 0},
    {"regex", "\"NO SUCH (user|mailbox)\"", 1},
    {"regex", "\"^such\"", 0},
    {"orig_local", "true", 1},
    {"orig_local", "false", 0},
    {"orig_known", "true", 1},
    {"orig_known", "false", 0},
    {"internal", "false", 1},
    {"internal", "true", 0},
    {"rejected_min", "3", 1},		/* counted over the session */
};

/* Read "r = { KEY = VALUE; };" with the row of KEY; errors counted. */
static const struct sx_criterion *crit_parse(const char *key,
				                     const char *value,
				                     struct sx_errors *errs,
				                     struct sx_rule *rule,
				                     union sx_criterion_arg *arg)
{
    static char *local[] = {"example.org", 0};
    struct sx_settings set;
    struct sx_cfg cfg = {"test.conf", 0, errs, 0};
    struct sx_criterion_load ld;
    const struct sx_criterion *c;
    const config_setting_t *s;
    config_t lc;
    char    text[256];

    memset(&set, 0, sizeof(set));
    set.local_domains = local;
    for (c = sx_policy_criteria; c->key && strcmp(c->key, key) != 0; c++)
	 /* void */ ;
    CU_ASSERT_PTR_NOT_NULL_FATAL(c->key);
    snprintf(text, sizeof(text), "r = { %s = %s; };", key, value);
    config_init(&lc);
    CU_ASSERT_FATAL(config_read_string(&lc, text) == CONFIG_TRUE);
    ld.cfg = &cfg;
    ld.group = config_lookup(&lc, "r");
    ld.set = &set;
    ld.rule = rule;
    s = config_setting_get_member(ld.group, key);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    memset(arg, 0, sizeof(*arg));
    c->parse(&ld, s, arg);
    if (c->check)
	c->check(&ld, s, arg);
    config_destroy(&lc);
    return (c);
}

static void test_criteria_each(void)
{
    struct sx_finding f;
    struct sx_explanation ex;
    struct sx_message msg;
    struct sx_report rep;
    struct sx_policy_input in;
    struct sx_settings set;
    struct sx_policy_subject m = {&set, &in, &f, &ex};
    static char *local[] = {"example.org", 0};
    const struct sx_criterion *c;
    union sx_criterion_arg arg;
    struct sx_errors errs;
    struct sx_rule rule;
    size_t  i;
    size_t  cases;

    memset(&f, 0, sizeof(f));
    f.kind = SX_KIND_DSN;
    f.action = SX_ACTION_FAILED;
    f.replycode = 550;
    snprintf(f.status, sizeof(f.status), "5.1.1");
    snprintf(f.recipient, sizeof(f.recipient), "bob@example.com");
    snprintf(f.remote_mta, sizeof(f.remote_mta), "mx.remote.test");
    snprintf(f.diagnostic, sizeof(f.diagnostic), "550 5.1.1 no such user");
    memset(&ex, 0, sizeof(ex));
    ex.class = SX_CLASS_PERMANENT;
    ex.reason = "userunknown";
    ex.vendor_name = "gmail";
    memset(&msg, 0, sizeof(msg));
    snprintf(msg.orig_sender, sizeof(msg.orig_sender), "me@example.org");
    snprintf(msg.from, sizeof(msg.from), "MAILER-DAEMON@lists.example.com");
    memset(&rep, 0, sizeof(rep));
    rep.msg = &msg;
    memset(&in, 0, sizeof(in));
    in.report = &rep;
    in.envelope_sender = "";
    memset(&set, 0, sizeof(set));
    set.local_domains = local;

    for (i = 0; i < COUNT(crit_cases); i++) {
	memset(&errs, 0, sizeof(errs));
	sx_rule_init(&rule);
	c = crit_parse(crit_cases[i].key, crit_cases[i].value, &errs, &rule,
		       &arg);
	if (errs.count != 0 || c->match(&arg, &m) != crit_cases[i].match)
	    fprintf(stderr, "\n%s = %s: %zu errors, match %d", c->key,
		    crit_cases[i].value, errs.count, c->match(&arg, &m));
	CU_ASSERT_EQUAL(errs.count, 0);
	CU_ASSERT_EQUAL(c->match(&arg, &m), crit_cases[i].match);
	if (c->free)
	    c->free(&arg);
    }
    /* A criterion without a case here is a criterion without a test. */
    for (c = sx_policy_criteria; c->key; c++) {
	for (cases = 0, i = 0; i < COUNT(crit_cases); i++)
	    cases += (strcmp(crit_cases[i].key, c->key) == 0);
	if (cases == 0)
	    fprintf(stderr, "\ncriterion \"%s\" has no test case", c->key);
	CU_ASSERT(cases > 0);
    }
}

/* Every row refuses a value of the wrong type, and frees what it made. */
static void test_criteria_refuse(void)
{
    const struct sx_criterion *c;
    union sx_criterion_arg arg;
    struct sx_errors errs;
    struct sx_rule rule;

    for (c = sx_policy_criteria; c->key; c++) {
	memset(&errs, 0, sizeof(errs));
	sx_rule_init(&rule);
	crit_parse(c->key, "{ x = 1; }", &errs, &rule, &arg);
	if (errs.count == 0)
	    fprintf(stderr, "\ncriterion \"%s\" took a group", c->key);
	CU_ASSERT(errs.count > 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(errs.msg[0], c->key));
	if (c->free)
	    c->free(&arg);
    }
}

/* The rule's own checks: session kinds, orig_local without local domains. */
static void test_criteria_checks(void)
{
    static const struct {
	const char *key;
	const char *value;
	unsigned rejected_min;
	const char *error;		/* "" for none */
    } cases[] = {
	{"kind", "\"session\"", 2, ""},
	{"kind", "\"session\"", 0, "test.conf:1: rule \"t\": kind \"session\" "
	 "is only seen by rules with rejected_min"},
	{"kind", "[\"session\", \"dsn\"]", 2, "test.conf:1: rule \"t\": rules "
	 "with rejected_min only see session rejections; kind must be "
	 "\"session\" or left out"},
	{"kind", "\"dsn\"", 0, ""},
    };
    union sx_criterion_arg arg;
    struct sx_errors errs;
    struct sx_rule rule;
    size_t  i;

    for (i = 0; i < COUNT(cases); i++) {
	memset(&errs, 0, sizeof(errs));
	sx_rule_init(&rule);
	snprintf(rule.name, sizeof(rule.name), "t");
	rule.rejected_min = cases[i].rejected_min;
	crit_parse(cases[i].key, cases[i].value, &errs, &rule, &arg);
	CU_ASSERT_EQUAL(errs.count, cases[i].error[0] ? 1 : 0);
	if (errs.count > 0)
	    CU_ASSERT_STRING_EQUAL(errs.msg[0], cases[i].error);
    }
}

/* ------------------------------------------------------------- names */

/* Each table maps a name to one code and back; no aliases. */
static void check_table(const struct sx_name_code *t)
{
    const struct sx_name_code *p;
    const struct sx_name_code *q;
    int     code;

    for (p = t; p->name; p++) {
	CU_ASSERT(sx_policy_name_code(t, p->name, &code));
	CU_ASSERT_EQUAL(code, p->code);
	CU_ASSERT_STRING_EQUAL(sx_code_name(t, p->code), p->name);
	for (q = t; q < p; q++)
	    CU_ASSERT(q->code != p->code && strcmp(q->name, p->name) != 0);
    }
}

static void test_name_tables(void)
{
    const struct sx_name_code *p;
    int     code;

    check_table(sx_policy_actions);
    check_table(sx_policy_classes);
    check_table(sx_policy_dsn_actions);
    check_table(sx_policy_kinds);

    /* The names the policy reads are the names findings are written with. */
    for (p = sx_policy_classes; p->name; p++)
	CU_ASSERT_STRING_EQUAL(sx_class_name((enum sx_class) p->code), p->name);
    for (p = sx_policy_dsn_actions; p->name; p++)
	CU_ASSERT_STRING_EQUAL(sx_action_name((enum sx_action) p->code),
			       p->name);
    for (p = sx_policy_kinds; p->name; p++)
	CU_ASSERT_STRING_EQUAL(sx_kind_name((enum sx_kind) p->code), p->name);

    /* Every verdict has a name; "rewrite" is only ever configured. */
    for (code = SX_POLICY_ANNOTATE; code <= SX_POLICY_QUARANTINE; code++)
	CU_ASSERT(strcmp(sx_policy_action_name((enum sx_policy_action) code),
			 "unknown") != 0);
    CU_ASSERT_STRING_EQUAL(sx_policy_action_name((enum sx_policy_action) 99),
			   "unknown");

    /* Names are taken as written, as the loader always took them. */
    CU_ASSERT(!sx_policy_name_code(sx_policy_kinds, "DSN", &code));
    CU_ASSERT(!sx_policy_name_code(sx_policy_actions, "Reject", &code));
    CU_ASSERT(!sx_policy_name_code(sx_policy_kinds, "", &code));
}

/* ---------------------------------------------------------- verdicts */

struct fspec {
    const char *rcpt;			/* NULL ends a list */
    enum sx_kind kind;
    enum sx_action action;
    int     code;
    const char *status;
    const char *remote;
    const char *diag;
    enum sx_class class;
    const char *reason;
    const char *title;
    const char *vendor;
};

struct pcase {
    const char *label;
    int     has_msg;
    const char *orig_sender;
    const char *from;
    const char *envelope;
    const char *subject;
    int     internal;
    struct fspec f[3];
    struct fspec rej[5];
    /* Expected. */
    enum sx_policy_action action;
    const char *rule;
    int     annotate;
    int     downgraded;
    const char *replycode;
    const char *xcode;
    const char *text;
    const char *new_subject;
    const char *qreason;
};

#define DSN(rcpt, code, status, diag, reason) \
    {rcpt, SX_KIND_DSN, SX_ACTION_FAILED, code, status, "mx.remote.test", \
     diag, (code) / 100 == 4 ? SX_CLASS_TRANSIENT : SX_CLASS_PERMANENT, \
     reason, "Title", ""}
#define REJ(rcpt, reason) \
    {rcpt, SX_KIND_SESSION, SX_ACTION_FAILED, 550, "5.1.1", "", \
     "User unknown", SX_CLASS_PERMANENT, reason, "Unknown user", ""}

static const struct pcase pcases[] = {
    {"no rule: default annotate", 1, "me@example.org", "", "", "Hi", 0,
	{DSN("bob@example.com", 550, "5.1.1", "no such user", "userunknown")},
	{{0}},
    SX_POLICY_ANNOTATE, "", 1, 0, "", "", "", "", ""},
    {"success is accepted quietly", 1, "me@example.org", "", "", "Hi", 0,
	{{"bob@example.com", SX_KIND_DSN, SX_ACTION_DELIVERED, 250, "2.0.0",
	  "mx.remote.test", "ok", SX_CLASS_SUCCESS, "delivered", "OK", ""}},
	{{0}},
    SX_POLICY_ACCEPT, "quiet-success", 0, 0, "", "", "", "", ""},
    {"backscatter: foreign original", 1, "spam@spammer.test", "", "", "Hi", 0,
	{DSN("bob@example.com", 550, "5.1.1", "no such user", "userunknown")},
	{{0}},
	SX_POLICY_REJECT, "backscatter", 0, 0, "550", "5.7.1",
    "Not ours: bob@example.com (100%%)", "", ""},
    {"backscatter: subdomain glob is local", 1, "me@mail.example.org", "", "",
	"Hi", 0,
	{DSN("bob@example.com", 550, "5.1.1", "no such user", "userunknown")},
	{{0}},
    SX_POLICY_ANNOTATE, "", 1, 0, "", "", "", "", ""},
    {"backscatter: orig_known needs the original", 1, "", "", "", "Hi", 0,
	{DSN("bob@example.com", 550, "5.1.1", "no such user", "userunknown")},
	{{0}},
    SX_POLICY_ANNOTATE, "", 1, 0, "", "", "", "", ""},
    {"internal bounce is downgraded", 1, "spam@spammer.test", "", "", "Hi", 1,
	{DSN("bob@example.com", 550, "5.1.1", "no such user", "userunknown")},
	{{0}},
    SX_POLICY_ANNOTATE, "backscatter", 1, 1, "", "", "", "", ""},
    {"harvest: defer at threshold", 0, "", "", "x@harvest.test", 0, 0,
	{{0}},
	{REJ("a@example.org", "userunknown"), REJ("b@example.org", "userunknown"),
	 REJ("c@example.org", "userunknown")},
	SX_POLICY_DEFER, "harvest", 0, 0, "450", "4.7.1",
    "Too many unknown recipients (3)", "", ""},
    {"harvest: below threshold", 0, "", "", "x@harvest.test", 0, 0,
	{{0}},
	{REJ("a@example.org", "userunknown"), REJ("b@example.org", "userunknown"),
	 REJ("c@example.org", "mailboxfull")},
    SX_POLICY_ANNOTATE, "", 1, 0, "", "", "", "", ""},
    {"harvest: internal session is downgraded", 0, "", "", "", 0, 1,
	{{0}},
	{REJ("a@example.org", "userunknown"), REJ("b@example.org", "userunknown"),
	 REJ("c@example.org", "userunknown"), REJ("d@example.org", "userunknown")},
    SX_POLICY_ANNOTATE, "harvest", 1, 1, "", "", "", "", ""},
    {"rewrite: subject sanitised", 1, "me@example.org", "", "",
	"Hello\r\nBcc: victim@example.net", 0,
	{DSN("bob@example.com", 550, "5.7.26", "unauthenticated", "authfailure")},
	{{0}},
	SX_POLICY_ANNOTATE, "dmarc", 1, 0, "", "", "",
    "[Undeliverable: Title] Hello Bcc: victim@example.net", ""},
    {"rewrite: 8-bit subject becomes encoded-words", 1, "me@example.org", "", "",
	"R\xc3\xa9union lundi", 0,
	{DSN("bob@example.com", 550, "5.7.26", "unauthenticated", "authfailure")},
	{{0}},
	SX_POLICY_ANNOTATE, "dmarc", 1, 0, "", "", "",
    "[Undeliverable: Title] =?utf-8?q?R=C3=A9union?= lundi", ""},
    {"rewrite combines with annotate", 1, "me@example.org", "", "", "Hi", 0,
	{DSN("bob@example.com", 550, "5.1.1", "no such user", "userunknown"),
	 DSN("eve@example.com", 550, "5.7.25", "no PTR", "requireptr")},
	{{0}},
    SX_POLICY_ANNOTATE, "dmarc", 1, 0, "", "", "", "[Undeliverable: Title] Hi", ""},
    {"reject beats quarantine", 1, "me@example.org", "", "", "Hi", 0,
	{DSN("bob@example.com", 550, "5.7.1", "listed", "blocked"),
	 DSN("eve@example.com", 552, "5.2.2", "Mailbox is FULL", "mailboxfull")},
	{{0}},
	SX_POLICY_REJECT, "full", 0, 0, "550", "5.7.1",
    "Full: Mailbox is FULL", "", ""},
    {"remote text in reply: % doubled, lines joined", 1, "me@example.org", "",
	"", "Hi", 0,
	{DSN("eve@example.com", 552, "5.2.2", "mailbox full (100% used)\r\n550 x",
	     "mailboxfull")},
	{{0}},
	SX_POLICY_REJECT, "full", 0, 0, "550", "5.7.1",
    "Full: mailbox full (100%% used) 550 x", "", ""},
    {"code pattern excludes 4xx", 1, "me@example.org", "", "", "Hi", 0,
	{DSN("eve@example.com", 452, "4.2.2", "mailbox full", "mailboxfull")},
	{{0}},
    SX_POLICY_ANNOTATE, "", 1, 0, "", "", "", "", ""},
    {"quarantine beats discard", 1, "me@example.org", "", "", "Hi", 0,
	{{"bob@example.com", SX_KIND_AUTOREPLY, SX_ACTION_NONE, 0, "", "",
	  "", SX_CLASS_UNKNOWN, "vacation", "Away", ""},
	 DSN("eve@example.com", 554, "5.7.1", "listed", "blocked")},
	{{0}},
    SX_POLICY_QUARANTINE, "blocked", 1, 0, "", "", "", "", "blocked at mx.remote.test"},
    {"discard alone", 1, "me@example.org", "", "", "Hi", 0,
	{{"bob@example.com", SX_KIND_AUTOREPLY, SX_ACTION_NONE, 0, "", "",
	  "", SX_CLASS_UNKNOWN, "vacation", "Away", ""}},
	{{0}},
    SX_POLICY_DISCARD, "vacation", 0, 0, "", "", "", "", ""},
    {"remote glob and dsn action", 1, "me@example.org", "", "", "Hi", 0,
	{{"bob@example.com", SX_KIND_DSN, SX_ACTION_DELAYED, 451, "4.4.1",
	  "MX1.Partner.Test", "timeout", SX_CLASS_TRANSIENT, "expired", "T", ""}},
	{{0}},
	SX_POLICY_DEFER, "slow-partner", 0, 0, "451", "4.7.1",
    "Delivery report deferred by local policy, try again later", "", ""},
    {"vendor and recipient domain glob; earliest rule on ties", 1,
	"me@example.org", "", "", "Hi", 0,
	{{"bob@mail.gmail.test", SX_KIND_DSN, SX_ACTION_FAILED, 550, "5.7.1",
	  "mx.google.test", "policy", SX_CLASS_PERMANENT, "policyviolation",
	  "T", "gmail"},
	 DSN("eve@example.com", 554, "5.7.1", "listed", "badreputation")},
	{{0}},
    SX_POLICY_QUARANTINE, "blocked", 1, 0, "", "", "", "", "badreputation at mx.remote.test"},
    {"vendor rule default quarantine reason", 1, "me@example.org", "", "", "Hi", 0,
	{{"<bob@mail.gmail.test>", SX_KIND_DSN, SX_ACTION_FAILED, 550, "5.7.1",
	  "mx.google.test", "policy", SX_CLASS_PERMANENT, "policyviolation",
	  "T", "gmail"}},
	{{0}},
    SX_POLICY_QUARANTINE, "vendor", 1, 0, "", "", "", "", "smtp-explain policy vendor"},
    {"sender domain from From for the null sender", 1, "me@example.org",
	"MAILER-DAEMON@lists.example.com", "", "Hi", 0,
	{DSN("bob@example.com", 550, "5.1.2", "no such domain", "hostunknown")},
	{{0}},
    SX_POLICY_ACCEPT, "lists", 0, 0, "", "", "", "", ""},
    {"orig_local false includes an unknown original", 0, "", "", "", "Hi", 0,
	{{"bob@example.com", SX_KIND_FEEDBACK, SX_ACTION_NONE, 0, "", "", "",
	  SX_CLASS_UNKNOWN, "feedback", "Complaint", ""}},
	{{0}},
	SX_POLICY_REJECT, "strict-feedback", 0, 0, "550", "5.7.1",
    "Delivery report refused by local policy", "", ""},
    {"orig_local false spares a local original", 1, "me@example.org", "", "",
	"Hi", 0,
	{{"bob@example.com", SX_KIND_FEEDBACK, SX_ACTION_NONE, 0, "", "", "",
	  SX_CLASS_UNKNOWN, "feedback", "Complaint", ""}},
	{{0}},
    SX_POLICY_ANNOTATE, "", 1, 0, "", "", "", "", ""},
    {"nothing at all", 1, "me@example.org", "", "", "Hi", 0,
	{{0}},
	{{0}},
    SX_POLICY_ACCEPT, "", 0, 0, "", "", "", "", ""},
};

static void fill_finding(const struct fspec *s, struct sx_finding *f,
			         struct sx_explanation *ex)
{
    memset(f, 0, sizeof(*f));
    memset(ex, 0, sizeof(*ex));
    f->kind = s->kind;
    f->action = s->action;
    f->replycode = s->code;
    snprintf(f->status, sizeof(f->status), "%s", s->status);
    snprintf(f->recipient, sizeof(f->recipient), "%s", s->rcpt);
    snprintf(f->remote_mta, sizeof(f->remote_mta), "%s", s->remote);
    snprintf(f->diagnostic, sizeof(f->diagnostic), "%s", s->diag);
    ex->class = s->class;
    ex->title = s->title;
    ex->text = "";
    ex->action = "";
    ex->reason = s->reason;
    ex->ref = "";
    ex->vendor_name = s->vendor;
}

static void run_case(const struct pcase *c)
{
    struct sx_finding f[3];
    struct sx_report_item item[3];
    struct sx_finding rej[5];
    struct sx_report_item rej_item[5];
    struct sx_message msg;
    struct sx_report rep;
    struct sx_policy_input in;
    struct sx_verdict v;
    size_t  i;

    memset(&in, 0, sizeof(in));
    memset(&msg, 0, sizeof(msg));
    snprintf(msg.orig_sender, sizeof(msg.orig_sender), "%s", c->orig_sender);
    snprintf(msg.from, sizeof(msg.from), "%s", c->from);
    snprintf(msg.subject, sizeof(msg.subject), "%s", c->subject ? c->subject : "");
    memset(&rep, 0, sizeof(rep));
    rep.msg = c->has_msg ? &msg : 0;
    for (i = 0; i < COUNT(c->f) && c->f[i].rcpt; i++) {
	fill_finding(&c->f[i], &f[i], &item[i].ex);
	item[i].finding = &f[i];
    }
    rep.items = item;
    rep.count = i;
    for (i = 0; i < COUNT(c->rej) && c->rej[i].rcpt; i++) {
	fill_finding(&c->rej[i], &rej[i], &rej_item[i].ex);
	rej_item[i].finding = &rej[i];
    }
    rep.rejected = rej_item;
    rep.rejected_count = i;
    in.report = &rep;
    in.envelope_sender = c->envelope;
    in.subject = c->subject;
    in.internal = c->internal;

    CU_ASSERT_EQUAL(sx_policy_evaluate(conf->policy, &conf->settings, &in, &v),
		    SX_OK);
    if (v.action != c->action || strcmp(v.rule, c->rule) != 0)
	fprintf(stderr, "\n%s: got %s by \"%s\"\n", c->label,
		sx_policy_action_name(v.action), v.rule);
    CU_ASSERT_EQUAL(v.action, c->action);
    CU_ASSERT_STRING_EQUAL(v.rule, c->rule);
    CU_ASSERT_EQUAL(v.annotate, c->annotate);
    CU_ASSERT_EQUAL(v.downgraded, c->downgraded);
    CU_ASSERT_STRING_EQUAL(v.replycode, c->replycode);
    CU_ASSERT_STRING_EQUAL(v.xcode, c->xcode);
    CU_ASSERT_STRING_EQUAL(v.reply_text, c->text);
    CU_ASSERT_STRING_EQUAL(v.subject, c->new_subject);
    CU_ASSERT_STRING_EQUAL(v.quarantine_reason, c->qreason);
}

static void test_verdicts(void)
{
    size_t  i;

    for (i = 0; i < COUNT(pcases); i++)
	run_case(&pcases[i]);
}

/* Remote text cannot push a reply past the limit. */
static void test_long_reply(void)
{
    static struct sx_finding f;
    struct sx_report_item item;
    struct sx_explanation *exp = &item.ex;
    struct sx_message msg;
    struct sx_report rep;
    struct sx_policy_input in;
    struct sx_verdict v;

    memset(&f, 0, sizeof(f));
    memset(exp, 0, sizeof(*exp));
    memset(&msg, 0, sizeof(msg));
    snprintf(msg.orig_sender, sizeof(msg.orig_sender), "me@example.org");
    f.kind = SX_KIND_DSN;
    f.replycode = 552;
    memset(f.diagnostic, '%', sizeof(f.diagnostic) - 1);
    memcpy(f.diagnostic, "mailbox full", 12);
    exp->class = SX_CLASS_PERMANENT;
    exp->reason = "mailboxfull";
    exp->title = exp->text = exp->action = exp->ref = exp->vendor_name = "";
    item.finding = &f;
    memset(&rep, 0, sizeof(rep));
    rep.msg = &msg;
    rep.items = &item;
    rep.count = 1;
    memset(&in, 0, sizeof(in));
    in.report = &rep;
    in.envelope_sender = "";
    sx_policy_evaluate(conf->policy, &conf->settings, &in, &v);
    CU_ASSERT_EQUAL(v.action, SX_POLICY_REJECT);
    CU_ASSERT(strlen(v.reply_text) <= SX_REPLY_TEXT_MAX);
    CU_ASSERT(strlen(v.reply_text) >= SX_REPLY_TEXT_MAX - 1);
    CU_ASSERT_EQUAL(strncmp(v.reply_text, "Full: mailbox full%%", 20), 0);
    /* Every '%' has its twin. */
    CU_ASSERT_EQUAL(strlen(v.reply_text + 18) % 2, 0);
}

static void test_names(void)
{
    CU_ASSERT_STRING_EQUAL(sx_policy_action_name(SX_POLICY_ANNOTATE), "annotate");
    CU_ASSERT_STRING_EQUAL(sx_policy_action_name(SX_POLICY_QUARANTINE), "quarantine");
    CU_ASSERT_EQUAL(sx_policy_count(conf->policy), 11);
    CU_ASSERT_STRING_EQUAL(sx_policy_rule_name(conf->policy, 2), "harvest");
    CU_ASSERT_EQUAL(sx_policy_count(NULL), 0);
    sx_policy_free(NULL);
}

static CU_TestInfo policy_tests[] = {
    {"code patterns", test_code_patterns},
    {"code pattern check", test_code_check},
    {"status patterns", test_status_patterns},
    {"status pattern check", test_status_check},
    {"template check", test_template_check},
    {"template expansion", test_template_expand},
    {"safe reply text", test_reply_safe},
    {"criteria table rows", test_criteria_rows},
    {"criteria documented", test_criteria_documented},
    {"criteria one by one", test_criteria_each},
    {"criteria refuse wrong types", test_criteria_refuse},
    {"criteria rule checks", test_criteria_checks},
    {"name tables", test_name_tables},
    {"verdicts", test_verdicts},
    {"long remote text in reply", test_long_reply},
    {"names", test_names},
    CU_TEST_INFO_NULL,
};

SX_SUITE(policy, policy_tests, policy_init, policy_cleanup)
