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
 *	void	sx_reader_autoreplies(struct sx_reader *, int on);
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
 *	size_t	sx_reader_work(const struct sx_reader *);
 *	const char *sx_cut_name(int cut);
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
 *	Automatic replies (vacation, out of office) and the notices of
 *	challenge-response systems ("please confirm your message") are not
 *	delivery reports: by default they give no finding, and
 *	message->autoreply says that one was recognised. After
 *	sx_reader_autoreplies(r, 1), called before sx_reader_finish(), they
 *	give one finding of kind SX_KIND_AUTOREPLY and no action.
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
 *	Time is bounded too. Every reading step is linear in the input;
 *	as a second line of defence each message has a budget: at most
 *	lim->bytes_max bytes are read (the rest is skipped), and the
 *	analysis at finish may spend at most lim->work_max units of work
 *	(about one unit per byte looked at). When either runs out the
 *	reader stops where it is and keeps what it found so far;
 *	message->cut then says which (SX_CUT_BYTES, SX_CUT_WORK), and
 *	sx_reader_work() tells the units spent (0 for no limit).
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
    size_t  bytes_max;		/* bytes of a message read (0: no limit) */
    size_t  work_max;		/* units of work at finish (0: no limit) */
};

/*
 * The defaults: a message larger than Postfix's own default size limit
 * (10 MB) is read only that far; the analysis of the largest text kept
 * (text_max) costs a few million units, so the default work leaves room
 * for several times that and still ends within a tenth of a second.
 */
#define SX_BYTES_MAX_DEFAULT	(32 * 1024 * 1024)
#define SX_WORK_MAX_DEFAULT	(32 * 1024 * 1024)

#define SX_CUT_NONE	0
#define SX_CUT_BYTES	1		/* the message was longer than bytes_max */
#define SX_CUT_WORK	2		/* the analysis spent work_max */

extern const struct sx_limits sx_limits_default;

/* What the message as a whole says (top level and returned original). */
struct sx_message {
    int     is_report;		/* multipart/report delivery-status */
    int     null_sender;	/* envelope or Return-Path is <> */
    int     auto_submitted;	/* Auto-Submitted other than "no" */
    int     is_feedback;	/* multipart/report feedback-report */
    int     is_mdn;		/* multipart/report disposition-notification */
    enum sx_kind kind;		/* what it is, when count > 0 */
    size_t  findings_dropped;	/* beyond limits.findings_max */
    char    subject[512];	/* top-level Subject, safe, undecoded */
    char    from[SX_ADDR_MAX];	/* top-level From address */
    char    reporting_mta[SX_HOST_MAX];
    char    arrival_date[SX_DATE_MAX];	/* RFC 3464 Arrival-Date, or "" */
    char    date[SX_DATE_MAX];	/* top-level Date, as written, or "" */
    char    orig_sender[SX_ADDR_MAX];	/* From of the returned original */
    char    orig_message_id[SX_ADDR_MAX];
    char    orig_subject[512];
    char    orig_language[32];	/* Content-Language of the original */
    char    complained[SX_ADDR_MAX];	/* X-HmXmrOriginalRecipient of the original */
    char    engine[SX_ENGINE_MAX];	/* shape recognised */
    int     cut;		/* SX_CUT_*: the budget ended the reading */
    int     autoreply;		/* an auto-reply, not reported (see above) */
    int     threaded;		/* top-level In-Reply-To or References */
};

struct sx_reader;

extern struct sx_reader *sx_reader_new(const struct sx_limits *);
extern void sx_reader_free(struct sx_reader *);
extern void sx_reader_envelope(struct sx_reader *, const char *);
extern void sx_reader_autoreplies(struct sx_reader *, int);
extern int sx_reader_header(struct sx_reader *, const char *, const char *);
extern int sx_reader_end_headers(struct sx_reader *);
extern int sx_reader_push(struct sx_reader *, const char *, size_t);
extern int sx_reader_finish(struct sx_reader *);
extern size_t sx_reader_count(const struct sx_reader *);
extern const struct sx_finding *sx_reader_finding(const struct sx_reader *, size_t);
extern const struct sx_message *sx_reader_message(const struct sx_reader *);
extern int sx_reader_maybe_bounce(const struct sx_reader *);
extern size_t sx_reader_work(const struct sx_reader *);
extern const char *sx_cut_name(int);

#endif
