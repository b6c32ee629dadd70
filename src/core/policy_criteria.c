/*
 * NAME
 *	policy_criteria 3
 * SUMMARY
 *	what a policy rule can match on: one table row per criterion
 * SYNOPSIS
 *	#include "policy_int.h"
 *
 *	extern const struct sx_criterion sx_policy_criteria[];
 *
 *	int	sx_policy_code_check(const char *pattern);
 *	int	sx_policy_code_match(const char *pattern, int replycode);
 *	int	sx_policy_status_check(const char *pattern);
 *	int	sx_policy_status_match(const char *pattern, const char *status);
 * DESCRIPTION
 *	Each criterion of docs/policy.md is one row of sx_policy_criteria[]
 *	with its own small functions: parse() reads the rule's setting once
 *	at load time, so that match() has nothing left that can fail;
 *	match() looks at one finding; free() and check() are there when the
 *	criterion needs them (see policy_int(3h)). The config loader walks
 *	the table to read a rule and the engine walks a rule's criteria to
 *	match it; neither knows any criterion by name. A new criterion is
 *	one row here, its functions, a line in docs/policy.md and a test
 *	case in tests/unit/test_policy.c (which checks that all three
 *	agree).
 *
 *	Rows are in the order of the documentation, which is also the order
 *	in which a rule's errors are reported and its criteria tried.
 *
 *	The parse() functions read libconfig settings, as the config
 *	loader does; only the loader calls them. The match() functions see
 *	findings, never the configuration file.
 * DIAGNOSTICS
 *	parse() and check() report through sx_cfg_error(); match() cannot
 *	fail.
 */
#include <assert.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/finding.h>
#include <smtp-explain/names.h>
#include <smtp-explain/policy.h>
#include <smtp-explain/registry.h>
#include <smtp-explain/text.h>
#include "config_parse.h"
#include "policy_int.h"

/*
 * Names. The policy reads a subset of the classes (a finding is never
 * matched as "unknown" or "intermediate"); the kinds and DSN actions
 * are written as finding(3h) writes them.
 */
const struct sx_name_code sx_policy_classes[] = {
    {"success", SX_CLASS_SUCCESS},
    {"transient", SX_CLASS_TRANSIENT},
    {"permanent", SX_CLASS_PERMANENT},
    {0, 0},
};

const struct sx_name_code sx_policy_dsn_actions[] = {
    {"failed", SX_ACTION_FAILED},
    {"delayed", SX_ACTION_DELAYED},
    {"delivered", SX_ACTION_DELIVERED},
    {"relayed", SX_ACTION_RELAYED},
    {"expanded", SX_ACTION_EXPANDED},
    {0, 0},
};

const struct sx_name_code sx_policy_kinds[] = {
    {"dsn", SX_KIND_DSN},
    {"bounce", SX_KIND_BOUNCE},
    {"session", SX_KIND_SESSION},
    {"autoreply", SX_KIND_AUTOREPLY},
    {"feedback", SX_KIND_FEEDBACK},
    {"reply", SX_KIND_REPLY},
    {0, 0},
};

/* sx_policy_name_code - a name as written; 0 if unknown */

int     sx_policy_name_code(const struct sx_name_code *t, const char *name,
			            int *code)
{
    int     c;

    /*
     * names(3h) ignores case; the loader has always refused "DSN" for
     * "dsn". The policy's tables have no aliases, so the name a code
     * is written with is the only one it has.
     */
    if (!sx_name_code(t, name, strlen(name), &c)
	|| strcmp(sx_code_name(t, c), name) != 0)
	return (0);
    *code = c;
    return (1);
}

/* sx_policy_name_read - a name as written, or an error at s */

int     sx_policy_name_read(struct sx_cfg *cfg, const config_setting_t *s,
			            const struct sx_name_code *t, const char *name,
			            int *code)
{
    char    want[256];
    char   *src;
    char   *dst;

    if (sx_policy_name_code(t, name, code))
	return (1);
    /* These messages have always listed the names bare: a, b or c. */
    sx_names_list(t, want, sizeof(want));
    for (src = dst = want; *src; src++)
	if (*src != '"')
	    *dst++ = *src;
    *dst = 0;
    sx_cfg_error(cfg, s, "unknown %s \"%.40s\": want %s",
		 config_setting_name(s), name, want);
    return (0);
}

/*
 * Patterns.
 */

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
 * sx_crit_status_part - read one part of an enhanced code: a number of
 * 1-3 digits (>= 0), or -1 for a wildcard when wild is allowed; -2 on
 * error. *sp is advanced past the part.
 */
static int sx_crit_status_part(const char **sp, int wild)
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

/* sx_crit_status_split - three parts; 0 on error */

static int sx_crit_status_split(const char *s, int part[3], int wild)
{
    int     i;

    for (i = 0; i < 3; i++) {
	if (i > 0 && *s++ != '.')
	    return (0);
	if ((part[i] = sx_crit_status_part(&s, wild)) == -2)
	    return (0);
    }
    return (*s == 0);
}

/* sx_policy_status_check - "5.7.26", "5.7.*", "*.1.1" */

int     sx_policy_status_check(const char *pat)
{
    int     part[3];

    if (!sx_crit_status_split(pat, part, 1))
	return (0);
    return (part[0] == -1 || part[0] == 2 || part[0] == 4 || part[0] == 5);
}

/* sx_policy_status_match - match an enhanced code, "" never matches */

int     sx_policy_status_match(const char *pat, const char *status)
{
    int     want[3];
    int     have[3];
    int     i;

    if (!sx_crit_status_split(pat, want, 1)
	|| !sx_crit_status_split(status, have, 0))
	return (0);
    for (i = 0; i < 3; i++)
	if (want[i] != -1 && want[i] != have[i])
	    return (0);
    return (1);
}

/* sx_crit_glob_ok - a glob without white space */

static int sx_crit_glob_ok(const char *s)
{
    return (strcspn(s, " \t") == strlen(s));
}

/* sx_crit_addr_glob_ok - a domain or address glob */

static int sx_crit_addr_glob_ok(const char *s)
{
    return (strcspn(s, " \t<>,;") == strlen(s));
}

/* sx_crit_glob_any - does any glob of the list match text? */

static int sx_crit_glob_any(char *const *list, const char *text)
{
    for (; *list; list++)
	if (sx_glob_match(*list, text))
	    return (1);
    return (0);
}

/* sx_crit_domain - the domain of an address, or NULL */

static const char *sx_crit_domain(const char *addr, char *buf, size_t size)
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

/* sx_crit_addr_match - globs with '@' see the address, others the domain */

static int sx_crit_addr_match(char *const *list, const char *addr)
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
    dom = sx_crit_domain(bare, domain, sizeof(domain));
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

/* sx_crit_bit - is an enum value in a mask? */

static int sx_crit_bit(unsigned mask, unsigned value)
{
    return (value < 32 && (mask & (1u << value)) != 0);
}

/* sx_crit_mask - a name or a list of names, as a bit mask; 0 after errors */

static unsigned sx_crit_mask(struct sx_cfg *cfg, const config_setting_t *s,
			             const struct sx_name_code *names)
{
    char  **list;
    char  **cp;
    unsigned mask = 0;
    int     code;
    int     bad = 0;

    if ((list = sx_cfg_strings(cfg, s, 0, 0)) == 0)
	return (0);
    for (cp = list; *cp; cp++) {
	if (sx_policy_name_read(cfg, s, names, *cp, &code)) {
	    assert(code >= 0 && code < 32);
	    mask |= 1u << code;
	} else {
	    bad = 1;
	}
    }
    sx_strv_free(list);
    return (bad ? 0 : mask);
}

/* sx_crit_list_free - for the criteria that keep a list */

static void sx_crit_list_free(union sx_criterion_arg *a)
{
    sx_strv_free(a->list);
}

/* sx_crit_flag_parse - for the boolean criteria */

static void sx_crit_flag_parse(struct sx_criterion_load *ld,
			               const config_setting_t *s,
			               union sx_criterion_arg *a)
{
    int     value;

    if (sx_cfg_bool(ld->cfg, s, &value))
	a->flag = value;
}

/*
 * The criteria, in the order of docs/policy.md.
 */

/* code - basic code patterns, written as strings or numbers */

static void sx_crit_code_parse(struct sx_criterion_load *ld,
			               const config_setting_t *s,
			               union sx_criterion_arg *a)
{
    struct sx_cfg *cfg = ld->cfg;
    const config_setting_t *elem;
    char  **list;
    char    buf[16];
    int     count;
    int     i;
    int     bad = 0;

    if (config_setting_type(s) == CONFIG_TYPE_STRING) {
	a->list = sx_cfg_strings(cfg, s, sx_policy_code_check,
				 "a reply code such as 550, \"55x\" or \"5xx\"");
	return;
    }
    if (config_setting_type(s) == CONFIG_TYPE_INT) {
	count = 1;
    } else if (config_setting_type(s) == CONFIG_TYPE_ARRAY
	       || config_setting_type(s) == CONFIG_TYPE_LIST) {
	count = config_setting_length(s);
    } else {
	sx_cfg_error(cfg, s, "\"code\" must be a reply code or a list of them");
	return;
    }
    if (count == 0) {
	sx_cfg_error(cfg, s, "\"code\" must not be an empty list");
	return;
    }
    if ((list = calloc((size_t) count + 1, sizeof(*list))) == 0) {
	cfg->nomem = 1;
	return;
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
	return;
    }
    a->list = list;
}

static int sx_crit_code_match(const union sx_criterion_arg *a,
			              const struct sx_policy_subject *m)
{
    char  **cp;

    for (cp = a->list; *cp; cp++)
	if (sx_policy_code_match(*cp, m->f->replycode))
	    return (1);
    return (0);
}

/* status - enhanced code patterns */

static void sx_crit_status_parse(struct sx_criterion_load *ld,
			                 const config_setting_t *s,
			                 union sx_criterion_arg *a)
{
    a->list = sx_cfg_strings(ld->cfg, s, sx_policy_status_check,
			     "an enhanced code such as \"5.7.26\" or \"5.7.*\"");
}

static int sx_crit_status_match(const union sx_criterion_arg *a,
			                const struct sx_policy_subject *m)
{
    char  **cp;

    for (cp = a->list; *cp; cp++)
	if (sx_policy_status_match(*cp, m->f->status))
	    return (1);
    return (0);
}

/* class - the class the reply really has */

static void sx_crit_class_parse(struct sx_criterion_load *ld,
			                const config_setting_t *s,
			                union sx_criterion_arg *a)
{
    a->mask = sx_crit_mask(ld->cfg, s, sx_policy_classes);
}

static int sx_crit_class_match(const union sx_criterion_arg *a,
			               const struct sx_policy_subject *m)
{
    return (sx_crit_bit(a->mask, m->ex->class));
}

/* reason - names of the registry's taxonomy */

static void sx_crit_reason_parse(struct sx_criterion_load *ld,
			                 const config_setting_t *s,
			                 union sx_criterion_arg *a)
{
    a->list = sx_cfg_strings(ld->cfg, s, sx_reason_valid,
			     "a reason of the taxonomy such as \"userunknown\" "
			     "(see docs/registry.md)");
}

static int sx_crit_reason_match(const union sx_criterion_arg *a,
			                const struct sx_policy_subject *m)
{
    char  **cp;

    if (m->ex->reason == 0)
	return (0);
    for (cp = a->list; *cp; cp++)
	if (strcasecmp(*cp, m->ex->reason) == 0)
	    return (1);
    return (0);
}

/* vendor - globs on the vendor whose entry explained the finding */

static void sx_crit_vendor_parse(struct sx_criterion_load *ld,
			                 const config_setting_t *s,
			                 union sx_criterion_arg *a)
{
    a->list = sx_cfg_strings(ld->cfg, s, sx_crit_glob_ok, "a vendor name");
}

static int sx_crit_vendor_match(const union sx_criterion_arg *a,
			                const struct sx_policy_subject *m)
{
    const char *vendor = m->ex->vendor_name;

    return (vendor != 0 && vendor[0] != 0 && sx_crit_glob_any(a->list, vendor));
}

/* recipient_domain, sender_domain - domain or address globs */

static void sx_crit_domain_parse(struct sx_criterion_load *ld,
			                 const config_setting_t *s,
			                 union sx_criterion_arg *a)
{
    a->list = sx_cfg_strings(ld->cfg, s, sx_crit_addr_glob_ok,
			     "a domain glob such as \"*.example.com\"");
}

static int sx_crit_rcpt_match(const union sx_criterion_arg *a,
			              const struct sx_policy_subject *m)
{
    return (sx_crit_addr_match(a->list, m->f->recipient));
}

static int sx_crit_sender_match(const union sx_criterion_arg *a,
			                const struct sx_policy_subject *m)
{
    const struct sx_policy_input *in = m->in;
    const char *sender = "";

    /* Every bounce has the null sender: then the From header says more. */
    if (in->envelope_sender != 0 && in->envelope_sender[0] != 0
	&& strcmp(in->envelope_sender, "<>") != 0)
	sender = in->envelope_sender;
    else if (in->report->msg != 0)
	sender = in->report->msg->from;
    return (sx_crit_addr_match(a->list, sender));
}

/* remote_mta - globs on the server that gave the reply */

static void sx_crit_remote_parse(struct sx_criterion_load *ld,
			                 const config_setting_t *s,
			                 union sx_criterion_arg *a)
{
    a->list = sx_cfg_strings(ld->cfg, s, sx_crit_glob_ok,
			     "a host glob such as \"*.google.com\"");
}

static int sx_crit_remote_match(const union sx_criterion_arg *a,
			                const struct sx_policy_subject *m)
{
    return (m->f->remote_mta[0] != 0
	    && sx_crit_glob_any(a->list, m->f->remote_mta));
}

/* dsn_action - the Action of a DSN */

static void sx_crit_dsn_action_parse(struct sx_criterion_load *ld,
				             const config_setting_t *s,
				             union sx_criterion_arg *a)
{
    a->mask = sx_crit_mask(ld->cfg, s, sx_policy_dsn_actions);
}

static int sx_crit_dsn_action_match(const union sx_criterion_arg *a,
				            const struct sx_policy_subject *m)
{
    return (sx_crit_bit(a->mask, m->f->action));
}

/* kind - what reported the finding; "session" only for session rules */

static void sx_crit_kind_parse(struct sx_criterion_load *ld,
			               const config_setting_t *s,
			               union sx_criterion_arg *a)
{
    a->mask = sx_crit_mask(ld->cfg, s, sx_policy_kinds);
}

static int sx_crit_kind_match(const union sx_criterion_arg *a,
			              const struct sx_policy_subject *m)
{
    return (sx_crit_bit(a->mask, m->f->kind));
}

static void sx_crit_kind_check(struct sx_criterion_load *ld,
			               const config_setting_t *s,
			               const union sx_criterion_arg *a)
{
    const unsigned session = 1u << SX_KIND_SESSION;
    const struct sx_rule *r = ld->rule;

    if (r->rejected_min == 0 && (a->mask & session))
	sx_cfg_error(ld->cfg, s, "rule \"%s\": kind \"session\" is only seen "
		     "by rules with rejected_min", r->name);
    if (r->rejected_min > 0 && a->mask != 0 && a->mask != session)
	sx_cfg_error(ld->cfg, s, "rule \"%s\": rules with rejected_min only "
		     "see session rejections; kind must be \"session\" or left "
		     "out", r->name);
}

/* regex - on the diagnostic, compiled once */

static void sx_crit_regex_parse(struct sx_criterion_load *ld,
			                const config_setting_t *s,
			                union sx_criterion_arg *a)
{
    const char *value;
    regex_t *re;
    char    why[160];
    int     err;

    if ((value = sx_cfg_string(ld->cfg, s)) == 0)
	return;
    if ((re = malloc(sizeof(*re))) == 0) {
	ld->cfg->nomem = 1;
	return;
    }
    if ((err = regcomp(re, value, REG_EXTENDED | REG_ICASE | REG_NOSUB)) != 0) {
	regerror(err, re, why, sizeof(why));
	sx_cfg_error(ld->cfg, s, "bad regular expression \"%.100s\": %s",
		     value, why);
	free(re);
	return;
    }
    a->ptr = re;
}

static int sx_crit_regex_match(const union sx_criterion_arg *a,
			               const struct sx_policy_subject *m)
{
    return (regexec((const regex_t *) a->ptr, m->f->diagnostic, 0, 0, 0) == 0);
}

static void sx_crit_regex_free(union sx_criterion_arg *a)
{
    if (a->ptr != 0) {
	regfree((regex_t *) a->ptr);
	free(a->ptr);
    }
}

/* sx_crit_orig - the returned original: 1 local, 0 foreign, -1 unknown */

static int sx_crit_orig(const struct sx_policy_subject *m)
{
    const struct sx_message *msg = m->in->report->msg;
    char    domain[SX_ADDR_MAX];
    const char *dom;

    if (msg == 0 || msg->orig_sender[0] == 0)
	return (-1);
    dom = sx_crit_domain(msg->orig_sender, domain, sizeof(domain));
    if (dom == 0)
	return (0);
    if (m->set == 0 || m->set->local_domains == 0)
	return (0);
    return (sx_crit_glob_any(m->set->local_domains, dom));
}

/* orig_local - "not local" includes "unknown"; orig_known narrows it */

static int sx_crit_orig_local_match(const union sx_criterion_arg *a,
				            const struct sx_policy_subject *m)
{
    return (a->flag == (sx_crit_orig(m) == 1));
}

static void sx_crit_orig_local_check(struct sx_criterion_load *ld,
				             const config_setting_t *s,
				             const union sx_criterion_arg *a)
{
    const struct sx_settings *set = ld->set;

    if (set->local_domains == 0 || set->local_domains[0] == 0)
	sx_cfg_error(ld->cfg, s, "rule \"%s\": orig_local needs "
		     "settings.local_domains (without them every original "
		     "looks foreign)", ld->rule->name);
}

/* orig_known - the report includes an original with a sender we read */

static int sx_crit_orig_known_match(const union sx_criterion_arg *a,
				            const struct sx_policy_subject *m)
{
    return (a->flag == (sx_crit_orig(m) >= 0));
}

/* internal - our own MTA generated the bounce */

static int sx_crit_internal_match(const union sx_criterion_arg *a,
			                  const struct sx_policy_subject *m)
{
    return (a->flag == (m->in->internal != 0));
}

/* rejected_min - makes the rule a session rule */

static void sx_crit_rejected_min_parse(struct sx_criterion_load *ld,
				               const config_setting_t *s,
				               union sx_criterion_arg *a)
{
    sx_cfg_uint(ld->cfg, s, 1, 100000, &ld->rule->rejected_min);
}

static int sx_crit_rejected_min_match(const union sx_criterion_arg *a,
				              const struct sx_policy_subject *m)
{
    /* The threshold counts rejected recipients; one finding meets it. */
    return (1);
}

const struct sx_criterion sx_policy_criteria[] = {
    {"code", sx_crit_code_parse, sx_crit_code_match, sx_crit_list_free, 0},
    {"status", sx_crit_status_parse, sx_crit_status_match,
    sx_crit_list_free, 0},
    {"class", sx_crit_class_parse, sx_crit_class_match, 0, 0},
    {"reason", sx_crit_reason_parse, sx_crit_reason_match, sx_crit_list_free, 0},
    {"vendor", sx_crit_vendor_parse, sx_crit_vendor_match, sx_crit_list_free, 0},
    {"recipient_domain", sx_crit_domain_parse, sx_crit_rcpt_match,
    sx_crit_list_free, 0},
    {"sender_domain", sx_crit_domain_parse, sx_crit_sender_match,
    sx_crit_list_free, 0},
    {"remote_mta", sx_crit_remote_parse, sx_crit_remote_match,
    sx_crit_list_free, 0},
    {"dsn_action", sx_crit_dsn_action_parse, sx_crit_dsn_action_match, 0, 0},
    {"kind", sx_crit_kind_parse, sx_crit_kind_match, 0, sx_crit_kind_check},
    {"regex", sx_crit_regex_parse, sx_crit_regex_match, sx_crit_regex_free, 0},
    {"orig_local", sx_crit_flag_parse, sx_crit_orig_local_match, 0,
    sx_crit_orig_local_check},
    {"orig_known", sx_crit_flag_parse, sx_crit_orig_known_match, 0, 0},
    {"internal", sx_crit_flag_parse, sx_crit_internal_match, 0, 0},
    {"rejected_min", sx_crit_rejected_min_parse, sx_crit_rejected_min_match,
    0, 0},
    {0, 0, 0, 0, 0},
};

_Static_assert(sizeof(sx_policy_criteria) / sizeof(sx_policy_criteria[0])
	       <= SX_CRITERIA_MAX + 1, "struct sx_rule has no room for them");
