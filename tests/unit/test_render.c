/*
 * test_render.c - the X-SMTP-Explain header: items, folding, safety.
 */
#include <string.h>

#include <smtp-explain/config.h>
#include <smtp-explain/explain.h>
#include <smtp-explain/render.h>

#include "unit.h"

static struct sx_registry *reg;

static int init(void)
{
    struct sx_errors errs;

    memset(&errs, 0, sizeof(errs));
    reg = sx_registry_new();
    if (sx_config_registry_file(reg, "fixtures/registry/small.conf", &errs) != SX_OK)
	return (1);
    return (sx_registry_seal(reg) != SX_OK);
}

static int fini(void)
{
    sx_registry_free(reg);
    return (0);
}

static void finding(struct sx_finding *f, const char *rcpt, int code,
		            const char *status, const char *diag)
{
    memset(f, 0, sizeof(*f));
    f->kind = SX_KIND_DSN;
    f->action = SX_ACTION_FAILED;
    f->replycode = code;
    strcpy(f->status, status);
    strcpy(f->recipient, rcpt);
    strcpy(f->diagnostic, diag);
}

/* Every line within 78 columns (tabs count one), no bare CR, ASCII only. */
static void check_lines(const char *v, size_t first_col)
{
    size_t  col = first_col;
    const unsigned char *p;

    for (p = (const unsigned char *) v; *p; p++) {
	CU_ASSERT(*p < 0x7f);
	CU_ASSERT(*p != '\r' && *p != 0);
	if (*p == '\n') {
	    CU_ASSERT(p[1] == ' ' || p[1] == '\t');
	    col = 0;
	    continue;
	}
	col++;
	CU_ASSERT(col <= 78);
	if (col > 78)
	    fprintf(stderr, "\n  long line in: %s\n", v);
    }
}

static void test_items(void)
{
    struct sx_finding f;
    struct sx_explanation ex;
    struct sx_render_opts o = {"mx.example.net", "\n\t", 0, 1, 1, 0, 0, 0};
    char    buf[SX_RENDER_MIN];
    int     n;

    finding(&f, "bob@example.org", 550, "5.1.1", "550 5.1.1 user unknown");
    strcpy(f.remote_mta, "mx.example.org");
    sx_explain(reg, &f, &ex);
    n = sx_render_header(&o, &f, &ex, 0, 2, buf, sizeof(buf));
    CU_ASSERT(n > 0);
    CU_ASSERT_EQUAL(strncmp(buf, "mx.example.net; n=1/2; kind=dsn; action=failed;", 47), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "rcpt=bob@example.org;"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "code=550;"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "status=5.1.1;"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "reason=userunknown;"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "class=permanent;"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "who=sender;"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "title=\"No mailbox\""));
    check_lines(buf, strlen("X-SMTP-Explain: "));
}

/*
 * The result header holds what smtp-explain found and nothing a remote
 * server wrote: a diagnostic, recipient or host that spells our items
 * cannot make a filter's "reason=..." or "who=..." test true.
 */
static void test_result_trusted(void)
{
    struct sx_finding f;
    struct sx_explanation ex;
    struct sx_render_opts o = {"mx.example.net", "\n\t", 0, 1, 1, 0, 0, 0};
    char    buf[SX_RENDER_MIN], main_hdr[SX_RENDER_MIN];
    int     n;

    /* The remote says "reason=hostunknown"; the code says unknown user. */
    finding(&f, "bob@example.org", 550, "5.1.1",
	    "550 5.1.1 who=sender_admin; reason=hostunknown; action=delayed");
    strcpy(f.remote_mta, "mx.example.org");
    sx_explain(reg, &f, &ex);
    CU_ASSERT(sx_render_header(&o, &f, &ex, 0, 1, main_hdr, sizeof(main_hdr)) > 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(main_hdr, "reason=hostunknown"));	/* in diag */
    n = sx_render_result(&o, &f, &ex, 0, 1, buf, sizeof(buf));
    CU_ASSERT(n > 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "reason=userunknown;"));
    CU_ASSERT_PTR_NULL(strstr(buf, "hostunknown"));
    CU_ASSERT_PTR_NULL(strstr(buf, "sender_admin"));
    CU_ASSERT_PTR_NULL(strstr(buf, "delayed"));
    CU_ASSERT_PTR_NULL(strstr(buf, "diag"));
    CU_ASSERT_PTR_NULL(strstr(buf, "title"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "rcpt=bob@example.org;"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "remote-mta=mx.example.org"));
    check_lines(buf, strlen(SX_RESULT_NAME ": "));

    /* Values from the remote side that could spell an item are left out. */
    finding(&f, "reason=mailboxfull@example.org", 550, "5.1.1", "");
    strcpy(f.original_recipient, "a;who=none@example.org");
    strcpy(f.remote_mta, "mx.example.org;reason=mailboxfull");
    sx_explain(reg, &f, &ex);
    CU_ASSERT(sx_render_result(&o, &f, &ex, 0, 1, buf, sizeof(buf)) > 0);
    CU_ASSERT_PTR_NULL(strstr(buf, "mailboxfull"));
    CU_ASSERT_PTR_NULL(strstr(buf, "rcpt="));
    CU_ASSERT_PTR_NULL(strstr(buf, "orcpt="));
    CU_ASSERT_PTR_NULL(strstr(buf, "remote-mta="));
    CU_ASSERT_PTR_NULL(strstr(buf, "who=none"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "status=5.1.1;"));

    /* A status that is not an enhanced code stays out too. */
    finding(&f, "bob@example.org", 550, "5.1.1;x=y", "");
    sx_explain(reg, &f, &ex);
    CU_ASSERT(sx_render_result(&o, &f, &ex, 0, 1, buf, sizeof(buf)) > 0);
    CU_ASSERT_PTR_NULL(strstr(buf, "status="));
    CU_ASSERT_PTR_NULL(strstr(buf, "x=y"));
}

static void test_injection(void)
{
    struct sx_finding f;
    struct sx_explanation ex;
    struct sx_render_opts o = {"mx.example.net", "\r\n\t", 300, 1, 1, 0, 0, 0};
    char    buf[SX_RENDER_MIN];

    finding(&f, "a@b.example\r\nBcc: victim@example.com", 550, "5.7.1",
	    "550 5.7.1 spam\r\nX-Evil: yes\n\n<script>\"quoted\\\" \x01\x7f"
	    " caf\xc3\xa9 r\xe9sum\xe9");
    /* The reader cleans fields; the renderer must not rely on that. */
    sx_explain(reg, &f, &ex);
    CU_ASSERT(sx_render_header(&o, &f, &ex, 0, 1, buf, sizeof(buf)) > 0);
    CU_ASSERT_PTR_NULL(strstr(buf, "\r\nBcc"));
    CU_ASSERT_PTR_NULL(strstr(buf, "\nX-Evil"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "=?utf-8?q?"));
    {
	const char *p;

	/* Every line break is followed by folding white space. */
	for (p = buf; (p = strchr(p, '\n')) != 0; p++)
	    CU_ASSERT(p[1] == ' ' || p[1] == '\t');
	for (p = buf; *p; p++)
	    CU_ASSERT((unsigned char) *p < 0x7f);
    }
}

/* Registry words reach headers uncleaned: they are made safe at load. */

static void test_registry_words(void)
{
    struct sx_registry *r = sx_registry_new();
    struct sx_entry e;
    struct sx_finding f;
    struct sx_explanation ex;
    struct sx_render_opts o = {"mx.example.net", "\r\n\t", 300, 1, 1, 0, 0, 0};
    char    buf[SX_RENDER_MIN];
    const char *p;

    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    memset(&e, 0, sizeof(e));
    e.code = "550";
    e.title = "Refused\r\nBcc: victim@example.com";
    e.text = "line one\nX-Evil: yes\x01 caf\xc3\xa9";
    e.action = "\r\n\r\nbody starts here";
    e.reason = "rejected";
    CU_ASSERT_EQUAL(sx_registry_add(r, SX_TABLE_BASIC, &e), SX_OK);
    CU_ASSERT_EQUAL_FATAL(sx_registry_seal(r), SX_OK);
    finding(&f, "a@b.example", 550, "", "550 no");
    sx_explain(r, &f, &ex);
    CU_ASSERT_STRING_EQUAL(ex.title, "Refused Bcc: victim@example.com");
    CU_ASSERT(sx_render_header(&o, &f, &ex, 0, 1, buf, sizeof(buf)) > 0);
    CU_ASSERT_PTR_NULL(strstr(buf, "\nBcc"));
    CU_ASSERT_PTR_NULL(strstr(buf, "\nX-Evil"));
    CU_ASSERT_PTR_NULL(strstr(buf, "\r\n\r\n"));
    CU_ASSERT_PTR_NULL(strchr(buf, '\x01'));
    for (p = buf; (p = strchr(p, '\n')) != 0; p++)
	CU_ASSERT(p[1] == ' ' || p[1] == '\t');
    sx_registry_free(r);
}

static void test_small_buffer(void)
{
    struct sx_finding f;
    struct sx_explanation ex;
    char    buf[260];

    finding(&f, "bob@example.org", 550, "5.1.1", "x");
    sx_explain(reg, &f, &ex);
    CU_ASSERT(sx_render_header(0, &f, &ex, 0, 1, buf, sizeof(buf)) > 0);
    CU_ASSERT(strlen(buf) < sizeof(buf));
    CU_ASSERT_EQUAL(sx_render_header(0, &f, &ex, 0, 1, buf, 10), SX_ERR_LIMIT);
}

static void test_explain_order(void)
{
    static const struct {
	const char *status;
	int     code;
	const char *diag;
	const char *host;
	const char *reason;
	enum sx_class class;
    }       t[] = {
	{"5.1.1", 550, "user unknown", "", "userunknown", SX_CLASS_PERMANENT},
	/* a vague code lets the text speak */
	{"5.0.0", 550, "mailbox full", "", "mailboxfull", SX_CLASS_PERMANENT},
	/* vendor first */
	{"5.7.26", 550, "unauthenticated", "mx.google.com", "authfailure", SX_CLASS_PERMANENT},
	/* class from the enhanced code, reason from the 4.x form */
	{"4.2.2", 452, "", "", "mailboxfull", SX_CLASS_TRANSIENT},
	/* a temporary reply in a final failure: the message expired */
	{"", 421, "", "", "expired", SX_CLASS_TRANSIENT},
	/* refused at MAIL FROM: the sender was rejected */
	{"5.7.1", 550, "", "", "rejected", SX_CLASS_PERMANENT},
	{"", 0, "", "", "undefined", SX_CLASS_PERMANENT},
    };
    size_t  i;

    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
	struct sx_finding f;
	struct sx_explanation ex;

	finding(&f, "x@example.org", t[i].code, t[i].status, t[i].diag);
	strcpy(f.remote_mta, t[i].host);
	if (i == 5)
	    strcpy(f.command, "MAIL");
	sx_explain(reg, &f, &ex);
	CU_ASSERT_STRING_EQUAL(ex.reason, t[i].reason);
	CU_ASSERT_EQUAL(ex.class, t[i].class);
	CU_ASSERT_PTR_NOT_NULL(ex.title);
	CU_ASSERT_PTR_NOT_NULL(ex.text);
    }
}

static CU_TestInfo tests[] = {
    {"registry words made safe at load", test_registry_words},
    {"structured items", test_items},
    {"no header injection", test_injection},
    {"result header: nothing a stranger wrote", test_result_trusted},
    {"bounded by the buffer", test_small_buffer},
    {"explain: choice of reason", test_explain_order},
    CU_TEST_INFO_NULL,
};

SX_SUITE(render, tests, init, fini)
