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
 *
 *	The knowledge this takes is in tables, and the code below walks
 *	them: what is known of each reason is in the registry's taxonomy
 *	(SX_REASON_* attributes), what is known of enhanced codes is
 *	sx_code_rules[], and how the SMTP stage and the report's action
 *	refine a reason is sx_stage_rules[] and sx_final_rules[]. All the
 *	wording, including what is said when no code says more, is registry
 *	data: the fallback entries of the finding's kind, of its class, and
 *	"*".
 */
#include <stddef.h>
#include <string.h>

#include <smtp-explain/explain.h>
#include <smtp-explain/reply.h>

/* What an enhanced code says of how far its own reason counts. */
#define SX_CODE_VAGUE	0x01	/* says little: the basic code's reason first */
#define SX_CODE_EXACT	0x02	/* names the mailbox, domain or size */
#define SX_CODE_ADDRESS	0x04	/* about an address (X.1.y) */
#define SX_CODE_POLICY	0x08	/* a policy refusal (X.7.y) */

static const struct sx_code_rule {
    const char *code;		/* X for any class; "X.1.*" for a subject */
    unsigned attrs;
}       sx_code_rules[] = {
    {"X.0.0", SX_CODE_VAGUE},
    {"X.1.0", SX_CODE_VAGUE},
    {"X.2.0", SX_CODE_VAGUE},
    {"X.3.0", SX_CODE_VAGUE},
    {"X.4.0", SX_CODE_VAGUE},
    {"X.5.0", SX_CODE_VAGUE},
    {"X.6.0", SX_CODE_VAGUE},
    {"X.7.0", SX_CODE_VAGUE},
    {"X.7.1", SX_CODE_VAGUE},
    {"X.1.*", SX_CODE_EXACT | SX_CODE_ADDRESS},
    {"X.2.3", SX_CODE_EXACT},
    {"X.7.*", SX_CODE_POLICY},
};

#define SX_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* sx_code_match - does a status fit a rule's code ("X.1.*" fits 5.1.10)? */

static int sx_code_match(const char *rule, const char *status)
{
    for (rule++, status++; *rule == *status; rule++, status++)
	if (*rule == 0)
	    return (1);
    return (*rule == '*');
}

/* sx_code_attrs - what the rules know of a status ("" knows nothing) */

static unsigned sx_code_attrs(const char *status)
{
    const struct sx_code_rule *r;
    unsigned attrs = 0;

    if (status[0] == 0)
	return (0);
    for (r = sx_code_rules; r < sx_code_rules + SX_COUNT(sx_code_rules); r++)
	if (sx_code_match(r->code, status))
	    attrs |= r->attrs;
    return (attrs);
}

/*
 * What holds of a finding and its reason so far: the reason's own
 * attributes (SX_REASON_*, below 0x100), and these.
 */
#define SX_IF_NONE	   0x0100	/* no reason yet */
#define SX_IF_CODES	   0x0200	/* a reason not from the text, or none */
#define SX_IF_IMPRECISE	   0x0400	/* a reason that is not SX_REASON_PRECISE */
#define SX_IF_EXPIRING	   0x0800	/* a temporary reply in a final failure,
					 * or a delay warning */
#define SX_IF_NOT_ADDRESS  0x1000	/* the status is not an addressing code */
#define SX_IF_POLICY	   0x2000	/* the status is a policy code */
#define SX_IF_NOT_RCPT	   0x4000	/* the stage is not RCPT */
#define SX_IF_SUCCESS	   0x8000	/* a success report, class success or
					 * unknown */
#define SX_IF_DELIVERED	   0x10000	/* Action: delivered */
#define SX_IF_BASIC	   0x40000	/* the reason is the basic code's */

struct sx_rule {
    const char *name;		/* as docs/reasons.md and fixtures name it */
    const char *stage;		/* at this SMTP command, or NULL for any, */
    const char *was;		/* and a reason so far of this name, or NULL, */
    const char *reason;		/* when all of need hold, the reason is this
				 * (NULL: it stays) */
    unsigned need;
    enum sx_source from;	/* and it came from this */
};

/*
 * What the SMTP stage and the report's action add to a reason that the
 * codes or the text gave (never to a vendor's: it knows the stage its
 * reply answers). The first rule that holds decides. docs/reasons.md
 * has these rules as a table, and each has a fixture of its own in
 * tests/fixtures/reasons (a unit test checks both by name).
 */
static const struct sx_rule sx_stage_rules[] = {
    /* A temporary reply reported as final, or a delay warning: the
     * message ran out of time, unless the server's words or a precise
     * code name the cause. */
    {.name = "expiring-without-reason", .need = SX_IF_EXPIRING | SX_IF_NONE,
    .reason = "expired", .from = SX_FROM_STAGE},
    {.name = "expiring-with-vague-code",
	.need = SX_IF_EXPIRING | SX_IF_CODES | SX_IF_IMPRECISE,
    .reason = "expired", .from = SX_FROM_STAGE},
    /* A reason that names a cause precisely stands at any stage. */
    {.name = "precise-reason-stands", .need = SX_REASON_PRECISE},
    /* Refused at the connection or greeting: the sending host is
     * blocked, even when the words say only that its name was refused. */
    {.name = "connect-refused-by-code", .stage = "CONN", .need = SX_IF_CODES,
    .reason = "blocked", .from = SX_FROM_STAGE},
    {.name = "connect-host-refused", .stage = "CONN",
	.need = SX_REASON_HOST_AT_HELLO,
    .reason = "blocked", .from = SX_FROM_STAGE},
    {.name = "helo-refused-by-code", .stage = "HELO", .need = SX_IF_CODES,
    .reason = "blocked", .from = SX_FROM_STAGE},
    {.name = "helo-host-refused", .stage = "HELO",
	.need = SX_REASON_HOST_AT_HELLO,
    .reason = "blocked", .from = SX_FROM_STAGE},
    /* At MAIL FROM the sender was refused, not the recipient. */
    {.name = "mail-refused-by-code", .stage = "MAIL", .need = SX_IF_CODES,
    .reason = "rejected", .from = SX_FROM_STAGE},
    /* A bare refusal at RCPT ("550 Access denied"): the basic code
     * alone says "refused", and what was refused is the address the
     * command named, not the sender. */
    {.name = "rcpt-bare-refusal", .stage = "RCPT", .was = "rejected",
	.need = SX_IF_BASIC,
    .reason = "userunknown", .from = SX_FROM_STAGE},
    /* "Unknown user" that no addressing code confirms and that answered
     * the message rather than the address, or came with a policy code:
     * a filter's generic refusal; the address may well exist. Where the
     * stage is not known, the words are taken as they stand. */
    {.name = "data-unknown-user", .stage = "DATA",
	.need = SX_REASON_FILTER_AT_DATA | SX_IF_NOT_ADDRESS,
    .reason = "filtered", .from = SX_FROM_STAGE},
    {.name = "policy-unknown-user",
	.need = SX_REASON_FILTER_AT_DATA | SX_IF_POLICY | SX_IF_NOT_RCPT,
    .reason = "filtered", .from = SX_FROM_STAGE},
};

/*
 * Last, for every finding: the report's action. (A delay warning that
 * nothing explains is "expiring-without-reason" above.)
 */
static const struct sx_rule sx_final_rules[] = {
    {.name = "success-report", .need = SX_IF_SUCCESS,
    .reason = "delivered", .from = SX_FROM_STAGE},
    {.name = "delivered-action", .need = SX_IF_NONE | SX_IF_DELIVERED,
    .reason = "delivered", .from = SX_FROM_STAGE},
    {.name = "nothing-known", .need = SX_IF_NONE,
    .reason = "undefined", .from = SX_FROM_FALLBACK},
};

const char *sx_explain_rule(size_t i)
{
    if (i < SX_COUNT(sx_stage_rules))
	return (sx_stage_rules[i].name);
    i -= SX_COUNT(sx_stage_rules);
    if (i < SX_COUNT(sx_final_rules))
	return (sx_final_rules[i].name);
    return (0);
}

/* sx_situation - what holds now, for the rules */

static unsigned sx_situation(const struct sx_finding *f,
			             const struct sx_explanation *ex, unsigned code)
{
    unsigned have = sx_reason_attrs(ex->reason);
    enum sx_action a = f->action;
    int     success = a == SX_ACTION_DELIVERED || a == SX_ACTION_RELAYED
    || a == SX_ACTION_EXPANDED;

    if (ex->reason == 0)
	have |= SX_IF_NONE;
    if (ex->reason_from != SX_FROM_TEXT)
	have |= SX_IF_CODES;
    if (!(have & SX_REASON_PRECISE))
	have |= SX_IF_IMPRECISE;
    if ((a == SX_ACTION_FAILED && ex->class == SX_CLASS_TRANSIENT)
	|| a == SX_ACTION_DELAYED)
	have |= SX_IF_EXPIRING;
    if (!(code & SX_CODE_ADDRESS))
	have |= SX_IF_NOT_ADDRESS;
    if (code & SX_CODE_POLICY)
	have |= SX_IF_POLICY;
    if (strcmp(f->command, "RCPT") != 0)
	have |= SX_IF_NOT_RCPT;
    if (success && (ex->class == SX_CLASS_SUCCESS || ex->class == SX_CLASS_UNKNOWN))
	have |= SX_IF_SUCCESS;
    if (a == SX_ACTION_DELIVERED)
	have |= SX_IF_DELIVERED;
    if (ex->reason_from == SX_FROM_BASIC)
	have |= SX_IF_BASIC;
    return (have);
}

/* sx_rules_apply - the first rule that holds decides */

static void sx_rules_apply(const struct sx_rule *r, size_t n,
			           const struct sx_finding *f, unsigned code,
			           struct sx_explanation *ex)
{
    unsigned have = sx_situation(f, ex, code);

    for (; n-- > 0; r++)
	if ((r->need & have) == r->need
	    && (r->stage == 0 || strcmp(r->stage, f->command) == 0)
	    && (r->was == 0 || (ex->reason && strcmp(r->was, ex->reason) == 0))) {
	    ex->rule = r->name;
	    if (r->reason) {
		ex->reason = r->reason;
		ex->reason_from = r->from;
	    }
	    return;
	}
}

static const char *sx_entry_reason(const struct sx_entry *e, enum sx_class c)
{
    if (e == 0)
	return (0);
    if (c == SX_CLASS_TRANSIENT && e->reason_transient && *e->reason_transient)
	return (e->reason_transient);
    return (e->reason && *e->reason ? e->reason : 0);
}

/*
 * sx_reason_choose - a vendor entry's reason, then what the text says,
 * then what the codes say in general (see docs/registry.md). Text goes
 * before the codes because servers reuse codes loosely ("550 5.2.1 User
 * unknown"), while their words are specific.
 */
static void sx_reason_choose(const struct sx_registry *reg, const struct sx_finding *f,
			             const struct sx_text_hits *hits, int level,
			             unsigned code, struct sx_explanation *ex)
{
    const char *text = sx_registry_reason_hits(reg, f->diagnostic, hits);
    const char *basic = sx_entry_reason(ex->basic, ex->class);
    const char *coded = sx_entry_reason(level == 3 ? ex->enhanced : 0, ex->class);
    enum sx_source coded_from = SX_FROM_ENHANCED;

    /* The codes: the detail entry, or the basic code first for a vague
     * detail, then the subject or class entry. */
    if ((coded == 0 || (code & SX_CODE_VAGUE)) && basic) {
	coded = basic;
	coded_from = SX_FROM_BASIC;
    }
    if (coded == 0 && (coded = sx_entry_reason(ex->enhanced, ex->class)) != 0)
	coded_from = level == 3 ? SX_FROM_ENHANCED : SX_FROM_SUBJECT;

    if ((ex->reason = sx_entry_reason(ex->vendor, ex->class)) != 0) {
	ex->reason_from = SX_FROM_VENDOR;
	return;
    }

    /*
     * A detail code that names the mailbox or the size precisely (5.1.1
     * no such user, 5.1.2 no such domain, 5.2.3 too large) outweighs
     * words in the text, which often add a generic remark; unless the
     * basic code says what the words say ("552 mailbox over quota
     * (#5.1.1)"): two witnesses against one; or a local delivery
     * program failed, whose "no such user" is about its own setup.
     */
    if (level == 3 && coded && (code & SX_CODE_EXACT)
	&& (sx_reason_attrs(coded) & SX_REASON_CODE_FIRM)
	&& !(text && basic && strcmp(text, basic) == 0)
	&& !(sx_reason_attrs(text) & SX_REASON_LOCAL)) {
	ex->reason = coded;
	ex->reason_from = coded_from;
    } else if (text) {
	ex->reason = text;
	ex->reason_from = SX_FROM_TEXT;
    } else if (coded) {
	ex->reason = coded;
	ex->reason_from = coded_from;
    }
    sx_rules_apply(sx_stage_rules, SX_COUNT(sx_stage_rules), f, code, ex);
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

/* sx_pick - a field of the first entry in the chain that has it */

static const char *sx_pick(const struct sx_entry *const *chain, size_t n,
			           size_t offset, const char *none)
{
    const char *s;
    size_t  i;

    for (i = 0; i < n; i++)
	if (chain[i] && (s = *(const char *const *) ((const char *) chain[i] + offset)))
	    return (s);
    return (none);
}

/*
 * sx_finding_class - the class the reply really has. A status "c.0.0"
 * of another class than the remote's reply code is the reporting MTA's
 * summary, not the remote's word: Courier writes "Status: 5.0.0" for
 * every failure, a 4xx reply it retried until the message expired too.
 */
static enum sx_class sx_finding_class(const struct sx_finding *f)
{
    if (f->status[0] && f->replycode >= 400 && f->replycode < 600
	&& sx_status_summary(f->status)
	&& f->status[0] != '0' + f->replycode / 100
	&& (f->status[0] == '4' || f->status[0] == '5'))
	return (sx_class_of_code(f->replycode));
    if (f->status[0])
	return (sx_class_of_status(f->status));
    if (f->replycode)
	return (sx_class_of_code(f->replycode));
    switch (f->action) {
    case SX_ACTION_NONE:
	return (SX_CLASS_UNKNOWN);
    case SX_ACTION_FAILED:
	return (SX_CLASS_PERMANENT);
    case SX_ACTION_DELAYED:
	return (SX_CLASS_TRANSIENT);
    default:
	return (SX_CLASS_SUCCESS);
    }
}

void    sx_explain(const struct sx_registry *reg, const struct sx_finding *f,
		           struct sx_explanation *ex)
{
    const struct sx_entry *chain[5], *kind;
    struct sx_text_hits hits;
    char    hostbuf[SX_HOST_MAX];
    const char *host;
    unsigned code;
    size_t  n = 0;
    int     level = 0;

    memset(ex, 0, sizeof(*ex));
    ex->retry_until = f->retry_until;
    ex->class = sx_finding_class(f);
    if ((kind = sx_registry_fallback(reg, sx_kind_name(f->kind))) != 0) {
	/* An auto-reply or a complaint is what it is, whatever its codes. */
	ex->entry = chain[n++] = kind;
	ex->from = ex->reason_from = SX_FROM_KIND;
	if (kind->class != SX_CLASS_UNKNOWN)
	    ex->class = kind->class;
	ex->reason = kind->reason;
	if (ex->reason == 0)
	    sx_rules_apply(sx_final_rules, SX_COUNT(sx_final_rules), f, 0, ex);
    } else {
	host = sx_host_name(f->remote_mta[0] ? f->remote_mta : f->reporting_mta,
			    hostbuf, sizeof(hostbuf));
	code = sx_code_attrs(f->status);
	/* One pass over the words finds the vendor and reason patterns. */
	sx_registry_text_hits(reg, f->diagnostic, &hits);
	ex->vendor = sx_registry_vendor_hits(reg, f->status, f->replycode,
					     f->diagnostic, host, &hits);
	if (f->status[0])
	    ex->enhanced = sx_registry_enhanced(reg, f->status, &level);
	if (f->replycode)
	    ex->basic = sx_registry_basic(reg, f->replycode);

	/* The most specific entry, and the order its wording is looked
	 * for in; a success code's basic entry comes after the enhanced. */
	chain[n++] = ex->vendor;
	chain[n++] = level == 3 ? ex->enhanced : 0;
	chain[n++] = ex->enhanced && f->replycode / 100 == 2 ? 0 : ex->basic;
	chain[n++] = ex->enhanced;
	chain[n++] = ex->basic;
	ex->entry = ex->vendor ? ex->vendor : level == 3 ? ex->enhanced
	    : ex->basic ? ex->basic : ex->enhanced;
	ex->from = ex->entry == 0 ? SX_FROM_NONE : ex->vendor ? SX_FROM_VENDOR
	    : level == 3 ? SX_FROM_ENHANCED : ex->basic ? SX_FROM_BASIC
	    : SX_FROM_SUBJECT;

	sx_reason_choose(reg, f, &hits, level, code, ex);
	sx_rules_apply(sx_final_rules, SX_COUNT(sx_final_rules), f, code, ex);
    }

    /*
     * What nothing more specific says: the class's fallback, then "*"
     * (looked up only when the entries leave something unsaid).
     */
    ex->title = sx_pick(chain, n, offsetof(struct sx_entry, title), 0);
    ex->text = sx_pick(chain, n, offsetof(struct sx_entry, text), 0);
    ex->action = sx_pick(chain, n, offsetof(struct sx_entry, action), 0);
    ex->action_admin = sx_pick(chain, n, offsetof(struct sx_entry, action_admin), "");
    ex->ref = sx_pick(chain, n, offsetof(struct sx_entry, ref), 0);
    if (ex->entry) {
	ex->who = ex->entry->who;
	ex->retry = ex->entry->retry;
    }
    if (!ex->title || !ex->text || !ex->action || !ex->ref || !ex->entry
	|| ex->retry == SX_RETRY_UNKNOWN) {
	const struct sx_entry *fb[2];

	fb[0] = sx_registry_fallback(reg, sx_class_name(ex->class));
	fb[1] = sx_registry_fallback(reg, "*");
	ex->title = ex->title ? ex->title : sx_pick(fb, 2, offsetof(struct sx_entry, title), "");
	ex->text = ex->text ? ex->text : sx_pick(fb, 2, offsetof(struct sx_entry, text), "");
	ex->action = ex->action ? ex->action
	    : sx_pick(fb, 2, offsetof(struct sx_entry, action), "");
	ex->ref = ex->ref ? ex->ref : sx_pick(fb, 2, offsetof(struct sx_entry, ref), "");
	if (ex->entry == 0 && (fb[0] || fb[1]))
	    ex->who = (fb[0] ? fb[0] : fb[1])->who;
	if (ex->retry == SX_RETRY_UNKNOWN && fb[0])
	    ex->retry = fb[0]->retry;
	if (ex->retry == SX_RETRY_UNKNOWN && fb[1])
	    ex->retry = fb[1]->retry;
    }
    ex->vendor_name = ex->vendor && ex->vendor->vendor ? ex->vendor->vendor : "";
}
