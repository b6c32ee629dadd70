/*
 * NAME
 *	stats 3h
 * SUMMARY
 *	counters of what the milter saw and did, in Prometheus text format
 * SYNOPSIS
 *	#include <smtp-explain/stats.h>
 *
 *	struct sx_stats *sx_stats_new(void);
 *	void	sx_stats_free(struct sx_stats *st);
 *
 *	void	sx_stats_message(struct sx_stats *st,
 *				const struct sx_policy_input *in,
 *				const struct sx_verdict *v);
 *	void	sx_stats_error(struct sx_stats *st, enum sx_stats_error e);
 *
 *	int	sx_stats_write_prometheus(struct sx_stats *st, FILE *fp);
 *	int	sx_stats_write_file(struct sx_stats *st, const char *path);
 *
 *	size_t	sx_stats_label_escape(char *dst, size_t size,
 *				const char *src);
 * DESCRIPTION
 *	A struct sx_stats holds counters; whoever calls sx_stats_new() owns
 *	it and frees it with sx_stats_free() (NULL is fine). There is no
 *	global state: a daemon keeps one for its lifetime (a reload does not
 *	reset the counters), a test may keep several. Every function may be
 *	called from any thread at any time; updates and writes take the
 *	structure's mutex, and a write copies the counters first so that
 *	slow output never holds up the threads that count.
 *
 *	sx_stats_message() counts one message at its end: the message
 *	itself ("bounce" when in->report->count > 0, "other" otherwise), its kind
 *	(dsn, bounce, autoreply, feedback), each finding by class and
 *	reason, by enhanced status code and by basic reply code, each
 *	recipient the MTA rejected in the session (in->report->rejected) by class
 *	and reason, findings the reader dropped beyond its limit, and, when
 *	the message had findings or session rejections and v is not NULL,
 *	the verdict: its action (with "rewrite" for an annotation that
 *	changed the Subject) and the deciding rule, and whether it was
 *	downgraded. in may be NULL for a message that ended before anything
 *	was read (counted as "other"); v may be NULL when no policy ran.
 *	Nothing is kept of in or v.
 *
 *	sx_stats_error() counts one error of the given kind.
 *
 *	sx_stats_write_prometheus() writes every counter to fp in the
 *	Prometheus text exposition format 0.0.4: for each metric a HELP and
 *	a TYPE line, then one sample per label set, sorted, label values
 *	escaped; see docs/admin-guide.md for the metric names.
 *	sx_stats_write_file() writes the same into path atomically: into a
 *	temporary file in the same directory (path plus a random suffix, a
 *	name node_exporter's textfile collector ignores), mode 0644, then
 *	renamed over path, so that a reader sees the old file or the new
 *	one, never half of one.
 *
 *	sx_stats_label_escape() copies src into dst as a label value:
 *	backslash, double quote and newline escaped as the format wants,
 *	other control characters and bytes outside ASCII written as '?',
 *	so that the output is always valid UTF-8. At most size-1 bytes,
 *	never cutting an escape in half; it returns the length.
 *
 *	Label values that come from outside (enhanced status codes) are
 *	bounded: each metric keeps at most SX_STATS_SERIES_MAX label sets,
 *	and counts what does not fit under the label value "overflow".
 *	Label values longer than SX_STATS_LABEL_MAX-1 bytes are cut.
 * DIAGNOSTICS
 *	sx_stats_new() returns NULL when out of memory or when its mutex
 *	cannot be made. The write functions return SX_OK, SX_ERR_NOMEM or
 *	SX_ERR_IO (errno tells why; a failed file write leaves the old file
 *	in place and removes the temporary one).
 */
#ifndef SMTP_EXPLAIN_STATS_H
#define SMTP_EXPLAIN_STATS_H

#include <stddef.h>
#include <stdio.h>
#include <smtp-explain/policy.h>
#include <smtp-explain/status.h>

#define SX_STATS_SERIES_MAX 256		/* label sets kept per metric */
#define SX_STATS_LABEL_MAX 64		/* bytes of a label value, with NUL */
#define SX_STATS_OVERFLOW "overflow"	/* label value of what did not fit */

enum sx_stats_error {
    SX_STATS_ERROR_NOMEM = 0,		/* a message went unexplained */
    SX_STATS_ERROR_MILTER,		/* the MTA refused a change or reply */
    SX_STATS_ERROR_RELOAD,		/* a configuration reload failed */
    SX_STATS_ERROR_WRITE,		/* the metrics file could not be written */
    SX_STATS_ERROR_OTHER,
    SX_STATS_ERROR_COUNT,		/* not an error: the number of them */
};

struct sx_stats;

extern struct sx_stats *sx_stats_new(void);
extern void sx_stats_free(struct sx_stats *);
extern void sx_stats_message(struct sx_stats *, const struct sx_policy_input *,
			             const struct sx_verdict *);
extern void sx_stats_error(struct sx_stats *, enum sx_stats_error);
extern const char *sx_stats_error_name(enum sx_stats_error);
extern int sx_stats_write_prometheus(struct sx_stats *, FILE *);
extern int sx_stats_write_file(struct sx_stats *, const char *);
extern size_t sx_stats_label_escape(char *, size_t, const char *);

#endif
