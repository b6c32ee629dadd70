/*
 * NAME
 *	report 3h
 * SUMMARY
 *	what the core found in one message, explained: the pipeline's result
 * SYNOPSIS
 *	#include <smtp-explain/report.h>
 *
 *	int	sx_report_build(struct sx_report *rep,
 *				const struct sx_registry *reg,
 *				const struct sx_reader *r,
 *				const struct sx_finding *rejected, size_t n);
 *	void	sx_report_free(struct sx_report *rep);
 *
 *	size_t	sx_report_lifetime(struct sx_report *rep,
 *				const char *lifetime);
 *
 *	int	sx_report_thread_id(const struct sx_message *m,
 *				char *out, size_t size);
 * DESCRIPTION
 *	Every consumer of a reading (the policy, the header renderer, the
 *	counters, the milter, the command and the tests) takes this one
 *	type: the message, and for each finding the finding with its
 *	explanation, made once.
 *
 *	sx_report_build() explains each finding of the finished reader r
 *	(NULL: none, as for a session that ended before its data) and each
 *	of the n recipients the MTA rejected in the session (rejected,
 *	which may be NULL when n is 0). Findings are borrowed from the
 *	reader and the rejected array: the report is valid while they are.
 *	sx_report_free() frees what build allocated (not the report
 *	itself); freeing a zeroed report is fine.
 *
 *	sx_report_lifetime() dates the end of the retries where a delay
 *	report leaves it out: for each finding whose action is "delayed"
 *	and that has no Will-Retry-Until, when the report has an
 *	Arrival-Date, the explanation's retry_until becomes that date plus
 *	lifetime (a duration as Postfix writes one, "5d"; the queue_lifetime
 *	setting), in the Arrival-Date's zone, and the item is marked
 *	lifetime = 1. "" or "0" (and a lifetime it cannot read) changes
 *	nothing, as does an Arrival-Date it cannot read. Returns how many
 *	findings got a date.
 *
 *	sx_report_thread_id() gives the Message-ID of the message a report
 *	returned, as "<id>", for In-Reply-To and References headers that
 *	let mail clients show the report beside the message that bounced:
 *	only when the report has neither header itself, and only when the
 *	id is a plain msg-id (RFC 5322 3.6.4: "<left@right>", printable
 *	ASCII, no white space, no "<" or ">" inside, at most 250 bytes);
 *	it is text from the remote side. Returns 1 when out holds one, 0
 *	otherwise.
 * DIAGNOSTICS
 *	SX_OK, or SX_ERR_NOMEM (the report is then empty and may be freed).
 */
#ifndef SMTP_EXPLAIN_REPORT_H
#define SMTP_EXPLAIN_REPORT_H

#include <stddef.h>

#include <smtp-explain/explain.h>
#include <smtp-explain/finding.h>
#include <smtp-explain/reader.h>
#include <smtp-explain/registry.h>

struct sx_report_item {
    const struct sx_finding *finding;	/* borrowed */
    struct sx_explanation ex;
    int     lifetime;			/* ex.retry_until is retry_until */
    char    retry_until[SX_DATE_MAX];	/* sx_report_lifetime()'s date */
};

struct sx_report {
    const struct sx_message *msg;	/* NULL: no message was read */
    struct sx_report_item *items;	/* the findings of the message */
    size_t  count;
    struct sx_report_item *rejected;	/* recipients the MTA rejected */
    size_t  rejected_count;
};

extern int sx_report_build(struct sx_report *, const struct sx_registry *,
			           const struct sx_reader *,
			           const struct sx_finding *, size_t);
extern void sx_report_free(struct sx_report *);
extern size_t sx_report_lifetime(struct sx_report *, const char *);
extern int sx_report_thread_id(const struct sx_message *, char *, size_t);

#endif
