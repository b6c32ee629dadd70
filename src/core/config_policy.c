/*
 * NAME
 *	config_policy 3
 * SUMMARY
 *	read the "policy" group of smtp-explain.conf
 * SYNOPSIS
 *	#include "config_parse.h"
 *
 *	int	sx_cfg_policy(struct sx_cfg *cfg, const config_setting_t *group,
 *				const struct sx_settings *set,
 *				struct sx_policy **out);
 * DESCRIPTION
 *	The policy group holds "default" (the action for findings no rule
 *	matches) and "rules", a list of groups, each with match criteria
 *	and an action; docs/policy.md describes every key.
 *
 *	A rule's criteria are read by one walk over the criteria table of
 *	policy_criteria(3), and checked by another once the action is read;
 *	this file knows none of them by name. It reads the rule's name and
 *	its action, and a key that is neither is an error.
 *
 *	Everything that can be decided at load time is: regular
 *	expressions are compiled, templates checked, reply codes matched
 *	to their action and enhanced codes to their reply code, and rules
 *	that could never match or would do harm (orig_local without any
 *	local domain, which would take every bounce for backscatter) are
 *	refused. Evaluation then has nothing left that can fail.
 * DIAGNOSTICS
 *	Errors go to cfg->errs as "file:line: message"; see config_parse(3h).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/policy.h>
#include "config_parse.h"
#include "policy_int.h"

/* The keys of a rule that are not criteria: its name and its action. */
static const char *const sx_cfg_action_keys[] = {
    "name", "action", "replycode", "xcode", "text", "subject",
    "quarantine_reason", 0,
};

#define SX_DEFER_TEXT	"Delivery report deferred by local policy, try again later"
#define SX_REJECT_TEXT	"Delivery report refused by local policy"
#define SX_QUARANTINE_REASON "smtp-explain policy %{rule}"

/* sx_cfg_name_ok - rule names appear in logs and in the verdict */

static int sx_cfg_name_ok(const char *s)
{
    size_t  len = strlen(s);

    return (len > 0 && len < SX_RULE_NAME_MAX && strspn(s,
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
	    == len);
}

/* sx_cfg_template - a template string, checked */

static char *sx_cfg_template(struct sx_cfg *cfg, const config_setting_t *s)
{
    const char *value;
    char    why[160];
    char   *copy;

    if (config_setting_type(s) != CONFIG_TYPE_STRING) {
	sx_cfg_error(cfg, s, "\"%s\" must be a string", config_setting_name(s));
	return (0);
    }
    value = config_setting_get_string(s);
    if (!sx_policy_template_check(value, why, sizeof(why))) {
	sx_cfg_error(cfg, s, "\"%s\": %s", config_setting_name(s), why);
	return (0);
    }
    if ((copy = strdup(value)) == 0)
	cfg->nomem = 1;
    return (copy);
}

/* sx_cfg_xcode_ok - an enhanced status code "c.sss.ddd", c 4 or 5 */

static int sx_cfg_xcode_ok(const char *s)
{
    return ((s[0] == '4' || s[0] == '5') && sx_policy_status_check(s)
	    && strchr(s, '*') == 0 && strchr(s, 'x') == 0
	    && strchr(s, 'X') == 0);
}

/* sx_cfg_reply - replycode, xcode and text of a defer or reject rule */

static void sx_cfg_reply(struct sx_cfg *cfg, const config_setting_t *rs,
			         struct sx_rule *r)
{
    const config_setting_t *code = config_setting_get_member(rs, "replycode");
    const config_setting_t *xcode = config_setting_get_member(rs, "xcode");
    const config_setting_t *text = config_setting_get_member(rs, "text");
    const char *value;
    char    want = r->action == SX_POLICY_DEFER ? '4' : '5';
    const char *verb = sx_policy_action_name(r->action);
    char    buf[16];

    snprintf(r->replycode, sizeof(r->replycode), "%s",
	     want == '4' ? "451" : "550");
    snprintf(r->xcode, sizeof(r->xcode), "%c.7.1", want);
    if (code != 0) {
	if (config_setting_type(code) == CONFIG_TYPE_INT)
	    snprintf(buf, sizeof(buf), "%d", config_setting_get_int(code));
	else if (config_setting_type(code) == CONFIG_TYPE_STRING)
	    snprintf(buf, sizeof(buf), "%s", config_setting_get_string(code));
	else
	    buf[0] = 0;
	if (strlen(buf) != 3 || strspn(buf, "0123456789") != 3) {
	    sx_cfg_error(cfg, code, "bad replycode \"%s\": want three digits "
			 "such as %s", buf, want == '4' ? "451" : "550");
	} else if (buf[0] != want) {
	    sx_cfg_error(cfg, code, "replycode %s does not fit action \"%s\": "
			 "want %cxx", buf, verb, want);
	} else {
	    memcpy(r->replycode, buf, sizeof(r->replycode));
	    snprintf(r->xcode, sizeof(r->xcode), "%c.7.1", want);
	}
    }
    if (xcode != 0 && (value = sx_cfg_string(cfg, xcode)) != 0) {
	if (!sx_cfg_xcode_ok(value)) {
	    sx_cfg_error(cfg, xcode, "bad xcode \"%.20s\": want an enhanced "
			 "status code such as %c.7.1", value, want);
	} else if (value[0] != want) {
	    sx_cfg_error(cfg, xcode, "xcode %s does not fit replycode %s "
			 "(action \"%s\"): want %c.x.x", value, r->replycode,
			 verb, want);
	} else {
	    snprintf(r->xcode, sizeof(r->xcode), "%s", value);
	}
    }
    if (text != 0)
	r->text = sx_cfg_template(cfg, text);
    else if ((r->text = strdup(want == '4' ? SX_DEFER_TEXT : SX_REJECT_TEXT)) == 0)
	cfg->nomem = 1;
}

/* sx_cfg_only - report a key that the rule's action does not use */

static void sx_cfg_only(struct sx_cfg *cfg, const config_setting_t *rs,
			        const char *key, const char *action)
{
    const config_setting_t *s = config_setting_get_member(rs, key);

    if (s != 0)
	sx_cfg_error(cfg, s, "\"%s\" is only used with action %s", key, action);
}

/* sx_cfg_action - the action and its parameters */

static void sx_cfg_action(struct sx_cfg *cfg, const config_setting_t *rs,
			          struct sx_rule *r)
{
    const config_setting_t *s = config_setting_get_member(rs, "action");
    const config_setting_t *sub;
    const char *value;
    int     action = SX_POLICY_ANNOTATE;

    if (s != 0 && (value = sx_cfg_string(cfg, s)) != 0
	&& !sx_policy_name_read(cfg, s, sx_policy_actions, value, &action))
	action = SX_POLICY_ANNOTATE;
    r->rewrite = (action == SX_POLICY_REWRITE);
    r->action = r->rewrite ? SX_POLICY_ANNOTATE : (enum sx_policy_action) action;

    if (r->action == SX_POLICY_DEFER || r->action == SX_POLICY_REJECT) {
	sx_cfg_reply(cfg, rs, r);
    } else {
	sx_cfg_only(cfg, rs, "replycode", "\"defer\" or \"reject\"");
	sx_cfg_only(cfg, rs, "xcode", "\"defer\" or \"reject\"");
	sx_cfg_only(cfg, rs, "text", "\"defer\" or \"reject\"");
    }
    if (r->rewrite) {
	if ((sub = config_setting_get_member(rs, "subject")) == 0)
	    sx_cfg_error(cfg, rs, "rule \"%s\": action \"rewrite\" needs a "
			 "\"subject\" template", r->name);
	else
	    r->subject = sx_cfg_template(cfg, sub);
    } else {
	sx_cfg_only(cfg, rs, "subject", "\"rewrite\"");
    }
    if (r->action == SX_POLICY_QUARANTINE) {
	if ((sub = config_setting_get_member(rs, "quarantine_reason")) != 0)
	    r->quarantine_reason = sx_cfg_template(cfg, sub);
	else if ((r->quarantine_reason = strdup(SX_QUARANTINE_REASON)) == 0)
	    cfg->nomem = 1;
    } else {
	sx_cfg_only(cfg, rs, "quarantine_reason", "\"quarantine\"");
    }
}

/* sx_cfg_criteria - what a rule matches: one walk over the criteria table */

static void sx_cfg_criteria(struct sx_criterion_load *ld)
{
    const struct sx_criterion *c;
    const config_setting_t *s;
    struct sx_rule_criterion *rc;

    for (c = sx_policy_criteria; c->key; c++) {
	if ((s = config_setting_get_member(ld->group, c->key)) == 0)
	    continue;
	assert(ld->rule->ncrit < SX_CRITERIA_MAX);
	rc = &ld->rule->crit[ld->rule->ncrit++];
	rc->c = c;
	c->parse(ld, s, &rc->arg);
    }
}

/* sx_cfg_criteria_check - what each criterion asks of the whole rule */

static void sx_cfg_criteria_check(struct sx_criterion_load *ld)
{
    const struct sx_rule_criterion *rc;
    const struct sx_rule *r = ld->rule;

    for (rc = r->crit; rc < r->crit + r->ncrit; rc++)
	if (rc->c->check != 0)
	    rc->c->check(ld, config_setting_get_member(ld->group, rc->c->key),
			 &rc->arg);
}

/* sx_cfg_rule_keys - report a key that is neither criterion nor action */

static void sx_cfg_rule_keys(struct sx_cfg *cfg, const config_setting_t *rs)
{
    const char *known[SX_CRITERIA_MAX + sizeof(sx_cfg_action_keys)
		      / sizeof(sx_cfg_action_keys[0])];
    const struct sx_criterion *c;
    size_t  n = 0;
    size_t  i;

    for (c = sx_policy_criteria; c->key; c++)
	known[n++] = c->key;
    for (i = 0; sx_cfg_action_keys[i]; i++)
	known[n++] = sx_cfg_action_keys[i];
    known[n] = 0;
    sx_cfg_keys(cfg, rs, "a rule", known);
}

/* sx_cfg_rule_name - the name a rule has or gets */

static void sx_cfg_rule_name(const config_setting_t *rs, size_t index,
			             char *buf, size_t size)
{
    const config_setting_t *s;

    if (config_setting_is_group(rs)
	&& (s = config_setting_get_member(rs, "name")) != 0
	&& config_setting_type(s) == CONFIG_TYPE_STRING)
	snprintf(buf, size, "%s", config_setting_get_string(s));
    else
	snprintf(buf, size, "rule%zu", index + 1);
}

/* sx_cfg_rule - one rule; SX_OK, or SX_ERR_CONFIG when it was bad */

static int sx_cfg_rule(struct sx_cfg *cfg, const config_setting_t *list,
		               size_t index, const struct sx_settings *set,
		               struct sx_policy *pol)
{
    const config_setting_t *rs = config_setting_get_elem(list, (unsigned) index);
    const config_setting_t *s;
    const char *value;
    char    other[SX_RULE_NAME_MAX];
    struct sx_rule rule;
    struct sx_criterion_load ld = {cfg, rs, set, &rule};
    size_t  before = cfg->errs->count;
    size_t  i;

    sx_rule_init(&rule);
    rule.line = (int) config_setting_source_line(rs);
    if (!config_setting_is_group(rs)) {
	sx_cfg_error(cfg, rs, "each rule must be a group: { ... }");
	return (SX_ERR_CONFIG);
    }
    sx_cfg_rule_name(rs, index, rule.name, sizeof(rule.name));
    sx_cfg_rule_keys(cfg, rs);
    if ((s = config_setting_get_member(rs, "name")) != 0
	&& (value = sx_cfg_string(cfg, s)) != 0 && !sx_cfg_name_ok(value))
	sx_cfg_error(cfg, s, "bad rule name \"%.80s\": want up to %d "
		     "letters, digits, '.', '_' or '-'", value,
		     SX_RULE_NAME_MAX - 1);
    for (i = 0; i < index; i++) {
	sx_cfg_rule_name(config_setting_get_elem(list, (unsigned) i), i,
			 other, sizeof(other));
	if (strcmp(other, rule.name) == 0) {
	    sx_cfg_error(cfg, rs, "rule name \"%s\" is already used at "
			 "line %d", rule.name, (int) config_setting_source_line(
			       config_setting_get_elem(list, (unsigned) i)));
	    break;
	}
    }
    sx_cfg_criteria(&ld);
    sx_cfg_action(cfg, rs, &rule);
    sx_cfg_criteria_check(&ld);

    if (cfg->errs->count > before || cfg->nomem) {
	sx_rule_clear(&rule);
	return (SX_ERR_CONFIG);
    }
    if (sx_policy_append(pol, &rule) != SX_OK) {
	cfg->nomem = 1;
	return (SX_ERR_NOMEM);
    }
    return (SX_OK);
}

/* sx_cfg_policy - the policy group */

int     sx_cfg_policy(struct sx_cfg *cfg, const config_setting_t *group,
		              const struct sx_settings *set, struct sx_policy **out)
{
    static const char *const keys[] = {"default", "rules", 0};
    const config_setting_t *s;
    const char *value;
    struct sx_policy *pol;
    size_t  before = cfg->errs->count;
    int     fallback;
    int     count;
    int     i;

    *out = 0;
    if ((pol = sx_policy_new()) == 0) {
	cfg->nomem = 1;
	return (SX_ERR_NOMEM);
    }
    if (group != 0 && !config_setting_is_group(group)) {
	sx_cfg_error(cfg, group, "\"policy\" must be a group: policy = { "
		     "default = \"annotate\"; rules = ( ... ); };");
	group = 0;
    }
    if (group != 0) {
	sx_cfg_keys(cfg, group, "policy", keys);
	if ((s = config_setting_get_member(group, "default")) != 0
	    && (value = sx_cfg_string(cfg, s)) != 0) {
	    if (sx_policy_name_code(sx_policy_actions, value, &fallback)
		&& (fallback == SX_POLICY_ANNOTATE
		    || fallback == SX_POLICY_ACCEPT))
		pol->fallback = (enum sx_policy_action) fallback;
	    else
		sx_cfg_error(cfg, s, "policy default must be \"annotate\" or "
			     "\"accept\", not \"%.40s\" (write a last rule "
			     "without criteria for other actions)", value);
	}
	if ((s = config_setting_get_member(group, "rules")) != 0) {
	    if (!config_setting_is_list(s)) {
		sx_cfg_error(cfg, s, "\"rules\" must be a list of groups: "
			     "rules = ( { ... }, { ... } );");
	    } else {
		count = config_setting_length(s);
		for (i = 0; i < count; i++)
		    if (sx_cfg_rule(cfg, s, (size_t) i, set, pol) == SX_ERR_NOMEM)
			break;
	    }
	}
    }
    if (cfg->nomem) {
	sx_policy_free(pol);
	return (SX_ERR_NOMEM);
    }
    if (cfg->errs->count > before) {
	sx_policy_free(pol);
	return (SX_ERR_CONFIG);
    }
    *out = pol;
    return (SX_OK);
}
