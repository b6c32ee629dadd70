/*
 * test_stats.c - counters, the Prometheus text format, the atomic file.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>

#include <smtp-explain/stats.h>

#include "unit.h"

/* Everything sx_stats_write_prometheus() writes, as a string to free. */
static char *stats_text(struct sx_stats *st)
{
    char   *buf = 0;
    size_t  len = 0;
    FILE   *fp = open_memstream(&buf, &len);

    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    CU_ASSERT_EQUAL(sx_stats_write_prometheus(st, fp), SX_OK);
    fclose(fp);
    return (buf);
}

/* Does text have exactly this line? */
static int stats_has_line(const char *text, const char *line)
{
    size_t  n = strlen(line);
    const char *p = text;

    while ((p = strstr(p, line)) != 0) {
	if ((p == text || p[-1] == '\n') && p[n] == '\n')
	    return (1);
	p += n;
    }
    return (0);
}

static void test_escape(void)
{
    static const struct {
	const char *in;
	size_t  size;
	const char *out;
    }       t[] = {
	{"5.1.1", 64, "5.1.1"},
	{"a\"b", 64, "a\\\"b"},
	{"back\\slash", 64, "back\\\\slash"},
	{"two\nlines", 64, "two\\nlines"},
	{"tab\there\r", 64, "tab?here?"},
	{"caf\xc3\xa9", 64, "caf??"},
	{"abcdef", 4, "abc"},
	{"ab\"cd", 4, "ab"},		/* an escape is never cut in half */
	{"ab\\", 4, "ab"},
	{"", 8, ""},
    };
    char    buf[64];
    size_t  i, n;

    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
	n = sx_stats_label_escape(buf, t[i].size, t[i].in);
	CU_ASSERT_STRING_EQUAL(buf, t[i].out);
	CU_ASSERT_EQUAL(n, strlen(t[i].out));
    }
}

/* One finding of a test message. */
struct stats_f {
    int     replycode;
    const char *status;
    enum sx_class class;
    const char *reason;
};

/* One test message: what it found and what the policy said. */
struct stats_msg {
    enum sx_kind kind;
    struct stats_f f[3];		/* up to the first with reason NULL */
    struct stats_f rej[2];		/* session rejections, likewise */
    size_t  dropped;
    int     verdict;			/* 0: no policy ran */
    enum sx_policy_action action;
    const char *rule;
    const char *subject;
    int     downgraded;
};

static void stats_feed(struct sx_stats *st, const struct stats_msg *m)
{
    struct sx_finding f[3], rej[2];
    struct sx_report_item item[3], ritem[2];
    struct sx_message msg;
    struct sx_report rep;
    struct sx_policy_input in;
    struct sx_verdict v;
    size_t  i;

    memset(&in, 0, sizeof(in));
    memset(&rep, 0, sizeof(rep));
    memset(&msg, 0, sizeof(msg));
    memset(f, 0, sizeof(f));
    memset(rej, 0, sizeof(rej));
    memset(item, 0, sizeof(item));
    memset(ritem, 0, sizeof(ritem));
    msg.kind = m->kind;
    msg.findings_dropped = m->dropped;
    for (i = 0; i < 3 && m->f[i].reason; i++) {
	f[i].kind = m->kind;
	f[i].replycode = m->f[i].replycode;
	snprintf(f[i].status, sizeof(f[i].status), "%s", m->f[i].status);
	item[i].ex.class = m->f[i].class;
	item[i].ex.reason = m->f[i].reason;
	item[i].finding = &f[i];
    }
    rep.count = i;
    for (i = 0; i < 2 && m->rej[i].reason; i++) {
	rej[i].kind = SX_KIND_SESSION;
	snprintf(rej[i].status, sizeof(rej[i].status), "%s", m->rej[i].status);
	ritem[i].ex.class = m->rej[i].class;
	ritem[i].ex.reason = m->rej[i].reason;
	ritem[i].finding = &rej[i];
    }
    rep.rejected_count = i;
    rep.msg = &msg;
    rep.items = item;
    rep.rejected = ritem;
    in.report = &rep;
    in.envelope_sender = "";

    memset(&v, 0, sizeof(v));
    v.action = m->action;
    v.downgraded = m->downgraded;
    snprintf(v.rule, sizeof(v.rule), "%s", m->rule ? m->rule : "");
    snprintf(v.subject, sizeof(v.subject), "%s", m->subject ? m->subject : "");
    sx_stats_message(st, &in, m->verdict ? &v : 0);
}

static void test_messages(void)
{
    static const struct stats_msg msgs[] = {
	/* A DSN with two failures, annotated by a named rule. */
	{SX_KIND_DSN, {{550, "5.1.1", SX_CLASS_PERMANENT, "userunknown"},
		{452, "4.2.2", SX_CLASS_TRANSIENT, "mailboxfull"}}, {{0}}, 0,
	 1, SX_POLICY_ANNOTATE, "annotate-all", 0, 0},
	/* Another userunknown, rejected, and a rule name to escape. */
	{SX_KIND_DSN, {{550, "5.1.1", SX_CLASS_PERMANENT, "userunknown"}},
	 {{0}}, 0, 1, SX_POLICY_REJECT, "back\"scatter", 0, 0},
	/* A bounce without codes whose Subject was rewritten. */
	{SX_KIND_BOUNCE, {{0, "", SX_CLASS_PERMANENT, "undefined"}}, {{0}}, 4,
	 1, SX_POLICY_ANNOTATE, "dmarc-subject", "[Undeliverable] x", 0},
	/* Our own bounce: a reject downgraded. */
	{SX_KIND_DSN, {{554, "5.7.26", SX_CLASS_PERMANENT, "authfailure"}},
	 {{0}}, 0, 1, SX_POLICY_ANNOTATE, "backscatter", 0, 1},
	/* Not a report, with two session rejections: a harvest deferred. */
	{SX_KIND_DSN, {{0}}, {{0, "5.1.1", SX_CLASS_PERMANENT, "userunknown"},
		{0, "5.1.1", SX_CLASS_PERMANENT, "userunknown"}}, 0,
	 1, SX_POLICY_DEFER, "harvest", 0, 0},
	/* Not a report, no policy ran. */
	{SX_KIND_DSN, {{0}}, {{0}}, 0, 0, SX_POLICY_ACCEPT, 0, 0, 0},
	/* Not a report, a policy verdict that must not count. */
	{SX_KIND_DSN, {{0}}, {{0}}, 0, 1, SX_POLICY_ACCEPT, "", 0, 0},
	/* An auto-reply with no policy. */
	{SX_KIND_AUTOREPLY, {{0, "", SX_CLASS_SUCCESS, "vacation"}}, {{0}}, 0,
	 0, SX_POLICY_ACCEPT, 0, 0, 0},
    };
    static const char *const want[] = {
	"# HELP smtp_explain_findings_total Delivery outcomes found in "
	"messages, by class and reason.",
	"# TYPE smtp_explain_findings_total counter",
	"smtp_explain_messages_total{type=\"bounce\"} 5",
	"smtp_explain_messages_total{type=\"other\"} 4",
	"smtp_explain_reports_total{kind=\"dsn\"} 3",
	"smtp_explain_reports_total{kind=\"bounce\"} 1",
	"smtp_explain_reports_total{kind=\"autoreply\"} 1",
	"smtp_explain_findings_total{class=\"permanent\",reason=\"userunknown\"} 2",
	"smtp_explain_findings_total{class=\"transient\",reason=\"mailboxfull\"} 1",
	"smtp_explain_findings_total{class=\"permanent\",reason=\"undefined\"} 1",
	"smtp_explain_findings_total{class=\"permanent\",reason=\"authfailure\"} 1",
	"smtp_explain_findings_total{class=\"success\",reason=\"vacation\"} 1",
	"smtp_explain_findings_status_total{status=\"5.1.1\"} 2",
	"smtp_explain_findings_status_total{status=\"4.2.2\"} 1",
	"smtp_explain_findings_status_total{status=\"5.7.26\"} 1",
	"smtp_explain_findings_status_total{status=\"none\"} 2",
	"smtp_explain_findings_code_total{code=\"550\"} 2",
	"smtp_explain_findings_code_total{code=\"452\"} 1",
	"smtp_explain_findings_code_total{code=\"554\"} 1",
	"smtp_explain_findings_code_total{code=\"none\"} 2",
	"smtp_explain_session_rejects_total{class=\"permanent\",reason=\"userunknown\"} 2",
	"smtp_explain_actions_total{action=\"annotate\",rule=\"annotate-all\"} 1",
	"smtp_explain_actions_total{action=\"reject\",rule=\"back\\\"scatter\"} 1",
	"smtp_explain_actions_total{action=\"rewrite\",rule=\"dmarc-subject\"} 1",
	"smtp_explain_actions_total{action=\"annotate\",rule=\"backscatter\"} 1",
	"smtp_explain_actions_total{action=\"defer\",rule=\"harvest\"} 1",
	"smtp_explain_downgrades_total{rule=\"backscatter\"} 1",
	"smtp_explain_findings_dropped_total 4",
	"smtp_explain_errors_total{type=\"nomem\"} 1",
	"smtp_explain_errors_total{type=\"write\"} 2",
	"smtp_explain_errors_total{type=\"reload\"} 0",
	"# TYPE smtp_explain_start_time_seconds gauge",
    };
    static const char *const unwanted[] = {
	"smtp_explain_actions_total{action=\"accept\",rule=\"\"} 1",
	"smtp_explain_reports_total{kind=\"session\"} 1",
    };
    struct sx_stats *st = sx_stats_new();
    char   *text;
    size_t  i;

    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    for (i = 0; i < sizeof(msgs) / sizeof(msgs[0]); i++)
	stats_feed(st, &msgs[i]);
    sx_stats_message(st, 0, 0);		/* ended before anything was read */
    sx_stats_error(st, SX_STATS_ERROR_NOMEM);
    sx_stats_error(st, SX_STATS_ERROR_WRITE);
    sx_stats_error(st, SX_STATS_ERROR_WRITE);
    text = stats_text(st);
    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
	if (!stats_has_line(text, want[i])) {
	    CU_FAIL("line missing");
	    fprintf(stderr, "\nmissing: %s\n", want[i]);
	}
    for (i = 0; i < sizeof(unwanted) / sizeof(unwanted[0]); i++)
	CU_ASSERT_FALSE(stats_has_line(text, unwanted[i]));
    free(text);
    sx_stats_free(st);
}

/* Every line is a comment or "name{labels} integer"; text ends in LF. */
static int stats_well_formed(const char *text)
{
    const char *p = text, *nl;
    int     quoted;

    if (*text == 0 || text[strlen(text) - 1] != '\n')
	return (0);
    for (; *p; p = nl + 1) {
	nl = strchr(p, '\n');
	if (strncmp(p, "# HELP ", 7) == 0 || strncmp(p, "# TYPE ", 7) == 0)
	    continue;
	if (strncmp(p, "smtp_explain_", 13) != 0)
	    return (0);
	while (p < nl && (*p == '_' || (*p >= 'a' && *p <= 'z')))
	    p++;
	if (*p == '{') {
	    for (quoted = 0, p++; p < nl && (quoted || *p != '}'); p++) {
		if (quoted && *p == '\\')
		    p++;
		else if (*p == '"')
		    quoted = !quoted;
	    }
	    if (*p++ != '}')
		return (0);
	}
	if (*p++ != ' ' || p >= nl)
	    return (0);
	for (; p < nl; p++)
	    if (*p < '0' || *p > '9')
		return (0);
    }
    return (1);
}

static void test_bounded(void)
{
    static const struct {
	size_t  distinct;		/* status codes fed */
	const char *overflow_line;	/* NULL: no overflow expected */
    }       t[] = {
	{10, 0},
	{SX_STATS_SERIES_MAX, 0},
	{SX_STATS_SERIES_MAX + 44,
	 "smtp_explain_findings_status_total{status=\"overflow\"} 44"},
    };
    struct stats_msg m;
    struct sx_stats *st;
    char    status[SX_STATUS_MAX];
    char   *text;
    size_t  i, j;

    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
	st = sx_stats_new();
	CU_ASSERT_PTR_NOT_NULL_FATAL(st);
	for (j = 0; j < t[i].distinct; j++) {
	    memset(&m, 0, sizeof(m));
	    snprintf(status, sizeof(status), "5.%u.%u", (unsigned) (j / 100 % 1000),
		     (unsigned) (j % 100));
	    m.kind = SX_KIND_DSN;
	    m.f[0].replycode = 550;
	    m.f[0].status = status;
	    m.f[0].class = SX_CLASS_PERMANENT;
	    m.f[0].reason = "undefined";
	    stats_feed(st, &m);
	}
	text = stats_text(st);
	CU_ASSERT_TRUE(stats_well_formed(text));
	if (t[i].overflow_line)
	    CU_ASSERT_TRUE(stats_has_line(text, t[i].overflow_line));
	CU_ASSERT_EQUAL(strstr(text, "\"overflow\"") != 0,
			t[i].overflow_line != 0);
	free(text);
	sx_stats_free(st);
    }
}

/* How many entries of dir start with prefix. */
static int stats_count_files(const char *dir, const char *prefix)
{
    DIR    *d = opendir(dir);
    struct dirent *e;
    int     n = 0;

    if (d == 0)
	return (-1);
    while ((e = readdir(d)) != 0)
	if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
	    n++;
    closedir(d);
    return (n);
}

static void test_file(void)
{
    char    dir[] = "/tmp/sx-stats.XXXXXX";
    char    path[256];
    char    bad[300];
    struct sx_stats *st = sx_stats_new();
    struct stat sb;
    char   *text;
    mode_t  old;

    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/metrics.prom", dir);

    /* Written whole, readable by others whatever the umask. */
    old = umask(077);
    CU_ASSERT_EQUAL(sx_stats_write_file(st, path), SX_OK);
    sx_stats_error(st, SX_STATS_ERROR_MILTER);
    CU_ASSERT_EQUAL(sx_stats_write_file(st, path), SX_OK);
    umask(old);
    CU_ASSERT_EQUAL_FATAL(stat(path, &sb), 0);
    CU_ASSERT_EQUAL(sb.st_mode & 0777, 0644);
    text = sx_unit_slurp(path, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_TRUE(stats_well_formed(text));
    CU_ASSERT_TRUE(stats_has_line(text, "smtp_explain_errors_total{type=\"milter\"} 1"));
    free(text);
    CU_ASSERT_EQUAL(stats_count_files(dir, "metrics.prom"), 1);

    /* A directory that is not there: an error, and nothing left behind. */
    snprintf(bad, sizeof(bad), "%s/missing/metrics.prom", dir);
    errno = 0;
    CU_ASSERT_EQUAL(sx_stats_write_file(st, bad), SX_ERR_IO);
    CU_ASSERT_EQUAL(errno, ENOENT);
    /* The target is a directory: rename fails, the temporary file goes. */
    snprintf(bad, sizeof(bad), "%s/sub", dir);
    CU_ASSERT_EQUAL_FATAL(mkdir(bad, 0755), 0);
    CU_ASSERT_EQUAL(sx_stats_write_file(st, bad), SX_ERR_IO);
    CU_ASSERT_EQUAL(stats_count_files(dir, "sub"), 1);

    CU_ASSERT_EQUAL(rmdir(bad), 0);
    CU_ASSERT_EQUAL(unlink(path), 0);
    CU_ASSERT_EQUAL(rmdir(dir), 0);
    sx_stats_free(st);
}

#define STATS_THREADS 4
#define STATS_PER_THREAD 5000

static void *stats_worker(void *arg)
{
    static const struct stats_msg m = {
	SX_KIND_DSN, {{550, "5.1.1", SX_CLASS_PERMANENT, "userunknown"}},
	{{0}}, 0, 1, SX_POLICY_ANNOTATE, "annotate-all", 0, 0,
    };
    struct sx_stats *st = arg;
    int     i;

    for (i = 0; i < STATS_PER_THREAD; i++) {
	stats_feed(st, &m);
	if (i % 1000 == 0)
	    sx_stats_error(st, SX_STATS_ERROR_OTHER);
    }
    return (0);
}

static void test_threads(void)
{
    struct sx_stats *st = sx_stats_new();
    pthread_t tid[STATS_THREADS];
    char    line[128];
    char   *text;
    int     i;

    CU_ASSERT_PTR_NOT_NULL_FATAL(st);
    for (i = 0; i < STATS_THREADS; i++)
	CU_ASSERT_EQUAL_FATAL(pthread_create(&tid[i], 0, stats_worker, st), 0);
    /* A writer at the same time sees a consistent copy. */
    for (i = 0; i < 20; i++)
	free(stats_text(st));
    for (i = 0; i < STATS_THREADS; i++)
	pthread_join(tid[i], 0);
    text = stats_text(st);
    snprintf(line, sizeof(line), "smtp_explain_messages_total{type=\"bounce\"} %d",
	     STATS_THREADS * STATS_PER_THREAD);
    CU_ASSERT_TRUE(stats_has_line(text, line));
    snprintf(line, sizeof(line), "smtp_explain_errors_total{type=\"other\"} %d",
	     STATS_THREADS * (STATS_PER_THREAD / 1000));
    CU_ASSERT_TRUE(stats_has_line(text, line));
    free(text);
    sx_stats_free(st);
    sx_stats_free(0);
}

static CU_TestInfo tests[] = {
    {"escape", test_escape},
    {"messages", test_messages},
    {"bounded", test_bounded},
    {"file", test_file},
    {"threads", test_threads},
    CU_TEST_INFO_NULL,
};

SX_SUITE(stats, tests, 0, 0)
