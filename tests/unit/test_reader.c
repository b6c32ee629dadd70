/*
 * test_reader.c - the streaming reader: DSNs in every encoding, line
 * end and chunking, header-by-header feeding, and hostile shapes.
 */
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/reader.h>

#include "unit.h"

/* feed - whole message in chunks of size step (0: one push) */

static struct sx_reader *feed(const char *msg, size_t len, size_t step)
{
    struct sx_reader *r = sx_reader_new(0);
    size_t  at;

    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    if (step == 0)
	step = len ? len : 1;
    for (at = 0; at < len; at += step)
	CU_ASSERT_EQUAL(sx_reader_push(r, msg + at, len - at < step ? len - at : step), SX_OK);
    CU_ASSERT_EQUAL(sx_reader_finish(r), SX_OK);
    return (r);
}

static void check_two(struct sx_reader *r)
{
    const struct sx_finding *f;
    const struct sx_message *m = sx_reader_message(r);

    CU_ASSERT_EQUAL_FATAL(sx_reader_count(r), 2);
    f = sx_reader_finding(r, 0);
    CU_ASSERT_STRING_EQUAL(f->recipient, "bob@example.org");
    CU_ASSERT_EQUAL(f->action, SX_ACTION_FAILED);
    CU_ASSERT_STRING_EQUAL(f->status, "5.1.1");
    CU_ASSERT_EQUAL(f->replycode, 550);
    CU_ASSERT_STRING_EQUAL(f->remote_mta, "mx.example.org");
    CU_ASSERT_STRING_EQUAL(f->reporting_mta, "mx1.example.net");
    CU_ASSERT_PTR_NOT_NULL(strstr(f->diagnostic, "does not exist."));
    f = sx_reader_finding(r, 1);
    CU_ASSERT_STRING_EQUAL(f->recipient, "carol@example.com");
    CU_ASSERT_EQUAL(f->action, SX_ACTION_DELAYED);
    CU_ASSERT_STRING_EQUAL(f->status, "4.2.2");
    CU_ASSERT_EQUAL(f->replycode, 452);
    CU_ASSERT_TRUE(m->is_report);
    CU_ASSERT_TRUE(m->null_sender);
    CU_ASSERT_STRING_EQUAL(m->orig_sender, "alice@example.net");
    CU_ASSERT_STRING_EQUAL(m->orig_message_id, "<lunch.42@example.net>");
    CU_ASSERT_STRING_EQUAL(m->subject, "Undelivered Mail Returned to Sender");
    CU_ASSERT_EQUAL(m->kind, SX_KIND_DSN);
}

static char *crlf(const char *in, size_t len, const char *eol, size_t *outlen)
{
    char   *out = malloc(len * 2 + 1);
    size_t  i, o = 0;

    for (i = 0; i < len; i++) {
	if (in[i] == '\n') {
	    memcpy(out + o, eol, strlen(eol));
	    o += strlen(eol);
	} else
	    out[o++] = in[i];
    }
    out[o] = 0;
    *outlen = o;
    return (out);
}

static void test_dsn_chunks_and_line_ends(void)
{
    static const size_t steps[] = {0, 1, 2, 7, 64, 4096};
    static const char *const eols[] = {"\n", "\r\n", "\r"};
    size_t  len, i, j, n;
    char   *msg = sx_unit_slurp("fixtures/dsn/postfix-two.eml", &len);

    CU_ASSERT_PTR_NOT_NULL_FATAL(msg);
    for (j = 0; j < 3; j++) {
	char   *m = crlf(msg, len, eols[j], &n);

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
	    struct sx_reader *r = feed(m, n, steps[i]);

	    check_two(r);
	    sx_reader_free(r);
	}
	free(m);
    }
    free(msg);
}

/* Split a message at its header/body line, for milter-style feeding. */
static void test_header_by_header(void)
{
    size_t  len;
    char   *msg = sx_unit_slurp("fixtures/dsn/postfix-two.eml", &len);
    char   *body = strstr(msg, "\n\n") + 2, *p;
    struct sx_reader *r = sx_reader_new(0);

    body[-1] = 0;
    sx_reader_envelope(r, "<>");
    for (p = msg; *p;) {
	char    name[128], value[1024];
	char   *colon = strchr(p, ':'), *end = p;
	size_t  vn = 0;

	/* value runs to the next line that does not start with WSP */
	while ((end = strchr(end, '\n')) && (end[1] == ' ' || end[1] == '\t'))
	    end++;
	if (end == 0)
	    end = p + strlen(p);
	memcpy(name, p, (size_t) (colon - p));
	name[colon - p] = 0;
	vn = (size_t) (end - colon - 2);
	memcpy(value, colon + 2, vn);
	value[vn] = 0;
	CU_ASSERT_EQUAL(sx_reader_header(r, name, value), SX_OK);
	p = *end ? end + 1 : end;
    }
    CU_ASSERT_EQUAL(sx_reader_end_headers(r), SX_OK);
    CU_ASSERT_TRUE(sx_reader_maybe_bounce(r));
    CU_ASSERT_EQUAL(sx_reader_push(r, body, strlen(body)), SX_OK);
    CU_ASSERT_EQUAL(sx_reader_finish(r), SX_OK);
    check_two(r);
    sx_reader_free(r);
    free(msg);
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *base64(const char *in, size_t len)
{
    char   *out = malloc(len * 2 + 16);
    size_t  i, o = 0, col = 0;

    for (i = 0; i < len; i += 3) {
	unsigned v = (unsigned char) in[i] << 16;

	if (i + 1 < len)
	    v |= (unsigned char) in[i + 1] << 8;
	if (i + 2 < len)
	    v |= (unsigned char) in[i + 2];
	out[o++] = b64[(v >> 18) & 63];
	out[o++] = b64[(v >> 12) & 63];
	out[o++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
	out[o++] = i + 2 < len ? b64[v & 63] : '=';
	if ((col += 4) >= 76) {
	    out[o++] = '\n';
	    col = 0;
	}
    }
    out[o++] = '\n';
    out[o] = 0;
    return (out);
}

static void test_encoded_parts(void)
{
    size_t  len;
    char   *msg = sx_unit_slurp("fixtures/dsn/postfix-two.eml", &len);
    char   *ds = strstr(msg, "Content-Type: message/delivery-status\n\n");
    char   *start = ds + strlen("Content-Type: message/delivery-status\n\n");
    char   *end = strstr(start, "\n--4ABC");
    char   *part, *enc, *out;
    struct sx_reader *r;

    part = strndup(start, (size_t) (end - start) + 1);
    enc = base64(part, strlen(part));
    out = malloc(len + strlen(enc) + 100);
    CU_ASSERT_PTR_NOT_NULL_FATAL(out);
    sprintf(out, "%.*sContent-Type: message/delivery-status\n"
	    "Content-Transfer-Encoding: base64\n\n%s%s", (int) (ds - msg), msg, enc, end + 1);
    r = feed(out, strlen(out), 5);
    check_two(r);
    sx_reader_free(r);
    free(part);
    free(enc);
    free(out);

    /* Quoted-printable: a soft break inside the enhanced code. */
    {
	const char qp[] =
	    "From: MAILER-DAEMON@mx.example.net\n"
	    "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
	    "--b\nContent-Type: message/delivery-status\n"
	    "Content-Transfer-Encoding: quoted-printable\n\n"
	    "Reporting-MTA: dns; mx.example.net\n\n"
	    "Final-Recipient: rfc822; x=40y@example.org\n"
	    "Action: failed\nStatus: 5.=\n1.1\n"
	    "Diagnostic-Code: smtp; 550 5.1=\n.1 no=20such user\n\n--b--\n";

	r = feed(qp, sizeof(qp) - 1, 3);
	CU_ASSERT_EQUAL_FATAL(sx_reader_count(r), 1);
	CU_ASSERT_STRING_EQUAL(sx_reader_finding(r, 0)->status, "5.1.1");
	CU_ASSERT_EQUAL(sx_reader_finding(r, 0)->replycode, 550);
	CU_ASSERT_STRING_EQUAL(sx_reader_finding(r, 0)->recipient, "x@y@example.org");
	CU_ASSERT_PTR_NOT_NULL(strstr(sx_reader_finding(r, 0)->diagnostic, "no such user"));
	sx_reader_free(r);
    }
    free(msg);
}

static void test_not_a_bounce(void)
{
    size_t  len;
    char   *msg = sx_unit_slurp("fixtures/dsn/plain.eml", &len);
    struct sx_reader *r = feed(msg, len, 0);

    CU_ASSERT_EQUAL(sx_reader_count(r), 0);
    CU_ASSERT_FALSE(sx_reader_maybe_bounce(r));
    sx_reader_free(r);
    free(msg);
}

/* A phrase row marked as a delay notice: its findings are "delayed". */

static void test_delay_notice(void)
{
    size_t  len;
    char   *msg = sx_unit_slurp("fixtures/shapes/courier-delayed.eml", &len);
    struct sx_reader *r = feed(msg, len, 0);

    CU_ASSERT_EQUAL_FATAL(sx_reader_count(r), 1);
    CU_ASSERT_EQUAL(sx_reader_finding(r, 0)->action, SX_ACTION_DELAYED);
    CU_ASSERT_EQUAL(sx_reader_finding(r, 0)->replycode, 451);
    sx_reader_free(r);
    free(msg);
    /* The failure notice of the same family stays "failed". */
    msg = sx_unit_slurp("fixtures/shapes/courier.eml", &len);
    r = feed(msg, len, 0);
    CU_ASSERT_EQUAL_FATAL(sx_reader_count(r), 1);
    CU_ASSERT_EQUAL(sx_reader_finding(r, 0)->action, SX_ACTION_FAILED);
    sx_reader_free(r);
    free(msg);
}

static void test_hostile(void)
{
    struct sx_limits lim = sx_limits_default;
    struct sx_reader *r;
    char   *big;
    size_t  i, n;

    /* 10,000 recipients: bounded by findings_max, the rest counted. */
    lim.findings_max = 100;
    r = sx_reader_new(&lim);
    {
	const char head[] = "Content-Type: multipart/report; report-type=delivery-status;"
	    " boundary=z\n\n--z\nContent-Type: message/delivery-status\n\n";

	sx_reader_push(r, head, sizeof(head) - 1);
    }
    for (i = 0; i < 10000; i++) {
	char    grp[200];

	n = (size_t) snprintf(grp, sizeof(grp), "Final-Recipient: rfc822; u%zu@example.org\n"
			      "Action: failed\nStatus: 5.1.1\n\n", i);
	sx_reader_push(r, grp, n);
    }
    sx_reader_finish(r);
    CU_ASSERT_EQUAL(sx_reader_count(r), 100);
    CU_ASSERT_EQUAL(sx_reader_message(r)->findings_dropped, 9900);
    sx_reader_free(r);

    /* A 1 MB header line and a 1 MB body line: cut, never kept whole. */
    n = 1 << 20;
    big = malloc(n + 64);
    memcpy(big, "Subject: ", 9);
    memset(big + 9, 'x', n);
    memcpy(big + 9 + n, "\n\nbody\n", 8);
    r = feed(big, n + 16, 65536);
    CU_ASSERT(strlen(sx_reader_message(r)->subject) < 512);
    sx_reader_free(r);
    free(big);

    /* Deep nesting: 500 levels of multipart, each with its own boundary. */
    big = malloc(500 * 120 + 200);
    n = 0;
    for (i = 0; i < 500; i++)
	n += (size_t) sprintf(big + n, "Content-Type: multipart/mixed; boundary=\"l%zu\"\n\n--l%zu\n",
			      i, i);
    n += (size_t) sprintf(big + n, "Content-Type: text/plain\n\nhello\n");
    r = feed(big, n, 1000);
    CU_ASSERT_EQUAL(sx_reader_count(r), 0);
    sx_reader_free(r);
    free(big);

    /* Lying boundaries, truncated message, NULs: no crash, no finding lost. */
    {
	const char lie[] = "Content-Type: multipart/report; boundary=\"nope\"\n\n"
	    "--other\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@b.example\n"
	    "Action: fail\0ed\nStatus: 5.1";

	r = feed(lie, sizeof(lie) - 1, 4);
	CU_ASSERT_EQUAL(sx_reader_count(r), 0);
	sx_reader_free(r);
    }
}

/* Inputs the fuzzers once crashed on: each must read without harm. */
static void test_regressions(void)
{
    static const char *const files[] = {
	"fixtures/regress/ses-key-at-start.bin",
	"fixtures/regress/ses-null-after-object.bin",
    };
    size_t  i, len;

    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
	char   *msg = sx_unit_slurp(files[i], &len);
	struct sx_reader *r;

	CU_ASSERT_PTR_NOT_NULL_FATAL(msg);
	/* The fuzzer's first byte chose its chunk size; skip it. */
	r = feed(msg + 1, len - 1, (size_t) ((unsigned char) msg[0] % 97 + 1));
	CU_ASSERT(sx_reader_count(r) <= sx_limits_default.findings_max);
	sx_reader_free(r);
	free(msg);
    }
}

/* Text parts in another charset are read as UTF-8. */

static void test_charsets(void)
{
    static const char jis[] =
	"From: MAILER-DAEMON@mx.example.jp\n"
	"Subject: Returned mail\n"
	"Content-Type: text/plain; charset=ISO-2022-JP\n"
	"\n"
	"   ----- The following addresses had permanent fatal errors -----\n"
	"<taro@example.jp>\n"
	"    (reason: 550 5.1.1 \033$B08@hITL@\033(B)\n";
    static const char latin1[] =
	"From: MAILER-DAEMON@mx.example.de\n"
	"Subject: Unzustellbar\n"
	"Content-Type: text/plain; charset=\"iso-8859-1\"\n"
	"\n"
	"   ----- The following addresses had permanent fatal errors -----\n"
	"<j\366rg@example.de>\n"
	"    (reason: 550 5.1.1 Empf\344nger unbekannt)\n";
    static const char broken[] =
	"From: MAILER-DAEMON@mx.example.jp\n"
	"Subject: Returned mail\n"
	"Content-Type: text/plain; charset=shift_jis\n"
	"\n"
	"   ----- The following addresses had permanent fatal errors -----\n"
	"<hana@example.jp>\n"
	"    (reason: 550 5.1.1 \x82\n";
    struct sx_reader *r;
    const struct sx_finding *f;

    r = feed(jis, sizeof(jis) - 1, 0);
    CU_ASSERT_EQUAL_FATAL(sx_reader_count(r), 1);
    f = sx_reader_finding(r, 0);
    /* "\xe5\xae\x9b\xe5\x85\x88\xe4\xb8\x8d\xe6\x98\x8e": addressee unknown */
    CU_ASSERT_PTR_NOT_NULL(strstr(f->diagnostic, "\xe5\xae\x9b\xe5\x85\x88\xe4\xb8\x8d\xe6\x98\x8e"));
    CU_ASSERT_PTR_NULL(strchr(f->diagnostic, '\033'));
    sx_reader_free(r);

    r = feed(latin1, sizeof(latin1) - 1, 7);
    CU_ASSERT_EQUAL_FATAL(sx_reader_count(r), 1);
    f = sx_reader_finding(r, 0);
    CU_ASSERT_STRING_EQUAL(f->recipient, "j\xc3\xb6rg@example.de");
    CU_ASSERT_PTR_NOT_NULL(strstr(f->diagnostic, "Empf\xc3\xa4nger"));
    sx_reader_free(r);

    /* A sequence cut by the line end: a "?", the rest intact. */
    r = feed(broken, sizeof(broken) - 1, 0);
    CU_ASSERT_EQUAL_FATAL(sx_reader_count(r), 1);
    f = sx_reader_finding(r, 0);
    CU_ASSERT_EQUAL(f->replycode, 550);
    CU_ASSERT_PTR_NOT_NULL(strstr(f->diagnostic, "5.1.1 ?"));
    sx_reader_free(r);
}

static CU_TestInfo tests[] = {
    {"charsets", test_charsets},
    {"fuzzer regressions", test_regressions},
    {"DSN in chunks and line ends", test_dsn_chunks_and_line_ends},
    {"header by header", test_header_by_header},
    {"base64 and QP parts", test_encoded_parts},
    {"ordinary mail", test_not_a_bounce},
    {"delay notice of a phrase row", test_delay_notice},
    {"hostile input", test_hostile},
    CU_TEST_INFO_NULL,
};

SX_SUITE(reader, tests, 0, 0)
