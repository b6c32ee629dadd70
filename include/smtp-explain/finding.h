/*
 * NAME
 *	finding 3h
 * SUMMARY
 *	one reported delivery outcome, as read from a message or a session
 * SYNOPSIS
 *	#include <smtp-explain/finding.h>
 * DESCRIPTION
 *	A finding is one recipient's outcome that a message (a DSN, a
 *	non-standard bounce, an auto-reply) or an SMTP session reports.
 *	Every text field is a bounded, NUL-terminated copy that has already
 *	been made safe: no CR, LF, NUL or other control characters, 8-bit
 *	bytes kept as they came (renderers encode them). Findings own no
 *	pointers, so they may be copied with plain assignment.
 *
 *	sx_action_name() and sx_kind_name() return static names
 *	("failed", "dsn", ...); sx_action_parse() maps an RFC 3464 Action
 *	value to an enum, SX_ACTION_NONE when unknown.
 */
#ifndef SMTP_EXPLAIN_FINDING_H
#define SMTP_EXPLAIN_FINDING_H

#include <stddef.h>

#define SX_ADDR_MAX 256		/* RFC 5321 path limit, plus room */
#define SX_HOST_MAX 256
#define SX_STATUS_MAX 16	/* "5.123.123" and NUL */
#define SX_DIAG_MAX 1024	/* diagnostic text kept per finding */
#define SX_ENGINE_MAX 32
#define SX_DATE_MAX 64		/* an RFC 5322 date, as written */

enum sx_action {
    SX_ACTION_NONE = 0,
    SX_ACTION_FAILED,
    SX_ACTION_DELAYED,
    SX_ACTION_DELIVERED,
    SX_ACTION_RELAYED,
    SX_ACTION_EXPANDED,
};

enum sx_kind {
    SX_KIND_DSN = 0,		/* RFC 3464 delivery-status report */
    SX_KIND_BOUNCE,		/* non-standard bounce text */
    SX_KIND_SESSION,		/* recipient the MTA rejected in session */
    SX_KIND_AUTOREPLY,		/* RFC 3834 auto-reply, vacation */
    SX_KIND_FEEDBACK,		/* RFC 5965 abuse feedback report */
    SX_KIND_REPLY,		/* a reply given on the command line */
};

/* Flags. */
#define SX_FINDING_CLASS_MISMATCH 0x01	/* basic and enhanced class differ */
#define SX_FINDING_TRUNCATED	  0x02	/* diagnostic was cut to fit */
#define SX_FINDING_STATUS_GUESSED 0x04	/* status not written, derived */

struct sx_finding {
    enum sx_kind kind;
    enum sx_action action;
    int     replycode;			/* 0 when none was written */
    unsigned flags;
    char    status[SX_STATUS_MAX];	/* "" when none */
    char    recipient[SX_ADDR_MAX];
    char    original_recipient[SX_ADDR_MAX];
    char    remote_mta[SX_HOST_MAX];
    char    reporting_mta[SX_HOST_MAX];
    char    diagnostic[SX_DIAG_MAX];
    char    command[16];		/* "RCPT", "DATA", ... or "" */
    char    engine[SX_ENGINE_MAX];	/* shape that produced it */
    char    retry_until[SX_DATE_MAX];	/* RFC 3464 Will-Retry-Until, or "" */
    char    last_attempt[SX_DATE_MAX];	/* RFC 3464 Last-Attempt-Date, or "" */
};

extern const char *sx_action_name(enum sx_action);
extern enum sx_action sx_action_parse(const char *, size_t);
extern const char *sx_kind_name(enum sx_kind);

#endif
