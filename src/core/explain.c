/*
 * NAME
 *	explain 3
 * SUMMARY
 *	map a finding to registry entries and a reason
 * DESCRIPTION
 *	See explain.h. The order of the reason choice is the point of this
 *	module: the same "550 5.7.1" means spam at one site and relaying
 *	denied at another, so a vendor entry (chosen by host and text)
 *	comes first, then what the text itself says, and only then what
 *	the codes say in general.
 */
#include <string.h>

#include <smtp-explain/explain.h>

/* Generic codes whose own reason says little: prefer the text's. */
static int sx_vague(const char *status)
{
    return (status[0] == 0 || strcmp(status + 1, ".0.0") == 0
	    || strcmp(status + 1, ".1.0") == 0 || strcmp(status + 1, ".2.0") == 0
	    || strcmp(status + 1, ".3.0") == 0 || strcmp(status + 1, ".4.0") == 0
	    || strcmp(status + 1, ".5.0") == 0 || strcmp(status + 1, ".7.0") == 0
	    || strcmp(status + 1, ".7.1") == 0 || strcmp(status + 1, ".6.0") == 0);
}

static const char *sx_entry_reason(const struct sx_entry *e, enum sx_class c)
{
    if (e == 0)
	return (0);
    if (c == SX_CLASS_TRANSIENT && e->reason_transient && *e->reason_transient)
	return (e->reason_transient);
    return (e->reason && *e->reason ? e->reason : 0);
}

/* sx_reason_in - is reason one of the names in the list? */

static int sx_reason_in(const char *reason, const char *const *list)
{
    for (; *list; list++)
	if (strcmp(reason, *list) == 0)
	    return (1);
    return (0);
}

/*
 * sx_reason_by_stage - what the SMTP stage and the DSN action add
 * to a reason found in codes or text.
 */
static const char *sx_reason_by_stage(const struct sx_finding *f,
				              enum sx_class class, const char *reason,
					              int from_text)
{
    /* Reasons that name a cause precisely enough to keep in any case. */
    static const char *const precise[] = {
	"spamdetected", "badreputation", "requireptr", "authfailure",
	"toomanyconn", "speeding", "mesgtoobig", "exceedlimit",
	"systemfull", "virusdetected", "securityerror", "mailboxfull",
	"hostunknown", "norelaying", "suspend", "notaccept", 0,
    };
    const char *cmd = f->command;

    /*
     * A temporary problem reported as final, or a delay warning: the
     * message is expiring, unless the server's words name the cause.
     */
    if ((f->action == SX_ACTION_FAILED && class == SX_CLASS_TRANSIENT)
	|| f->action == SX_ACTION_DELAYED)
	if (reason == 0 || (!from_text && !sx_reason_in(reason, precise)))
	    return ("expired");
    if (reason && sx_reason_in(reason, precise))
	return (reason);
    /*
     * The stage speaks when the server's words do not: refused at the
     * connection or greeting, the sending host is blocked (even when
     * the words say only that its name was rejected); at MAIL FROM,
     * the sender was rejected, not the recipient.
     */
    if ((!from_text || (reason && strcmp(reason, "rejected") == 0))
	&& (strcmp(cmd, "CONN") == 0 || strcmp(cmd, "HELO") == 0))
	return ("blocked");
    if (!from_text && strcmp(cmd, "MAIL") == 0)
	return ("rejected");
    /*
     * "Unknown user" that no addressing code confirms (X.1.1) and that
     * answered the message (DATA) rather than the address, or came
     * with a policy code (X.7.y), is a filter's generic refusal: the
     * address itself may well exist. When the stage is not known,
     * the words are taken as they stand.
     */
    if (reason && strcmp(reason, "userunknown") == 0
	&& !(f->status[0] && strncmp(f->status + 1, ".1.", 3) == 0)
	&& (strcmp(cmd, "DATA") == 0
	    || (strcmp(cmd, "RCPT") != 0 && f->status[0]
		&& strncmp(f->status + 1, ".7.", 3) == 0)))
	return ("filtered");
    return (reason);
}

/*
 * sx_host_name - the host name in a Remote-MTA or Reporting-MTA value
 * as reports write it: "mx.example.jp. (192.0.2.1)", "[192.0.2.1]",
 * "mx.example.jp (TCP|...)": the first word, without a final dot.
 */
static const char *sx_host_name(const char *mta, char *out, size_t size)
{
    size_t  n = 0;

    while (*mta == ' ' || *mta == '[')
	mta++;
    while (mta[n] && mta[n] != ' ' && mta[n] != ']' && mta[n] != '(' && n + 1 < size)
	n++;
    while (n > 0 && mta[n - 1] == '.')
	n--;
    memcpy(out, mta, n);
    out[n] = 0;
    return (out);
}

#define SX_PICK(field) \
    ((ex->vendor && ex->vendor->field) ? ex->vendor->field : \
     (ex->enhanced && enh_level == 3 && ex->enhanced->field) ? ex->enhanced->field : \
     (ex->basic && ex->basic->field && !(ex->enhanced && f->replycode / 100 == 2)) \
        ? ex->basic->field : \
     (ex->enhanced && ex->enhanced->field) ? ex->enhanced->field : \
     (ex->basic && ex->basic->field) ? ex->basic->field : 0)

void    sx_explain(const struct sx_registry *reg, const struct sx_finding *f,
		           struct sx_explanation *ex)
{
    int     enh_level = 0;
    const char *text_reason, *code_reason, *basic_reason;
    struct sx_text_hits hits;
    char    hostbuf[SX_HOST_MAX];
    const char *host = sx_host_name(f->remote_mta[0] ? f->remote_mta : f->reporting_mta,
				    hostbuf, sizeof(hostbuf));

    memset(ex, 0, sizeof(*ex));
    if (f->status[0])
	ex->class = sx_class_of_status(f->status);
    else if (f->replycode)
	ex->class = sx_class_of_code(f->replycode);
    else if (f->action == SX_ACTION_FAILED)
	ex->class = SX_CLASS_PERMANENT;
    else if (f->action == SX_ACTION_DELAYED)
	ex->class = SX_CLASS_TRANSIENT;
    else if (f->action != SX_ACTION_NONE)
	ex->class = SX_CLASS_SUCCESS;

    if (f->kind == SX_KIND_FEEDBACK || f->kind == SX_KIND_AUTOREPLY) {
	ex->reason = f->kind == SX_KIND_FEEDBACK ? "feedback" : "vacation";
	ex->class = SX_CLASS_SUCCESS;
	ex->title = f->kind == SX_KIND_FEEDBACK ? "Abuse or spam complaint"
	    : "Automatic reply";
	ex->text = f->kind == SX_KIND_FEEDBACK
	    ? "A recipient, or their provider for them, reported this message "
	    "as unwanted. It was delivered; this is not a delivery failure."
	    : "The recipient's mailbox answered automatically, for example "
	    "while they are away. The message was delivered.";
	ex->action = f->kind == SX_KIND_FEEDBACK
	    ? "Stop sending this kind of mail to the recipient, and check "
	    "how they came to be on your list." : "Nothing to do.";
	ex->who = f->kind == SX_KIND_FEEDBACK ? SX_WHO_SENDER_ADMIN : SX_WHO_NONE;
	ex->retry = SX_RETRY_NO;
	ex->ref = f->kind == SX_KIND_FEEDBACK ? "RFC 5965" : "RFC 3834";
	ex->vendor_name = "";
	return;
    }
    /* One pass over the words finds the vendor and reason patterns. */
    sx_registry_text_hits(reg, f->diagnostic, &hits);
    ex->vendor = sx_registry_vendor_hits(reg, f->status, f->replycode, f->diagnostic,
					 host, &hits);
    if (f->status[0])
	ex->enhanced = sx_registry_enhanced(reg, f->status, &enh_level);
    if (f->replycode)
	ex->basic = sx_registry_basic(reg, f->replycode);
    ex->entry = ex->vendor ? ex->vendor
	: (ex->enhanced && enh_level == 3) ? ex->enhanced
	: ex->basic ? ex->basic : ex->enhanced;

    /*
     * Reason: a vendor entry, then what the text says, then what the
     * codes say in general (see docs/registry.md). Text goes before the
     * codes because servers reuse codes loosely ("550 5.2.1 User
     * unknown"), while their words are specific.
     */
    text_reason = sx_registry_reason_hits(reg, f->diagnostic, &hits);
    code_reason = sx_entry_reason(enh_level == 3 ? ex->enhanced : 0, ex->class);
    if (code_reason == 0 || (sx_vague(f->status) && ex->basic))
	code_reason = sx_entry_reason(ex->basic, ex->class) ? sx_entry_reason(ex->basic, ex->class)
	    : code_reason;
    if (code_reason == 0)
	code_reason = sx_entry_reason(ex->enhanced, ex->class);
    ex->reason = sx_entry_reason(ex->vendor, ex->class);
    /*
     * A detail code that names the mailbox or the size precisely (5.1.1
     * no such user, 5.1.2 no such domain, 5.2.3 too large) outweighs
     * words in the text, which often add a generic remark; unless the
     * basic code says what the words say ("552 mailbox over quota
     * (#5.1.1)"): two witnesses against one; or a local delivery
     * program failed, whose "no such user" is about its own setup.
     */
    basic_reason = sx_entry_reason(ex->basic, ex->class);
    if (ex->reason == 0 && enh_level == 3 && code_reason
	&& !(text_reason && basic_reason && strcmp(text_reason, basic_reason) == 0)
	&& !(text_reason && strcmp(text_reason, "mailererror") == 0)
	&& (strncmp(f->status + 1, ".1.", 3) == 0 || strcmp(f->status + 1, ".2.3") == 0)
	&& (strcmp(code_reason, "userunknown") == 0 || strcmp(code_reason, "hostunknown") == 0
	    || strcmp(code_reason, "exceedlimit") == 0))
	ex->reason = code_reason;
    if (ex->reason == 0)
	ex->reason = text_reason;
    if (ex->reason == 0)
	ex->reason = code_reason;
    /* A vendor's meaning is already specific to the stage it answers. */
    if (ex->reason == 0 || ex->reason != sx_entry_reason(ex->vendor, ex->class))
	ex->reason = sx_reason_by_stage(f, ex->class, ex->reason,
					ex->reason != 0 && ex->reason != code_reason);
    if (ex->reason == 0)
	ex->reason = f->action == SX_ACTION_DELIVERED ? "delivered"
	    : f->action == SX_ACTION_DELAYED ? "expired" : "undefined";
    if (f->action == SX_ACTION_DELIVERED || f->action == SX_ACTION_RELAYED
	|| f->action == SX_ACTION_EXPANDED)
	if (ex->class == SX_CLASS_SUCCESS || ex->class == SX_CLASS_UNKNOWN)
	    ex->reason = "delivered";

    ex->title = SX_PICK(title);
    ex->text = SX_PICK(text);
    ex->action = SX_PICK(action);
    ex->ref = SX_PICK(ref);
    if (ex->entry) {
	ex->who = ex->entry->who;
	ex->retry = ex->entry->retry;
    }
    if (ex->retry == SX_RETRY_UNKNOWN)
	ex->retry = ex->class == SX_CLASS_TRANSIENT ? SX_RETRY_YES
	    : ex->class == SX_CLASS_PERMANENT ? SX_RETRY_NO : SX_RETRY_UNKNOWN;
    if (ex->title == 0)
	ex->title = ex->class == SX_CLASS_PERMANENT ? "Delivery failed"
	    : ex->class == SX_CLASS_TRANSIENT ? "Delivery delayed"
	    : ex->class == SX_CLASS_SUCCESS ? "Delivered" : "Delivery report";
    if (ex->text == 0)
	ex->text = "The report gives no code that says more.";
    if (ex->action == 0)
	ex->action = "Read the diagnostic text from the remote server.";
    if (ex->ref == 0)
	ex->ref = "";
    ex->vendor_name = ex->vendor && ex->vendor->vendor ? ex->vendor->vendor : "";
}
