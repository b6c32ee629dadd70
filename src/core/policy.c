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
 *	A rule matches a finding when each of its criteria does; what the
 *	criteria are and how each one matches is policy_criteria(3)'s.
 *
 *	The policy is read-only here; evaluation keeps its state on the
 *	stack, so one policy serves any number of threads.
 * DIAGNOSTICS
 *	sx_policy_append() returns SX_OK or SX_ERR_NOMEM.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/policy.h>
#include <smtp-explain/registry.h>
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

/*
 * Actions as the configuration writes them, in the order error messages
 * list them; "rewrite" is annotate with a new Subject, never a verdict.
 */
const struct sx_name_code sx_policy_actions[] = {
    {"annotate", SX_POLICY_ANNOTATE},
    {"accept", SX_POLICY_ACCEPT},
    {"defer", SX_POLICY_DEFER},
    {"reject", SX_POLICY_REJECT},
    {"rewrite", SX_POLICY_REWRITE},
    {"discard", SX_POLICY_DISCARD},
    {"quarantine", SX_POLICY_QUARANTINE},
    {0, 0},
};

/* sx_policy_action_name - the name used in configuration and logs */

const char *sx_policy_action_name(enum sx_policy_action action)
{
    const char *name = sx_code_name(sx_policy_actions, (int) action);

    return (*name ? name : "unknown");
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
    rule->action = SX_POLICY_ANNOTATE;
}

/* sx_rule_clear - free what a rule points to, leave it initialised */

void    sx_rule_clear(struct sx_rule *rule)
{
    struct sx_rule_criterion *rc;

    for (rc = rule->crit; rc < rule->crit + rule->ncrit; rc++)
	if (rc->c->free != 0)
	    rc->c->free(&rc->arg);
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

/* sx_policy_match - does rule meet one finding? (rejected_min aside) */

static int sx_policy_match(const struct sx_rule *r,
			           const struct sx_policy_subject *m)
{
    const struct sx_rule_criterion *rc;

    for (rc = r->crit; rc < r->crit + r->ncrit; rc++)
	if (!rc->c->match(&rc->arg, m))
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
    v->subject = in->subject ? in->subject
	: (in->report->msg ? in->report->msg->subject : "");
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
    struct sx_policy_subject m = {set, in, f, ex};
    size_t  j;

    for (j = 0; j < pol->count; j++)
	if (pol->rules[j].rejected_min == 0
	    && sx_policy_match(&pol->rules[j], &m))
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

    for (i = 0; i < in->report->count; i++)
	if (sx_policy_first(pol, set, in, in->report->items[i].finding,
			    &in->report->items[i].ex) == j)
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
    struct sx_policy_subject m = {set, in, 0, 0};
    const struct sx_rule *r;
    size_t  first = 0;
    size_t  i;
    size_t  j;
    size_t  n;

    assert(pol != 0 && in != 0 && out != 0);
    assert(in->report != 0);
    memset(out, 0, sizeof(*out));

    /* Each finding of the message gets its first matching rule. */
    for (i = 0; i < in->report->count; i++) {
	j = sx_policy_first(pol, set, in, in->report->items[i].finding,
			    &in->report->items[i].ex);
	cand.rank = sx_policy_rank(j < pol->count ? pol->rules[j].action
				   : pol->fallback);
	cand.rule = j;
	cand.f = in->report->items[i].finding;
	cand.ex = &in->report->items[i].ex;
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
	for (n = 0, i = 0; i < in->report->rejected_count; i++) {
	    m.f = in->report->rejected[i].finding;
	    m.ex = &in->report->rejected[i].ex;
	    if (sx_policy_match(r, &m) && n++ == 0)
		first = i;
	}
	if (n < r->rejected_min)
	    continue;
	cand.rank = sx_policy_rank(r->action);
	cand.rule = j;
	cand.f = in->report->rejected[first].finding;
	cand.ex = &in->report->rejected[first].ex;
	cand.matched = n;
	sx_policy_consider(&best, &cand);
	if (r->rewrite && j < rewrite.rule)
	    rewrite = cand;
    }

    if (best.rank < 0) {
	/* Nothing to report: leave the message alone. */
	out->action = (in->report->rejected_count > 0 && set != 0
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
