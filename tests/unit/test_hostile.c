/*
 * test_hostile.c - hostile input through the whole pipeline, run the
 * way the milter runs it: the reader (header by header, then the body
 * in chunks of 64 KB; and once more as one stream), sx_explain() for
 * every finding, the policy, and the header renderer.
 *
 * Whatever comes in, what goes out to the MTA must stay valid: every
 * X-SMTP-Explain value is 7-bit ASCII with no CR, no NUL and no LF
 * other than a fold (LF + WSP), every line within 998 bytes, the value
 * within SX_RENDER_MIN and the diagnostic within diag_max; every reply
 * text is one printable line of at most SX_REPLY_TEXT_MAX bytes with
 * '%' doubled and codes of the right class; a rewritten Subject and a
 * quarantine reason carry no control characters and keep their
 * bounds. The configurations are the embedded default
 * (sx_config_load(NULL)) and fixtures/hostile/, whose templates insert
 * every value a stranger controls.
 *
 * The cap of max_headers per message is applied by the milter, not the
 * core: the integration suite tests it through smtp-explain-milter -t.
 *
 * Memory: a 50 MB message is fed in 64 KB chunks while the heap is
 * sampled after every chunk; the reader's growth must stay under a cap
 * computed from its limits, not from the input.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <dirent.h>

#if defined(__SANITIZE_ADDRESS__)
#define HX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HX_ASAN 1
#endif
#endif
#ifdef HX_ASAN
/* From the sanitizer runtime; GCC ships no header declaring it. */
extern size_t __sanitizer_get_current_allocated_bytes(void);
#else
#include <malloc.h>
#endif

#include <smtp-explain/config.h>
#include <smtp-explain/explain.h>
#include <smtp-explain/finding.h>
#include <smtp-explain/policy.h>
#include <smtp-explain/reader.h>
#include <smtp-explain/report.h>
#include <smtp-explain/render.h>
#include <smtp-explain/reply.h>
#include <smtp-explain/text.h>

#include "../hostile/gen.h"
#include "unit.h"

#define HX_CHUNK 65536			/* what the milter gets per body call */
#define HX_LINE_MAX 998			/* RFC 5322 2.1.1 */
#define HX_MB (1024 * 1024)

/* Buffers: struct sxh_buf and its helpers, from tests/hostile/gen.h. */

/*
 * Test text names the bytes a C string cannot hold or a reader cannot
 * see: {NUL} {CR} {ESC} {DEL} {BEL} {L1} (a Latin-1 e-acute, invalid
 * UTF-8) {U8} (UTF-8 e-acute) {FF}.
 */
static void hx_put(struct sxh_buf *b, const char *s)
{
    static const struct {
	const char *name;
	const char *bytes;
	size_t  len;
    } tok[] = {
	{"{NUL}", "\0", 1}, {"{CR}", "\r", 1}, {"{ESC}", "\033", 1},
	{"{DEL}", "\177", 1}, {"{BEL}", "\007", 1}, {"{L1}", "\351", 1},
	{"{U8}", "\303\251", 2}, {"{FF}", "\377", 1},
    };
    size_t  i;

    while (*s) {
	for (i = 0; i < sizeof(tok) / sizeof(tok[0]); i++) {
	    size_t  n = strlen(tok[i].name);

	    if (strncmp(s, tok[i].name, n) == 0) {
		sxh_add(b, tok[i].bytes, tok[i].len);
		s += n;
		break;
	    }
	}
	if (i == sizeof(tok) / sizeof(tok[0]))
	    sxh_add(b, s++, 1);
    }
}

/* ---------------------------------------------------------------- configs */

static const struct hx_conf {
    const char *name;
    const char *path;			/* NULL: the embedded default */
    enum sx_policy_action action;	/* for a message with findings */
} hx_confs[] = {
    {"default", 0, SX_POLICY_ANNOTATE},
    {"reject", "fixtures/hostile/reject.conf", SX_POLICY_REJECT},
    {"defer", "fixtures/hostile/defer.conf", SX_POLICY_DEFER},
    {"rewrite", "fixtures/hostile/rewrite.conf", SX_POLICY_ANNOTATE},
    {"quarantine", "fixtures/hostile/quarantine.conf", SX_POLICY_QUARANTINE},
    {"session", "fixtures/hostile/session.conf", SX_POLICY_ANNOTATE},
    {"wide", "fixtures/hostile/wide.conf", SX_POLICY_ANNOTATE},
};

#define HX_NCONF (sizeof(hx_confs) / sizeof(hx_confs[0]))

static struct sx_config *hx_config[HX_NCONF];

static int hx_init(void)
{
    struct sx_errors errs;
    size_t  i, j;

    for (i = 0; i < HX_NCONF; i++) {
	memset(&errs, 0, sizeof(errs));
	if ((hx_config[i] = sx_config_load(hx_confs[i].path, &errs)) == 0) {
	    for (j = 0; j < errs.count && j < SX_ERRORS_MAX; j++)
		fprintf(stderr, "%s\n", errs.msg[j]);
	    return (1);
	}
    }
    return (0);
}

static int hx_fini(void)
{
    size_t  i;

    for (i = 0; i < HX_NCONF; i++) {
	sx_config_unref(hx_config[i]);
	hx_config[i] = 0;
    }
    return (0);
}

/* ---------------------------------------------------------------- checks */

/* What one run produced, for the cases that look further. */
struct hx_out {
    size_t  findings;
    size_t  dropped;
    size_t  headers;
    struct sxh_buf all;			/* every header value, for searches */
    struct sx_verdict verdict;
};

static size_t hx_failures;		/* to print the input once */

static void hx_fail(const char *what, const char *input, const char *v)
{
    CU_assertImplementation(CU_FALSE, __LINE__, what, __FILE__, "", CU_FALSE);
    if (hx_failures++ < 10)
	fprintf(stderr, "\n  %s (input %s): %.300s\n", what, input, v);
}

/* A control character other than TAB, or DEL. */
static int hx_ctl(unsigned char c)
{
    return ((c < 0x20 && c != '\t') || c == 0x7f);
}

static int hx_clean_field(const char *s, size_t size)
{
    size_t  n = strnlen(s, size);

    if (n == size)
	return (0);			/* not terminated */
    for (; *s; s++)
	if ((unsigned char) *s < 0x20 || *s == 0x7f)
	    return (0);
    return (1);
}

/* The reader's promise about findings (finding.h): safe, bounded text. */
static void hx_check_finding(const struct sx_finding *f, const char *input)
{
    if (!hx_clean_field(f->recipient, sizeof(f->recipient))
	|| !hx_clean_field(f->original_recipient, sizeof(f->original_recipient))
	|| !hx_clean_field(f->remote_mta, sizeof(f->remote_mta))
	|| !hx_clean_field(f->reporting_mta, sizeof(f->reporting_mta))
	|| !hx_clean_field(f->diagnostic, sizeof(f->diagnostic))
	|| !hx_clean_field(f->command, sizeof(f->command))
	|| !hx_clean_field(f->engine, sizeof(f->engine))
	|| !hx_clean_field(f->status, sizeof(f->status)))
	hx_fail("finding field with a control character", input, f->recipient);
    if (f->status[0] && !sx_status_valid(f->status, strlen(f->status)))
	hx_fail("finding with an invalid status", input, f->status);
    if (f->replycode != 0 && (f->replycode < 200 || f->replycode > 599))
	hx_fail("finding with an impossible reply code", input, f->status);
}

static void hx_check_message(const struct sx_message *m, const char *input)
{
    if (!hx_clean_field(m->subject, sizeof(m->subject))
	|| !hx_clean_field(m->from, sizeof(m->from))
	|| !hx_clean_field(m->reporting_mta, sizeof(m->reporting_mta))
	|| !hx_clean_field(m->orig_sender, sizeof(m->orig_sender))
	|| !hx_clean_field(m->orig_message_id, sizeof(m->orig_message_id))
	|| !hx_clean_field(m->orig_subject, sizeof(m->orig_subject))
	|| !hx_clean_field(m->engine, sizeof(m->engine)))
	hx_fail("message field with a control character", input, m->subject);
}

/*
 * Length of the diag item's text as written (escapes undone), or 0.
 * v is unfolded. Encoded-words make it longer than the text they hold.
 */
static size_t hx_diag_len(const char *v, int *encoded)
{
    const char *p = strstr(v, "; diag=");
    size_t  n = 0;

    *encoded = 0;
    if (p == 0)
	return (0);
    p += 7;
    if (*p != '"') {
	return (strcspn(p, ";"));
    }
    for (p++; *p && *p != '"'; p++, n++)
	if (*p == '\\' && p[1])
	    p++;
    *encoded = (strstr(v, "diag=\"=?utf-8?q?") != 0);
    return (n);
}

/*
 * What is wrong with one X-SMTP-Explain value as the milter hands it to
 * libmilter, or NULL: n is what the renderer returned, index/total what
 * it was told, rcpt the finding's recipient (a finding may have none:
 * an auto-reply whose From was unreadable).
 */
static const char *hx_header_problem(const char *v, int n, size_t index,
				             size_t total, const char *rcpt,
				             size_t diag_max)
{
    const unsigned char *p;
    size_t  col = strlen(SX_HEADER_NAME) + 2;
    const char *why = 0;
    char   *flat, *o;
    char    num[64];
    size_t  dlen;
    int     encoded;

    if (n < 0)
	return ("render refused a finding");
    if ((size_t) n != strlen(v) || (size_t) n >= SX_RENDER_MIN)
	return ("header length wrong or over SX_RENDER_MIN");
    for (p = (const unsigned char *) v; *p; p++) {
	if (*p == '\n') {
	    if (p[1] != ' ' && p[1] != '\t')
		return ("bare LF in a header (not a fold)");
	    col = 0;
	    continue;
	}
	if (*p == '\r' || *p > 0x7e || (*p < 0x20 && *p != '\t'))
	    return ("header byte not 7-bit printable");
	if (++col > HX_LINE_MAX)
	    return ("header line over 998 bytes");
    }
    if (n == 0 || v[n - 1] == ' ' || v[n - 1] == '\t')
	return ("header empty or ends in white space");

    /* A fold between items is EOL + TAB for a space; in text, EOL + SP. */
    if ((flat = malloc((size_t) n + 1)) == 0)
	abort();
    for (o = flat, p = (const unsigned char *) v; *p; p++)
	if (*p == '\n')
	    *o++ = ' ', p++;
	else
	    *o++ = (char) *p;
    *o = 0;
    (void) snprintf(num, sizeof(num), "; n=%zu/%zu;", index + 1, total);
    dlen = hx_diag_len(flat, &encoded);
    if (strncmp(flat, "mx.test; n=", 11) != 0)
	why = "header does not start with the authserv-id";
    else if (strstr(flat, num) == 0)
	why = "header n=I/N wrong";
    else if ((rcpt[0] && strstr(flat, "; rcpt=") == 0)
	     || strstr(flat, "; reason=") == 0)
	why = "header lost a required item";
    /* 18 bytes of text per encoded-word of at most 66, plus a space. */
    else if (dlen > (encoded ? (diag_max + 17) / 18 * 67 : diag_max))
	why = "diag over diag_max";
    free(flat);
    return (why);
}

/* An SMTP reply the MTA will take: class, enhanced code, one line. */
static const char *hx_verdict_problem(const struct sx_verdict *v)
{
    const char *p;
    size_t  run;

    if (strnlen(v->rule, sizeof(v->rule)) >= sizeof(v->rule)
	|| strnlen(v->reply_text, sizeof(v->reply_text)) > SX_REPLY_TEXT_MAX
	|| strnlen(v->subject, sizeof(v->subject)) >= sizeof(v->subject)
	|| strnlen(v->quarantine_reason, sizeof(v->quarantine_reason))
	>= sizeof(v->quarantine_reason))
	return ("verdict text not terminated or too long");
    /* "Subject: " and the value make one line: RFC 5322's limit. */
    if (strlen("Subject: ") + strlen(v->subject) > HX_LINE_MAX)
	return ("Subject line over 998 bytes");
    if (v->action == SX_POLICY_DEFER || v->action == SX_POLICY_REJECT) {
	char    want = v->action == SX_POLICY_DEFER ? '4' : '5';

	if (strlen(v->replycode) != 3 || v->replycode[0] != want
	    || strspn(v->replycode, "0123456789") != 3)
	    return ("reply code of the wrong class");
	if (v->xcode[0] && (v->xcode[0] != want
			    || !sx_status_valid(v->xcode, strlen(v->xcode))))
	    return ("enhanced code of the wrong class");
    }
    for (p = v->reply_text; *p; p++)
	if ((unsigned char) *p < 0x20 || (unsigned char) *p > 0x7e)
	    return ("reply text not printable ASCII");
    if (v->reply_text[0] == ' ' || (v->reply_text[0] && p[-1] == ' '))
	return ("reply text not trimmed");
    /* Postfix drops a single '%': every run must be even. */
    for (p = v->reply_text; *p; p += run ? run : 1)
	if ((run = strspn(p, "%")) % 2 != 0)
	    return ("reply text with a single %");
    /*
     * The Subject and the quarantine reason: one line. 8-bit bytes may
     * pass (policy.md: cut at a character boundary), controls never.
     */
    for (p = v->subject; *p; p++)
	if (hx_ctl((unsigned char) *p) || *p == '\t')
	    return ("Subject with a control character");
    for (p = v->quarantine_reason; *p; p++)
	if (hx_ctl((unsigned char) *p) || *p == '\t')
	    return ("quarantine reason with a control character");
    return (0);
}

static void hx_check_header(const char *v, int n, size_t index, size_t total,
			            const char *rcpt, size_t diag_max,
			            const char *input)
{
    const char *why = hx_header_problem(v, n, index, total, rcpt, diag_max);

    if (why != 0)
	hx_fail(why, input, v);
}

static void hx_check_verdict(const struct sx_verdict *v, const char *input)
{
    const char *why = hx_verdict_problem(v);

    if (why != 0)
	hx_fail(why, input, v->reply_text[0] ? v->reply_text : v->subject);
}

/* ---------------------------------------------------------------- pipeline */

enum hx_mode {
    HX_MILTER,				/* header by header, body in chunks */
    HX_STREAM,				/* the whole message in chunks */
};

/* Length of the line at p without its end; *next is after the LF. */
static size_t hx_line(const char *p, const char *end, const char **next)
{
    const char *nl = memchr(p, '\n', (size_t) (end - p));
    size_t  len = nl ? (size_t) (nl - p) : (size_t) (end - p);

    *next = nl ? nl + 1 : end;
    if (len > 0 && p[len - 1] == '\r')
	len--;
    return (len);
}

/*
 * The header section the way libmilter passes it: name, value with
 * continuation lines joined by LF, leading white space removed (the
 * milter's sxm_filter_header); X-SMTP-Explain is never given to the
 * reader. Returns where the body starts.
 */
static const char *hx_feed_headers(struct sx_reader *r, const char *p,
				           const char *end, size_t *foreign)
{
    struct sxh_buf name = {0, 0, 0};
    struct sxh_buf value = {0, 0, 0};
    const char *next, *colon, *v;
    size_t  n;

    while (p < end) {
	n = hx_line(p, end, &next);
	if (n == 0) {
	    p = next;
	    break;
	}
	colon = memchr(p, ':', n);
	if (colon == 0 || colon == p || *p == ' ' || *p == '\t')
	    break;
	name.len = value.len = 0;
	sxh_add(&name, p, (size_t) (colon - p));
	sxh_add(&value, colon + 1, n - (size_t) (colon + 1 - p));
	for (p = next; p < end && (*p == ' ' || *p == '\t'); p = next) {
	    n = hx_line(p, end, &next);
	    sxh_add(&value, "\n", 1);
	    sxh_add(&value, p, n);
	}
	if (strcasecmp(name.p, SX_HEADER_NAME) == 0) {
	    (*foreign)++;
	    continue;
	}
	for (v = value.p; *v == ' ' || *v == '\t'; v++)
	    ;
	CU_ASSERT_EQUAL(sx_reader_header(r, name.p, v), SX_OK);
    }
    free(name.p);
    free(value.p);
    return (p);
}

/*
 * Run msg through reader, explain, policy and render with config c, the
 * way src/milter/filter.c does (see sxm_eval_run, sxm_filter_annotate);
 * rejected are session findings built as sxm_filter_envrcpt builds them.
 */
static void hx_run(const struct sx_config *c, enum hx_mode mode,
		           const char *msg, size_t len,
		           const struct sx_finding *rejected, size_t nrej,
		           const char *input, struct hx_out *out)
{
    const struct sx_settings *set = &c->settings;
    const char *end = msg + len;
    const char *p = msg;
    struct sx_report rep;
    struct sx_policy_input in;
    struct sx_render_opts opts;
    struct sx_reader *r;
    size_t  foreign = 0, count = 0, total, i, n;
    char    buf[SX_RENDER_MIN + 2];
    int     w;

    memset(out, 0, sizeof(*out));
    r = sx_reader_new(0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    sx_reader_envelope(r, "<>");
    if (mode == HX_MILTER) {
	p = hx_feed_headers(r, p, end, &foreign);
	CU_ASSERT_EQUAL(sx_reader_end_headers(r), SX_OK);
    }
    if (mode == HX_STREAM || sx_reader_maybe_bounce(r)) {
	for (; p < end; p += n) {
	    n = (size_t) (end - p) > HX_CHUNK ? HX_CHUNK : (size_t) (end - p);
	    CU_ASSERT_EQUAL(sx_reader_push(r, p, n), SX_OK);
	}
	CU_ASSERT_EQUAL(sx_reader_finish(r), SX_OK);
	count = sx_reader_count(r);
    }
    if (count > sx_limits_default.findings_max)
	hx_fail("more findings than findings_max", input, "");
    hx_check_message(sx_reader_message(r), input);

    CU_ASSERT_EQUAL_FATAL(sx_report_build(&rep, c->registry, r, rejected, nrej), SX_OK);
    for (i = 0; i < count; i++)
	hx_check_finding(rep.items[i].finding, input);

    memset(&in, 0, sizeof(in));
    in.report = &rep;
    in.envelope_sender = "";
    in.subject = rep.msg->subject;
    out->verdict.action = SX_POLICY_ANNOTATE;
    out->verdict.annotate = 1;
    if (c->policy != 0)
	CU_ASSERT_EQUAL(sx_policy_evaluate(c->policy, set, &in, &out->verdict),
			SX_OK);
    hx_check_verdict(&out->verdict, input);

    /* Every finding's header, not only the first max_headers. */
    memset(&opts, 0, sizeof(opts));
    opts.authserv_id = set->authserv_id && set->authserv_id[0]
	? set->authserv_id : "mx.test";
    opts.fold = "\n\t";
    opts.with_text = set->header_text;
    opts.with_diag = set->header_diag;
    opts.diag_max = set->diag_max;
    total = count + (set->annotate_session_rejects ? nrej : 0);
    for (i = 0; i < total; i++) {
	const struct sx_finding *f = i < count ? rep.items[i].finding
	    : rep.rejected[i - count].finding;
	const struct sx_explanation *e = i < count ? &rep.items[i].ex
	    : &rep.rejected[i - count].ex;

	w = sx_render_header(&opts, f, e, i, total, buf, sizeof(buf));
	hx_check_header(buf, w, i, total, f->recipient,
			set->diag_max ? set->diag_max : 200, input);
	sxh_puts(&out->all, buf);
	sxh_puts(&out->all, "\n");
	out->headers++;
    }
    out->findings = count;
    out->dropped = sx_reader_message(r)->findings_dropped;
    sx_report_free(&rep);
    sx_reader_free(r);
}

static void hx_out_free(struct hx_out *out)
{
    free(out->all.p);
    memset(out, 0, sizeof(*out));
}

/* Every configuration, both ways of feeding. */
static void hx_run_all(const struct sxh_buf *msg, const char *input)
{
    struct hx_out out;
    size_t  i;
    int     mode;

    for (i = 0; i < HX_NCONF; i++)
	for (mode = HX_MILTER; mode <= HX_STREAM; mode++) {
	    hx_run(hx_config[i], (enum hx_mode) mode, msg->p, msg->len, 0, 0,
		   input, &out);
	    /* The templates really carried the stranger's values. */
	    if (out.findings > 0) {
		CU_ASSERT_EQUAL(out.verdict.action, hx_confs[i].action);
		if (out.verdict.action == SX_POLICY_REJECT
		    || out.verdict.action == SX_POLICY_DEFER)
		    CU_ASSERT(strchr(out.verdict.reply_text, '|') != 0);
		if (out.verdict.action == SX_POLICY_QUARANTINE)
		    CU_ASSERT(out.verdict.quarantine_reason[0] != 0);
		if (strcmp(hx_confs[i].name, "rewrite") == 0)
		    CU_ASSERT(out.verdict.subject[0] != 0);
	    }
	    hx_out_free(&out);
	}
}

/* ---------------------------------------------------------------- messages */

/* Where a hostile string goes in a DSN. */
enum hx_slot {
    HX_SLOT_DIAG,			/* Diagnostic-Code */
    HX_SLOT_RCPT,			/* Final-Recipient */
    HX_SLOT_ORCPT,			/* Original-Recipient */
    HX_SLOT_REMOTE,			/* Remote-MTA */
    HX_SLOT_REPORTING,			/* Reporting-MTA */
    HX_SLOT_SUBJECT,			/* top-level Subject */
    HX_SLOT_STATUS,			/* Status */
    HX_SLOT_TEXT,			/* the human-readable part */
    HX_SLOT_DIAGWORD,			/* all of Diagnostic-Code after "smtp;" */
    HX_SLOT_COUNT,
};

static const char *hx_slot_name[HX_SLOT_COUNT] = {
    "diag", "rcpt", "orcpt", "remote", "reporting", "subject", "status", "text",
    "diagword",
};

/* A Postfix-style DSN with s in one slot (see hx_put() for tokens). */
static void hx_dsn(struct sxh_buf *b, enum hx_slot slot, const char *s)
{
#define HX_AT(k, dflt) do { if (slot == (k)) hx_put(b, s); else sxh_puts(b, (dflt)); } while (0)
    sxh_puts(b, "Return-Path: <>\nFrom: Mail Delivery System <MAILER-DAEMON@mx1.example.net>\n"
	    "To: alice@example.net\nSubject: ");
    HX_AT(HX_SLOT_SUBJECT, "Undelivered Mail Returned to Sender");
    sxh_puts(b, "\nAuto-Submitted: auto-replied\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/report; report-type=delivery-status;\n"
	    "\tboundary=\"BND\"\n\nPreamble.\n\n--BND\nContent-Type: text/plain\n\n");
    sxh_puts(b, "This is the mail system at host mx1.example.net.\n\n<");
    HX_AT(HX_SLOT_RCPT, "bob@example.org");
    sxh_puts(b, ">: host mx.example.org[192.0.2.10] said: ");
    HX_AT(HX_SLOT_TEXT, "550 5.1.1 no such user");
    sxh_puts(b, " (in reply to RCPT TO command)\n\n--BND\n"
	    "Content-Type: message/delivery-status\n\nReporting-MTA: dns; ");
    HX_AT(HX_SLOT_REPORTING, "mx1.example.net");
    sxh_puts(b, "\n\nFinal-Recipient: rfc822; ");
    HX_AT(HX_SLOT_RCPT, "bob@example.org");
    sxh_puts(b, "\nOriginal-Recipient: rfc822; ");
    HX_AT(HX_SLOT_ORCPT, "robert@example.org");
    sxh_puts(b, "\nAction: failed\nStatus: ");
    HX_AT(HX_SLOT_STATUS, "5.1.1");
    sxh_puts(b, "\nRemote-MTA: dns; ");
    HX_AT(HX_SLOT_REMOTE, "mx.example.org");
    if (slot == HX_SLOT_DIAGWORD) {
	sxh_puts(b, "\nDiagnostic-Code: smtp;");
	hx_put(b, s);
    } else {
	sxh_puts(b, "\nDiagnostic-Code: smtp; 550 5.1.1 ");
	HX_AT(HX_SLOT_DIAG, "no such user");
    }
    sxh_puts(b, "\n\n--BND\nContent-Type: text/rfc822-headers\n\n"
	    "From: Alice <alice@example.net>\nSubject: Lunch\n"
	    "Message-ID: <lunch.42@example.net>\n\n--BND--\n");
#undef HX_AT
}

/* What strangers put in the text: each must come out harmless. */
static const char *hx_strings[] = {
    "a{CR}X-Injected: bare-cr",
    "a{CR}\n\tX-Injected: folded crlf",
    "before{NUL}after the NUL X-Injected: nul",
    "ctl{ESC}[31m{DEL}{BEL}\001\002\037 end",
    "latin-1 caf{L1} utf-8 caf{U8} and {FF}{FF}{FF} raw",
    "quote\" back\\slash ; semi=colon =?utf-8?q?x?= ?= \"\"",
    "percent %s %n %% %%% %{rcpt} %{diag} %",
    "\t \t  spaces\t\t everywhere  \t",
    "",
    ("{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}"
     "{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}{U8}"),
    "X-SMTP-Explain: mx.test; n=1/1; reason=FORGED-IN-TEXT",
};

/* The checks themselves: each bad value is caught, good ones pass. */
static void test_checks_catch(void)
{
    static const struct {
	const char *v;
	const char *rcpt;
	int     bad;
    } hdr[] = {
	{"mx.test; n=1/1; kind=dsn; rcpt=a@b; reason=x", "a@b", 0},
	{"mx.test; n=1/1; kind=dsn;\n\trcpt=a@b; reason=x;\n\ttitle=\"a\n b\"", "a@b", 0},
	{"mx.test; n=1/1; kind=dsn; reason=x", "", 0},
	{"mx.test; n=1/1; kind=dsn; rcpt=a@b; reason=x\nX-Evil: 1", "a@b", 1},
	{"mx.test; n=1/1; kind=dsn; rcpt=a@b; reason=x\r\n\tmore", "a@b", 1},
	{"mx.test; n=1/1; kind=dsn; rcpt=a\351@b; reason=x", "a@b", 1},
	{"mx.test; n=1/1; kind=dsn; rcpt=a\001@b; reason=x", "a@b", 1},
	{"mx.test; n=1/1; kind=dsn; rcpt=a@b; reason=x\n\t", "a@b", 1},
	{"mx.test; n=2/1; kind=dsn; rcpt=a@b; reason=x", "a@b", 1},
	{"mx.test; n=1/1; kind=dsn; reason=x", "a@b", 1},
	{"evil; n=1/1; kind=dsn; rcpt=a@b; reason=x", "a@b", 1},
	{"mx.test; n=1/1; rcpt=a@b; reason=x; diag=\"0123456789 0123456789\"", "a@b", 1},
    };
    static const struct {
	enum sx_policy_action action;
	const char *code, *xcode, *text, *subject;
	int     bad;
    } vd[] = {
	{SX_POLICY_REJECT, "550", "5.7.1", "fine, 100%% sure", "", 0},
	{SX_POLICY_REJECT, "450", "4.7.1", "wrong class", "", 1},
	{SX_POLICY_DEFER, "451", "5.7.1", "wrong enhanced class", "", 1},
	{SX_POLICY_REJECT, "550", "5.7.1", "single % here", "", 1},
	{SX_POLICY_REJECT, "550", "5.7.1", "two\r\nlines", "", 1},
	{SX_POLICY_REJECT, "550", "5.7.1", "caf\351", "", 1},
	{SX_POLICY_REJECT, "550", "5.7.1", "trailing ", "", 1},
	{SX_POLICY_ANNOTATE, "", "", "", "new\nX-Evil: 1", 1},
	{SX_POLICY_ANNOTATE, "", "", "", "caf\303\251 ok", 0},
    };
    struct sx_verdict v;
    char    big[1100];
    size_t  i;

    for (i = 0; i < sizeof(hdr) / sizeof(hdr[0]); i++)
	CU_ASSERT_EQUAL(hx_header_problem(hdr[i].v, (int) strlen(hdr[i].v), 0, 1,
					  hdr[i].rcpt, 10) != 0, hdr[i].bad);
    memset(big, 0, sizeof(big));
    (void) snprintf(big, sizeof(big), "mx.test; n=1/1; rcpt=a@b; reason=x;\n\tdiag=");
    memset(big + strlen(big), 'x', 1000);
    CU_ASSERT_STRING_EQUAL(hx_header_problem(big, (int) strlen(big), 0, 1, "a@b", 2000),
			   "header line over 998 bytes");
    for (i = 0; i < sizeof(vd) / sizeof(vd[0]); i++) {
	memset(&v, 0, sizeof(v));
	v.action = vd[i].action;
	strcpy(v.replycode, vd[i].code);
	strcpy(v.xcode, vd[i].xcode);
	strcpy(v.reply_text, vd[i].text);
	strcpy(v.subject, vd[i].subject);
	CU_ASSERT_EQUAL(hx_verdict_problem(&v) != 0, vd[i].bad);
    }
}

/* Every hostile string in every slot, every config, both feeds. */
static void test_hostile_fields(void)
{
    struct sxh_buf msg = {0, 0, 0};
    char    input[64];
    size_t  s;
    int     slot;

    for (s = 0; s < sizeof(hx_strings) / sizeof(hx_strings[0]); s++)
	for (slot = 0; slot < HX_SLOT_COUNT; slot++) {
	    msg.len = 0;
	    hx_dsn(&msg, (enum hx_slot) slot, hx_strings[s]);
	    (void) snprintf(input, sizeof(input), "string %zu in %s", s,
			    hx_slot_name[slot]);
	    hx_run_all(&msg, input);
	}

    /* Long values: one word, and many words, past every buffer. */
    for (slot = 0; slot < HX_SLOT_COUNT; slot++) {
	struct sxh_buf big = {0, 0, 0};
	size_t  i;

	sxh_repeat(&big, 'x', 5000);
	msg.len = 0;
	hx_dsn(&msg, (enum hx_slot) slot, big.p);
	(void) snprintf(input, sizeof(input), "5000-byte word in %s",
			hx_slot_name[slot]);
	hx_run_all(&msg, input);
	big.len = 0;
	for (i = 0; i < 700; i++)
	    sxh_puts(&big, i % 3 ? "w{L1}rd " : "100%% ");
	msg.len = 0;
	hx_dsn(&msg, (enum hx_slot) slot, big.p);
	(void) snprintf(input, sizeof(input), "700 words in %s",
			hx_slot_name[slot]);
	hx_run_all(&msg, input);
	free(big.p);
    }
    free(msg.p);
}

/* Recipients the MTA rejected, from hostile macros, as the milter builds them. */
static void test_hostile_session(void)
{
    struct sx_finding rej[sizeof(hx_strings) / sizeof(hx_strings[0])];
    struct sxh_buf msg = {0, 0, 0};
    struct sxh_buf tmp = {0, 0, 0};
    struct hx_out out;
    size_t  i, n = sizeof(hx_strings) / sizeof(hx_strings[0]);

    hx_dsn(&msg, HX_SLOT_DIAG, "no such user");
    for (i = 0; i < n; i++) {
	memset(&rej[i], 0, sizeof(rej[i]));
	rej[i].kind = SX_KIND_SESSION;
	rej[i].action = SX_ACTION_FAILED;
	tmp.len = 0;
	hx_put(&tmp, hx_strings[i]);
	(void) sx_text_clean(rej[i].recipient, sizeof(rej[i].recipient), tmp.p,
			     strlen(tmp.p));
	(void) sx_text_clean(rej[i].diagnostic, sizeof(rej[i].diagnostic), tmp.p,
			     strlen(tmp.p));
	(void) sx_text_copy(rej[i].status, sizeof(rej[i].status), "5.1.1", 5);
	(void) sx_text_copy(rej[i].command, sizeof(rej[i].command), "RCPT", 4);
    }
    for (i = 0; i < HX_NCONF; i++) {
	hx_run(hx_config[i], HX_MILTER, msg.p, msg.len, rej, n, "session", &out);
	if (strcmp(hx_confs[i].name, "session") == 0) {
	    /* The session rule takes them; every one gets its header. */
	    CU_ASSERT_EQUAL(out.verdict.action, SX_POLICY_REJECT);
	    CU_ASSERT_EQUAL(out.headers, out.findings + n);
	}
	hx_out_free(&out);
    }
    free(msg.p);
    free(tmp.p);
}

/* 10,000 recipients in one DSN, some of them hostile. */
static void test_many_recipients(void)
{
    struct sxh_buf msg = {0, 0, 0};
    struct hx_out out;
    size_t  i, c;

    hx_dsn(&msg, HX_SLOT_RCPT, "first@example.org");
    /* Put the groups into the delivery-status part, after the first. */
    {
	char   *at = strstr(msg.p, "\n\n--BND\nContent-Type: text/rfc822-headers");
	struct sxh_buf tail = {0, 0, 0};
	size_t  cut;

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	cut = (size_t) (at - msg.p);
	sxh_add(&tail, msg.p + cut, msg.len - cut);
	msg.len = cut;
	for (i = 0; i < 10000; i++) {
	    sxh_printf(&msg, "\n\nFinal-Recipient: rfc822; u%zu", i);
	    hx_put(&msg, i % 7 == 0 ? "{CR}{NUL}{L1}@example.org" : "@example.org");
	    sxh_printf(&msg, "\nAction: failed\nStatus: 5.%zu.%zu\n"
		      "Diagnostic-Code: smtp; 550 5.1.1 %zu%% gone", i % 8, i % 10, i);
	}
	sxh_add(&msg, tail.p, tail.len);
	free(tail.p);
    }
    for (c = 0; c < HX_NCONF; c++) {
	hx_run(hx_config[c], HX_MILTER, msg.p, msg.len, 0, 0, "10,000 recipients",
	       &out);
	/* Bounded, and nothing silently lost: kept + dropped = reported. */
	CU_ASSERT(out.findings <= sx_limits_default.findings_max);
	CU_ASSERT(out.findings > 0);
	CU_ASSERT_EQUAL(out.findings + out.dropped, 10001);
	hx_out_free(&out);
    }
    free(msg.p);
}

/* 1 MB lines wherever a line can be. */
static void test_huge_lines(void)
{
    static const char *where[] = {
	"Subject", "header name", "boundary", "Final-Recipient",
	"Diagnostic-Code", "text body", "folded header",
    };
    struct sxh_buf msg = {0, 0, 0};
    struct sxh_buf mb = {0, 0, 0};
    struct hx_out out;
    size_t  w;

    sxh_repeat(&mb, 'y', HX_MB);
    for (w = 0; w < sizeof(where) / sizeof(where[0]); w++) {
	msg.len = 0;
	sxh_puts(&msg, "Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.net\n");
	if (w == 0) {
	    sxh_puts(&msg, "Subject: ");
	    sxh_add(&msg, mb.p, mb.len);
	    sxh_puts(&msg, "\n");
	} else if (w == 1) {
	    sxh_add(&msg, mb.p, mb.len);
	    sxh_puts(&msg, ": value\n");
	} else if (w == 6) {
	    size_t  i;

	    sxh_puts(&msg, "Subject: folded");
	    for (i = 0; i < 20000; i++)
		sxh_puts(&msg, "\n\tfifty bytes of folded continuation line, again.");
	    sxh_puts(&msg, "\n");
	}
	sxh_puts(&msg, "MIME-Version: 1.0\nContent-Type: multipart/report; "
		"report-type=delivery-status; boundary=\"");
	if (w == 2)
	    sxh_add(&msg, mb.p, mb.len);
	else
	    sxh_puts(&msg, "BND");
	sxh_puts(&msg, "\"\n\n--");
	sxh_puts(&msg, w == 2 ? mb.p : "BND");
	sxh_puts(&msg, "\nContent-Type: text/plain\n\n<bob@example.org>: said: 550 ");
	if (w == 5)
	    sxh_add(&msg, mb.p, mb.len);
	sxh_puts(&msg, "\n\n--");
	sxh_puts(&msg, w == 2 ? mb.p : "BND");
	sxh_puts(&msg, "\nContent-Type: message/delivery-status\n\n"
		"Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; ");
	if (w == 3)
	    sxh_add(&msg, mb.p, mb.len);
	sxh_puts(&msg, "bob@example.org\nAction: failed\nStatus: 5.1.1\n"
		"Diagnostic-Code: smtp; 550 5.1.1 ");
	if (w == 4)
	    sxh_add(&msg, mb.p, mb.len);
	sxh_puts(&msg, "\n\n--");
	sxh_puts(&msg, w == 2 ? mb.p : "BND");
	sxh_puts(&msg, "--\n");
	/* Default and wide only: a megabyte is slow under valgrind. */
	hx_run(hx_config[0], HX_MILTER, msg.p, msg.len, 0, 0, where[w], &out);
	hx_out_free(&out);
	hx_run(hx_config[HX_NCONF - 1], HX_STREAM, msg.p, msg.len, 0, 0,
	       where[w], &out);
	if (w == 3 || w == 4)
	    CU_ASSERT(out.findings >= 1);
	hx_out_free(&out);
    }
    free(msg.p);
    free(mb.p);
}

/* MIME structure that lies, nests, breaks off or is missing. */
static void test_mime_structure(void)
{
    static const char *ds = "Content-Type: message/delivery-status\n\n"
	"Reporting-MTA: dns; mx.example.net\n\nFinal-Recipient: rfc822; "
	"b{CR}ob@example.org\nAction: failed\nStatus: 5.1.1\n"
	"Diagnostic-Code: smtp; 550 5.1.1 gone{NUL}X-Injected: 1\n";
    struct sxh_buf msg = {0, 0, 0};
    char    input[64];
    size_t  i, depth;
    int     shape;

    for (shape = 0; shape < 9; shape++) {
	msg.len = 0;
	sxh_puts(&msg, "Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.net\n"
		"Subject: structure\nMIME-Version: 1.0\n");
	switch (shape) {
	case 0:				/* no boundary parameter */
	    sxh_puts(&msg, "Content-Type: multipart/report; report-type=delivery-status\n\n--BND\n");
	    hx_put(&msg, ds);
	    sxh_puts(&msg, "--BND--\n");
	    break;
	case 1:				/* boundary that never comes */
	    sxh_puts(&msg, "Content-Type: multipart/report; boundary=\"nope\"\n\n--other\n");
	    hx_put(&msg, ds);
	    break;
	case 2:				/* empty boundary */
	    sxh_puts(&msg, "Content-Type: multipart/report; boundary=\"\"\n\n--\n");
	    hx_put(&msg, ds);
	    sxh_puts(&msg, "----\n");
	    break;
	case 3:				/* the same boundary at two levels */
	    sxh_puts(&msg, "Content-Type: multipart/mixed; boundary=\"B\"\n\n--B\n"
		    "Content-Type: multipart/report; boundary=\"B\"\n\n--B\n");
	    hx_put(&msg, ds);
	    sxh_puts(&msg, "--B--\n--B--\n");
	    break;
	case 4:				/* 500 levels, the report at the bottom */
	case 5:				/* 500 levels of message/rfc822 */
	    for (depth = 0; depth < 500; depth++) {
		if (shape == 4)
		    sxh_printf(&msg, "Content-Type: multipart/mixed; boundary=\"l%zu\"\n\n--l%zu\n",
			      depth, depth);
		else
		    sxh_puts(&msg, "Content-Type: message/rfc822\n\n");
	    }
	    hx_put(&msg, ds);
	    break;
	case 6:				/* truncated inside a header of a part */
	    sxh_puts(&msg, "Content-Type: multipart/report; boundary=\"BND\"\n\n--BND\n"
		    "Content-Type: message/delivery-status\n\nFinal-Recipient: rfc822; bob@exa");
	    break;
	case 7:				/* part headers never end */
	    sxh_puts(&msg, "Content-Type: multipart/report; boundary=\"BND\"\n\n--BND\n");
	    for (i = 0; i < 5000; i++)
		sxh_printf(&msg, "X-Part-%zu: %zu\n", i, i);
	    break;
	case 8:				/* boundary of 200 bytes, parts nested wrongly */
	    sxh_puts(&msg, "Content-Type: multipart/report; boundary=\"");
	    sxh_repeat(&msg, 'q', 200);
	    sxh_puts(&msg, "\"\n\n--");
	    sxh_repeat(&msg, 'q', 200);
	    sxh_puts(&msg, "\nContent-Type: multipart/alternative; boundary=\"inner\"\n\n--");
	    sxh_repeat(&msg, 'q', 200);
	    sxh_puts(&msg, "--\n--inner\n");
	    hx_put(&msg, ds);
	    break;
	}
	(void) snprintf(input, sizeof(input), "MIME shape %d", shape);
	hx_run_all(&msg, input);
    }
    free(msg.p);
}

/* Transfer encodings that are broken, or that decode to hostile bytes. */
static void test_broken_encodings(void)
{
    static const struct {
	const char *cte;
	const char *body;
    } cases[] = {
	/* "Final-Recipient: rfc822; a\r\nX: 1\0@b\nStatus: 5.1.1\n" and noise */
	{"base64", "RmluYWwtUmVjaXBpZW50OiByZmM4MjI7IGENClg6IDEAQGIKU3RhdHVzOiA1LjEuMQo=\n"},
	{"base64", "!!!!****RmluYWwtUmVja===XBpZW50Oi\n\nBy@@@Zm#M4MjI7IGFAYg\n"},
	{"base64", "RmluYWwtUmVjaXBpZW50OiByZmM4MjI7IGFAYg"},	/* no padding, no end */
	{"base64", "===="},
	{"base64", "////////////////////////////////////////////////////////////"},
	{"quoted-printable", "Final-Recipient: rfc822; a=0D=0AX-Injected: 1=00@b\n"
	 "Action: failed\nStatus: 5.1.=\n1\nDiagnostic-Code: smtp; 550 =ZZ=G1=\n"},
	{"quoted-printable", "Final-Recipient: rfc822; =E9=FF=C3@b\nAction: fai=\nled\n"
	 "Status: 5=2E1=2E1\nDiagnostic-Code: smtp; 550 ======\n"},
	{"quoted-printable", "Final-Recipient: rfc822; a@b\nDiagnostic-Code: smtp; 550 ="},
	{"x-uuencode", "begin 644 x\nM9FEN86PM<F5C:7!I96YT.B!R9F,X,C([(&%`8@H`\nend\n"},
	{"7bit{CR}", "Final-Recipient: rfc822; a@b\nStatus: 5.1.1\n"},
    };
    struct sxh_buf msg = {0, 0, 0};
    char    input[64];
    size_t  i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
	msg.len = 0;
	sxh_puts(&msg, "Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.net\n"
		"Subject: encodings\nMIME-Version: 1.0\n"
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"BND\"\n\n"
		"--BND\nContent-Type: text/plain\nContent-Transfer-Encoding: ");
	hx_put(&msg, cases[i].cte);
	sxh_puts(&msg, "\n\n");
	hx_put(&msg, cases[i].body);
	sxh_puts(&msg, "\n--BND\nContent-Type: message/delivery-status\n"
		"Content-Transfer-Encoding: ");
	hx_put(&msg, cases[i].cte);
	sxh_puts(&msg, "\n\n");
	hx_put(&msg, cases[i].body);
	sxh_puts(&msg, "\n--BND--\n");
	(void) snprintf(input, sizeof(input), "encoding case %zu", i);
	hx_run_all(&msg, input);
    }

    /* One base64 line that decodes to a megabyte without a line end. */
    msg.len = 0;
    sxh_puts(&msg, "Return-Path: <>\nFrom: MAILER-DAEMON@mx.example.net\nMIME-Version: 1.0\n"
	    "Content-Type: multipart/report; boundary=\"BND\"\n\n--BND\n"
	    "Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n");
    sxh_repeat(&msg, 'Q', 4 * HX_MB / 3);
    sxh_puts(&msg, "\n--BND--\n");
    {
	struct hx_out out;

	hx_run(hx_config[0], HX_MILTER, msg.p, msg.len, 0, 0, "base64 megabyte",
	       &out);
	hx_out_free(&out);
    }
    free(msg.p);
}

/* Forged X-SMTP-Explain headers never reach what the milter adds. */
static void test_forged_headers(void)
{
    struct sxh_buf msg = {0, 0, 0};
    struct hx_out out;
    size_t  c;

    sxh_puts(&msg, "X-SMTP-Explain: mx.test; n=1/1; kind=dsn; reason=FORGED-TOP\n"
	    "x-smtp-explain:mx.test; reason=FORGED-LOWER\n"
	    "X-SMTP-EXPLAIN:\n\tmx.test;\n\treason=FORGED-FOLDED\n");
    hx_dsn(&msg, HX_SLOT_DIAG, "X-SMTP-Explain: reason=FORGED-DIAG");
    for (c = 0; c < HX_NCONF; c++) {
	hx_run(hx_config[c], HX_MILTER, msg.p, msg.len, 0, 0, "forged", &out);
	CU_ASSERT_EQUAL(out.findings, 1);
	CU_ASSERT_PTR_NULL(strstr(out.all.p ? out.all.p : "", "FORGED-TOP"));
	CU_ASSERT_PTR_NULL(strstr(out.all.p ? out.all.p : "", "FORGED-LOWER"));
	CU_ASSERT_PTR_NULL(strstr(out.all.p ? out.all.p : "", "FORGED-FOLDED"));
	/* A forged header inside diag is quoted text, never a new line. */
	if (out.all.p && strstr(out.all.p, "FORGED-DIAG"))
	    CU_ASSERT_PTR_NULL(strstr(out.all.p, "\nX-SMTP-Explain"));
	hx_out_free(&out);
    }
    free(msg.p);
}

/* Deterministic noise: the same run on every machine. */
static unsigned long hx_seed = 20261123;

static size_t hx_rand(size_t n)
{
    hx_seed = hx_seed * 6364136223846793005UL + 1442695040888963407UL;
    return ((size_t) (hx_seed >> 33) % n);
}

/*
 * Every real fixture as it is, cut short at many places, and with
 * hostile bytes dropped in at random.
 */
static void test_fixtures_mangled(void)
{
    static const char *dirs[] = {"fixtures/dsn", "fixtures/shapes"};
    static const char bad[] = "\0\r\n\177\200\377%\"\\;=: \t-<>";
    struct sxh_buf msg = {0, 0, 0};
    char    path[512], input[600];
    struct dirent *de;
    size_t  d, len, cut, k, m, files = 0;
    char   *orig;
    DIR    *dir;

    for (d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
	CU_ASSERT_PTR_NOT_NULL_FATAL(dir = opendir(dirs[d]));
	while ((de = readdir(dir)) != 0) {
	    len = strlen(de->d_name);
	    if (len < 5 || strcmp(de->d_name + len - 4, ".eml") != 0)
		continue;
	    (void) snprintf(path, sizeof(path), "%s/%s", dirs[d], de->d_name);
	    CU_ASSERT_PTR_NOT_NULL_FATAL(orig = sx_unit_slurp(path, &len));
	    files++;
	    msg.len = 0;
	    sxh_add(&msg, orig, len);
	    (void) snprintf(input, sizeof(input), "%s", path);
	    hx_run_all(&msg, input);
	    /* Truncated: every 61st byte, default and reject configs. */
	    for (cut = 0; cut < len; cut += 61) {
		struct hx_out out;

		(void) snprintf(input, sizeof(input), "%s cut at %zu", path, cut);
		hx_run(hx_config[0], HX_MILTER, orig, cut, 0, 0, input, &out);
		hx_out_free(&out);
		hx_run(hx_config[1], HX_STREAM, orig, cut, 0, 0, input, &out);
		hx_out_free(&out);
	    }
	    /* Mangled: 20 variants with up to 16 hostile bytes each. */
	    for (m = 0; m < 20; m++) {
		msg.len = 0;
		sxh_add(&msg, orig, len);
		for (k = 1 + hx_rand(16); k > 0; k--)
		    msg.p[hx_rand(len)] = bad[hx_rand(sizeof(bad) - 1)];
		(void) snprintf(input, sizeof(input), "%s mangled %zu", path, m);
		hx_run_all(&msg, input);
	    }
	    free(orig);
	}
	closedir(dir);
    }
    CU_ASSERT(files >= 2);
    free(msg.p);
}

/* ---------------------------------------------------------------- memory */

/* Bytes the allocator has handed out and not had back. */
static size_t hx_heap(void)
{
#ifdef HX_ASAN
    return (__sanitizer_get_current_allocated_bytes());
#else
    struct mallinfo2 mi = mallinfo2();

    return (mi.uordblks + mi.hblkhd);
#endif
}

/* Whether hx_heap() sees allocations here (valgrind replaces malloc). */
static int hx_heap_works(void)
{
    size_t  before = hx_heap();
    char   *volatile p = malloc(HX_MB);
    int     works;

    if (p == 0)
	return (0);
    memset(p, 1, HX_MB);
    works = hx_heap() >= before + HX_MB;
    free(p);
    return (works);
}

/* Bytes staged until a full chunk can go to the reader. */
struct hx_stage {
    struct sx_reader *r;
    char    buf[HX_CHUNK];
    size_t  len;
    size_t  fed;			/* bytes pushed so far */
    size_t  base;			/* heap just after sx_reader_new() */
    size_t  peak;			/* largest growth over base seen */
};

static void hx_stage_sample(struct hx_stage *st)
{
    size_t  now = hx_heap();

    if (now > st->base && now - st->base > st->peak)
	st->peak = now - st->base;
}

static void hx_stage_flush(struct hx_stage *st)
{
    if (st->len == 0)
	return;
    CU_ASSERT_EQUAL(sx_reader_push(st->r, st->buf, st->len), SX_OK);
    st->fed += st->len;
    st->len = 0;
    hx_stage_sample(st);
}

static void hx_stage_add(struct hx_stage *st, const char *s, size_t n)
{
    while (n > 0) {
	size_t  k = HX_CHUNK - st->len < n ? HX_CHUNK - st->len : n;

	memcpy(st->buf + st->len, s, k);
	st->len += k;
	s += k;
	n -= k;
	if (st->len == HX_CHUNK)
	    hx_stage_flush(st);
    }
}

static void hx_stage_puts(struct hx_stage *st, const char *s)
{
    hx_stage_add(st, s, strlen(s));
}

/*
 * A report of total bytes, made as it is fed: a text part of bounce
 * lines and 100 KB lines, a delivery-status part with a recipient group
 * every 100 bytes or so, a returned message with deep MIME inside.
 */
static void hx_feed_big(struct hx_stage *st, size_t total)
{
    char    line[256];
    size_t  i, part = total / 3;
    char   *longline;

    CU_ASSERT_PTR_NOT_NULL_FATAL(longline = malloc(100 * 1024));
    memset(longline, 'z', 100 * 1024);
    hx_stage_puts(st, "\n\nThis is the mail system.\n\n--BND\nContent-Type: text/plain\n\n");
    for (i = 0; st->fed + st->len < part; i++) {
	if (i % 2000 == 1999) {
	    hx_stage_add(st, longline, 100 * 1024);
	    hx_stage_puts(st, "\n");
	}
	(void) snprintf(line, sizeof(line), "<u%zu@example.org>: host mx%zu.example.org said: "
			"550 5.1.1 user unknown %zu (in reply to RCPT TO command)\n", i, i % 97, i);
	hx_stage_puts(st, line);
    }
    hx_stage_puts(st, "\n--BND\nContent-Type: message/delivery-status\n\n"
		  "Reporting-MTA: dns; mx.example.net\n");
    for (i = 0; st->fed + st->len < 2 * part; i++) {
	(void) snprintf(line, sizeof(line), "\nFinal-Recipient: rfc822; r%zu@example.org\n"
			"Action: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp; 552 full %zu\n", i, i);
	hx_stage_puts(st, line);
    }
    hx_stage_puts(st, "\n--BND\nContent-Type: message/rfc822\n\nFrom: a@example.net\n"
		  "Subject: big\nContent-Type: multipart/mixed; boundary=\"in\"\n\n");
    for (i = 0; st->fed + st->len < total; i++) {
	(void) snprintf(line, sizeof(line), "--in\nContent-Type: text/plain; charset=utf-8\n"
			"Content-Transfer-Encoding: quoted-printable\n\nline %zu =E9=\n"
			"continued\n", i);
	hx_stage_puts(st, line);
    }
    hx_stage_puts(st, "--in--\n\n--BND--\n");
    hx_stage_flush(st);
    free(longline);
}

static void test_bounded_memory(void)
{
    static const struct {
	const char *name;
	size_t  findings_max, text_max, line_max, header_max;
	unsigned depth_max;
    } limits[] = {
	{"default limits", 0, 0, 0, 0, 0},
	{"small limits", 10, 4096, 1024, 1024, 4},
    };
    struct hx_stage *st;
    struct sx_limits lim;
    size_t  i, before, cap;
    int     measured = hx_heap_works();

    if (!measured)
	fprintf(stderr, "\n  (heap not measurable here: the 50 MB run checks "
		"only that the reader survives)\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(st = malloc(sizeof(*st)));
    for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
	lim = sx_limits_default;
	if (limits[i].findings_max) {
	    lim.findings_max = limits[i].findings_max;
	    lim.text_max = limits[i].text_max;
	    lim.line_max = limits[i].line_max;
	    lim.header_max = limits[i].header_max;
	    lim.depth_max = limits[i].depth_max;
	}

	/*
	 * What the limits allow: every finding, the text and HTML kept for
	 * the recognisers, the line and field buffers; twice over for
	 * realloc's moment with old and new block, and 1 MB for the fixed
	 * parts (the top-level header block, the MIME stack).
	 */
	cap = 2 * (lim.findings_max * sizeof(struct sx_finding)
		   + 2 * lim.text_max + 2 * lim.line_max + lim.header_max)
	    + HX_MB;

	memset(st, 0, sizeof(*st));
	before = hx_heap();
	CU_ASSERT_PTR_NOT_NULL_FATAL(st->r = sx_reader_new(&lim));
	st->base = hx_heap();
	sx_reader_envelope(st->r, "<>");
	CU_ASSERT_EQUAL(sx_reader_header(st->r, "From", "MAILER-DAEMON@mx.example.net"), SX_OK);
	CU_ASSERT_EQUAL(sx_reader_header(st->r, "Subject", "Undelivered Mail"), SX_OK);
	CU_ASSERT_EQUAL(sx_reader_header(st->r, "Content-Type", "multipart/report;\n\t"
					 "report-type=delivery-status; boundary=\"BND\""), SX_OK);
	CU_ASSERT_EQUAL(sx_reader_end_headers(st->r), SX_OK);
	CU_ASSERT(sx_reader_maybe_bounce(st->r));
	hx_feed_big(st, 50 * (size_t) HX_MB);
	CU_ASSERT(st->fed >= 50 * (size_t) HX_MB);
	CU_ASSERT_EQUAL(sx_reader_finish(st->r), SX_OK);
	hx_stage_sample(st);
	CU_ASSERT(sx_reader_count(st->r) > 0);
	CU_ASSERT(sx_reader_count(st->r) <= lim.findings_max);
	CU_ASSERT(sx_reader_message(st->r)->findings_dropped > 0);
	if (measured) {
	    if (st->peak > cap)
		fprintf(stderr, "\n  %s: reader grew by %zu bytes on %zu fed, cap %zu\n",
			limits[i].name, st->peak, st->fed, cap);
	    CU_ASSERT(st->peak <= cap);
	    /* The cap is far below the input: growth is not proportional. */
	    CU_ASSERT(cap < st->fed / 4);
	}
	sx_reader_free(st->r);
	/*
	 * Freed small blocks wait in glibc's per-thread cache and still
	 * count as in use; a leaked buffer would be a line, a field or the
	 * findings, each larger than this slack. Leaks as such are
	 * valgrind's and LeakSanitizer's job (make valgrind, make asan).
	 */
	if (measured && hx_heap() > before + 64 * 1024) {
	    fprintf(stderr, "\n  %s: %zu bytes not freed\n", limits[i].name,
		    hx_heap() - before);
	    CU_FAIL("the reader did not give its memory back");
	}
    }
    free(st);
}

static CU_TestInfo tests[] = {
    {"the checks catch what they must", test_checks_catch},
    {"hostile strings in every field", test_hostile_fields},
    {"hostile session macros", test_hostile_session},
    {"10,000 recipients", test_many_recipients},
    {"1 MB lines", test_huge_lines},
    {"MIME that lies, nests, breaks", test_mime_structure},
    {"broken base64 and QP", test_broken_encodings},
    {"forged X-SMTP-Explain", test_forged_headers},
    {"fixtures cut and mangled", test_fixtures_mangled},
    {"50 MB in 64 KB chunks, bounded memory", test_bounded_memory},
    CU_TEST_INFO_NULL,
};

SX_SUITE(hostile, tests, hx_init, hx_fini)
