/*
 * NAME
 *	format 3
 * SUMMARY
 *	the output formats of smtp-explain parse
 * SYNOPSIS
 *	#include "cli.h"
 *
 *	int	cli_format_name(const char *name, enum cli_format *out);
 *	void	cli_format_begin(struct cli_format_ctx *fc);
 *	int	cli_format_message(void *fc, const struct cli_msginfo *mi);
 *	void	cli_format_end(struct cli_format_ctx *fc);
 *
 *	void	cli_wrap(const char *label, const char *text);
 *	void	cli_print_explanation(const struct sx_finding *f,
 *				const struct sx_explanation *ex);
 *	const char *cli_domain(const char *address);
 *	int	cli_hard_reason(const char *reason);
 * DESCRIPTION
 *	One writer per format, each a function of one message's report and
 *	where it came from; all write through the buffered cli_stdout.
 *
 *	text: for people. A file that is one message always gets its "==>"
 *	line; a message of an mbox only when it reports something.
 *
 *	json: one object per finding per line (JSON Lines); "file" names
 *	the file and, for a message of an mbox, "message" its number.
 *
 *	csv: RFC 4180, a header line first, one line per finding.
 *
 *	sisimai: one JSON array of objects with the field names and value
 *	conventions of the Sisimai bounce parser's data (docs/formats.md
 *	lists each field and where ours differs). As Sisimai does, it
 *	leaves out successful deliveries (unless fc->delivered) and
 *	auto-replies.
 *
 *	cli_print_explanation() writes the wording in cli_lang (--lang,
 *	LANG), and the admin's advice where the entry has one of its own.
 *	cli_domain() is the part of an address after its last "@", or "".
 *	cli_hard_reason() says whether a reason is a hard bounce whatever
 *	the class (no such user, no such domain, moved).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <smtp-explain/lang.h>
#include <smtp-explain/render.h>
#include <smtp-explain/registry.h>

#include "cli.h"

#define OUT (&cli_stdout)

static const char *const cli_format_names[] = {
    [CLI_FORMAT_TEXT] = "text",
    [CLI_FORMAT_JSON] = "json",
    [CLI_FORMAT_CSV] = "csv",
    [CLI_FORMAT_SISIMAI] = "sisimai",
};

int     cli_format_name(const char *name, enum cli_format *out)
{
    size_t  i;

    for (i = 0; i < sizeof(cli_format_names) / sizeof(cli_format_names[0]); i++) {
	if (strcmp(name, cli_format_names[i]) == 0) {
	    *out = (enum cli_format) i;
	    return (1);
	}
    }
    return (0);
}

const char *cli_domain(const char *addr)
{
    const char *at = strrchr(addr, '@');

    return (at ? at + 1 : "");
}

int     cli_hard_reason(const char *reason)
{
    return (strcmp(reason, "userunknown") == 0 || strcmp(reason, "hostunknown") == 0
	    || strcmp(reason, "hasmoved") == 0);
}

/* ------------------------------------------------------------ text */

void    cli_wrap(const char *label, const char *text)
{
    size_t  col, n, indent = 10;
    const char *p = text;

    cli_out_fmt(OUT, "%-9s ", label);
    if (strlen(label) > 9)
	indent = strlen(label) + 1;
    col = indent;
    while (*p) {
	const char *sp = strchr(p, ' ');

	n = sp ? (size_t) (sp - p) : strlen(p);
	if (col > indent && col + n + 1 > 78) {
	    cli_out_fmt(OUT, "\n%*s", (int) indent, "");
	    col = indent;
	} else if (col > indent) {
	    cli_out_ch(OUT, ' ');
	    col++;
	}
	cli_out_mem(OUT, p, n);
	col += n;
	p += n;
	while (*p == ' ')
	    p++;
    }
    cli_out_ch(OUT, '\n');
}

void    cli_print_explanation(const struct sx_finding *f,
			              const struct sx_explanation *in)
{
    char    code[32] = "", url[512];
    struct sx_explanation lx = *in;	/* its wording in cli_lang */
    const struct sx_explanation *ex = &lx;

    sx_lang_explain(cli_langs, cli_lang, &lx);
    if (f->replycode)
	snprintf(code, sizeof(code), "%03d", f->replycode);
    if (f->status[0])
	snprintf(code + strlen(code), sizeof(code) - strlen(code), "%s%s",
		 code[0] ? " " : "", f->status);
    cli_out_fmt(OUT, "%s: ", code[0] ? code : "(no code)");
    cli_out_str(OUT, ex->title);
    cli_out_fmt(OUT, "\n%-9s %s", "class", sx_class_name(ex->class));
    cli_out_fmt(OUT, "; reason %s; who acts: %s; retry: %s\n", ex->reason,
		sx_who_name(ex->who), sx_retry_name(ex->retry));
    if (f->flags & SX_FINDING_CLASS_MISMATCH)
	cli_out_fmt(OUT, "%-9s the basic code and the enhanced code disagree on the class;"
		    " both are kept as sent\n", "warning");
    cli_wrap("meaning", ex->text);
    cli_wrap("advice", ex->action);
    if (ex->action_admin[0])
	cli_wrap("admin", ex->action_admin);
    if (ex->vendor_name[0])
	cli_out_fmt(OUT, "%-9s %s\n", "vendor", ex->vendor_name);
    if (ex->ref[0])
	cli_out_fmt(OUT, "%-9s %s\n", "see", ex->ref);
    if (sx_explain_url(ex, f, 0, url, sizeof(url)) > 0)
	cli_out_fmt(OUT, "%-9s %s\n", "help", url);
}

static void cli_text_message(struct cli_format_ctx *fc, const struct cli_msginfo *mi)
{
    const struct sx_report *rep = mi->rep;
    const struct sx_message *m = rep->msg;
    size_t  i, n = rep->count;

    if (mi->ref->number && n == 0)
	return;
    cli_out_str(OUT, "==> ");
    cli_out_str(OUT, mi->ref->file);
    if (mi->ref->number)
	cli_out_fmt(OUT, " message %zu", mi->ref->number);
    cli_out_fmt(OUT, ": %zu finding%s", n, n == 1 ? "" : "s");
    if (n)
	cli_out_fmt(OUT, " (%s, %s)", sx_kind_name(m->kind), m->engine);
    if (m->findings_dropped)
	cli_out_fmt(OUT, ", %zu more not kept", m->findings_dropped);
    if (m->cut)
	cli_out_fmt(OUT, ", analysis cut by the %s budget", sx_cut_name(m->cut));
    if (n == 0 && m->autoreply)
	cli_out_str(OUT, " (an automatic reply, not a delivery report;"
		    " --autoreplies reports it)");
    cli_out_ch(OUT, '\n');
    for (i = 0; i < n; i++) {
	const struct sx_finding *f = rep->items[i].finding;

	cli_out_fmt(OUT, "\n[%zu] ", i + 1);
	cli_out_str(OUT, f->recipient[0] ? f->recipient : "(no recipient)");
	cli_out_ch(OUT, ' ');
	cli_out_str(OUT, f->action ? sx_action_name(f->action) : sx_kind_name(f->kind));
	if (f->remote_mta[0]) {
	    cli_out_str(OUT, " at ");
	    cli_out_str(OUT, f->remote_mta);
	}
	cli_out_ch(OUT, '\n');
	if (f->diagnostic[0])
	    cli_wrap("reply", f->diagnostic);
	cli_print_explanation(f, &rep->items[i].ex);
    }
    if (fc->headers && n) {
	struct sx_render_opts ro = {
	    .authserv_id = cli_authserv_id(),
	    .fold = "\n\t",
	    .with_text = 1,
	    .with_diag = 1,
	    .cut = m->cut,
	};
	char    hdr[SX_RENDER_MIN * 2];

	cli_out_str(OUT, "\nHeaders the milter would add:\n");
	for (i = 0; i < n; i++) {
	    if (sx_render_header(&ro, rep->items[i].finding, &rep->items[i].ex, i, n,
				 hdr, sizeof(hdr)) > 0)
		cli_out_fmt(OUT, "%s: %s\n", SX_HEADER_NAME, hdr);
	    if (sx_render_result(&ro, rep->items[i].finding, &rep->items[i].ex, i, n,
				 hdr, sizeof(hdr)) > 0)
		cli_out_fmt(OUT, "%s: %s\n", SX_RESULT_NAME, hdr);
	}
	/* thread_reports, on by default: beside the message that bounced. */
	if (sx_report_thread_id(m, hdr, sizeof(hdr)))
	    cli_out_fmt(OUT, "In-Reply-To: %s\nReferences: %s\n", hdr, hdr);
    }
}

/* ------------------------------------------------------------ json */

static void cli_field(const char *key, const char *value, int first)
{
    if (!first)
	cli_out_ch(OUT, ',');
    cli_out_ch(OUT, '"');
    cli_out_str(OUT, key);		/* keys are ours: plain ASCII */
    cli_out_str(OUT, "\":");
    cli_out_json(OUT, value ? value : "");
}

static void cli_json_item(const struct cli_msginfo *mi, const struct sx_report_item *it)
{
    const struct sx_finding *f = it->finding;
    const struct sx_explanation *ex = &it->ex;
    char    code[8] = "";

    if (f->replycode)
	snprintf(code, sizeof(code), "%03d", f->replycode);
    cli_out_ch(OUT, '{');
    cli_field("file", mi->ref->file, 1);
    if (mi->ref->number)
	cli_out_fmt(OUT, ",\"message\":%zu", mi->ref->number);
    cli_field("kind", sx_kind_name(f->kind), 0);
    cli_field("recipient", f->recipient, 0);
    cli_field("original_recipient", f->original_recipient, 0);
    cli_field("action", sx_action_name(f->action), 0);
    cli_field("status", f->status, 0);
    cli_field("replycode", code, 0);
    cli_field("reason", ex->reason, 0);
    cli_field("class", sx_class_name(ex->class), 0);
    cli_field("who", sx_who_name(ex->who), 0);
    cli_field("retry", sx_retry_name(ex->retry), 0);
    cli_field("vendor", ex->vendor_name, 0);
    cli_field("remote_mta", f->remote_mta, 0);
    cli_field("reporting_mta", f->reporting_mta, 0);
    cli_field("command", f->command, 0);
    cli_field("engine", f->engine, 0);
    cli_field("diagnostic", f->diagnostic, 0);
    cli_field("title", ex->title, 0);
    cli_field("mismatch", (f->flags & SX_FINDING_CLASS_MISMATCH) ? "yes" : "", 0);
    /* Only when the budget ended the reading: a rare key. */
    if (mi->rep->msg->cut)
	cli_field("cut", sx_cut_name(mi->rep->msg->cut), 0);
    cli_out_str(OUT, "}\n");
}

/* ------------------------------------------------------------ csv */

static const char cli_csv_header[] =
"file,message,date,kind,recipient,original_recipient,action,status,replycode,"
"reason,class,who,retry,vendor,remote_mta,reporting_mta,command,engine,"
"diagnostic\n";

static void cli_date_iso(time_t t, char *buf, size_t size)
{
    struct tm tm;

    buf[0] = 0;
    if (t != 0 && gmtime_r(&t, &tm) != 0)
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void cli_csv_item(const struct cli_msginfo *mi, const struct sx_report_item *it)
{
    const struct sx_finding *f = it->finding;
    const struct sx_explanation *ex = &it->ex;
    const char *v[19];
    char    num[24] = "", code[8] = "", date[32];
    size_t  i;

    if (mi->ref->number)
	snprintf(num, sizeof(num), "%zu", mi->ref->number);
    if (f->replycode)
	snprintf(code, sizeof(code), "%03d", f->replycode);
    cli_date_iso(mi->date, date, sizeof(date));
    v[0] = mi->ref->file;
    v[1] = num;
    v[2] = date;
    v[3] = sx_kind_name(f->kind);
    v[4] = f->recipient;
    v[5] = f->original_recipient;
    v[6] = sx_action_name(f->action);
    v[7] = f->status;
    v[8] = code;
    v[9] = ex->reason;
    v[10] = sx_class_name(ex->class);
    v[11] = sx_who_name(ex->who);
    v[12] = sx_retry_name(ex->retry);
    v[13] = ex->vendor_name;
    v[14] = f->remote_mta;
    v[15] = f->reporting_mta;
    v[16] = f->command;
    v[17] = f->engine;
    v[18] = f->diagnostic;
    for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
	if (i)
	    cli_out_ch(OUT, ',');
	cli_out_csv(OUT, v[i]);
    }
    cli_out_ch(OUT, '\n');
}

/* ------------------------------------------------------------ sisimai */

/* Sisimai's names for the engines that have one of their own. */
static const char *cli_sisimai_agent(const char *engine)
{
    static const char *const map[][2] = {
	{"rfc3464", "RFC3464"},
	{"rfc3834", "RFC3834"},
	{"arf", "ARF"},
	{"feedback", "ARF"},
	{"autoreply", "RFC3834"},
    };
    size_t  i;

    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
	if (strcmp(engine, map[i][0]) == 0)
	    return (map[i][1]);
    return (engine);
}

/* cli_sisimai_diag - split "smtp; 550 ..." into its type and its text */

static const char *cli_sisimai_diag(const char *d, char *type, size_t size)
{
    size_t  n = strspn(d, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-");
    size_t  i;

    type[0] = 0;
    if (n == 0 || n >= size || d[n] != ';')
	return (d);
    for (i = 0; i < n; i++)
	type[i] = (char) ((d[i] >= 'a' && d[i] <= 'z') ? d[i] - 32 : d[i]);
    type[n] = 0;
    d += n + 1;
    while (*d == ' ')
	d++;
    return (d);
}

static void cli_lower(char *dst, size_t size, const char *src)
{
    size_t  i;

    for (i = 0; i + 1 < size && src[i]; i++)
	dst[i] = (char) ((src[i] >= 'A' && src[i] <= 'Z') ? src[i] + 32 : src[i]);
    dst[i] = 0;
}

static void cli_sisimai_item(struct cli_format_ctx *fc, const struct cli_msginfo *mi,
			             const struct sx_report_item *it)
{
    const struct sx_finding *f = it->finding;
    const struct sx_explanation *ex = &it->ex;
    const struct sx_message *m = mi->rep->msg;
    const char *reason = ex->reason, *action, *diag;
    char    code[8] = "", dtype[32], dest[SX_HOST_MAX], sdom[SX_HOST_MAX];
    char    msgid[SX_ADDR_MAX], tz[24];
    int     hard = 0, soft = 1, off = mi->tzoff % (24 * 60);
    size_t  n;

    if (f->kind == SX_KIND_AUTOREPLY || strcmp(reason, "vacation") == 0)
	return;
    if (!fc->delivered && (ex->class == SX_CLASS_SUCCESS
			   || f->action == SX_ACTION_DELIVERED))
	return;
    /* As Sisimai: a reply code that disagrees with the status is dropped. */
    if (f->replycode && !(f->status[0] && f->status[0] != '0' + f->replycode / 100))
	snprintf(code, sizeof(code), "%03d", f->replycode);
    action = f->action ? sx_action_name(f->action) : "";
    if (strcmp(reason, "expired") == 0)
	action = "delayed";
    else if (*action == 0 && (ex->class == SX_CLASS_PERMANENT
			      || ex->class == SX_CLASS_TRANSIENT))
	action = "failed";
    diag = cli_sisimai_diag(f->diagnostic, dtype, sizeof(dtype));
    if (dtype[0] == 0 && strcmp(reason, "feedback") != 0)
	snprintf(dtype, sizeof(dtype), "%s",
		 strcmp(reason, "mailererror") == 0 ? "X-UNIX" : "SMTP");
    if (strcmp(reason, "delivered") == 0 || strcmp(reason, "feedback") == 0) {
	soft = -1;
    } else if (cli_hard_reason(reason)
	       || (strcmp(reason, "notaccept") == 0 && ex->class != SX_CLASS_TRANSIENT)) {
	hard = 1;
	soft = 0;
    }
    cli_lower(dest, sizeof(dest), cli_domain(f->recipient));
    cli_lower(sdom, sizeof(sdom), cli_domain(m->orig_sender));
    /* The Message-Id without its angle brackets. */
    n = strlen(m->orig_message_id);
    if (n >= 2 && m->orig_message_id[0] == '<' && m->orig_message_id[n - 1] == '>')
	snprintf(msgid, sizeof(msgid), "%.*s", (int) n - 2, m->orig_message_id + 1);
    else
	snprintf(msgid, sizeof(msgid), "%s", m->orig_message_id);
    snprintf(tz, sizeof(tz), "%c%02d%02d", off < 0 ? '-' : '+',
	     (off < 0 ? -off : off) / 60, (off < 0 ? -off : off) % 60);

    cli_out_str(OUT, fc->written ? ",\n" : "\n");
    cli_out_ch(OUT, '{');
    cli_field("action", action, 1);
    cli_field("addresser", m->orig_sender, 0);
    cli_field("alias", f->original_recipient, 0);
    cli_out_str(OUT, ",\"catch\":null");
    cli_field("deliverystatus", f->status, 0);
    cli_field("destination", dest, 0);
    cli_field("diagnosticcode", diag, 0);
    cli_field("diagnostictype", dtype, 0);
    cli_field("feedbacktype", "", 0);
    cli_out_fmt(OUT, ",\"hardbounce\":%d", hard);
    cli_field("lhost", f->reporting_mta[0] ? f->reporting_mta : m->reporting_mta, 0);
    cli_field("listid", "", 0);
    cli_field("messageid", msgid, 0);
    cli_field("origin", mi->ref->file, 0);
    cli_field("reason", reason, 0);
    cli_field("recipient", f->recipient, 0);
    cli_field("replycode", code, 0);
    cli_field("rhost", f->remote_mta, 0);
    cli_field("senderdomain", sdom, 0);
    cli_field("smtpagent", cli_sisimai_agent(f->engine), 0);
    cli_field("smtpcommand", f->command, 0);
    cli_out_fmt(OUT, ",\"softbounce\":%d", soft);
    cli_field("subject", m->orig_subject, 0);
    cli_out_fmt(OUT, ",\"timestamp\":%lld", (long long) mi->date);
    cli_field("timezoneoffset", tz, 0);
    cli_field("token", "", 0);
    cli_out_ch(OUT, '}');
    fc->written++;
}

/* ------------------------------------------------------------ all */

void    cli_format_begin(struct cli_format_ctx *fc)
{
    if (fc->format == CLI_FORMAT_CSV)
	cli_out_str(OUT, cli_csv_header);
    else if (fc->format == CLI_FORMAT_SISIMAI)
	cli_out_ch(OUT, '[');
}

int     cli_format_message(void *ctx, const struct cli_msginfo *mi)
{
    struct cli_format_ctx *fc = ctx;
    size_t  i;

    fc->messages++;
    switch (fc->format) {
    case CLI_FORMAT_TEXT:
	cli_text_message(fc, mi);
	fc->written += mi->rep->count;
	break;
    case CLI_FORMAT_JSON:
	for (i = 0; i < mi->rep->count; i++)
	    cli_json_item(mi, &mi->rep->items[i]);
	fc->written += mi->rep->count;
	break;
    case CLI_FORMAT_CSV:
	for (i = 0; i < mi->rep->count; i++)
	    cli_csv_item(mi, &mi->rep->items[i]);
	fc->written += mi->rep->count;
	break;
    case CLI_FORMAT_SISIMAI:
	for (i = 0; i < mi->rep->count; i++)
	    cli_sisimai_item(fc, mi, &mi->rep->items[i]);
	break;
    }
    return (0);
}

void    cli_format_end(struct cli_format_ctx *fc)
{
    if (fc->format == CLI_FORMAT_SISIMAI)
	cli_out_str(OUT, fc->written ? "\n]\n" : "]\n");
}
