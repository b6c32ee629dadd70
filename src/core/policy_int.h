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
 *
 *	extern const struct sx_criterion sx_policy_criteria[];
 *	extern const struct sx_name_code sx_policy_actions[],
 *		sx_policy_classes[], sx_policy_dsn_actions[],
 *		sx_policy_kinds[];
 *	int	sx_policy_name_code(const struct sx_name_code *table,
 *				const char *name, int *code);
 *	int	sx_policy_name_read(struct sx_cfg *cfg,
 *				const config_setting_t *s,
 *				const struct sx_name_code *table,
 *				const char *name, int *code);
 * DESCRIPTION
 *	A policy is an ordered array of rules and the action for findings
 *	that no rule matches. The config loader fills a rule with
 *	sx_rule_init() and the criteria table, then hands it to
 *	sx_policy_append(), which takes over everything the rule points to
 *	(the caller's copy is reset) whether or not it succeeds.
 *
 *	Criteria are rows of one table, sx_policy_criteria[] (ended by a
 *	row whose key is NULL, in the order of docs/policy.md): each row
 *	names its configuration key and its own functions. parse() reads
 *	the key's setting into the rule's copy of the criterion, reporting
 *	bad values as "file:line: message"; match() says whether one
 *	finding meets it; free() (optional) releases what parse() made,
 *	also after a parse() that failed half-way; check() (optional) runs
 *	once the whole rule is read, for conditions on the rest of the rule
 *	or on the settings. The loader walks the table once per rule and
 *	keeps only the criteria given, in table order; the engine walks
 *	those. So a criterion left out matches everything, values within
 *	a criterion are OR-ed by its match(), and criteria are AND-ed.
 *
 *	A rule with rejected_min > 0 is a session rule: it looks only at
 *	the recipients the MTA rejected, and matches when at least
 *	rejected_min of them meet its other criteria. The rejected_min
 *	criterion sets it; per finding it asks nothing.
 *
 *	Every name the policy reads or writes (actions, classes, DSN
 *	actions, kinds) is a row of a struct sx_name_code table; the
 *	actions include "rewrite" (SX_POLICY_REWRITE), which a rule turns
 *	into annotate with a new Subject and is never a verdict.
 *	sx_policy_name_code() looks a name up as names(3h) does, but with
 *	its case as written, as the loader has always wanted it.
 *	sx_policy_name_read() does the same and, for an unknown name,
 *	reports 'unknown KEY "NAME": want a, b or c' at s.
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

#include <stddef.h>
#include <smtp-explain/names.h>
#include <smtp-explain/policy.h>

#define SX_RULE_NAME_MAX 64		/* sizeof(verdict.rule) */
#define SX_CRITERIA_MAX	32		/* rows of sx_policy_criteria[] */

struct sx_cfg;				/* config_parse(3h) */
struct config_setting_t;		/* libconfig's, seen only by parse() */
struct sx_rule;

/* One finding and what surrounds it, as a criterion sees them. */
struct sx_policy_subject {
    const struct sx_settings *set;	/* may be NULL */
    const struct sx_policy_input *in;
    const struct sx_finding *f;
    const struct sx_explanation *ex;
};

/* A criterion's value in a rule: the member its own functions use. */
union sx_criterion_arg {
    char  **list;			/* NULL-terminated values, OR-ed */
    unsigned mask;			/* 1 << enum value, OR-ed */
    int     flag;			/* a boolean */
    void   *ptr;			/* anything else: a compiled regex */
};

/* What parse() and check() may look at while a rule is read. */
struct sx_criterion_load {
    struct sx_cfg *cfg;			/* file name, errors */
    const struct config_setting_t *group;	/* the rule */
    const struct sx_settings *set;
    struct sx_rule *rule;		/* being built: name, rejected_min */
};

struct sx_criterion {
    const char *key;			/* in the rule group */
    void    (*parse) (struct sx_criterion_load *,
		              const struct config_setting_t *,
		              union sx_criterion_arg *);
    int     (*match) (const union sx_criterion_arg *,
		              const struct sx_policy_subject *);
    void    (*free) (union sx_criterion_arg *);	/* or NULL */
    void    (*check) (struct sx_criterion_load *,
		              const struct config_setting_t *,
		              const union sx_criterion_arg *);	/* or NULL */
};

/* A criterion a rule has. */
struct sx_rule_criterion {
    const struct sx_criterion *c;	/* row of sx_policy_criteria[] */
    union sx_criterion_arg arg;
};

struct sx_rule {
    char    name[SX_RULE_NAME_MAX];
    int     line;			/* where it was defined */
    /* Match criteria: those given, in table order. */
    struct sx_rule_criterion crit[SX_CRITERIA_MAX];
    size_t  ncrit;
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

/* Rule actions as configured; "rewrite" is annotate with a new Subject. */
#define SX_POLICY_REWRITE 100

extern const struct sx_criterion sx_policy_criteria[];
extern const struct sx_name_code sx_policy_actions[];
extern const struct sx_name_code sx_policy_classes[];
extern const struct sx_name_code sx_policy_dsn_actions[];
extern const struct sx_name_code sx_policy_kinds[];
extern int sx_policy_name_code(const struct sx_name_code *, const char *, int *);
extern int sx_policy_name_read(struct sx_cfg *, const struct config_setting_t *,
			               const struct sx_name_code *, const char *,
			               int *);

#endif
