/*
 * NAME
 *	reader 3h
 * SUMMARY
 *	streaming bounce reader: message bytes in, findings out
 * SYNOPSIS
 *	#include <smtp-explain/reader.h>
 *
 *	struct sx_reader *sx_reader_new(const struct sx_limits *lim);
 *	void	sx_reader_free(struct sx_reader *);
 *	void	sx_reader_envelope(struct sx_reader *, const char *mail_from);
 *	int	sx_reader_header(struct sx_reader *, const char *name,
 *				const char *value);
 *	int	sx_reader_end_headers(struct sx_reader *);
 *	int	sx_reader_push(struct sx_reader *, const char *buf, size_t len);
 *	int	sx_reader_finish(struct sx_reader *);
 *
 *	size_t	sx_reader_count(const struct sx_reader *);
 *	const struct sx_finding *sx_reader_finding(const struct sx_reader *,
 *				size_t i);
 *	const struct sx_message *sx_reader_message(const struct sx_reader *);
 *	int	sx_reader_maybe_bounce(const struct sx_reader *);
 * DESCRIPTION
 *	The reader takes one message in pieces, the way a milter receives
 *	it, and finds the delivery outcomes it reports: RFC 3464 reports
 *	and the non-standard bounce shapes of common MTAs.
 *
 *	Two ways to feed it:
 *	-  the whole message (headers and body) through sx_reader_push(), in
 *	   chunks of any size, as read from a file; or
 *	-  header by header through sx_reader_header() (name without colon,
 *	   value possibly folded with LF or CRLF), then
 *	   sx_reader_end_headers(), then the body through sx_reader_push(),
 *	   as a milter gets it.
 *	Either way, sx_reader_finish() ends the message and runs the shape
 *	recognisers. Line ends may be LF, CRLF or CR.
 *
 *	sx_reader_envelope() gives the envelope sender when known (the
 *	null sender is "" or "<>"), a strong sign of a bounce.
 *
 *	sx_reader_maybe_bounce() may be asked once the headers are in: 0
 *	means the message cannot be a report of any kind we read (no null
 *	sender, no report content type, no auto-submitted marker, no bounce
 *	shape in From), so a milter can skip the body.
 *
 *	Memory is bounded by the limits whatever the input: lines longer
 *	than lim->line_max are cut, text kept for recognisers is capped at
 *	lim->text_max, findings at lim->findings_max (further ones are
 *	counted in message->findings_dropped), MIME nesting at
 *	lim->depth_max. A NULL lim uses sx_limits_default.
 *
 *	Results are borrowed from the reader and valid until it is freed.
 * DIAGNOSTICS
 *	Functions return SX_OK or SX_ERR_NOMEM. Malformed input is never an
 *	error. Calling push after finish is a programmer error (assert).
 */
#ifndef SMTP_EXPLAIN_READER_H
#define SMTP_EXPLAIN_READER_H

#include <stddef.h>
#include <smtp-explain/finding.h>
#include <smtp-explain/status.h>

struct sx_limits {
    size_t  line_max;		/* longest line kept whole */
    size_t  text_max;		/* bytes of text kept for recognisers */
    size_t  header_max;		/* bytes of one header field kept */
    size_t  findings_max;	/* findings kept per message */
    unsigned depth_max;		/* MIME nesting followed */
};

extern const struct sx_limits sx_limits_default;

/* What the message as a whole says (top level and returned original). */
struct sx_message {
    int     is_report;		/* multipart/report delivery-status */
    int     null_sender;	/* envelope or Return-Path is <> */
    int     auto_submitted;	/* Auto-Submitted other than "no" */
    int     is_feedback;	/* multipart/report feedback-report */
    enum sx_kind kind;		/* what it is, when count > 0 */
    size_t  findings_dropped;	/* beyond limits.findings_max */
    char    subject[512];	/* top-level Subject, safe, undecoded */
    char    from[SX_ADDR_MAX];	/* top-level From address */
    char    reporting_mta[SX_HOST_MAX];
    char    orig_sender[SX_ADDR_MAX];	/* From of the returned original */
    char    orig_message_id[SX_ADDR_MAX];
    char    orig_subject[512];
    char    complained[SX_ADDR_MAX];	/* X-HmXmrOriginalRecipient of the original */
    char    engine[SX_ENGINE_MAX];	/* shape recognised */
};

struct sx_reader;

extern struct sx_reader *sx_reader_new(const struct sx_limits *);
extern void sx_reader_free(struct sx_reader *);
extern void sx_reader_envelope(struct sx_reader *, const char *);
extern int sx_reader_header(struct sx_reader *, const char *, const char *);
extern int sx_reader_end_headers(struct sx_reader *);
extern int sx_reader_push(struct sx_reader *, const char *, size_t);
extern int sx_reader_finish(struct sx_reader *);
extern size_t sx_reader_count(const struct sx_reader *);
extern const struct sx_finding *sx_reader_finding(const struct sx_reader *, size_t);
extern const struct sx_message *sx_reader_message(const struct sx_reader *);
extern int sx_reader_maybe_bounce(const struct sx_reader *);

#endif
