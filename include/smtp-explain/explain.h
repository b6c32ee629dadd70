/*
 * NAME
 *	explain 3h
 * SUMMARY
 *	map a finding to its registry entries and a bounce reason
 * SYNOPSIS
 *	#include <smtp-explain/explain.h>
 *
 *	void	sx_explain(const struct sx_registry *reg,
 *				const struct sx_finding *f,
 *				struct sx_explanation *out);
 *
 *	const char *sx_explain_rule(size_t i);
 * DESCRIPTION
 *	sx_explain() looks a finding up: vendor knowledge first (chosen by
 *	code, reply text and remote host), then the enhanced status code
 *	(detail, subject, class), then the basic reply code. It picks the
 *	reason from code and text together: a vendor entry's reason, a
 *	reason pattern found in the diagnostic text, the enhanced code's
 *	reason, the basic code's reason, in that order, with the exceptions
 *	documented in docs/registry.md. Auto-replies and feedback reports
 *	are explained by the registry's fallback entry for their kind.
 *
 *	out->entry is the most specific entry (vendor, else enhanced detail,
 *	else basic, else enhanced subject/class, else the kind's fallback);
 *	out->from says which of these it is, and out->reason_from where the
 *	reason came from. Strings are borrowed from the registry.
 *	out->title, text, action and ref come from the most specific entry
 *	that has them, else from the fallback entries of the class and
 *	"*"; out->action_admin (what a mail administrator does, where that
 *	differs from the sender's action) from the most specific entry
 *	that has it, else ""; who and retry from out->entry, else from those. out->class is
 *	the class the reply really has: the enhanced code's when written,
 *	else the basic code's, else the DSN action's (failed is permanent,
 *	delayed transient, delivered/relayed/expanded success).
 *	out->rule names the rule of the SMTP stage or the report's action
 *	that decided the reason, if one did (docs/reasons.md).
 *	out->retry_until is the finding's Will-Retry-Until (borrowed from
 *	the finding); sx_report_lifetime() may point it at a date of its
 *	own.
 *
 *	sx_explain_rule() is the name of the i-th such rule, in the order
 *	they are tried (the stage rules, then the final ones), or NULL past
 *	the last: for documents and tests that must name every rule.
 * DIAGNOSTICS
 *	None; a finding without any code still gets its class from the
 *	action and the "undefined" reason.
 */
#ifndef SMTP_EXPLAIN_EXPLAIN_H
#define SMTP_EXPLAIN_EXPLAIN_H

#include <smtp-explain/finding.h>
#include <smtp-explain/registry.h>

/* Where an explanation, or its reason, came from. */
enum sx_source {
    SX_FROM_NONE = 0,		/* nothing: no entry, no reason */
    SX_FROM_VENDOR,		/* a vendor entry */
    SX_FROM_ENHANCED,		/* the enhanced code's detail entry */
    SX_FROM_SUBJECT,		/* the enhanced code's subject or class entry */
    SX_FROM_BASIC,		/* the basic reply code's entry */
    SX_FROM_TEXT,		/* a reason pattern in the reply text */
    SX_FROM_STAGE,		/* the SMTP stage or the report's action */
    SX_FROM_KIND,		/* the finding kind's fallback entry */
    SX_FROM_FALLBACK,		/* what is said when nothing says more */
};

struct sx_explanation {
    const struct sx_entry *entry;	/* most specific, may be NULL */
    const struct sx_entry *basic;	/* basic code entry, may be NULL */
    const struct sx_entry *enhanced;	/* enhanced entry, may be NULL */
    const struct sx_entry *vendor;	/* vendor entry, may be NULL */
    enum sx_source from;		/* what entry is */
    enum sx_source reason_from;		/* where reason came from */
    enum sx_class class;
    enum sx_who who;
    enum sx_retry retry;
    const char *title;		/* never NULL */
    const char *text;		/* never NULL */
    const char *action;		/* never NULL: the sender's advice */
    const char *action_admin;	/* never NULL, may be "": a mail admin's */
    const char *reason;		/* never NULL: "undefined" at worst */
    const char *ref;		/* never NULL, may be "" */
    const char *vendor_name;	/* never NULL, may be "" */
    const char *rule;		/* the stage or final rule that decided, or NULL */
    const char *retry_until;	/* never NULL, may be "": the finding's
				 * Will-Retry-Until, or a date the report
				 * computed (sx_report_lifetime) */
};

extern void sx_explain(const struct sx_registry *, const struct sx_finding *,
		               struct sx_explanation *);

/*
 * sx_explain_url() writes a help link for an explanation into out: the
 * admin's site template (site, may be NULL: "https://..." with
 * %{status}, %{reason} and %{code}), else the page its ref names (the
 * RFC Editor's copy of an RFC, at the section; a vendor's published
 * page). Returns its length, 0 when there is none.
 */
extern size_t sx_explain_url(const struct sx_explanation *, const struct sx_finding *,
			             const char *, char *, size_t);
extern const char *sx_explain_rule(size_t);

#endif
