/*
 * NAME
 *	policy 3
 * SUMMARY
 *	match findings against the admin's rules, decide for the message
 * SYNOPSIS
 *	#include <smtp-explain/policy.h>
 *	#include "policy_int.h"
 * DESCRIPTION
 *	See policy(3h) for the public interface and policy_int(3h) for how
 *	rules are stored. The precedence implemented here is documented
 *	in docs/policy.md:
 *
 *	-  each finding of the message gets the first rule that matches
 *	   it, or the policy's fallback action when none does;
 *	-  each session rule (rejected_min > 0) that matches enough of the
 *	   recipients the MTA rejected is a candidate too;
 *	-  the message gets the most severe candidate, by the order reject,
 *	   defer, quarantine, discard, annotate (and rewrite), accept; of
 *	   equally severe candidates the earliest rule wins;
 *	-  an annotate verdict takes the Subject of the earliest matching
 *	   rewrite rule, so rewriting combines with annotating;
 *	-  a bounce our own MTA generated is never deferred or rejected:
 *	   that would only make the MTA queue and retry it.
 *
 *	The policy is read-only here; evaluation keeps its state on the
 *	stack, so one policy serves any number of threads.
 * DIAGNOSTICS
 *	sx_policy_append() returns SX_OK or SX_ERR_NOMEM.
 */
#include <assert.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/policy.h>
#include <smtp-explain/registry.h>
#include <smtp-explain/status.h>
#include <smtp-explain/text.h>
#include "policy_int.h"

#define SX_NO_RULE	SIZE_MAX	/* no candidate yet */

/* What one candidate for the message verdict is. */
struct sx_policy_pick {
    int     rank;			/* severity; -1 = none yet */
    size_t  rule;			/* index, or pol->count for fallback */
    const struct sx_finding *f;		/* the finding that matched */
    const struct sx_explanation *ex;
    size_t  matched;			/* findings that matched the rule */
};

/* sx_policy_action_name - the name used in configuration and logs */

const char *sx_policy_action_name(enum sx_policy_action action)
{
    switch (action) {
    case SX_POLICY_ANNOTATE:
	return ("annotate");
    case SX_POLICY_ACCEPT:
	return ("accept");
    case SX_POLICY_DEFER:
	return ("defer");
    case SX_POLICY_REJECT:
	return ("reject");
    case SX_POLICY_DISCARD:
	return ("discard");
    case SX_POLICY_QUARANTINE:
	return ("quarantine");
    }
    return ("unknown");
}

/* sx_policy_rank - severity of an action, higher wins */

static int sx_policy_rank(enum sx_policy_action action)
{
    switch (action) {
    case SX_POLICY_ACCEPT:
	return (0);
    case SX_POLICY_ANNOTATE:
	return (1);
    case SX_POLICY_DISCARD:
	return (2);
    case SX_POLICY_QUARANTINE:
	return (3);
    case SX_POLICY_DEFER:
	return (4);
    case SX_POLICY_REJECT:
	return (5);
    }
    return (1);
}

/* sx_policy_new - an empty policy that annotates everything */

struct sx_policy *sx_policy_new(void)
{
    struct sx_policy *pol = calloc(1, sizeof(*pol));

    if (pol != 0)
	pol->fallback = SX_POLICY_ANNOTATE;
    return (pol);
}

/* sx_rule_init - a rule that matches everything and annotates */

void    sx_rule_init(struct sx_rule *rule)
{
    memset(rule, 0, sizeof(*rule));
    rule->orig_local = SX_TRI_ANY;
    rule->orig_known = SX_TRI_ANY;
    rule->internal = SX_TRI_ANY;
    rule->action = SX_POLICY_ANNOTATE;
}

/* sx_rule_clear - free what a rule points to, leave it initialised */

void    sx_rule_clear(struct sx_rule *rule)
{
    sx_strv_free(rule->codes);
    sx_strv_free(rule->statuses);
    sx_strv_free(rule->reasons);
    sx_strv_free(rule->vendors);
    sx_strv_free(rule->rcpt_domains);
    sx_strv_free(rule->sender_domains);
    sx_strv_free(rule->remote_mtas);
    if (rule->regex != 0) {
	regfree(rule->regex);
	free(rule->regex);
    }
    free(rule->text);
    free(rule->subject);
    free(rule->quarantine_reason);
    sx_rule_init(rule);
}

/* sx_policy_append - take over a rule */

int     sx_policy_append(struct sx_policy *pol, struct sx_rule *rule)
{
    struct sx_rule *rules;
    size_t  cap;

    if (pol->count == pol->cap) {
	cap = pol->cap ? pol->cap * 2 : 8;
	rules = realloc(pol->rules, cap * sizeof(*rules));
	if (rules == 0) {
	    sx_rule_clear(rule);
	    return (SX_ERR_NOMEM);
	}
	pol->rules = rules;
	pol->cap = cap;
    }
    pol->rules[pol->count++] = *rule;
    sx_rule_init(rule);
    return (SX_OK);
}

/* sx_policy_free - destroy a policy */

void    sx_policy_free(struct sx_policy *pol)
{
    size_t  i;

    if (pol == 0)
	return;
    for (i = 0; i < pol->count; i++)
	sx_rule_clear(&pol->rules[i]);
    free(pol->rules);
    free(pol);
}

/* sx_policy_count - number of rules */

size_t  sx_policy_count(const struct sx_policy *pol)
{
    return (pol ? pol->count : 0);
}

/* sx_policy_rule_name - name of rule i */

const char *sx_policy_rule_name(const struct sx_policy *pol, size_t i)
{
    assert(pol != 0 && i < pol->count);
    return (pol->rules[i].name);
}

/* sx_policy_code_check - "550", "55x", "5xx" */

int     sx_policy_code_check(const char *pat)
{
    int     i;

    if (strlen(pat) != 3 || !((pat[0] >= '2' && pat[0] <= '5')
			      || pat[0] == 'x' || pat[0] == 'X'))
	return (0);
    for (i = 1; i < 3; i++)
	if (!((pat[i] >= '0' && pat[i] <= '9') || pat[i] == 'x' || pat[i] == 'X'))
	    return (0);
    return (1);
}

/* sx_policy_code_match - match a reply code, 0 (none) never matches */

int     sx_policy_code_match(const char *pat, int code)
{
    char    buf[8];
    int     i;

    if (code < 100 || code > 999)
	return (0);
    snprintf(buf, sizeof(buf), "%d", code);
    for (i = 0; i < 3; i++)
	if (pat[i] != 'x' && pat[i] != 'X' && pat[i] != buf[i])
	    return (0);
    return (1);
}

/*
 * sx_policy_status_part - read one part of an enhanced code: a number of
 * 1-3 digits (>= 0), or -1 for a wildcard when wild is allowed; -2 on
 * error. *sp is advanced past the part.
 */
static int sx_policy_status_part(const char **sp, int wild)
{
    const char *s = *sp;
    int     n = 0;
    int     digits = 0;

    if (wild && (*s == '*' || *s == 'x' || *s == 'X')) {
	*sp = s + 1;
	return (-1);
    }
    while (*s >= '0' && *s <= '9') {
	if (++digits > 3)
	    return (-2);
	n = n * 10 + (*s++ - '0');
    }
    if (digits == 0)
	return (-2);
    *sp = s;
    return (n);
}

/* sx_policy_status_parse - three parts; 0 on error */

static int sx_policy_status_parse(const char *s, int part[3], int wild)
{
    int     i;

    for (i = 0; i < 3; i++) {
	if (i > 0 && *s++ != '.')
	    return (0);
	if ((part[i] = sx_policy_status_part(&s, wild)) == -2)
	    return (0);
    }
    return (*s == 0);
}

/* sx_policy_status_check - "5.7.26", "5.7.*", "*.1.1" */

int     sx_policy_status_check(const char *pat)
{
    int     part[3];

    if (!sx_policy_status_parse(pat, part, 1))
	return (0);
    return (part[0] == -1 || part[0] == 2 || part[0] == 4 || part[0] == 5);
}

/* sx_policy_status_match - match an enhanced code, "" never matches */

int     sx_policy_status_match(const char *pat, const char *status)
{
    int     want[3];
    int     have[3];
    int     i;

    if (!sx_policy_status_parse(pat, want, 1)
	|| !sx_policy_status_parse(status, have, 0))
	return (0);
    for (i = 0; i < 3; i++)
	if (want[i] != -1 && want[i] != have[i])
	    return (0);
    return (1);
}

/* sx_policy_glob_any - does any glob of the list match text? */

static int sx_policy_glob_any(char *const *list, const char *text)
{
    for (; *list; list++)
	if (sx_glob_match(*list, text))
	    return (1);
    return (0);
}

/* sx_policy_domain - the domain of an address, or NULL */

static const char *sx_policy_domain(const char *addr, char *buf, size_t size)
{
    const char *at = strrchr(addr, '@');
    size_t  len;

    if (at == 0 || at[1] == 0)
	return (0);
    len = strcspn(at + 1, ">");
    if (len == 0 || len >= size)
	return (0);
    memcpy(buf, at + 1, len);
    buf[len] = 0;
    return (buf);
}

/* sx_policy_addr_match - globs with '@' see the address, others the domain */

static int sx_policy_addr_match(char *const *list, const char *addr)
{
    char    domain[SX_ADDR_MAX];
    const char *dom;
    const char *bare = addr;
    char    abuf[SX_ADDR_MAX];
    size_t  len;

    if (addr == 0 || *addr == 0)
	return (0);
    if (*bare == '<') {
	len = strcspn(bare + 1, ">");
	if (len >= sizeof(abuf))
	    return (0);
	memcpy(abuf, bare + 1, len);
	abuf[len] = 0;
	bare = abuf;
    }
    dom = sx_policy_domain(bare, domain, sizeof(domain));
    for (; *list; list++) {
	if (strchr(*list, '@') != 0) {
	    if (sx_glob_match(*list, bare))
		return (1);
	} else if (dom != 0 && sx_glob_match(*list, dom)) {
	    return (1);
	}
    }
    return (0);
}

/* sx_policy_orig_local - 1 local, 0 foreign, -1 unknown */

static int sx_policy_orig_local(const struct sx_settings *set,
				        const struct sx_message *msg)
{
    char    domain[SX_ADDR_MAX];
    const char *dom;

    if (msg == 0 || msg->orig_sender[0] == 0)
	return (-1);
    dom = sx_policy_domain(msg->orig_sender, domain, sizeof(domain));
    if (dom == 0)
	return (0);
    if (set == 0 || set->local_domains == 0)
	return (0);
    return (sx_policy_glob_any(set->local_domains, dom));
}

/* sx_policy_sender - envelope sender, or From for the null sender */

static const char *sx_policy_sender(const struct sx_policy_input *in)
{
    if (in->envelope_sender != 0 && in->envelope_sender[0] != 0
	&& strcmp(in->envelope_sender, "<>") != 0)
	return (in->envelope_sender);
    if (in->msg != 0)
	return (in->msg->from);
    return ("");
}

/* sx_policy_bit - is an enum value in a mask? */

static int sx_policy_bit(unsigned mask, unsigned value)
{
    return (value < 32 && (mask & (1u << value)) != 0);
}

/* sx_policy_match - does rule match one finding? (not rejected_min) */

static int sx_policy_match(const struct sx_rule *r,
			           const struct sx_settings *set,
			           const struct sx_policy_input *in,
			           const struct sx_finding *f,
			           const struct sx_explanation *ex)
{
    char  **cp;
    int     local;

    if (r->internal != SX_TRI_ANY && r->internal != (in->internal != 0))
	return (0);
    if (r->kinds && !sx_policy_bit(r->kinds, f->kind))
	return (0);
    if (r->dsn_actions && !sx_policy_bit(r->dsn_actions, f->action))
	return (0);
    if (r->classes && !sx_policy_bit(r->classes, ex->class))
	return (0);
    if (r->codes) {
	for (cp = r->codes; *cp; cp++)
	    if (sx_policy_code_match(*cp, f->replycode))
		break;
	if (*cp == 0)
	    return (0);
    }
    if (r->statuses) {
	for (cp = r->statuses; *cp; cp++)
	    if (sx_policy_status_match(*cp, f->status))
		break;
	if (*cp == 0)
	    return (0);
    }
    if (r->reasons) {
	for (cp = r->reasons; *cp; cp++)
	    if (ex->reason != 0 && strcasecmp(*cp, ex->reason) == 0)
		break;
	if (*cp == 0)
	    return (0);
    }
    if (r->vendors && (ex->vendor_name == 0 || ex->vendor_name[0] == 0
		       || !sx_policy_glob_any(r->vendors, ex->vendor_name)))
	return (0);
    if (r->remote_mtas && (f->remote_mta[0] == 0
			   || !sx_policy_glob_any(r->remote_mtas, f->remote_mta)))
	return (0);
    if (r->rcpt_domains && !sx_policy_addr_match(r->rcpt_domains, f->recipient))
	return (0);
    if (r->sender_domains
	&& !sx_policy_addr_match(r->sender_domains, sx_policy_sender(in)))
	return (0);
    if (r->orig_known != SX_TRI_ANY || r->orig_local != SX_TRI_ANY) {
	local = sx_policy_orig_local(set, in->msg);
	if (r->orig_known != SX_TRI_ANY && r->orig_known != (local >= 0))
	    return (0);
	/* "Not local" includes "unknown"; orig_known = true narrows it. */
	if (r->orig_local != SX_TRI_ANY && r->orig_local != (local == 1))
	    return (0);
    }
    if (r->regex && regexec(r->regex, f->diagnostic, 0, 0, 0) != 0)
	return (0);
    return (1);
}

/* sx_policy_consider - keep the more severe pick, earlier rule on ties */

static void sx_policy_consider(struct sx_policy_pick *best,
			               const struct sx_policy_pick *cand)
{
    if (cand->rank > best->rank
	|| (cand->rank == best->rank && cand->rule < best->rule))
	*best = *cand;
}

/* sx_policy_vars_fill - template variables for one pick */

static void sx_policy_vars_fill(struct sx_policy_vars *v,
				        const struct sx_policy_input *in,
				        const struct sx_policy_pick *p,
				        const char *rule, char *code,
				        size_t code_size, char *count,
				        size_t count_size)
{
    const struct sx_finding *f = p->f;
    const struct sx_explanation *ex = p->ex;

    memset(v, 0, sizeof(*v));
    v->subject = in->subject ? in->subject : (in->msg ? in->msg->subject : "");
    v->rule = rule;
    snprintf(count, count_size, "%zu", p->matched);
    v->count = count;
    code[0] = 0;
    if (f == 0)
	return;
    if (f->replycode >= 100 && f->replycode <= 999)
	snprintf(code, code_size, "%d", f->replycode);
    v->code = code;
    v->status = f->status;
    v->rcpt = f->recipient;
    v->remote = f->remote_mta;
    v->diag = f->diagnostic;
    v->action = f->action != SX_ACTION_NONE ? sx_action_name(f->action) : "";
    v->kind = sx_kind_name(f->kind);
    if (ex == 0)
	return;
    v->title = ex->title;
    v->reason = ex->reason;
    v->class = sx_class_name(ex->class);
    v->vendor = ex->vendor_name;
}

/*
 * sx_policy_ew_end - the length of the RFC 2047 encoded-word
 * "=?charset?enc?text?=" that starts at s, or 0 when none ends within n
 * bytes (its text holds no '?': Q and B encode it).
 */
static size_t sx_policy_ew_end(const char *s, size_t n)
{
    size_t  i, marks = 0;

    for (i = 2; i + 1 < n && s[i] != ' '; i++)
	if (s[i] == '?' && ++marks >= 3 && s[i + 1] == '=')
	    return (i + 2);
    return (0);
}

/*
 * sx_policy_subject - the new Subject, at most size-1 bytes (with
 * "Subject: " a line within RFC 5322's 998). Words with 8-bit bytes (a
 * stranger's words, a UTF-8 diagnostic) become RFC 2047 encoded-words,
 * so that the header stays ASCII for every hop and mail reader; the
 * encoder cuts between words. ASCII text is cut between characters,
 * but never inside an encoded-word it holds: half of one is garbage to
 * a reader, so the cut moves back to where it starts. The template is
 * expanded with room to spare first, so that the cut sees what follows.
 */
static void sx_policy_subject(char *dst, size_t size, const char *tmpl,
			              const struct sx_policy_vars *vars)
{
    char    raw[2 * SX_DIAG_MAX];
    const char *p;
    size_t  len, cut, e, end;

    assert(size > 0);
    len = sx_policy_expand(raw, sizeof(raw), tmpl, vars);
    for (p = raw; *p && !(*p & 0x80); p++)
	 /* void */ ;
    if (*p != 0) {
	sx_text_encode(dst, size, raw, len, 0);
	return;
    }
    if ((cut = len) > size - 1) {
	cut = size - 1;
	/* Back to the start of the word the cut falls in... */
	for (e = cut; e > 0 && raw[e - 1] != ' '; e--)
	     /* void */ ;
	/* ...then forward over the encoded-words that end before it. */
	for (; e < cut; e++) {
	    if (raw[e] != '=' || raw[e + 1] != '?')
		continue;
	    if ((end = sx_policy_ew_end(raw + e, len - e)) == 0
		|| e + end > cut) {
		cut = e;
		break;
	    }
	    e += end - 1;
	}
	while (cut > 0 && raw[cut - 1] == ' ')
	    cut--;
    }
    memcpy(dst, raw, cut);
    dst[cut] = 0;
}

/* sx_policy_fill - turn the winning rule into the verdict */

static void sx_policy_fill(const struct sx_policy *pol,
			           const struct sx_policy_input *in,
			           const struct sx_policy_pick *best,
			           const struct sx_policy_pick *rewrite,
			           struct sx_verdict *out)
{
    const struct sx_rule *r = best->rule < pol->count ? &pol->rules[best->rule] : 0;
    struct sx_policy_vars vars;
    char    code[12];
    char    count[24];
    char    buf[sizeof(out->subject)];

    if (r == 0) {
	out->action = pol->fallback;
    } else {
	out->action = r->action;
	snprintf(out->rule, sizeof(out->rule), "%s", r->name);
	sx_policy_vars_fill(&vars, in, best, r->name, code, sizeof(code),
			    count, sizeof(count));
	switch (r->action) {
	case SX_POLICY_DEFER:
	case SX_POLICY_REJECT:
	    memcpy(out->replycode, r->replycode, sizeof(out->replycode));
	    memcpy(out->xcode, r->xcode, sizeof(out->xcode));
	    sx_policy_expand(buf, sizeof(buf), r->text, &vars);
	    sx_policy_reply_safe(out->reply_text, sizeof(out->reply_text), buf);
	    if (out->reply_text[0] == 0)
		snprintf(out->reply_text, sizeof(out->reply_text),
			 "Refused by local policy");
	    break;
	case SX_POLICY_QUARANTINE:
	    sx_policy_expand(out->quarantine_reason,
			     sizeof(out->quarantine_reason),
			     r->quarantine_reason, &vars);
	    break;
	default:
	    break;
	}
    }

    /* Our own bounces must go out: refusing them only makes them retry. */
    if (in->internal && (out->action == SX_POLICY_DEFER
			 || out->action == SX_POLICY_REJECT)) {
	out->action = SX_POLICY_ANNOTATE;
	out->downgraded = 1;
	out->replycode[0] = 0;
	out->xcode[0] = 0;
	out->reply_text[0] = 0;
    }
    if (out->action == SX_POLICY_ANNOTATE && rewrite->rule < pol->count) {
	r = &pol->rules[rewrite->rule];
	sx_policy_vars_fill(&vars, in, rewrite, r->name, code, sizeof(code),
			    count, sizeof(count));
	sx_policy_subject(out->subject, sizeof(out->subject), r->subject, &vars);
	if (out->rule[0] == 0)
	    snprintf(out->rule, sizeof(out->rule), "%s", r->name);
    }
    out->annotate = (out->action == SX_POLICY_ANNOTATE
		     || out->action == SX_POLICY_QUARANTINE);
}

/* sx_policy_first - index of the first rule for a finding, or count */

static size_t sx_policy_first(const struct sx_policy *pol,
			              const struct sx_settings *set,
			              const struct sx_policy_input *in,
			              const struct sx_finding *f,
			              const struct sx_explanation *ex)
{
    size_t  j;

    for (j = 0; j < pol->count; j++)
	if (pol->rules[j].rejected_min == 0
	    && sx_policy_match(&pol->rules[j], set, in, f, ex))
	    break;
    return (j);
}

/* sx_policy_taken - how many findings rule j took, for %{count} */

static size_t sx_policy_taken(const struct sx_policy *pol,
			              const struct sx_settings *set,
			              const struct sx_policy_input *in, size_t j)
{
    size_t  i;
    size_t  n = 0;

    for (i = 0; i < in->count; i++)
	if (sx_policy_first(pol, set, in, in->findings[i],
			    &in->explanations[i]) == j)
	    n++;
    return (n);
}

/* sx_policy_evaluate - one verdict for the message */

int     sx_policy_evaluate(const struct sx_policy *pol,
			           const struct sx_settings *set,
			           const struct sx_policy_input *in,
			           struct sx_verdict *out)
{
    struct sx_policy_pick best = {-1, SX_NO_RULE, 0, 0, 0};
    struct sx_policy_pick rewrite = {-1, SX_NO_RULE, 0, 0, 0};
    struct sx_policy_pick cand;
    const struct sx_rule *r;
    size_t  first = 0;
    size_t  i;
    size_t  j;
    size_t  n;

    assert(pol != 0 && in != 0 && out != 0);
    assert(in->count == 0 || (in->findings != 0 && in->explanations != 0));
    assert(in->rejected_count == 0
	   || (in->rejected != 0 && in->rejected_ex != 0));
    memset(out, 0, sizeof(*out));

    /* Each finding of the message gets its first matching rule. */
    for (i = 0; i < in->count; i++) {
	j = sx_policy_first(pol, set, in, in->findings[i], &in->explanations[i]);
	cand.rank = sx_policy_rank(j < pol->count ? pol->rules[j].action
				   : pol->fallback);
	cand.rule = j;
	cand.f = in->findings[i];
	cand.ex = &in->explanations[i];
	cand.matched = 0;
	sx_policy_consider(&best, &cand);
	if (j < pol->count && pol->rules[j].rewrite && j < rewrite.rule)
	    rewrite = cand;
    }

    /* Session rules need enough of the rejected recipients. */
    for (j = 0; j < pol->count; j++) {
	r = &pol->rules[j];
	if (r->rejected_min == 0)
	    continue;
	for (n = 0, i = 0; i < in->rejected_count; i++)
	    if (sx_policy_match(r, set, in, &in->rejected[i],
				&in->rejected_ex[i]) && n++ == 0)
		first = i;
	if (n < r->rejected_min)
	    continue;
	cand.rank = sx_policy_rank(r->action);
	cand.rule = j;
	cand.f = &in->rejected[first];
	cand.ex = &in->rejected_ex[first];
	cand.matched = n;
	sx_policy_consider(&best, &cand);
	if (r->rewrite && j < rewrite.rule)
	    rewrite = cand;
    }

    if (best.rank < 0) {
	/* Nothing to report: leave the message alone. */
	out->action = (in->rejected_count > 0 && set != 0
		       && set->annotate_session_rejects) ?
	    SX_POLICY_ANNOTATE : SX_POLICY_ACCEPT;
	out->annotate = (out->action == SX_POLICY_ANNOTATE);
	return (SX_OK);
    }
    if (best.rule < pol->count && pol->rules[best.rule].rejected_min == 0)
	best.matched = sx_policy_taken(pol, set, in, best.rule);
    if (rewrite.rule < pol->count && pol->rules[rewrite.rule].rejected_min == 0)
	rewrite.matched = sx_policy_taken(pol, set, in, rewrite.rule);
    sx_policy_fill(pol, in, &best, &rewrite, out);
    return (SX_OK);
}
