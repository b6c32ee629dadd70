/*
 * NAME
 *	policy_int 3h
 * SUMMARY
 *	how a policy is stored (private to policy*.c and config*.c)
 * SYNOPSIS
 *	#include "policy_int.h"
 *
 *	struct sx_policy *sx_policy_new(void);
 *	void	sx_rule_init(struct sx_rule *rule);
 *	void	sx_rule_clear(struct sx_rule *rule);
 *	int	sx_policy_append(struct sx_policy *pol, struct sx_rule *rule);
 *
 *	int	sx_policy_code_check(const char *pattern);
 *	int	sx_policy_status_check(const char *pattern);
 *	int	sx_policy_template_check(const char *tmpl, char *why,
 *				size_t size);
 *
 *	int	sx_policy_code_match(const char *pattern, int replycode);
 *	int	sx_policy_status_match(const char *pattern, const char *status);
 *	size_t	sx_policy_expand(char *dst, size_t size, const char *tmpl,
 *				const struct sx_policy_vars *vars);
 * DESCRIPTION
 *	A policy is an ordered array of rules and the action for findings
 *	that no rule matches. The config loader fills a rule with
 *	sx_rule_init() and the checkers below, then hands it to
 *	sx_policy_append(), which takes over everything the rule points to
 *	(the caller's copy is reset) whether or not it succeeds.
 *
 *	A criterion that is absent (NULL list, zero mask, SX_TRI_ANY)
 *	matches everything. Lists are NULL-terminated and OR-ed; criteria
 *	are AND-ed. A rule with rejected_min > 0 is a session rule: it
 *	looks only at the recipients the MTA rejected, and matches when at
 *	least rejected_min of them meet its other criteria.
 *
 *	sx_policy_code_check() accepts "550", "55x", "5xx" (x for any
 *	digit); sx_policy_status_check() accepts "5.7.26", "5.7.*", "*.1.1"
 *	(each of the three parts a number or "*"). Both return 1 when the
 *	pattern is good. sx_policy_template_check() returns 1 when every
 *	'%' of tmpl starts "%%" or a known "%{name}", else 0 with a reason
 *	in why.
 *
 *	sx_policy_expand() writes tmpl with its variables replaced by the
 *	values in vars, each made safe first (see text(3h)); the result is
 *	cut at size-1 bytes and is NUL-terminated. It returns the length.
 */
#ifndef SX_POLICY_INT_H
#define SX_POLICY_INT_H

#include <regex.h>
#include <stddef.h>
#include <smtp-explain/policy.h>

#define SX_TRI_ANY	(-1)		/* boolean criterion not given */
#define SX_RULE_NAME_MAX 64		/* sizeof(verdict.rule) */

struct sx_rule {
    char    name[SX_RULE_NAME_MAX];
    int     line;			/* where it was defined */
    /* Match criteria. */
    char  **codes;			/* basic code patterns */
    char  **statuses;			/* enhanced code patterns */
    unsigned classes;			/* 1 << enum sx_class */
    char  **reasons;			/* taxonomy names */
    char  **vendors;			/* vendor name globs */
    char  **rcpt_domains;		/* domain or address globs */
    char  **sender_domains;		/* domain or address globs */
    char  **remote_mtas;		/* host globs */
    unsigned dsn_actions;		/* 1 << enum sx_action */
    unsigned kinds;			/* 1 << enum sx_kind */
    regex_t *regex;			/* on the diagnostic, or NULL */
    int     orig_local;			/* SX_TRI_ANY, 0, 1 */
    int     orig_known;			/* SX_TRI_ANY, 0, 1 */
    int     internal;			/* SX_TRI_ANY, 0, 1 */
    unsigned rejected_min;		/* > 0: session rule */
    /* What to do. */
    enum sx_policy_action action;
    int     rewrite;			/* annotate and change the Subject */
    char    replycode[4];		/* defer, reject */
    char    xcode[SX_STATUS_MAX];	/* defer, reject */
    char   *text;			/* reply template: defer, reject */
    char   *subject;			/* Subject template: rewrite */
    char   *quarantine_reason;		/* template: quarantine */
};

struct sx_policy {
    struct sx_rule *rules;
    size_t  count;
    size_t  cap;
    enum sx_policy_action fallback;	/* no rule matched a finding */
};

/* Template variables; NULL values expand to "". */
struct sx_policy_vars {
    const char *title;
    const char *subject;
    const char *code;
    const char *status;
    const char *reason;
    const char *rcpt;
    const char *class;
    const char *vendor;
    const char *remote;
    const char *diag;
    const char *action;
    const char *kind;
    const char *count;
    const char *rule;
};

extern struct sx_policy *sx_policy_new(void);
extern void sx_rule_init(struct sx_rule *);
extern void sx_rule_clear(struct sx_rule *);
extern int sx_policy_append(struct sx_policy *, struct sx_rule *);

extern int sx_policy_code_check(const char *);
extern int sx_policy_status_check(const char *);
extern int sx_policy_template_check(const char *, char *, size_t);

extern int sx_policy_code_match(const char *, int);
extern int sx_policy_status_match(const char *, const char *);
extern size_t sx_policy_expand(char *, size_t, const char *,
			               const struct sx_policy_vars *);

#endif
