/*
 * test_annotate.c - the explanation in the report's text: only the
 * text part changes, in its own encoding; the delivery-status part and
 * the returned message stay byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/annotate.h>
#include <smtp-explain/config.h>
#include <smtp-explain/lang.h>
#include <smtp-explain/reader.h>
#include <smtp-explain/render.h>
#include <smtp-explain/report.h>

#include <smtp-explain/date.h>
#include "unit.h"

SX_UNIT_DEFAULT_REGISTRY

/* The report's tail: delivery-status part and returned message. */
#define DSN_TAIL \
    "--B1\r\n" \
    "Content-Type: message/delivery-status\r\n" \
    "\r\n" \
    "Reporting-MTA: dns; mx.example.net\r\n" \
    "Arrival-Date: Mon, 23 Nov 2026 09:59:58 +0000\r\n" \
    "\r\n" \
    "Final-Recipient: rfc822; bob@example.org\r\n" \
    "Action: failed\r\n" \
    "Status: 5.1.1\r\n" \
    "Diagnostic-Code: smtp; 550 5.1.1 no such user\r\n" \
    "Last-Attempt-Date: Mon, 23 Nov 2026 10:00:01 +0000\r\n" \
    "\r\n" \
    "Final-Recipient: rfc822; carol@example.com\r\n" \
    "Action: delayed\r\n" \
    "Status: 4.2.2\r\n" \
    "Diagnostic-Code: smtp; 452 4.2.2 Mailbox full\r\n" \
    "Will-Retry-Until: Mon, 30 Nov 2026 09:59:58 +0000\r\n" \
    "\r\n" \
    "--B1\r\n" \
    "Content-Type: message/rfc822\r\n" \
    "\r\n" \
    "From: alice@example.net\r\n" \
    "Message-ID: <m1@example.net>\r\n" \
    "Subject: lunch -- and =3D and =\r\n" \
    "\r\n" \
    "See you at noon.\r\n" \
    "--B1--\r\n"

#define DSN_HEAD(extra) \
    "From: MAILER-DAEMON@mx.example.net\r\n" \
    "To: alice@example.net\r\n" \
    extra \
    "Subject: Undelivered Mail Returned to Sender\r\n" \
    "MIME-Version: 1.0\r\n" \
    "Content-Type: multipart/report; report-type=delivery-status;\r\n" \
    "\tboundary=\"B1\"\r\n" \
    "\r\n" \
    "This is a MIME-encapsulated message.\r\n" \
    "\r\n"

static const char plain_7bit[] = DSN_HEAD("")
"--B1\r\n"
"Content-Description: Notification\r\n"
"Content-Type: text/plain; charset=us-ascii\r\n"
"\r\n"
"This is the mail system at host mx.example.net.\r\n"
"\r\n" DSN_TAIL;

static const char plain_qp[] = DSN_HEAD("")
"--B1\r\n"
"Content-Type: text/plain; charset=utf-8\r\n"
"Content-Transfer-Encoding: quoted-printable\r\n"
"\r\n"
"Der Server =C3=BCbergibt die Nachricht nicht.\r\n" DSN_TAIL;

/* "Delivery failed.\r\n" in base64 */
static const char plain_b64[] = DSN_HEAD("")
"--B1\r\n"
"Content-Type: text/plain; charset=utf-8\r\n"
"Content-Transfer-Encoding: base64\r\n"
"\r\n"
"RGVsaXZlcnkgZmFpbGVkLg0K\r\n" DSN_TAIL;

static const char alternative[] = DSN_HEAD("")
"--B1\r\n"
"Content-Type: multipart/alternative; boundary=\"A2\"\r\n"
"\r\n"
"--A2\r\n"
"Content-Type: text/plain; charset=us-ascii\r\n"
"\r\n"
"Delivery failed.\r\n"
"--A2\r\n"
"Content-Type: text/html; charset=us-ascii\r\n"
"Content-Transfer-Encoding: quoted-printable\r\n"
"\r\n"
"<html><head><title>x</title></head><body class=3D\"n\"><p>Delivery failed.=\r\n"
"</p></body></html>\r\n"
"--A2--\r\n"
"\r\n" DSN_TAIL;

static const char signed_dsn[] =
"DKIM-Signature: v=1; a=rsa-sha256; d=example.net; s=s1; bh=x; b=y\r\n"
DSN_HEAD("")
"--B1\r\n"
"Content-Type: text/plain; charset=us-ascii\r\n"
"\r\n"
"Delivery failed.\r\n" DSN_TAIL;

/* A bounce that is not multipart (the qmail form). */
static const char qmail[] =
"From: MAILER-DAEMON@mx.example.net\r\n"
"To: alice@example.net\r\n"
"Subject: failure notice\r\n"
"\r\n"
"Hi. This is the qmail-send program at mx.example.net.\r\n"
"I'm afraid I wasn't able to deliver your message to the following addresses.\r\n"
"This is a permanent error; I've given up. Sorry it didn't work out.\r\n"
"\r\n"
"<bob@example.org>:\r\n"
"192.0.2.1 does not like recipient.\r\n"
"Remote host said: 550 5.1.1 <bob@example.org>: Recipient address rejected: "
"User unknown\r\n"
"Giving up on 192.0.2.1.\r\n"
"\r\n"
"--- Below this line is a copy of the message.\r\n"
"\r\n"
"Subject: lunch\r\n"
"\r\n"
"See you.\r\n";

/* Read a message, explain it, annotate it. */
struct run {
    struct sx_reader *r;
    struct sx_report rep;
    struct sx_annotate_out out;
};

static void run(struct run *x, const char *msg, size_t len,
		        const struct sx_annotate_opts *o)
{
    memset(x, 0, sizeof(*x));
    x->r = sx_reader_new(0);
    CU_ASSERT_FATAL(x->r != 0);
    CU_ASSERT(sx_reader_push(x->r, msg, len) == SX_OK);
    CU_ASSERT(sx_reader_finish(x->r) == SX_OK);
    CU_ASSERT_FATAL(sx_report_build(&x->rep, reg, x->r, 0, 0) == SX_OK);
    CU_ASSERT_FATAL(sx_annotate(msg, len, &x->rep, o, &x->out) == SX_OK);
}

static void done(struct run *x)
{
    sx_annotate_free(&x->out);
    sx_report_free(&x->rep);
    sx_reader_free(x->r);
}

/* The bytes from the first occurrence of what, to the end. */
static const char *tail_of(const char *s, size_t len, const char *what)
{
    size_t  n = strlen(what), i;

    for (i = 0; i + n <= len; i++)
	if (memcmp(s + i, what, n) == 0)
	    return (s + i);
    return (0);
}

/* The header, the delivery-status part and the returned message. */
static void check_kept(const char *in, size_t inlen, const struct run *x)
{
    const char *a, *b;
    const char *mark = "--B1\r\nContent-Type: message/delivery-status";

    CU_ASSERT_FATAL(x->out.data != 0);
    CU_ASSERT(x->out.body == (size_t) (strstr(in, "\r\n\r\n") + 4 - in));
    CU_ASSERT(memcmp(x->out.data, in, x->out.body) == 0);
    a = tail_of(in, inlen, mark);
    b = tail_of(x->out.data, x->out.len, mark);
    CU_ASSERT_FATAL(a != 0 && b != 0);
    CU_ASSERT(inlen - (size_t) (a - in) == x->out.len - (size_t) (b - x->out.data));
    CU_ASSERT(memcmp(a, b, inlen - (size_t) (a - in)) == 0);
}

/* The output read again gives the same findings. */
static void check_same_findings(const struct run *x)
{
    struct sx_reader *r = sx_reader_new(0);
    size_t  i;

    CU_ASSERT_FATAL(r != 0);
    (void) sx_reader_push(r, x->out.data, x->out.len);
    (void) sx_reader_finish(r);
    CU_ASSERT_EQUAL(sx_reader_count(r), sx_reader_count(x->r));
    for (i = 0; i < sx_reader_count(r) && i < sx_reader_count(x->r); i++) {
	const struct sx_finding *f = sx_reader_finding(r, i);
	const struct sx_finding *g = sx_reader_finding(x->r, i);

	CU_ASSERT_STRING_EQUAL(f->recipient, g->recipient);
	CU_ASSERT_STRING_EQUAL(f->status, g->status);
	CU_ASSERT_EQUAL(f->action, g->action);
	CU_ASSERT_EQUAL(f->replycode, g->replycode);
    }
    sx_reader_free(r);
}

/* The block's wrapped lines joined again: "\n  " becomes " ". */
static void unwrap(char *s)
{
    char   *w = s, *r = s;

    while (*r) {
	if (r[0] == '\n' && r[1] == ' ' && r[2] == ' ' && r[3] != '*') {
	    *w++ = ' ';
	    r += 3;
	} else {
	    *w++ = *r++;
	}
    }
    *w = 0;
}

static void test_block(void)
{
    struct run x;
    char    buf[SX_ANNOTATE_BLOCK_MAX];
    size_t  n;

    run(&x, plain_7bit, sizeof(plain_7bit) - 1, 0);
    n = sx_annotate_block(&x.rep, 0, "\n", buf, sizeof(buf));
    CU_ASSERT(n > 0 && n == strlen(buf));
    CU_ASSERT(strncmp(buf, SX_ANNOTATE_MARK, strlen(SX_ANNOTATE_MARK)) == 0);
    CU_ASSERT(strstr(buf, "* bob@example.org: ") != 0);
    CU_ASSERT(strstr(buf, "* carol@example.com: ") != 0);
    CU_ASSERT(strstr(buf, "Who must act: you, the sender.") != 0);
    unwrap(buf);
    CU_ASSERT(strstr(buf, "keeps trying until Mon, 30 Nov 2026 09:59:58 +0000.")
	      != 0);
    CU_ASSERT(strstr(buf, "stopped trying (last attempt: Mon, 23 Nov 2026 "
		     "10:00:01 +0000).") != 0);
    CU_ASSERT(strstr(buf, "Mon, 23 Nov 2026 09:59:58 +0000") != 0);
    CU_ASSERT(strstr(buf, "\n--") == 0);	/* no line like a boundary */
    /* Bounded by the buffer, always terminated. */
    n = sx_annotate_block(&x.rep, 0, "\n", buf, 40);
    CU_ASSERT(n == 39 && buf[39] == 0);
    done(&x);
}

/*
 * A fixed report that uses every word of the block: the arrival date,
 * each "who", each way the sending server goes on or stops, a recipient
 * not named, a help link and more recipients than the block names.
 */
#define WORDS_N (SX_ANNOTATE_FINDINGS + 2)

struct words_report {
    struct sx_message msg;
    struct sx_finding f[WORDS_N];
    struct sx_report_item item[WORDS_N];
    struct sx_report rep;
};

static void words_report(struct words_report *w)
{
    static const struct {
	const char *rcpt;
	enum sx_action action;
	const char *status;
	int     code;
	const char *until;		/* Will-Retry-Until */
	const char *about;		/* a computed retry date */
	const char *last;		/* Last-Attempt-Date */
	enum sx_who who;
    }       rows[] = {
	{"bob@example.org", SX_ACTION_FAILED, "5.1.1", 550, "", "",
	"Mon, 23 Nov 2026 10:00:01 +0000", SX_WHO_SENDER},
	{"carol@example.com", SX_ACTION_DELAYED, "4.2.2", 452,
	"Mon, 30 Nov 2026 09:59:58 +0000", "", "", SX_WHO_NONE},
	{"dave@example.com", SX_ACTION_DELAYED, "4.4.1", 421, "",
	"Sat, 28 Nov 2026 09:59:58 +0000", "", SX_WHO_SENDER_ADMIN},
	{"erin@example.com", SX_ACTION_DELAYED, "4.4.1", 421, "", "", "",
	SX_WHO_RECIPIENT},
	{"", SX_ACTION_FAILED, "5.7.1", 550, "", "", "", SX_WHO_RECIPIENT_ADMIN},
    };
    size_t  i, r;

    memset(w, 0, sizeof(*w));
    strcpy(w->msg.arrival_date, "Mon, 23 Nov 2026 09:59:58 +0000");
    for (i = 0; i < WORDS_N; i++) {
	r = i < sizeof(rows) / sizeof(rows[0]) ? i : 0;
	w->f[i].kind = SX_KIND_DSN;
	w->f[i].action = rows[r].action;
	w->f[i].replycode = rows[r].code;
	strcpy(w->f[i].status, rows[r].status);
	if (r == i)
	    strcpy(w->f[i].recipient, rows[r].rcpt);
	else
	    (void) snprintf(w->f[i].recipient, sizeof(w->f[i].recipient),
			    "r%zu@example.net", i);
	strcpy(w->f[i].retry_until, rows[r].until);
	strcpy(w->f[i].last_attempt, rows[r].last);
	w->item[i].finding = w->f + i;
	sx_explain(reg, w->f + i, &w->item[i].ex);
	w->item[i].ex.who = rows[r].who;
	if (*rows[r].about)
	    w->item[i].ex.retry_until = rows[r].about;
    }
    w->rep.msg = &w->msg;
    w->rep.items = w->item;
    w->rep.count = WORDS_N;
}

/*
 * The block in each built-in language, byte for byte as the words of
 * the block wrote it when they were still C (fixtures/block/LANG.txt).
 */
static void test_block_words(void)
{
    static const char *const langs[] = {"en", "de", "fr", "es"};
    struct sx_errors errs;
    struct sx_langs *all;
    struct words_report w;
    struct sx_annotate_opts o = {.help_url = "https://help.example/%{status}"};
    char    buf[SX_ANNOTATE_BLOCK_MAX], path[64], *want;
    size_t  i, n, len;

    memset(&errs, 0, sizeof(errs));
    all = sx_langs_embedded(0, &errs);
    CU_ASSERT_FATAL(all != 0);
    words_report(&w);
    o.langs = all;
    for (i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
	o.lang = langs[i];
	n = sx_annotate_block(&w.rep, &o, "\n", buf, sizeof(buf));
	(void) snprintf(path, sizeof(path), "fixtures/block/%s.txt", langs[i]);
	want = sx_unit_slurp(path, &len);
	CU_ASSERT_FATAL(want != 0);
	CU_ASSERT_EQUAL(n, len);
	CU_ASSERT(n == len && memcmp(buf, want, n) == 0);
	free(want);
    }
    sx_langs_free(all);
}

static void test_plain(void)
{
    struct run x;
    const char *p;

    run(&x, plain_7bit, sizeof(plain_7bit) - 1, 0);
    CU_ASSERT_PTR_NULL(x.out.why);
    check_kept(plain_7bit, sizeof(plain_7bit) - 1, &x);
    p = strstr(x.out.data, "charset=us-ascii\r\n\r\n");
    CU_ASSERT_FATAL(p != 0);
    p += strlen("charset=us-ascii\r\n\r\n");
    CU_ASSERT(strncmp(p, SX_ANNOTATE_MARK, strlen(SX_ANNOTATE_MARK)) == 0);
    CU_ASSERT(strstr(p, "\r\n\r\nThis is the mail system") != 0);
    /* Line ends of the message, and no bare LF. */
    for (p = x.out.data; (p = strchr(p, '\n')) != 0; p++)
	CU_ASSERT(p > x.out.data && p[-1] == '\r');
    check_same_findings(&x);
    done(&x);
}

static void test_again(void)
{
    struct run x, y;

    run(&x, plain_7bit, sizeof(plain_7bit) - 1, 0);
    CU_ASSERT_FATAL(x.out.data != 0);
    run(&y, x.out.data, x.out.len, 0);
    CU_ASSERT_PTR_NULL(y.out.data);
    CU_ASSERT_STRING_EQUAL(y.out.why, "already annotated");
    done(&y);
    done(&x);
}

static void test_qp(void)
{
    struct run x;
    const char *p;

    run(&x, plain_qp, sizeof(plain_qp) - 1, 0);
    check_kept(plain_qp, sizeof(plain_qp) - 1, &x);
    p = strstr(x.out.data, "quoted-printable\r\n\r\n" SX_ANNOTATE_MARK);
    CU_ASSERT(p != 0);
    /* The original text follows as it was encoded. */
    CU_ASSERT(strstr(x.out.data, "\r\nDer Server =C3=BCbergibt die Nachricht "
		     "nicht.\r\n--B1") != 0);
    /* Every QP line within 76 columns. */
    if (p != 0) {
	const char *e = strstr(p, "--B1");
	const char *l = p;

	while (l < e) {
	    const char *nl = strstr(l, "\r\n");

	    CU_ASSERT(nl != 0 && nl - l <= 76);
	    if (nl == 0)
		break;
	    l = nl + 2;
	}
    }
    check_same_findings(&x);
    done(&x);
}

static size_t b64_decode(const char *s, char *out, size_t size)
{
    static const char al[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned long acc = 0;
    int     bits = 0;
    size_t  n = 0;
    const char *p;

    for (; *s && *s != '=' && *s != '-'; s++) {
	if ((p = strchr(al, *s)) == 0 || *s == 0)
	    continue;
	acc = (acc << 6) | (unsigned long) (p - al);
	if ((bits += 6) >= 8 && n + 1 < size) {
	    bits -= 8;
	    out[n++] = (char) ((acc >> bits) & 0xff);
	}
    }
    out[n] = 0;
    return (n);
}

static void test_base64(void)
{
    struct run x;
    const char *p;
    char    text[SX_ANNOTATE_BLOCK_MAX + 256];
    size_t  n;

    run(&x, plain_b64, sizeof(plain_b64) - 1, 0);
    check_kept(plain_b64, sizeof(plain_b64) - 1, &x);
    p = strstr(x.out.data, "base64\r\n\r\n");
    CU_ASSERT_FATAL(p != 0);
    n = b64_decode(p + 10, text, sizeof(text));
    CU_ASSERT(n > 14 && memcmp(text, SX_ANNOTATE_MARK, strlen(SX_ANNOTATE_MARK)) == 0);
    CU_ASSERT(n > 18 && strcmp(text + n - 18, "Delivery failed.\r\n") == 0);
    CU_ASSERT(strstr(text, "\r\n* bob@example.org: ") != 0);
    check_same_findings(&x);
    done(&x);
}

static void test_alternative(void)
{
    struct run x;
    const char *p, *h;

    run(&x, alternative, sizeof(alternative) - 1, 0);
    check_kept(alternative, sizeof(alternative) - 1, &x);
    p = strstr(x.out.data, "charset=us-ascii\r\n\r\n" SX_ANNOTATE_MARK);
    CU_ASSERT(p != 0);
    h = strstr(x.out.data, "<body class=3D\"n\">");
    CU_ASSERT_FATAL(h != 0);
    h += strlen("<body class=3D\"n\">");
    CU_ASSERT(strncmp(h, "<div class=3D\"smtp-exp", 22) == 0);
    CU_ASSERT(strstr(x.out.data, "<p>Delivery failed.") != 0);
    CU_ASSERT(strstr(x.out.data, "--A2--\r\n") != 0);
    check_same_findings(&x);
    done(&x);
}

static void test_html_escape(void)
{
    static const char msg[] =
    "From: MAILER-DAEMON@x\r\nContent-Type: multipart/report; boundary=B\r\n\r\n"
    "--B\r\nContent-Type: text/html\r\n\r\n<body><p>failed</p></body>\r\n"
    "--B\r\nContent-Type: message/delivery-status\r\n\r\nx\r\n--B--\r\n";
    struct sx_finding f;
    struct sx_report_item item;
    struct sx_report rep;
    struct sx_annotate_out out;

    memset(&f, 0, sizeof(f));
    f.kind = SX_KIND_DSN;
    f.action = SX_ACTION_FAILED;
    f.replycode = 550;
    strcpy(f.status, "5.1.1");
    strcpy(f.recipient, "a&b<script>@example.org");
    sx_unit_report_one(reg, &f, &item, &rep);
    /* The first part is HTML alone: it is not the plain text wanted. */
    CU_ASSERT(sx_annotate(msg, sizeof(msg) - 1, &rep, 0, &out) == SX_OK);
    CU_ASSERT_PTR_NULL(out.data);
    CU_ASSERT_STRING_EQUAL(out.why, "the first part is not text");
    {
	static const char alt[] =
	"Content-Type: multipart/report; boundary=B\r\n\r\n"
	"--B\r\nContent-Type: multipart/alternative; boundary=C\r\n\r\n"
	"--C\r\nContent-Type: text/html\r\n\r\n<body><p>failed</p></body>\r\n"
	"--C--\r\n--B--\r\n";

	CU_ASSERT(sx_annotate(alt, sizeof(alt) - 1, &rep, 0, &out) == SX_OK);
	CU_ASSERT_FATAL(out.data != 0);
	CU_ASSERT(strstr(out.data, "a&amp;b&lt;script&gt;@example.org") != 0);
	CU_ASSERT(strstr(out.data, "<script>") == 0);
	sx_annotate_free(&out);
    }
}

static void test_utf8(void)
{
    struct sx_finding f;
    struct sx_report_item item;
    struct sx_report rep;
    struct sx_annotate_out out;
    static const char top[] =
    "From: MAILER-DAEMON@x\r\nContent-Type: text/plain\r\n\r\nfailed\r\n";

    memset(&f, 0, sizeof(f));
    f.kind = SX_KIND_DSN;
    f.action = SX_ACTION_FAILED;
    f.replycode = 550;
    strcpy(f.recipient, "j\xc3\xb6rg@example.de");
    sx_unit_report_one(reg, &f, &item, &rep);

    /* A US-ASCII 7bit part becomes UTF-8 quoted-printable. */
    CU_ASSERT(sx_annotate(plain_7bit, sizeof(plain_7bit) - 1, &rep, 0, &out) == SX_OK);
    CU_ASSERT_FATAL(out.data != 0);
    CU_ASSERT(strstr(out.data, "Content-Description: Notification\r\n"
		     "Content-Type: text/plain; charset=utf-8\r\n"
		     "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
		     SX_ANNOTATE_MARK) != 0);
    CU_ASSERT(strstr(out.data, "* j=C3=B6rg@example.de: ") != 0);
    CU_ASSERT(strstr(out.data, "charset=us-ascii") == 0);
    sx_annotate_free(&out);

    /* The message's own header may not change. */
    CU_ASSERT(sx_annotate(top, sizeof(top) - 1, &rep, 0, &out) == SX_OK);
    CU_ASSERT_PTR_NULL(out.data);
    CU_ASSERT_STRING_EQUAL(out.why, "the message's own header would have to change");
}

static void test_signed(void)
{
    struct run x;
    struct sx_annotate_opts o = {.max = 0, .signed_ok = 1};

    run(&x, signed_dsn, sizeof(signed_dsn) - 1, 0);
    CU_ASSERT_PTR_NULL(x.out.data);
    CU_ASSERT_STRING_EQUAL(x.out.why, "signed (DKIM-Signature)");
    done(&x);
    run(&x, signed_dsn, sizeof(signed_dsn) - 1, &o);
    CU_ASSERT(x.out.data != 0);
    done(&x);
}

static void test_size(void)
{
    struct run x;
    struct sx_annotate_opts o = {.max = sizeof(plain_7bit) - 2};

    run(&x, plain_7bit, sizeof(plain_7bit) - 1, &o);
    CU_ASSERT_PTR_NULL(x.out.data);
    CU_ASSERT_STRING_EQUAL(x.out.why, "larger than the size limit");
    done(&x);
    o.max = sizeof(plain_7bit) - 1;
    run(&x, plain_7bit, sizeof(plain_7bit) - 1, &o);
    CU_ASSERT(x.out.data != 0);
    done(&x);
}

static void test_single_part(void)
{
    struct run x;
    size_t  hl = (size_t) (strstr(qmail, "\r\n\r\n") + 4 - qmail);

    run(&x, qmail, sizeof(qmail) - 1, 0);
    CU_ASSERT_FATAL(sx_reader_count(x.r) == 1);
    CU_ASSERT_FATAL(x.out.data != 0);
    CU_ASSERT(x.out.body == hl);
    CU_ASSERT(memcmp(x.out.data, qmail, hl) == 0);
    CU_ASSERT(x.out.len > hl + 14 && memcmp(x.out.data + hl, SX_ANNOTATE_MARK,
					    strlen(SX_ANNOTATE_MARK)) == 0);
    /* The old text follows whole. */
    CU_ASSERT(x.out.len > sizeof(qmail) - 1 - hl);
    CU_ASSERT(memcmp(x.out.data + x.out.len - (sizeof(qmail) - 1 - hl), qmail + hl,
		     sizeof(qmail) - 1 - hl) == 0);
    check_same_findings(&x);
    done(&x);
}

static void test_nothing(void)
{
    static const char msg[] = "From: a@example.org\r\nSubject: hi\r\n\r\nhello\r\n";
    struct run x;

    run(&x, msg, sizeof(msg) - 1, 0);
    CU_ASSERT_PTR_NULL(x.out.data);
    CU_ASSERT_STRING_EQUAL(x.out.why, "nothing failed or waits");
    done(&x);
}

/* SPF/DKIM: the sender's advice in the block, both in the header. */
static void test_audiences(void)
{
    struct sx_finding f;
    struct sx_report_item item;
    struct sx_report rep;
    struct sx_render_opts ro = {.authserv_id = "mx.example.net", .fold = "\n\t",
    .with_text = 1};
    char    buf[SX_ANNOTATE_BLOCK_MAX], hdr[SX_RENDER_MIN * 2];

    memset(&f, 0, sizeof(f));
    f.kind = SX_KIND_DSN;
    f.action = SX_ACTION_FAILED;
    f.replycode = 550;
    strcpy(f.status, "5.7.26");
    strcpy(f.recipient, "bob@example.org");
    strcpy(f.remote_mta, "mx.example.org");
    memset(&item, 0, sizeof(item));
    item.finding = &f;
    sx_explain(reg, &f, &item.ex);
    CU_ASSERT_FATAL(item.ex.action_admin != 0 && item.ex.action_admin[0] != 0);
    CU_ASSERT(strcmp(item.ex.action, item.ex.action_admin) != 0);
    memset(&rep, 0, sizeof(rep));
    rep.items = &item;
    rep.count = 1;
    CU_ASSERT(sx_annotate_block(&rep, 0, "\n", buf, sizeof(buf)) > 0);
    unwrap(buf);
    CU_ASSERT(strstr(buf, item.ex.action) != 0);
    CU_ASSERT(strstr(buf, item.ex.action_admin) == 0);	/* not in the block */
    CU_ASSERT(sx_render_header(&ro, &f, &item.ex, 0, 1, hdr, sizeof(hdr)) > 0);
    CU_ASSERT(strstr(hdr, "advice=\"") != 0);
    CU_ASSERT(strstr(hdr, "advice-admin=\"") != 0);
    /* A code without an admin's advice has no such item. */
    strcpy(f.status, "5.1.1");
    sx_explain(reg, &f, &item.ex);
    CU_ASSERT_STRING_EQUAL(item.ex.action_admin, "");
    CU_ASSERT(sx_render_header(&ro, &f, &item.ex, 0, 1, hdr, sizeof(hdr)) > 0);
    CU_ASSERT(strstr(hdr, "advice-admin") == 0);
}

/* Will-Retry-Until in the header people read, not in the trusted one. */
static void test_retry_until(void)
{
    struct run x;
    struct sx_render_opts ro = {.authserv_id = "mx.example.net", .fold = "\n\t"};
    char    hdr[SX_RENDER_MIN * 2];

    run(&x, plain_7bit, sizeof(plain_7bit) - 1, 0);
    CU_ASSERT_FATAL(x.rep.count == 2);
    CU_ASSERT_STRING_EQUAL(x.rep.items[1].finding->retry_until,
			   "Mon, 30 Nov 2026 09:59:58 +0000");
    CU_ASSERT_STRING_EQUAL(x.rep.items[0].finding->last_attempt,
			   "Mon, 23 Nov 2026 10:00:01 +0000");
    CU_ASSERT_STRING_EQUAL(x.rep.msg->arrival_date, "Mon, 23 Nov 2026 09:59:58 +0000");
    CU_ASSERT(sx_render_header(&ro, x.rep.items[1].finding, &x.rep.items[1].ex, 1, 2,
			       hdr, sizeof(hdr)) > 0);
    CU_ASSERT(strstr(hdr, "retry-until=\"Mon, 30 Nov 2026 09:59:58 +0000\"") != 0);
    CU_ASSERT(sx_render_result(&ro, x.rep.items[1].finding, &x.rep.items[1].ex, 1, 2,
			       hdr, sizeof(hdr)) > 0);
    CU_ASSERT(strstr(hdr, "retry-until") == 0);
    done(&x);
}

/* A delay report; arrival: the per-message Arrival-Date line, or "". */
static size_t delay_report(char *buf, size_t size, const char *arrival,
			           const char *until)
{
    int     n = snprintf(buf, size, DSN_HEAD("")
			 "--B1\r\n"
			 "Content-Type: text/plain; charset=us-ascii\r\n"
			 "\r\n"
			 "Delivery to the following recipient has been delayed.\r\n"
			 "\r\n"
			 "--B1\r\n"
			 "Content-Type: message/delivery-status\r\n"
			 "\r\n"
			 "Reporting-MTA: dns; mx.example.net\r\n"
			 "%s"
			 "\r\n"
			 "Final-Recipient: rfc822; carol@example.com\r\n"
			 "Action: delayed\r\n"
			 "Status: 4.4.1\r\n"
			 "Diagnostic-Code: smtp; 421 4.4.1 try again later\r\n"
			 "%s"
			 "\r\n"
			 "Final-Recipient: rfc822; bob@example.org\r\n"
			 "Action: failed\r\n"
			 "Status: 5.1.1\r\n"
			 "Diagnostic-Code: smtp; 550 5.1.1 no such user\r\n"
			 "\r\n"
			 "--B1--\r\n", arrival, until);

    CU_ASSERT_FATAL(n > 0 && (size_t) n < size);
    return ((size_t) n);
}

/* Adding to a date, in its own zone; what is not a date, refused. */
static void test_date_add(void)
{
    static const struct {
	const char *in;
	unsigned add;
	const char *out;		/* NULL: refused */
    } cases[] = {
	{"Mon, 23 Nov 2026 09:59:58 +0000", 5 * 86400,
	"Sat, 28 Nov 2026 09:59:58 +0000"},
	/* Postfix's Arrival-Date, and the Will-Retry-Until it wrote. */
	{"Sun,  6 Dec 2026 01:37:06 +0000 (UTC)", 5 * 86400,
	"Fri, 11 Dec 2026 01:37:06 +0000"},
	{"Thu, 31 Dec 2026 23:30:00 -0500", 3600,
	"Fri, 1 Jan 2027 00:30:00 -0500"},
	{"28 Feb 2028 12:00 +0100", 86400, "Tue, 29 Feb 2028 12:00:00 +0100"},
	{"28 Feb 2027 12:00 +0100", 86400, "Mon, 1 Mar 2027 12:00:00 +0100"},
	{"Tue, 10 Mar 2026 09:13:58 EST", 60, "Tue, 10 Mar 2026 09:14:58 -0500"},
	{"Tue, 10 Mar 2026 09:13:58 gmt", 0, "Tue, 10 Mar 2026 09:13:58 +0000"},
	{"Tue, 10 Mar 2026 09:13:58 Z", 0, "Tue, 10 Mar 2026 09:13:58 -0000"},
	{"Tue, 10 Mar 2026 09:13:58 -0000", 0, "Tue, 10 Mar 2026 09:13:58 -0000"},
	{"10 Mar 26 09:13 +0530", 8640000, "Thu, 18 Jun 2026 09:13:00 +0530"},
	{"Tue , 10 (x) Mar 2026 09 : 13 : 58 +0100", 0,
	"Tue, 10 Mar 2026 09:13:58 +0100"},
	{"yesterday", 86400, 0},
	{"", 86400, 0},
	{"Tue, 32 Mar 2026 09:13:58 +0100", 0, 0},
	{"Tue, 29 Feb 2027 09:13:58 +0100", 0, 0},
	{"Tue, 10 Foo 2026 09:13:58 +0100", 0, 0},
	{"Tue, 10 March 2026 09:13:58 +0100", 0, 0},
	{"Tue, 10 Mar 2026 25:13:58 +0100", 0, 0},
	/* No zone: no information, "-0000". */
	{"Tue, 10 Mar 2026 09:13:58", 0, "Tue, 10 Mar 2026 09:13:58 -0000"},
	{"Tue, 010 Mar 2026 09:13:58 +0100", 0, "Tue, 10 Mar 2026 09:13:58 +0100"},
	{"Tue, 10 Mar 2026 09:13:58 +01", 0, 0},
	{"Tue, 10 Mar 2026 09:13:58 +0160", 0, 0},
	{"Tue, 10 Mar 12026 09:13:58 +0100", 0, 0},
	{"Tue, 10 Mar 1800 09:13:58 +0100", 0, 0},
	{"Tue, 123 Mar 2026 09:13:58 +0100", 0, 0},
	/* Past the year 9999: refused, not wrapped. */
	{"Fri, 31 Dec 9999 23:00:00 +0000", 3600, 0},
	{"Fri, 31 Dec 9999 22:59:59 +0000", 3600, "Fri, 31 Dec 9999 23:59:59 +0000"},
    };
    char    out[SX_DATE_MAX];
    size_t  i;
    int     ok;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	ok = sx_date_add(cases[i].in, cases[i].add, out, sizeof(out));
	if (ok != (cases[i].out != 0)
	    || (ok && strcmp(out, cases[i].out) != 0))
	    fprintf(stderr, "\n%s + %u: \"%s\"", cases[i].in, cases[i].add, out);
	CU_ASSERT_EQUAL(ok, cases[i].out != 0);
	CU_ASSERT_STRING_EQUAL(out, cases[i].out ? cases[i].out : "");
    }
    /* Too small a buffer: refused, and "". */
    CU_ASSERT_EQUAL(sx_date_add("Mon, 23 Nov 2026 09:59:58 +0000", 0, out, 20), 0);
    CU_ASSERT_STRING_EQUAL(out, "");
    CU_ASSERT_EQUAL(sx_date_add(0, 0, out, sizeof(out)), 0);
}

/* Durations as Postfix writes them; at most 100 days. */
static void test_duration(void)
{
    static const struct {
	const char *in;
	int     ok;
	unsigned seconds;
    } cases[] = {
	{"5d", 1, 432000}, {"120h", 1, 432000}, {"30m", 1, 1800},
	{"3600s", 1, 3600}, {"2w", 1, 1209600}, {"7", 1, 604800},
	{"", 1, 0}, {"0", 1, 0}, {"100d", 1, 8640000}, {"8640000s", 1, 8640000},
	{"101d", 0, 0}, {"15w", 0, 0}, {"8640001s", 0, 0},
	{"99999999999999999999999d", 0, 0}, {"5x", 0, 0}, {"d", 0, 0},
	{"5dd", 0, 0}, {"-1", 0, 0}, {" 5d", 0, 0}, {"5 d", 0, 0},
    };
    unsigned seconds;
    size_t  i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	seconds = 12345;
	CU_ASSERT_EQUAL(sx_date_duration(cases[i].in, &seconds), cases[i].ok);
	if (cases[i].ok)
	    CU_ASSERT_EQUAL(seconds, cases[i].seconds);
    }
}

/* queue_lifetime: only for a delayed recipient without Will-Retry-Until. */
static void test_lifetime(void)
{
    struct sx_render_opts ro = {.authserv_id = "mx.example.net", .fold = "\n\t"};
    struct sx_annotate_opts ao = {.max = 1 << 20};
    char    msg[4096], hdr[SX_RENDER_MIN * 2], blk[SX_ANNOTATE_BLOCK_MAX];
    struct run x;
    size_t  len;

    len = delay_report(msg, sizeof(msg),
		       "Arrival-Date: Mon, 23 Nov 2026 09:59:58 +0100\r\n", "");
    run(&x, msg, len, &ao);
    CU_ASSERT_FATAL(x.rep.count == 2);
    CU_ASSERT_EQUAL(x.rep.items[0].finding->action, SX_ACTION_DELAYED);
    /* Unset, unreadable, zero: nothing. */
    CU_ASSERT_EQUAL(sx_report_lifetime(&x.rep, ""), 0);
    CU_ASSERT_EQUAL(sx_report_lifetime(&x.rep, "0"), 0);
    CU_ASSERT_EQUAL(sx_report_lifetime(&x.rep, "five days"), 0);
    CU_ASSERT_EQUAL(sx_report_lifetime(&x.rep, 0), 0);
    CU_ASSERT_STRING_EQUAL(x.rep.items[0].ex.retry_until, "");
    CU_ASSERT(sx_annotate_block(&x.rep, &ao, "\n", blk, sizeof(blk)) > 0);
    CU_ASSERT(strstr(blk, "the report does not say until when") != 0);
    /* Set: the delayed one gets a date, the failed one none. */
    CU_ASSERT_EQUAL(sx_report_lifetime(&x.rep, "5d"), 1);
    CU_ASSERT_STRING_EQUAL(x.rep.items[0].ex.retry_until,
			   "Sat, 28 Nov 2026 09:59:58 +0100");
    CU_ASSERT_EQUAL(x.rep.items[0].lifetime, 1);
    CU_ASSERT_STRING_EQUAL(x.rep.items[1].ex.retry_until, "");
    CU_ASSERT_STRING_EQUAL(x.rep.items[0].finding->retry_until, "");
    /* Once: a second call changes nothing. */
    CU_ASSERT_EQUAL(sx_report_lifetime(&x.rep, "1d"), 0);
    CU_ASSERT(sx_render_header(&ro, x.rep.items[0].finding, &x.rep.items[0].ex,
			       0, 2, hdr, sizeof(hdr)) > 0);
    CU_ASSERT(strstr(hdr, "retry-until=\"Sat, 28 Nov 2026 09:59:58 +0100\"") != 0);
    CU_ASSERT(sx_render_result(&ro, x.rep.items[0].finding, &x.rep.items[0].ex,
			       0, 2, hdr, sizeof(hdr)) > 0);
    CU_ASSERT(strstr(hdr, "retry-until") == 0);
    CU_ASSERT(sx_annotate_block(&x.rep, &ao, "\n", blk, sizeof(blk)) > 0);
    unwrap(blk);
    CU_ASSERT(strstr(blk, "keeps trying, probably until about Sat, 28 Nov 2026") != 0);
    CU_ASSERT(strstr(blk, "does not say until when") == 0);
    done(&x);

    /* The report's own Will-Retry-Until wins. */
    len = delay_report(msg, sizeof(msg),
		       "Arrival-Date: Mon, 23 Nov 2026 09:59:58 +0100\r\n",
		       "Will-Retry-Until: Wed, 25 Nov 2026 09:59:58 +0100\r\n");
    run(&x, msg, len, &ao);
    CU_ASSERT_FATAL(x.rep.count == 2);
    CU_ASSERT_EQUAL(sx_report_lifetime(&x.rep, "5d"), 0);
    CU_ASSERT_STRING_EQUAL(x.rep.items[0].ex.retry_until,
			   "Wed, 25 Nov 2026 09:59:58 +0100");
    CU_ASSERT(sx_annotate_block(&x.rep, &ao, "\n", blk, sizeof(blk)) > 0);
    CU_ASSERT(strstr(blk, "keeps trying until Wed, 25 Nov 2026") != 0);
    CU_ASSERT(strstr(blk, "probably") == 0);
    done(&x);

    /* No Arrival-Date, or one that is not a date: nothing. */
    len = delay_report(msg, sizeof(msg), "", "");
    run(&x, msg, len, &ao);
    CU_ASSERT_EQUAL(sx_report_lifetime(&x.rep, "5d"), 0);
    CU_ASSERT_STRING_EQUAL(x.rep.items[0].ex.retry_until, "");
    done(&x);
    len = delay_report(msg, sizeof(msg), "Arrival-Date: last Tuesday\r\n", "");
    run(&x, msg, len, &ao);
    CU_ASSERT_EQUAL(sx_report_lifetime(&x.rep, "5d"), 0);
    CU_ASSERT_STRING_EQUAL(x.rep.items[0].ex.retry_until, "");
    done(&x);
    /* A date the lifetime would carry past 9999: nothing either. */
    len = delay_report(msg, sizeof(msg),
		       "Arrival-Date: Fri, 31 Dec 9999 12:00:00 +0000\r\n", "");
    run(&x, msg, len, &ao);
    CU_ASSERT_EQUAL(sx_report_lifetime(&x.rep, "1d"), 0);
    CU_ASSERT_STRING_EQUAL(x.rep.items[0].ex.retry_until, "");
    done(&x);

    /* The block in German says so in its own words. */
    len = delay_report(msg, sizeof(msg),
		       "Arrival-Date: Mon, 23 Nov 2026 09:59:58 +0100\r\n", "");
    run(&x, msg, len, &ao);
    CU_ASSERT_EQUAL(sx_report_lifetime(&x.rep, "120h"), 1);
    ao.lang = "de";
    CU_ASSERT(sx_annotate_block(&x.rep, &ao, "\n", blk, sizeof(blk)) > 0);
    unwrap(blk);
    CU_ASSERT(strstr(blk, "vermutlich bis etwa Sat, 28 Nov 2026 09:59:58 +0100") != 0);
    done(&x);
}

/* A text part in another charset gets the block in that charset. */
static const char latin1_8bit[] = DSN_HEAD("")
"--B1\r\n"
"Content-Type: text/plain; charset=iso-8859-1\r\n"
"Content-Transfer-Encoding: 8bit\r\n"
"\r\n"
"Die Nachricht konnte nicht zugestellt werden (\xfc).\r\n" DSN_TAIL;

static const char latin1_qp[] = DSN_HEAD("")
"--B1\r\n"
"Content-Type: text/plain; charset=ISO-8859-1\r\n"
"Content-Transfer-Encoding: quoted-printable\r\n"
"\r\n"
"Die Nachricht konnte nicht zugestellt werden (=FC).\r\n" DSN_TAIL;

static const char jis_7bit[] = DSN_HEAD("")
"--B1\r\n"
"Content-Type: text/plain; charset=iso-2022-jp\r\n"
"Content-Transfer-Encoding: 7bit\r\n"
"\r\n"
"\x1b$B%a!<%k\x1b(B failed\r\n" DSN_TAIL;

static const char unknown_cs[] = DSN_HEAD("")
"--B1\r\n"
"Content-Type: text/plain; charset=x-no-such-charset\r\n"
"Content-Transfer-Encoding: 8bit\r\n"
"\r\n"
"failed\r\n" DSN_TAIL;

static void test_charsets(void)
{
    struct run x;
    struct sx_annotate_opts de = {.max = 1 << 20, .lang = "de"};
    const char *p;

    /* Latin-1, 8bit: the German block in Latin-1 bytes, the rest as it was. */
    run(&x, latin1_8bit, sizeof(latin1_8bit) - 1, &de);
    CU_ASSERT_FATAL(x.out.data != 0);
    CU_ASSERT(strstr(x.out.data, "Warum diese Nachricht zur\xfc" "ckkam") != 0);
    CU_ASSERT(strstr(x.out.data, "\xc3\xbc") == 0);
    CU_ASSERT(strstr(x.out.data, "charset=iso-8859-1\r\n") != 0);
    p = tail_of(x.out.data, x.out.len, "Die Nachricht konnte");
    CU_ASSERT(p != 0 && strncmp(p, "Die Nachricht konnte nicht zugestellt werden (\xfc).\r\n",
				41) == 0);
    done(&x);

    /* Latin-1, quoted-printable: the same, encoded. */
    run(&x, latin1_qp, sizeof(latin1_qp) - 1, &de);
    CU_ASSERT_FATAL(x.out.data != 0);
    CU_ASSERT(strstr(x.out.data, "Warum diese Nachricht zur=FCckkam") != 0);
    CU_ASSERT(strstr(x.out.data, "=C3=BC") == 0);
    CU_ASSERT(strstr(x.out.data, "zugestellt werden (=FC).\r\n") != 0);
    done(&x);

    /* ISO-2022-JP has no u-umlaut: the English block, in ASCII. */
    run(&x, jis_7bit, sizeof(jis_7bit) - 1, &de);
    CU_ASSERT_FATAL(x.out.data != 0);
    CU_ASSERT(strstr(x.out.data, SX_ANNOTATE_MARK " Why this message came back") != 0);
    CU_ASSERT(strstr(x.out.data, "Warum") == 0);
    CU_ASSERT(strstr(x.out.data, "\x1b$B%a!<%k\x1b(B failed\r\n") != 0);
    CU_ASSERT(strstr(x.out.data, "charset=iso-2022-jp\r\n") != 0);
    done(&x);

    /* A charset iconv does not know cannot carry an 8-bit block. */
    run(&x, unknown_cs, sizeof(unknown_cs) - 1, &de);
    CU_ASSERT_PTR_NULL(x.out.data);
    CU_ASSERT_STRING_EQUAL(x.out.why, "the text part's charset cannot carry the explanation");
    done(&x);

    /* In English the block is ASCII: any such charset takes it as it is. */
    run(&x, unknown_cs, sizeof(unknown_cs) - 1, 0);
    CU_ASSERT_FATAL(x.out.data != 0);
    CU_ASSERT(strstr(x.out.data, SX_ANNOTATE_MARK " Why this message came back") != 0);
    done(&x);
}

static CU_TestInfo tests[] = {
    {"the block: recipients, who, what, timing", test_block},
    {"the block's words in en, de, fr, es, byte for byte", test_block_words},
    {"7bit text part: block on top, the rest byte for byte", test_plain},
    {"a second pass changes nothing", test_again},
    {"quoted-printable part", test_qp},
    {"base64 part decoded and encoded again", test_base64},
    {"plain and HTML alternatives", test_alternative},
    {"HTML escaping", test_html_escape},
    {"8-bit block: UTF-8 and quoted-printable", test_utf8},
    {"parts in other charsets: the block in theirs, or in English", test_charsets},
    {"DKIM-signed reports left alone unless allowed", test_signed},
    {"size bound", test_size},
    {"single-part bounce: block above the text", test_single_part},
    {"nothing failed: unchanged", test_nothing},
    {"advice for the sender and for an admin", test_audiences},
    {"timing fields kept; retry-until in the header", test_retry_until},
    {"dates: Arrival-Date plus a lifetime", test_date_add},
    {"durations: queue_lifetime", test_duration},
    {"queue_lifetime: a date only where the report has none", test_lifetime},
    CU_TEST_INFO_NULL,
};

SX_SUITE(annotate, tests, reg_init, reg_fini)
