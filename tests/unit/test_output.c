/*
 * test_output.c - the edges of what goes out: every header line the
 * library makes (each physical line of an X-SMTP-Explain field, the
 * rewritten Subject), counted with its field name, is within RFC 5322's
 * 998 characters under the widest settings an admin may choose; text
 * for machines is well-formed UTF-8, with each maximal ill-formed
 * subpart replaced by one U+FFFD.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/config.h>
#include <smtp-explain/policy.h>
#include <smtp-explain/render.h>
#include <smtp-explain/text.h>

#include "unit.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define LINE_MAX_5322 998

/* ---------------------------------------------------------------- lines */

/*
 * The longest physical line of field "name: value", the line end (LF or
 * CRLF) not counted. Also checks that the value is 7-bit, that each
 * line end is a fold (followed by white space) and that no CR is bare.
 */
static size_t longest_line(const char *name, const char *v)
{
    size_t  col = strlen(name) + 2, max = 0;
    const unsigned char *p;

    for (p = (const unsigned char *) v; *p; p++) {
	CU_ASSERT(*p < 0x7f);
	if (*p == '\r') {
	    CU_ASSERT(p[1] == '\n');
	    continue;
	}
	if (*p == '\n') {
	    CU_ASSERT(p[1] == ' ' || p[1] == '\t');
	    col = 0;
	    continue;
	}
	if (++col > max)
	    max = col;
    }
    return (max < col ? col : max);
}

static void fill(char *dst, size_t n, const char *unit)
{
    size_t  u = strlen(unit), i;

    for (i = 0; i + u <= n; i += u)
	memcpy(dst + i, unit, u);
    dst[i] = 0;
}

static void explanation(struct sx_explanation *ex, const char *text)
{
    memset(ex, 0, sizeof(*ex));
    ex->class = SX_CLASS_PERMANENT;
    ex->who = SX_WHO_SENDER;
    ex->retry = SX_RETRY_AFTER_FIX;
    ex->title = "No such mailbox";
    ex->text = text;
    ex->action = text;
    ex->reason = "userunknown";
    ex->ref = "";
    ex->vendor_name = "";
}

/* The diagnostic's value as the header gives it back, unfolded. */
static size_t diag_len(const char *v)
{
    const char *d = strstr(v, "diag=");
    size_t  n = 0;

    if (d == 0)
	return (0);
    for (d += 5; *d && *d != ';'; d++)
	if (*d != '\n' && *d != '\r' && *d != '"')
	    n++;
    return (n);
}

/*
 * diag_max at the largest value the configuration takes, with one long
 * token (no character that needs quotes, so nothing to fold at): the
 * line is cut, not the bound. Every diag_max near the old edge, two
 * line ends.
 */
static void test_header_token(void)
{
    struct sx_finding f;
    struct sx_explanation ex;
    struct sx_render_opts o = {"mx.example.net", "\n\t", 1000, 1, 1, 0, 0, 0};
    char    buf[SX_RENDER_MIN];
    size_t  dm;
    int     n, crlf;

    explanation(&ex, "Short.");
    for (crlf = 0; crlf < 2; crlf++) {
	o.fold = crlf ? "\r\n\t" : "\n\t";
	for (dm = 980; dm <= 1000; dm++) {
	    memset(&f, 0, sizeof(f));
	    f.kind = SX_KIND_DSN;
	    f.action = SX_ACTION_FAILED;
	    f.replycode = 550;
	    strcpy(f.status, "5.1.1");
	    strcpy(f.recipient, "bob@example.org");
	    fill(f.diagnostic, 1000, "x");
	    o.diag_max = dm;
	    n = sx_render_header(&o, &f, &ex, 0, 1, buf, sizeof(buf));
	    CU_ASSERT(n > 0);
	    CU_ASSERT(longest_line(SX_HEADER_NAME, buf) <= LINE_MAX_5322);
	    /* Still there, cut rather than dropped. */
	    CU_ASSERT(diag_len(buf) >= 800 && diag_len(buf) <= dm);
	}
    }
}

/*
 * Many long values at once: an address of 255 bytes as a token, an
 * original recipient, a long remote host, meaning and advice of 600
 * bytes, and diagnostics made of long words of every kind: plain, with
 * quotes and backslashes to escape, 8-bit (encoded-words), and one
 * word as long as diag_max allows.
 */
static void test_header_many(void)
{
    static const char *units[] = {
	"y", "ab ", "abcdefghij", "a\"b\\c(", "caf\xc3\xa9 ", "\xe5\xae\x9b",
	"w(", "\xc3\xa9",
    };
    static const size_t words[] = {1000, 300, 120, 77, 76, 75, 70, 10};
    struct sx_finding f;
    struct sx_explanation ex;
    struct sx_render_opts o = {0, "\n\t", 1000, 1, 1, 0, 0, 0};
    char    buf[SX_RENDER_MIN], text[601], id[256], word[1001];
    size_t  u, w, i;
    int     n;

    fill(text, 600, "meaning ");
    explanation(&ex, text);
    fill(id, 255, "h");
    o.authserv_id = id;
    for (u = 0; u < COUNT(units); u++) {
	for (w = 0; w < COUNT(words); w++) {
	    memset(&f, 0, sizeof(f));
	    f.kind = SX_KIND_DSN;
	    f.action = SX_ACTION_FAILED;
	    f.replycode = 550;
	    strcpy(f.status, "5.1.1");
	    fill(f.recipient, SX_ADDR_MAX - 1, "r");
	    fill(f.original_recipient, SX_ADDR_MAX - 1, "o");
	    fill(f.remote_mta, SX_HOST_MAX - 1, "m");
	    /* Words of this length, of this kind, with spaces between. */
	    fill(word, words[w], units[u]);
	    for (i = 0; i + strlen(word) + 1 < 1000; i += strlen(word) + 1) {
		memcpy(f.diagnostic + i, word, strlen(word));
		f.diagnostic[i + strlen(word)] = ' ';
	    }
	    f.diagnostic[i ? i - 1 : 0] = 0;
	    if (i == 0)
		strcpy(f.diagnostic, word);
	    n = sx_render_header(&o, &f, &ex, 0, 1, buf, sizeof(buf));
	    CU_ASSERT(n > 0);
	    if (longest_line(SX_HEADER_NAME, buf) > LINE_MAX_5322)
		fprintf(stderr, "\n  unit \"%s\" x %zu: line of %zu\n", units[u],
			words[w], longest_line(SX_HEADER_NAME, buf));
	    CU_ASSERT(longest_line(SX_HEADER_NAME, buf) <= LINE_MAX_5322);
	}
    }
}

/* Encoded-words in a value are whole: "=?utf-8?q?", text, "?=". */
static void check_encoded_words(const char *v)
{
    const char *p = v, *q;

    while ((p = strstr(p, "=?")) != 0) {
	q = strstr(p + 2, "?=");
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	CU_ASSERT(strncmp(p, "=?utf-8?q?", 10) == 0);
	CU_ASSERT((size_t) (q + 2 - p) <= 75);
	CU_ASSERT(strcspn(p, " ") >= (size_t) (q + 2 - p));
	p = q + 2;
    }
}

/* ---------------------------------------------------------------- Subject */

static struct sx_config *conf;

static int output_init(void)
{
    struct sx_errors errs;
    size_t  i;

    memset(&errs, 0, sizeof(errs));
    conf = sx_config_load("fixtures/config/rewrite-long.conf", &errs);
    for (i = 0; i < errs.count && i < SX_ERRORS_MAX; i++)
	fprintf(stderr, "%s\n", errs.msg[i]);
    return (conf == 0);
}

static int output_cleanup(void)
{
    sx_config_unref(conf);
    conf = 0;
    return (0);
}

/* The Subject the policy writes for one finding with this status. */
static void rewrite(const char *status, const char *subject, const char *diag,
		            struct sx_verdict *v)
{
    static struct sx_finding f;
    struct sx_report_item item;
    struct sx_report rep;
    struct sx_policy_input in;

    memset(&f, 0, sizeof(f));
    f.kind = SX_KIND_DSN;
    f.action = SX_ACTION_FAILED;
    f.replycode = 550;
    snprintf(f.status, sizeof(f.status), "%s", status);
    strcpy(f.recipient, "bob@example.com");
    snprintf(f.diagnostic, sizeof(f.diagnostic), "%s", diag);
    explanation(&item.ex, "");
    item.finding = &f;
    memset(&rep, 0, sizeof(rep));
    rep.items = &item;
    rep.count = 1;
    memset(&in, 0, sizeof(in));
    in.report = &rep;
    in.envelope_sender = "";
    in.subject = subject;
    CU_ASSERT_EQUAL(sx_policy_evaluate(conf->policy, &conf->settings, &in, v),
		    SX_OK);
    CU_ASSERT_EQUAL(v->action, SX_POLICY_ANNOTATE);
    CU_ASSERT(v->subject[0] != 0);
    CU_ASSERT(longest_line("Subject", v->subject) <= LINE_MAX_5322);
    CU_ASSERT(strlen(v->subject) <= SX_SUBJECT_MAX);
    CU_ASSERT_PTR_NULL(strchr(v->subject, '\n'));
    check_encoded_words(v->subject);
}

static void test_subject(void)
{
    static const char *units[] = {
	"word ", "x", "R\xc3\xa9union ", "\xc3\xa9", "\xe5\xae\x9b", "a\xc3\xa9",
	"=?utf-8?q?R=C3=A9union?= ",
    };
    static const char *status[] = {"5.0.1", "5.0.2", "5.0.3"};
    struct sx_verdict v;
    char    subject[512], diag[1001];
    size_t  s, d, k;

    for (s = 0; s < COUNT(units); s++)
	for (d = 0; d < COUNT(units); d++)
	    for (k = 0; k < COUNT(status); k++) {
		fill(subject, 511, units[s]);
		fill(diag, 1000, units[d]);
		rewrite(status[k], subject, diag, &v);
	    }
}

/* Exactly where the cut falls, and what it keeps. */
static void test_subject_cut(void)
{
    struct sx_verdict v;
    char    diag[1001], subject[512], want[2048];
    const char *ew = "=?utf-8?q?R=C3=A9union?=";
    size_t  n;

    /* One long ASCII token: cut at the limit exactly. */
    fill(diag, 1000, "x");
    rewrite("5.0.3", "", diag, &v);
    CU_ASSERT_EQUAL(strlen(v.subject), SX_SUBJECT_MAX);

    /* Plain words: cut between characters, no space left at the end. */
    fill(diag, 1000, "abcdefghi ");
    rewrite("5.0.3", "", diag, &v);
    CU_ASSERT(strlen(v.subject) <= SX_SUBJECT_MAX);
    CU_ASSERT(strlen(v.subject) >= SX_SUBJECT_MAX - 1);
    CU_ASSERT(v.subject[strlen(v.subject) - 1] != ' ');

    /*
     * An encoded-word the message already had, across the limit: left
     * out whole. "%{diag}%{diag}%{subject}": 2 * 490 bytes, then it.
     */
    fill(diag, 490, "d");
    snprintf(subject, sizeof(subject), "%s", ew);
    rewrite("5.0.3", subject, diag, &v);
    snprintf(want, sizeof(want), "%s%s", diag, diag);
    CU_ASSERT_STRING_EQUAL(v.subject, want);
    /* Room for the whole of it: kept. */
    fill(diag, 480, "d");
    rewrite("5.0.3", subject, diag, &v);
    snprintf(want, sizeof(want), "%s%s%s", diag, diag, ew);
    CU_ASSERT_STRING_EQUAL(v.subject, want);

    /* 8-bit words are encoded and cut between encoded-words. */
    fill(diag, 1000, "\xc3\xa9");
    rewrite("5.0.3", "", diag, &v);
    n = strlen(v.subject);
    CU_ASSERT(n > 900 && n <= SX_SUBJECT_MAX);
    CU_ASSERT(strcmp(v.subject + n - 2, "?=") == 0);
}

/* The largest diag_max is taken; one more is an error with file:line. */
static void test_diag_max_config(void)
{
    struct sx_errors errs;
    struct sx_config *c;

    memset(&errs, 0, sizeof(errs));
    c = sx_config_load("fixtures/hostile/wide.conf", &errs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->settings.diag_max, 1000);
    sx_config_unref(c);
    memset(&errs, 0, sizeof(errs));
    c = sx_config_load("fixtures/config/bad-diag-max.conf", &errs);
    CU_ASSERT_PTR_NULL(c);
    CU_ASSERT_EQUAL_FATAL(errs.count, 1);
    CU_ASSERT_STRING_EQUAL(errs.msg[0], "fixtures/config/bad-diag-max.conf:3: "
			   "\"diag_max\" must be between 0 and 1000, not 1001");
    sx_config_unref(c);
}

/* ---------------------------------------------------------------- UTF-8 */

#define R "\xef\xbf\xbd"		/* U+FFFD */

static void test_utf8(void)
{
    static const struct {
	const char *in;
	size_t  len;
	const char *out;
	size_t  outlen;
	int     valid;
    }       t[] = {
#define T(in, out, valid) {in, sizeof(in) - 1, out, sizeof(out) - 1, valid}
	T("plain ASCII", "plain ASCII", 1),
	T("", "", 1),
	T("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 1),
	/* the edges that are allowed */
	T("\xc2\x80\xdf\xbf", "\xc2\x80\xdf\xbf", 1),
	T("\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf", "\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf", 1),
	T("\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", 1),
	T("a\0b", "a\0b", 1),
	/* overlong */
	T("\xc0\x80", R R, 0),
	T("\xc1\xbf", R R, 0),
	T("\xe0\x80\x80", R R R, 0),
	T("\xe0\x9f\xbf", R R R, 0),
	T("\xf0\x80\x80\x80", R R R R, 0),
	T("\xf0\x8f\xbf\xbf", R R R R, 0),
	/* surrogates */
	T("\xed\xa0\x80", R R R, 0),
	T("\xed\xbf\xbf", R R R, 0),
	/* past U+10FFFF */
	T("\xf4\x90\x80\x80", R R R R, 0),
	T("\xf5", R, 0),
	T("\xf5\x80\x80\x80", R R R R, 0),
	T("\xff", R, 0),
	T("\xfe\xff", R R, 0),
	/* stray continuation bytes */
	T("\x80", R, 0),
	T("a\x80" "b\xbf\xbf", "a" R "b" R R, 0),
	/* truncated: at the end, and in the middle (one U+FFFD each) */
	T("\xe2\x82", R, 0),
	T("x\xe2\x82", "x" R, 0),
	T("\xe2\x82" "A", R "A", 0),
	T("\xe2\x82\xe2\x82\xac", R "\xe2\x82\xac", 0),
	T("\xf0\x9f\x98" "x", R "x", 0),
	T("\xf0\x9f\x98", R, 0),
	T("\xe0\xa0", R, 0),
	T("\xc3", R, 0),
	T("\xc3\xc3\xa9", R "\xc3\xa9", 0),
	/* Unicode's example of maximal subparts (chapter 3, U+FFFD) */
	T("a\xf1\x80\x80\xe1\x80\xc2" "b\x80" "c\x80\xbf" "d",
	  "a" R R R "b" R "c" R R "d", 0),
#undef T
    };
    char    out[64];
    size_t  i, n;

    for (i = 0; i < COUNT(t); i++) {
	CU_ASSERT_EQUAL(sx_text_utf8_valid(t[i].in, t[i].len), t[i].valid);
	n = sx_text_utf8_fix(out, sizeof(out), t[i].in, t[i].len);
	CU_ASSERT_EQUAL(n, t[i].outlen);
	CU_ASSERT(n == t[i].outlen && memcmp(out, t[i].out, n) == 0);
	CU_ASSERT_EQUAL(out[n], 0);
	if (n != t[i].outlen || memcmp(out, t[i].out, n) != 0)
	    fprintf(stderr, "\n  utf8 case %zu wrong\n", i);
	/* What comes out is well-formed. */
	CU_ASSERT(sx_text_utf8_valid(out, n));
    }
}

/* sx_text_utf8_char(): lengths and verdicts, and bounds by len. */
static void test_utf8_char(void)
{
    int     ok;

    CU_ASSERT_EQUAL(sx_text_utf8_char("\xf0\x9f\x98\x80", 4, &ok), 4);
    CU_ASSERT(ok);
    CU_ASSERT_EQUAL(sx_text_utf8_char("\xf0\x9f\x98\x80", 3, &ok), 3);
    CU_ASSERT(!ok);
    CU_ASSERT_EQUAL(sx_text_utf8_char("\xe2\x82\xac", 1, &ok), 1);
    CU_ASSERT(!ok);
    CU_ASSERT_EQUAL(sx_text_utf8_char("\xed\xa0\x80", 3, &ok), 1);
    CU_ASSERT(!ok);
    CU_ASSERT_EQUAL(sx_text_utf8_char("A", 1, &ok), 1);
    CU_ASSERT(ok);
}

/* A small buffer: cut before a character or a U+FFFD, never inside. */
static void test_utf8_cut(void)
{
    char    out[8];

    CU_ASSERT_EQUAL(sx_text_utf8_fix(out, 4, "a\x80", 2), 1);
    CU_ASSERT_STRING_EQUAL(out, "a");
    CU_ASSERT_EQUAL(sx_text_utf8_fix(out, 5, "a\x80", 2), 4);
    CU_ASSERT_STRING_EQUAL(out, "a" R);
    CU_ASSERT_EQUAL(sx_text_utf8_fix(out, 4, "a\xe2\x82\xac", 4), 1);
    CU_ASSERT_STRING_EQUAL(out, "a");
    CU_ASSERT_EQUAL(sx_text_utf8_fix(out, 0, "a", 1), 0);
    CU_ASSERT_EQUAL(sx_text_utf8_fix(out, 1, "a", 1), 0);
    CU_ASSERT_STRING_EQUAL(out, "");
}

static CU_TestInfo tests[] = {
    {"header: one long token at the largest diag_max", test_header_token},
    {"header: many long values of every kind", test_header_many},
    {"subject: every line within 998", test_subject},
    {"subject: where the cut falls", test_subject_cut},
    {"config: diag_max bounds", test_diag_max_config},
    {"utf8: maximal subparts become U+FFFD", test_utf8},
    {"utf8: one character", test_utf8_char},
    {"utf8: cut whole", test_utf8_cut},
    CU_TEST_INFO_NULL,
};

SX_SUITE(output, tests, output_init, output_cleanup)
