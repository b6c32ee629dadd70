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
 *	Everything that can be decided at load time is: regular
 *	expressions are compiled, templates checked, reply codes matched
 *	to their action and enhanced codes to their reply code, and rules
 *	that could never match or would do harm (orig_local without any
 *	local domain, which would take every bounce for backscatter) are
 *	refused. Evaluation then has nothing left that can fail.
 * DIAGNOSTICS
 *	Errors go to cfg->errs as "file:line: message"; see config_parse(3h).
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/finding.h>
#include <smtp-explain/policy.h>
#include <smtp-explain/registry.h>
#include <smtp-explain/status.h>
#include <smtp-explain/text.h>
#include "config_parse.h"
#include "policy_int.h"

/* A name and the enum value it stands for. */
struct sx_cfg_name {
    const char *name;
    unsigned value;
};

static const struct sx_cfg_name sx_cfg_classes[] = {
    {"success", SX_CLASS_SUCCESS},
    {"transient", SX_CLASS_TRANSIENT},
    {"permanent", SX_CLASS_PERMANENT},
    {0, 0},
};

static const struct sx_cfg_name sx_cfg_dsn_actions[] = {
    {"failed", SX_ACTION_FAILED},
    {"delayed", SX_ACTION_DELAYED},
    {"delivered", SX_ACTION_DELIVERED},
    {"relayed", SX_ACTION_RELAYED},
    {"expanded", SX_ACTION_EXPANDED},
    {0, 0},
};

static const struct sx_cfg_name sx_cfg_kinds[] = {
    {"dsn", SX_KIND_DSN},
    {"bounce", SX_KIND_BOUNCE},
    {"session", SX_KIND_SESSION},
    {"autoreply", SX_KIND_AUTOREPLY},
    {"feedback", SX_KIND_FEEDBACK},
    {"reply", SX_KIND_REPLY},
    {0, 0},
};

/* Rule actions; rewrite is annotate with a new Subject. */
#define SX_CFG_REWRITE 100

static const struct sx_cfg_name sx_cfg_actions[] = {
    {"annotate", SX_POLICY_ANNOTATE},
    {"accept", SX_POLICY_ACCEPT},
    {"defer", SX_POLICY_DEFER},
    {"reject", SX_POLICY_REJECT},
    {"rewrite", SX_CFG_REWRITE},
    {"discard", SX_POLICY_DISCARD},
    {"quarantine", SX_POLICY_QUARANTINE},
    {0, 0},
};

static const char *const sx_cfg_rule_keys[] = {
    "name", "code", "status", "class", "reason", "vendor",
    "recipient_domain", "sender_domain", "remote_mta", "dsn_action", "kind",
    "regex", "orig_local", "orig_known", "internal", "rejected_min",
    "action", "replycode", "xcode", "text", "subject", "quarantine_reason", 0,
};

#define SX_DEFER_TEXT	"Delivery report deferred by local policy, try again later"
#define SX_REJECT_TEXT	"Delivery report refused by local policy"
#define SX_QUARANTINE_REASON "smtp-explain policy %{rule}"

/* sx_cfg_names_list - "a, b or c" for messages */

static void sx_cfg_names_list(char *buf, size_t size,
			              const struct sx_cfg_name *names)
{
    size_t  len = 0;
    int     i;

    buf[0] = 0;
    for (i = 0; names[i].name && len < size; i++)
	len += (size_t) snprintf(buf + len, size - len, "%s%s",
				 i == 0 ? "" : names[i + 1].name ? ", " : " or ",
				 names[i].name);
}

/* sx_cfg_name_find - look a name up; 0 if unknown */

static int sx_cfg_name_find(const struct sx_cfg_name *names, const char *name,
			            unsigned *value)
{
    for (; names->name; names++)
	if (strcmp(names->name, name) == 0) {
	    *value = names->value;
	    return (1);
	}
    return (0);
}

/* sx_cfg_mask - a name or a list of names, as a bit mask */

static unsigned sx_cfg_mask(struct sx_cfg *cfg, const config_setting_t *s,
			            const struct sx_cfg_name *names)
{
    char    want[200];
    char  **list;
    char  **cp;
    unsigned mask = 0;
    unsigned value;
    int     bad = 0;

    if ((list = sx_cfg_strings(cfg, s, 0, 0)) == 0)
	return (0);
    for (cp = list; *cp; cp++) {
	if (sx_cfg_name_find(names, *cp, &value)) {
	    mask |= 1u << value;
	} else {
	    sx_cfg_names_list(want, sizeof(want), names);
	    sx_cfg_error(cfg, s, "unknown %s \"%.40s\": want %s",
			 config_setting_name(s), *cp, want);
	    bad = 1;
	}
    }
    sx_strv_free(list);
    return (bad ? 0 : mask);
}

/* sx_cfg_codes - basic code patterns, written as strings or numbers */

static char **sx_cfg_codes(struct sx_cfg *cfg, const config_setting_t *s)
{
    const config_setting_t *elem;
    char  **list;
    char    buf[16];
    int     count;
    int     i;
    int     bad = 0;

    if (config_setting_type(s) == CONFIG_TYPE_STRING)
	return (sx_cfg_strings(cfg, s, sx_policy_code_check,
			       "a reply code such as 550, \"55x\" or \"5xx\""));
    if (config_setting_type(s) == CONFIG_TYPE_INT) {
	count = 1;
    } else if (config_setting_type(s) == CONFIG_TYPE_ARRAY
	       || config_setting_type(s) == CONFIG_TYPE_LIST) {
	count = config_setting_length(s);
    } else {
	sx_cfg_error(cfg, s, "\"code\" must be a reply code or a list of them");
	return (0);
    }
    if (count == 0) {
	sx_cfg_error(cfg, s, "\"code\" must not be an empty list");
	return (0);
    }
    if ((list = calloc((size_t) count + 1, sizeof(*list))) == 0) {
	cfg->nomem = 1;
	return (0);
    }
    for (i = 0; i < count; i++) {
	elem = config_setting_type(s) == CONFIG_TYPE_INT ? s :
	    config_setting_get_elem(s, (unsigned) i);
	if (config_setting_type(elem) == CONFIG_TYPE_INT)
	    snprintf(buf, sizeof(buf), "%d", config_setting_get_int(elem));
	else if (config_setting_type(elem) == CONFIG_TYPE_STRING)
	    snprintf(buf, sizeof(buf), "%s", config_setting_get_string(elem));
	else
	    buf[0] = 0;
	if (!sx_policy_code_check(buf)) {
	    sx_cfg_error(cfg, elem, "bad reply code \"%s\" for \"code\": want "
			 "a reply code such as 550, \"55x\" or \"5xx\"", buf);
	    bad = 1;
	} else if ((list[i] = strdup(buf)) == 0) {
	    cfg->nomem = 1;
	    bad = 1;
	    break;
	}
    }
    if (bad) {
	/* A bad element leaves a hole: free by count, not up to NULL. */
	for (i = 0; i < count; i++)
	    free(list[i]);
	free(list);
	return (0);
    }
    return (list);
}

/* sx_cfg_glob_ok - a glob without white space */

static int sx_cfg_glob_ok(const char *s)
{
    return (strcspn(s, " \t") == strlen(s));
}

/* sx_cfg_addr_glob_ok - a domain or address glob */

static int sx_cfg_addr_glob_ok(const char *s)
{
    return (strcspn(s, " \t<>,;") == strlen(s));
}

/* sx_cfg_name_ok - rule names appear in logs and in the verdict */

static int sx_cfg_name_ok(const char *s)
{
    size_t  len = strlen(s);

    return (len > 0 && len < SX_RULE_NAME_MAX && strspn(s,
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
	    == len);
}

/* sx_cfg_tri - a boolean criterion */

static void sx_cfg_tri(struct sx_cfg *cfg, const config_setting_t *rule,
		               const char *key, int *out)
{
    const config_setting_t *s = config_setting_get_member(rule, key);
    int     value;

    if (s != 0 && sx_cfg_bool(cfg, s, &value))
	*out = value;
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

/* sx_cfg_regex - compile the diagnostic expression once */

static regex_t *sx_cfg_regex(struct sx_cfg *cfg, const config_setting_t *s)
{
    const char *value;
    regex_t *re;
    char    why[160];
    int     err;

    if ((value = sx_cfg_string(cfg, s)) == 0)
	return (0);
    if ((re = malloc(sizeof(*re))) == 0) {
	cfg->nomem = 1;
	return (0);
    }
    if ((err = regcomp(re, value, REG_EXTENDED | REG_ICASE | REG_NOSUB)) != 0) {
	regerror(err, re, why, sizeof(why));
	sx_cfg_error(cfg, s, "bad regular expression \"%.100s\": %s",
		     value, why);
	free(re);
	return (0);
    }
    return (re);
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
    char    want[200];
    unsigned action = SX_POLICY_ANNOTATE;

    if (s != 0 && (value = sx_cfg_string(cfg, s)) != 0
	&& !sx_cfg_name_find(sx_cfg_actions, value, &action)) {
	sx_cfg_names_list(want, sizeof(want), sx_cfg_actions);
	sx_cfg_error(cfg, s, "unknown action \"%.40s\": want %s", value, want);
	action = SX_POLICY_ANNOTATE;
    }
    r->rewrite = (action == SX_CFG_REWRITE);
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

/* sx_cfg_criteria - what a rule matches */

static void sx_cfg_criteria(struct sx_cfg *cfg, const config_setting_t *rs,
			            struct sx_rule *r)
{
    const config_setting_t *s;

    if ((s = config_setting_get_member(rs, "code")) != 0)
	r->codes = sx_cfg_codes(cfg, s);
    if ((s = config_setting_get_member(rs, "status")) != 0)
	r->statuses = sx_cfg_strings(cfg, s, sx_policy_status_check,
				     "an enhanced code such as \"5.7.26\" or "
				     "\"5.7.*\"");
    if ((s = config_setting_get_member(rs, "class")) != 0)
	r->classes = sx_cfg_mask(cfg, s, sx_cfg_classes);
    if ((s = config_setting_get_member(rs, "reason")) != 0)
	r->reasons = sx_cfg_strings(cfg, s, sx_reason_valid,
				    "a reason of the taxonomy such as "
				    "\"userunknown\" (see docs/registry.md)");
    if ((s = config_setting_get_member(rs, "vendor")) != 0)
	r->vendors = sx_cfg_strings(cfg, s, sx_cfg_glob_ok, "a vendor name");
    if ((s = config_setting_get_member(rs, "recipient_domain")) != 0)
	r->rcpt_domains = sx_cfg_strings(cfg, s, sx_cfg_addr_glob_ok,
					 "a domain glob such as \"*.example.com\"");
    if ((s = config_setting_get_member(rs, "sender_domain")) != 0)
	r->sender_domains = sx_cfg_strings(cfg, s, sx_cfg_addr_glob_ok,
					   "a domain glob such as \"*.example.com\"");
    if ((s = config_setting_get_member(rs, "remote_mta")) != 0)
	r->remote_mtas = sx_cfg_strings(cfg, s, sx_cfg_glob_ok,
					"a host glob such as \"*.google.com\"");
    if ((s = config_setting_get_member(rs, "dsn_action")) != 0)
	r->dsn_actions = sx_cfg_mask(cfg, s, sx_cfg_dsn_actions);
    if ((s = config_setting_get_member(rs, "kind")) != 0)
	r->kinds = sx_cfg_mask(cfg, s, sx_cfg_kinds);
    if ((s = config_setting_get_member(rs, "regex")) != 0)
	r->regex = sx_cfg_regex(cfg, s);
    sx_cfg_tri(cfg, rs, "orig_local", &r->orig_local);
    sx_cfg_tri(cfg, rs, "orig_known", &r->orig_known);
    sx_cfg_tri(cfg, rs, "internal", &r->internal);
    if ((s = config_setting_get_member(rs, "rejected_min")) != 0)
	sx_cfg_uint(cfg, s, 1, 100000, &r->rejected_min);
}

/* sx_cfg_rule_checks - combinations that cannot work */

static void sx_cfg_rule_checks(struct sx_cfg *cfg, const config_setting_t *rs,
			               const struct sx_rule *r,
			               const struct sx_settings *set)
{
    const config_setting_t *s;
    const unsigned session = 1u << SX_KIND_SESSION;

    if ((s = config_setting_get_member(rs, "orig_local")) != 0
	&& (set->local_domains == 0 || set->local_domains[0] == 0))
	sx_cfg_error(cfg, s, "rule \"%s\": orig_local needs "
		     "settings.local_domains (without them every original "
		     "looks foreign)", r->name);
    if (r->rejected_min == 0 && (r->kinds & session))
	sx_cfg_error(cfg, config_setting_get_member(rs, "kind"),
		     "rule \"%s\": kind \"session\" is only seen by rules with "
		     "rejected_min", r->name);
    if (r->rejected_min > 0 && r->kinds != 0 && r->kinds != session)
	sx_cfg_error(cfg, config_setting_get_member(rs, "kind"),
		     "rule \"%s\": rules with rejected_min only see session "
		     "rejections; kind must be \"session\" or left out", r->name);
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
    size_t  before = cfg->errs->count;
    size_t  i;

    sx_rule_init(&rule);
    rule.line = (int) config_setting_source_line(rs);
    if (!config_setting_is_group(rs)) {
	sx_cfg_error(cfg, rs, "each rule must be a group: { ... }");
	return (SX_ERR_CONFIG);
    }
    sx_cfg_rule_name(rs, index, rule.name, sizeof(rule.name));
    sx_cfg_keys(cfg, rs, "a rule", sx_cfg_rule_keys);
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
    sx_cfg_criteria(cfg, rs, &rule);
    sx_cfg_action(cfg, rs, &rule);
    sx_cfg_rule_checks(cfg, rs, &rule, set);

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
	    if (strcmp(value, "annotate") == 0)
		pol->fallback = SX_POLICY_ANNOTATE;
	    else if (strcmp(value, "accept") == 0)
		pol->fallback = SX_POLICY_ACCEPT;
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
