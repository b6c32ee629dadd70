/*
 * NAME
 *	filter 3
 * SUMMARY
 *	the milter's pipeline, one function per protocol stage
 * DESCRIPTION
 *	See filter.h. The flow of one message:
 *
 *	MAIL	take a configuration snapshot, start a bounce reader, note
 *		the envelope sender;
 *	RCPT	keep the recipients the MTA rejected (SMFIP_RCPT_REJ) as
 *		session findings;
 *	header	feed the reader; count incoming X-SMTP-Explain headers;
 *	EOH	ask the reader whether this can be a report at all; when it
 *		cannot and nothing else needs the end of the message, say
 *		accept and never see the body;
 *	body	feed the reader, or ask the MTA to skip the rest; with
 *		explain_body, keep the report's bytes (up to
 *		explain_body_max);
 *	EOM	explain every finding, ask the policy, apply the verdict
 *		(with explain_body, the report's text gets the block),
 *		log one line.
 *
 *	The only decisions that change the SMTP dialogue are made at end
 *	of message, from the policy's verdict; everything else continues.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <smtp-explain/annotate.h>
#include <smtp-explain/config.h>
#include <smtp-explain/explain.h>
#include <smtp-explain/finding.h>
#include <smtp-explain/lang.h>
#include <smtp-explain/policy.h>
#include <smtp-explain/report.h>
#include <smtp-explain/reader.h>
#include <smtp-explain/render.h>
#include <smtp-explain/reply.h>
#include <smtp-explain/stats.h>
#include <smtp-explain/status.h>
#include <smtp-explain/text.h>

#include "ctx.h"
#include "filter.h"
#include "log.h"
#include "snapshot.h"

#define SXM_SUMMARY_MAX 1500

/* What the end of a message works with; freed by sxm_eval_free(). */
struct sxm_eval {
    struct sx_report report;		/* the findings, explained */
    struct sx_policy_input in;		/* what the policy was given */
    size_t  count;			/* findings of the message */
    struct sx_verdict verdict;
};

/* What the end of a message did, for the log. */
struct sxm_done {
    unsigned removed;			/* foreign headers deleted */
    unsigned added;			/* our headers added */
    int     subject;			/* Subject rewritten */
    int     downgraded;			/* reject/defer became annotate */
    const char *body;			/* explain_body: what became of it */
    const char *lang;			/* explain_body: its language */
};

/* A bounded log line; text past the end is cut and marked. */
struct sxm_line {
    char    buf[SXM_SUMMARY_MAX];
    size_t  len;
    int     cut;
};

static void sxm_line_add(struct sxm_line *line, const char *fmt,...)
	__attribute__((format(printf, 2, 3)));

static void sxm_line_add(struct sxm_line *line, const char *fmt,...)
{
    va_list ap;
    int     n;

    if (line->cut)
	return;
    va_start(ap, fmt);
    n = vsnprintf(line->buf + line->len, sizeof(line->buf) - line->len, fmt,
		  ap);
    va_end(ap);
    if (n < 0 || (size_t) n >= sizeof(line->buf) - line->len) {
	line->cut = 1;
	line->len = sizeof(line->buf) - 1;
	(void) memcpy(line->buf + line->len - 3, "...", 3);
	line->buf[line->len] = 0;
	return;
    }
    line->len += (size_t) n;
}

const char *sxm_result_name(enum sxm_result r)
{
    switch (r) {
    case SXM_CONTINUE:
	return ("continue");
    case SXM_ACCEPT:
	return ("accept");
    case SXM_REJECT:
	return ("reject");
    case SXM_TEMPFAIL:
	return ("tempfail");
    case SXM_DISCARD:
	return ("discard");
    case SXM_SKIP:
	return ("skip");
    }
    return ("?");
}

/* Copy an address without its angle brackets, made safe. */
static void sxm_filter_bare(char *dst, size_t size, const char *arg)
{
    size_t  len = strlen(arg);

    if (len >= 2 && arg[0] == '<' && arg[len - 1] == '>') {
	arg++;
	len -= 2;
    }
    (void) sx_text_clean(dst, size, arg, len);
}

static void sxm_filter_error(struct sxm_conn *conn, enum sx_stats_error e)
{
    if (conn->stats != 0)
	sx_stats_error(conn->stats, e);
}

/*
 * Internal trouble: let the mail through (or tempfail when the admin
 * prefers), but never make the MTA's own bounce fail: that only makes
 * it retry and pile up.
 */
static enum sxm_result sxm_filter_doubt(struct sxm_conn *conn, const char *why,
					   enum sx_stats_error e)
{
    struct sxm_msg *msg = &conn->msg;
    int     tempfail = 0;

    sxm_filter_error(conn, e);
    if (msg->config != 0
	&& msg->config->settings.on_error == SX_ON_ERROR_TEMPFAIL
	&& !conn->internal)
	tempfail = 1;
    sxm_log(LOG_ERR, msg->qid, "%s; on_error: %s", why,
	    tempfail ? "tempfail" : "accept");
    if (tempfail && conn->ops->setreply(conn->handle, "451", "4.3.0",
			     "Temporary problem in the bounce filter, "
			     "try again later") != 0)
	sxm_log(LOG_WARNING, msg->qid, "cannot set the tempfail reply");
    sxm_msg_reset(conn);
    return (tempfail ? SXM_TEMPFAIL : SXM_ACCEPT);
}

/*
 * sxm_filter_keep - with explain_body, keep the bytes of a message that
 * may be a report, as the annotator wants them; past explain_body_max
 * give them up (the headers are still added).
 */
static void sxm_filter_keep(struct sxm_msg *msg, const char *buf, size_t len)
{
    size_t  max, size;
    char   *p;

    if (msg->config == 0 || !msg->config->settings.explain_body
	|| msg->keep_over || len == 0)
	return;
    max = msg->config->settings.explain_body_max;
    if (len > max - msg->keep_len || len > max) {
	msg->keep_over = 1;
	goto drop;
    }
    if (msg->keep_len + len > msg->keep_size) {
	size = msg->keep_size ? msg->keep_size : 8192;
	while (size < msg->keep_len + len)
	    size *= 2;
	if (size > max)
	    size = max;
	if ((p = realloc(msg->keep, size)) == 0) {
	    msg->keep_over = 2;			/* no memory: headers only */
	    goto drop;
	}
	msg->keep = p;
	msg->keep_size = size;
    }
    memcpy(msg->keep + msg->keep_len, buf, len);
    msg->keep_len += len;
    return;
drop:
    free(msg->keep);
    msg->keep = 0;
    msg->keep_len = msg->keep_size = 0;
}

void    sxm_filter_qid(struct sxm_conn *conn, const char *qid)
{
    if (qid != 0 && *qid != 0)
	(void) sx_text_clean(conn->msg.qid, sizeof(conn->msg.qid), qid,
			     strlen(qid));
}

void    sxm_filter_connect(struct sxm_conn *conn, const char *host,
				   const char *addr, int port,
				   const char *myhostname)
{
    conn->connected = 1;
    (void) snprintf(conn->client, sizeof(conn->client), "%s[%s]",
		    host ? host : "unknown", addr ? addr : "unknown");

    /*
     * Postfix's cleanup(8) presents its own mail (bounces, delay
     * warnings, when internal_mail_filter_classes has "bounce") as a
     * session from localhost with port 0; no TCP client has port 0.
     */
    conn->internal = (addr != 0 && port == 0);
    if (myhostname != 0)
	(void) sx_text_clean(conn->myhostname, sizeof(conn->myhostname),
			     myhostname, strlen(myhostname));
}

enum sxm_result sxm_filter_envfrom(struct sxm_conn *conn, const char *arg)
{
    struct sxm_msg *msg = &conn->msg;
    int     status;

    if ((status = sxm_msg_begin(conn)) != SX_OK)
	return (sxm_filter_doubt(conn, status == SX_ERR_CONFIG ?
			       "no configuration loaded" : "out of memory",
			       status == SX_ERR_CONFIG ? SX_STATS_ERROR_OTHER :
			       SX_STATS_ERROR_NOMEM));
    if (arg == 0)			/* unknown (test mode) */
	return (SXM_CONTINUE);

    /*
     * smtpd passes the null sender as "<>"; only Postfix's emulated
     * session for its own mail passes it bare and empty.
     */
    if (*arg == 0)
	conn->internal = 1;
    sxm_filter_bare(msg->sender, sizeof(msg->sender), arg);
    msg->null_sender = (msg->sender[0] == 0);
    sx_reader_envelope(msg->reader, msg->null_sender ? "<>" : msg->sender);
    return (SXM_CONTINUE);
}

enum sxm_result sxm_filter_envrcpt(struct sxm_conn *conn, const char *arg,
					   const char *mailer, const char *host,
					   const char *addr)
{
    struct sxm_msg *msg = &conn->msg;
    struct sx_finding f;

    if (!msg->active || msg->failed)
	return (SXM_CONTINUE);
    if (mailer == 0 || strcmp(mailer, "error") != 0) {
	if (msg->accepted++ == 0 && arg != 0)	/* whose language: explain_body */
	    sxm_filter_bare(msg->first_rcpt, sizeof(msg->first_rcpt), arg);
	return (SXM_CONTINUE);
    }

    /*
     * A recipient the MTA rejected: {rcpt_host} has the enhanced code,
     * {rcpt_addr} the text; the basic code is not told.
     */
    memset(&f, 0, sizeof(f));
    f.kind = SX_KIND_SESSION;
    f.replycode = 0;
    if (host != 0 && sx_status_valid(host, strlen(host)))
	(void) sx_text_copy(f.status, sizeof(f.status), host, strlen(host));
    else
	f.flags |= SX_FINDING_STATUS_GUESSED;
    f.action = (f.status[0] == '4') ? SX_ACTION_DELAYED : SX_ACTION_FAILED;
    sxm_filter_bare(f.recipient, sizeof(f.recipient), arg ? arg : "");
    if (addr != 0)
	(void) sx_text_clean(f.diagnostic, sizeof(f.diagnostic), addr,
			     strlen(addr));
    (void) sx_text_copy(f.command, sizeof(f.command), "RCPT", 4);
    (void) sx_text_copy(f.engine, sizeof(f.engine), "session", 7);
    (void) sx_text_copy(f.reporting_mta, sizeof(f.reporting_mta),
			conn->myhostname, strlen(conn->myhostname));
    if (sxm_msg_add_rejected(msg, &f) != SX_OK)
	msg->failed = 1;		/* acted on at end of message */
    return (SXM_CONTINUE);
}

enum sxm_result sxm_filter_header(struct sxm_conn *conn, const char *name,
					  const char *value)
{
    struct sxm_msg *msg = &conn->msg;

    if (!msg->active || msg->reader == 0)
	return (SXM_CONTINUE);
    if (value == 0)
	value = "";
    sxm_filter_keep(msg, name, strlen(name));
    sxm_filter_keep(msg, (conn->steps & SXM_STEP_LEADSPC) ? ":" : ": ",
		    (conn->steps & SXM_STEP_LEADSPC) ? 1 : 2);
    sxm_filter_keep(msg, value, strlen(value));
    sxm_filter_keep(msg, "\r\n", 2);
    if (strcasecmp(name, SX_HEADER_NAME) == 0) {
	/* Never trust one: it came from outside (see STRIPPING in docs). */
	msg->foreign++;
	return (SXM_CONTINUE);
    }
    if (strcasecmp(name, SX_RESULT_NAME) == 0) {
	msg->foreign_result++;
	return (SXM_CONTINUE);
    }
    if (strcasecmp(name, "Subject") == 0)
	msg->have_subject = 1;
    while (*value == ' ' || *value == '\t')
	value++;
    if (sx_reader_header(msg->reader, name, value) != SX_OK)
	return (sxm_filter_doubt(conn, "out of memory reading headers",
				     SX_STATS_ERROR_NOMEM));
    return (SXM_CONTINUE);
}

enum sxm_result sxm_filter_eoh(struct sxm_conn *conn)
{
    struct sxm_msg *msg = &conn->msg;

    if (!msg->active || msg->reader == 0)
	return (SXM_CONTINUE);
    if (sx_reader_end_headers(msg->reader) != SX_OK)
	return (sxm_filter_doubt(conn, "out of memory reading headers",
				     SX_STATS_ERROR_NOMEM));
    if (sx_reader_maybe_bounce(msg->reader)) {
	sxm_filter_keep(msg, "\r\n", 2);
	return (SXM_CONTINUE);
    }

    /* Not a report of any kind: the body cannot change that. */
    sx_reader_free(msg->reader);
    msg->reader = 0;
    free(msg->keep);
    msg->keep = 0;
    msg->keep_len = msg->keep_size = 0;
    msg->not_report = 1;
    if (msg->rejected_count == 0 && msg->rejected_dropped == 0 && !msg->failed
	&& ((msg->foreign == 0 && msg->foreign_result == 0)
	    || !msg->config->settings.strip_foreign)) {
	sxm_log(LOG_DEBUG, msg->qid, "not a report: accepted at end of "
		"headers");
	if (conn->stats != 0)
	    sx_stats_message(conn->stats, 0, 0);
	sxm_msg_reset(conn);
	return (SXM_ACCEPT);
    }
    return (SXM_CONTINUE);
}

enum sxm_result sxm_filter_body(struct sxm_conn *conn, const char *buf,
					size_t len)
{
    struct sxm_msg *msg = &conn->msg;

    if (!msg->active || msg->reader == 0)
	return (SXM_SKIP);
    sxm_filter_keep(msg, buf, len);
    if (sx_reader_push(msg->reader, buf, len) != SX_OK)
	return (sxm_filter_doubt(conn, "out of memory reading the body",
				     SX_STATS_ERROR_NOMEM));
    return (SXM_CONTINUE);
}

static void sxm_eval_free(struct sxm_eval *ev)
{
    sx_report_free(&ev->report);
    memset(ev, 0, sizeof(*ev));
}

/* Explain every finding and rejected recipient, then ask the policy. */
static int sxm_eval_run(struct sxm_conn *conn, struct sxm_eval *ev)
{
    struct sxm_msg *msg = &conn->msg;
    const struct sx_config *config = msg->config;
    struct sx_policy_input *in = &ev->in;

    memset(ev, 0, sizeof(*ev));
    if (sx_report_build(&ev->report, config->registry, msg->reader, msg->rejected,
			msg->rejected_count) != SX_OK)
	return (SX_ERR_NOMEM);
    (void) sx_report_lifetime(&ev->report, config->settings.queue_lifetime);
    ev->count = ev->report.count;
    in->report = &ev->report;
    in->envelope_sender = msg->sender;
    in->subject = (ev->report.msg != 0 && msg->have_subject) ? ev->report.msg->subject : 0;
    in->internal = conn->internal;

    memset(&ev->verdict, 0, sizeof(ev->verdict));
    ev->verdict.action = SX_POLICY_ANNOTATE;
    ev->verdict.annotate = 1;
    if (config->policy != 0)
	(void) sx_policy_evaluate(config->policy, &config->settings, in,
				  &ev->verdict);
    return (SX_OK);
}

/* Set the verdict's SMTP reply; a reply of the wrong class would be lost. */
static void sxm_filter_reply(struct sxm_conn *conn, const struct sx_verdict *v,
				     const char *code, const char *xcode)
{
    const char *text = v->reply_text[0] ? v->reply_text : 0;

    if (v->replycode[0] == code[0] && strlen(v->replycode) == 3) {
	code = v->replycode;
	xcode = v->xcode[0] ? v->xcode : 0;
    } else if (v->replycode[0] != 0) {
	sxm_log(LOG_WARNING, conn->msg.qid, "rule %s: reply code %s does not "
		"fit the action; using %s", v->rule, v->replycode, code);
    }
    if (xcode != 0 && xcode[0] != code[0])
	xcode = 0;
    if (conn->ops->setreply(conn->handle, code, xcode, text) != 0) {
	sxm_filter_error(conn, SX_STATS_ERROR_MILTER);
	sxm_log(LOG_WARNING, conn->msg.qid, "rule %s: the MTA refused the "
		"reply text; it will use its default", v->rule);
    }
}

/* Delete count incoming headers called name, last first (Postfix renumbers). */
static void sxm_filter_strip_name(struct sxm_conn *conn, const char *name,
				          unsigned count, struct sxm_done *done)
{
    unsigned i;

    for (i = count; i > 0; i--) {
	if (conn->ops->chgheader(conn->handle, name, (int) i, 0) == 0)
	    done->removed++;
	else {
	    sxm_filter_error(conn, SX_STATS_ERROR_MILTER);
	    sxm_log(LOG_WARNING, conn->msg.qid, "cannot delete %s header #%u",
		    name, i);
	}
    }
}

/* Delete incoming X-SMTP-Explain and X-SMTP-Explain-Result headers. */
static void sxm_filter_strip(struct sxm_conn *conn, struct sxm_done *done)
{
    sxm_filter_strip_name(conn, SX_HEADER_NAME, conn->msg.foreign, done);
    sxm_filter_strip_name(conn, SX_RESULT_NAME, conn->msg.foreign_result, done);
}

/*
 * sxm_filter_doubt_eom - as sxm_filter_doubt(), at the end of a message:
 * headers a stranger forged are removed first. That needs only their
 * count, never the analysis, so no failure of ours lets one through.
 */
static enum sxm_result sxm_filter_doubt_eom(struct sxm_conn *conn, const char *why,
					        enum sx_stats_error e)
{
    struct sxm_done done;

    memset(&done, 0, sizeof(done));
    if (conn->msg.config == 0 || conn->msg.config->settings.strip_foreign)
	sxm_filter_strip(conn, &done);
    if (done.removed)
	sxm_log(LOG_INFO, conn->msg.qid, "removed %u forged %s header%s "
		"client=%s", done.removed, SX_HEADER_NAME,
		done.removed == 1 ? "" : "s", conn->client);
    return (sxm_filter_doubt(conn, why, e));
}

/* sxm_filter_add - add one header of ours */

static void sxm_filter_add(struct sxm_conn *conn, const char *name,
			           const char *value, struct sxm_done *done)
{
    if (conn->ops->addheader(conn->handle, name, value) == 0) {
	if (strcmp(name, SX_HEADER_NAME) == 0)
	    done->added++;			/* headers= counts explanations */
    } else {
	sxm_filter_error(conn, SX_STATS_ERROR_MILTER);
	sxm_log(LOG_WARNING, conn->msg.qid, "cannot add a %s header", name);
    }
}

static void sxm_filter_annotate(struct sxm_conn *conn,
				        const struct sxm_eval *ev,
					struct sxm_done *done)
{
    const struct sx_settings *set = &conn->msg.config->settings;
    struct sx_render_opts opts;
    char    buf[SX_RENDER_MIN + 2];
    char    host[SX_HOST_MAX];
    size_t  off = (conn->steps & SXM_STEP_LEADSPC) ? 1 : 0;
    size_t  total, shown;
    size_t  i;
    const struct sx_finding *f;
    const struct sx_explanation *ex;

    /* n=I/N counts every finding; only the first max_headers are shown. */
    shown = ev->count;
    if (set->annotate_session_rejects)
	shown += conn->msg.rejected_count;
    total = shown;
    if (conn->msg.reader)
	total += sx_reader_message(conn->msg.reader)->findings_dropped;
    if (shown > set->max_headers)
	shown = set->max_headers;

    memset(&opts, 0, sizeof(opts));
    if (set->authserv_id != 0 && set->authserv_id[0] != 0) {
	opts.authserv_id = set->authserv_id;
    } else if (conn->myhostname[0] != 0) {
	opts.authserv_id = conn->myhostname;
    } else if (gethostname(host, sizeof(host)) == 0) {
	host[sizeof(host) - 1] = 0;
	opts.authserv_id = host;
    }
    opts.fold = "\n\t";
    opts.with_text = set->header_text;
    opts.with_diag = set->header_diag;
    opts.diag_max = set->diag_max;
    if (conn->msg.reader)
	opts.cut = sx_reader_message(conn->msg.reader)->cut;
    opts.lang = done->lang;
    opts.help_url = set->help_url;

    buf[0] = ' ';
    for (i = 0; i < shown; i++) {
	if (i < ev->count) {
	    f = ev->report.items[i].finding;
	    ex = &ev->report.items[i].ex;
	} else {
	    f = ev->report.rejected[i - ev->count].finding;
	    ex = &ev->report.rejected[i - ev->count].ex;
	}
	if (sx_render_header(&opts, f, ex, i, total, buf + off,
			     sizeof(buf) - off) < 0) {
	    sxm_log(LOG_WARNING, conn->msg.qid, "finding %zu: header too long, "
		    "left out", i + 1);
	    continue;
	}
	sxm_filter_add(conn, SX_HEADER_NAME, buf, done);
	if (set->result_header
	    && sx_render_result(&opts, f, ex, i, total, buf + off,
				sizeof(buf) - off) > 0)
	    sxm_filter_add(conn, SX_RESULT_NAME, buf, done);
    }
}

/*
 * sxm_filter_thread - In-Reply-To and References naming the message the
 * report returned, when the report has neither (thread_reports): mail
 * clients then show the report beside the message that bounced.
 */
static void sxm_filter_thread(struct sxm_conn *conn, struct sxm_done *done)
{
    char    id[260], buf[264];

    if (conn->msg.reader == 0
	|| !sx_report_thread_id(sx_reader_message(conn->msg.reader), id, sizeof(id)))
	return;
    (void) snprintf(buf, sizeof(buf), "%s%s",
		    (conn->steps & SXM_STEP_LEADSPC) ? " " : "", id);
    sxm_filter_add(conn, "In-Reply-To", buf, done);
    sxm_filter_add(conn, "References", buf, done);
}

static void sxm_filter_subject(struct sxm_conn *conn, const char *subject,
				       struct sxm_done *done)
{
    char    buf[sizeof(((struct sx_verdict *) 0)->subject) + 1];
    int     r;

    (void) snprintf(buf, sizeof(buf), "%s%s",
		    (conn->steps & SXM_STEP_LEADSPC) ? " " : "", subject);
    if (conn->msg.have_subject)
	r = conn->ops->chgheader(conn->handle, "Subject", 1, buf);
    else
	r = conn->ops->addheader(conn->handle, "Subject", buf);
    if (r == 0) {
	done->subject = 1;
    } else {
	sxm_filter_error(conn, SX_STATS_ERROR_MILTER);
	sxm_log(LOG_WARNING, conn->msg.qid, "cannot rewrite the Subject");
    }
}

/*
 * sxm_filter_lang - the language of the person the report goes to: the
 * first accepted recipient, else the sender of the returned message
 * (usually the same person), through the map; then the returned
 * message's Content-Language; then explain_lang.
 */
static const char *sxm_filter_lang(struct sxm_conn *conn, const struct sxm_eval *ev)
{
    const struct sx_config *config = conn->msg.config;
    const struct sx_message *m = ev->report.msg;
    const char *who = conn->msg.first_rcpt;

    if (who[0] == 0 && m != 0)
	who = m->orig_sender;
    return (sx_lang_choose(config->langs, config->settings.explain_lang_map, who,
			   m ? m->orig_language : 0, config->settings.explain_lang));
}

/*
 * sxm_filter_explain_body - explain_body: the block in the report's
 * text. The annotator leaves the header as it was; the MTA gets the
 * new body.
 */
static void sxm_filter_explain_body(struct sxm_conn *conn,
				            const struct sxm_eval *ev,
					    struct sxm_done *done)
{
    struct sxm_msg *msg = &conn->msg;
    const struct sx_settings *set = &msg->config->settings;
    struct sx_annotate_opts opts = {
	.max = set->explain_body_max,
	.signed_ok = set->explain_body_signed,
	.lang = done->lang,
	.langs = msg->config->langs,
	.reg = msg->config->registry,
	.help_url = set->help_url,
    };
    struct sx_annotate_out out;

    if (!set->explain_body)
	return;
    if (msg->keep_over) {
	done->body = msg->keep_over == 1 ? "unchanged (larger than "
	    "explain_body_max)" : "unchanged (no memory)";
	return;
    }
    if (msg->keep == 0) {
	done->body = "unchanged (not kept)";
	return;
    }
    if (sx_annotate(msg->keep, msg->keep_len, &ev->report, &opts, &out) != SX_OK) {
	sxm_filter_error(conn, SX_STATS_ERROR_NOMEM);
	done->body = "unchanged (no memory)";
	return;
    }
    if (out.data == 0) {
	done->body = out.why;
	return;
    }
    if (conn->ops->replacebody(conn->handle, out.data + out.body,
			       out.len - out.body) == 0) {
	done->body = "explained";
    } else {
	sxm_filter_error(conn, SX_STATS_ERROR_MILTER);
	sxm_log(LOG_WARNING, msg->qid, "cannot replace the body (is "
		"explain_body on since the connection began?)");
	done->body = "unchanged (the MTA refused)";
    }
    sx_annotate_free(&out);
}

/* Carry the verdict out. Edits only when the message goes on. */
static enum sxm_result sxm_filter_apply(struct sxm_conn *conn,
					   struct sxm_eval *ev,
					   struct sxm_done *done)
{
    struct sx_verdict *v = &ev->verdict;
    const struct sx_settings *set = &conn->msg.config->settings;
    char    reason[sizeof(v->quarantine_reason) + 64];

    /* Belt and braces: the policy downgrades these too. */
    if (conn->internal
	&& (v->action == SX_POLICY_DEFER || v->action == SX_POLICY_REJECT)) {
	v->action = SX_POLICY_ANNOTATE;
	v->annotate = 1;
	v->downgraded = 1;
    }
    done->downgraded = v->downgraded;

    switch (v->action) {
    case SX_POLICY_DEFER:
	sxm_filter_reply(conn, v, "451", "4.7.1");
	return (SXM_TEMPFAIL);
    case SX_POLICY_REJECT:
	sxm_filter_reply(conn, v, "550", "5.7.1");
	return (SXM_REJECT);
    case SX_POLICY_DISCARD:
	return (SXM_DISCARD);
    case SX_POLICY_ANNOTATE:
    case SX_POLICY_ACCEPT:
    case SX_POLICY_QUARANTINE:
	break;
    }
    if (set->strip_foreign)
	sxm_filter_strip(conn, done);
    if (v->annotate || v->action == SX_POLICY_ANNOTATE) {
	if (set->explain_body)
	    done->lang = sxm_filter_lang(conn, ev);
	sxm_filter_annotate(conn, ev, done);
	sxm_filter_explain_body(conn, ev, done);
	if (set->thread_reports && ev->count > 0)
	    sxm_filter_thread(conn, done);
    }
    if (v->subject[0] != 0)
	sxm_filter_subject(conn, v->subject, done);
    if (v->action == SX_POLICY_QUARANTINE) {
	if (v->quarantine_reason[0] != 0)
	    (void) snprintf(reason, sizeof(reason), "%s", v->quarantine_reason);
	else
	    (void) snprintf(reason, sizeof(reason), "smtp-explain rule %s",
			    v->rule[0] ? v->rule : "(default)");
	if (conn->ops->quarantine(conn->handle, reason) != 0) {
	    sxm_filter_error(conn, SX_STATS_ERROR_MILTER);
	    sxm_log(LOG_WARNING, conn->msg.qid, "cannot quarantine");
	}
    }
    return (SXM_CONTINUE);
}

static void sxm_line_finding(struct sxm_line *line, const struct sx_finding *f,
				     const struct sx_explanation *ex)
{
    sxm_line_add(line, "; rcpt=<%s> status=%s", f->recipient,
		 f->status[0] ? f->status : "-");
    if (f->replycode != 0)
	sxm_line_add(line, " code=%d", f->replycode);
    sxm_line_add(line, " reason=%s", ex->reason);
    if (ex->vendor_name[0] != 0)
	sxm_line_add(line, " vendor=%s", ex->vendor_name);
}

/* One line per message: what it was, what we found, what we did. */
static void sxm_filter_summary(struct sxm_conn *conn, const struct sxm_eval *ev,
				       const struct sxm_done *done,
				       const char *what, const char *result)
{
    struct sxm_msg *msg = &conn->msg;
    const struct sx_message *m =
	msg->reader ? sx_reader_message(msg->reader) : 0;
    const struct sx_verdict *v = &ev->verdict;
    struct sxm_line line;
    size_t  i;

    line.len = 0;
    line.cut = 0;
    line.buf[0] = 0;
    sxm_line_add(&line, "%s from=<%s> client=%s%s", what, msg->sender,
		 conn->client, conn->internal ? " internal=yes" : "");
    if (m != 0 && ev->count > 0)
	sxm_line_add(&line, " kind=%s engine=%s", sx_kind_name(m->kind),
		     m->engine[0] ? m->engine : "-");
    sxm_line_add(&line, " findings=%zu", ev->count);
    if (m != 0 && m->findings_dropped > 0)
	sxm_line_add(&line, " dropped=%zu", m->findings_dropped);
    sxm_line_add(&line, " rejected=%zu",
		 msg->rejected_count + msg->rejected_dropped);
    sxm_line_add(&line, " action=%s", sx_policy_action_name(v->action));
    if (v->rule[0] != 0)
	sxm_line_add(&line, " rule=%s", v->rule);
    if (done->downgraded)
	sxm_line_add(&line, " downgraded=yes");
    if (v->action == SX_POLICY_DEFER || v->action == SX_POLICY_REJECT)
	sxm_line_add(&line, " reply=\"%s %s %s\"", v->replycode, v->xcode,
		     v->reply_text);
    sxm_line_add(&line, " headers=%u removed=%u", done->added, done->removed);
    if (done->subject)
	sxm_line_add(&line, " subject=rewritten");
    if (done->body != 0)
	sxm_line_add(&line, " body=\"%s\" lang=%s", done->body,
		     done->lang ? done->lang : "en");
    sxm_line_add(&line, " result=%s", result);
    for (i = 0; i < ev->count; i++)
	sxm_line_finding(&line, ev->report.items[i].finding, &ev->report.items[i].ex);
    for (i = 0; i < ev->report.rejected_count; i++) {
	sxm_line_add(&line, "; session");
	sxm_line_finding(&line, ev->report.rejected[i].finding, &ev->report.rejected[i].ex);
	sxm_line_add(&line, " text=\"%s\"", msg->rejected[i].diagnostic);
    }
    sxm_log(LOG_INFO, msg->qid, "%s", line.buf);
}

enum sxm_result sxm_filter_eom(struct sxm_conn *conn)
{
    struct sxm_msg *msg = &conn->msg;
    struct sxm_eval ev;
    struct sxm_done done;
    enum sxm_result result;

    if (!msg->active)
	return (SXM_CONTINUE);
    if (msg->failed)
	return (sxm_filter_doubt_eom(conn, "out of memory earlier in the message",
				     SX_STATS_ERROR_NOMEM));
    if (msg->reader != 0 && sx_reader_finish(msg->reader) != SX_OK)
	return (sxm_filter_doubt_eom(conn, "out of memory reading the message",
				     SX_STATS_ERROR_NOMEM));
    if (msg->reader != 0 && sx_reader_message(msg->reader)->cut)
	sxm_log(LOG_WARNING, msg->qid, "analysis cut: the message passed "
		"analysis_%s; what was found so far is kept; client=%s",
		sx_cut_name(sx_reader_message(msg->reader)->cut), conn->client);
    if (sxm_eval_run(conn, &ev) != SX_OK) {
	sxm_eval_free(&ev);
	return (sxm_filter_doubt_eom(conn, "out of memory explaining the message",
				     SX_STATS_ERROR_NOMEM));
    }
    memset(&done, 0, sizeof(done));
    if (ev.count == 0 && msg->rejected_count == 0
	&& msg->rejected_dropped == 0) {
	/* Nothing to explain: only clean up forged headers. */
	if (msg->config->settings.strip_foreign)
	    sxm_filter_strip(conn, &done);
	sxm_log(msg->not_report && done.removed == 0 ? LOG_DEBUG : LOG_INFO, msg->qid,
		"%s from=<%s> client=%s%s findings=0 removed=%u",
		msg->not_report ? "not a report" : "no findings",
		msg->sender, conn->client,
		conn->internal ? " internal=yes" : "", done.removed);
	result = SXM_CONTINUE;
	if (conn->stats != 0)
	    sx_stats_message(conn->stats, &ev.in, 0);
    } else {
	result = sxm_filter_apply(conn, &ev, &done);
	sxm_filter_summary(conn, &ev, &done,
			   msg->not_report ? "session" : "report",
			   sxm_result_name(result));
	if (conn->stats != 0)
	    sx_stats_message(conn->stats, &ev.in, &ev.verdict);
    }
    sxm_eval_free(&ev);
    sxm_msg_reset(conn);
    return (result);
}

void    sxm_filter_abort(struct sxm_conn *conn)
{
    struct sxm_msg *msg = &conn->msg;
    struct sxm_eval ev;
    struct sxm_done done;

    /*
     * With no accepted recipient there is no end of message: this is
     * the only place to log the session's rejections, and what the
     * policy would have done.
     */
    if (msg->active && !msg->failed && msg->config != 0
	&& (msg->rejected_count > 0 || msg->rejected_dropped > 0)) {
	sx_reader_free(msg->reader);
	msg->reader = 0;
	memset(&done, 0, sizeof(done));
	if (sxm_eval_run(conn, &ev) == SX_OK) {
	    sxm_filter_summary(conn, &ev, &done, "session aborted", "none");
	    /* Counted, but no verdict: nothing was applied. */
	    if (conn->stats != 0)
		sx_stats_message(conn->stats, &ev.in, 0);
	} else {
	    sxm_filter_error(conn, SX_STATS_ERROR_NOMEM);
	    sxm_log(LOG_WARNING, msg->qid, "out of memory logging %zu "
		    "rejected recipients", msg->rejected_count);
	}
	sxm_eval_free(&ev);
    }
    sxm_msg_reset(conn);
}
