/*
 * NAME
 *	ctx 3h
 * SUMMARY
 *	per-connection and per-message state of the milter
 * SYNOPSIS
 *	#include "ctx.h"
 *
 *	struct sxm_conn *sxm_conn_new(const struct sxm_ops *ops,
 *				void *handle, struct sx_stats *stats);
 *	void	sxm_conn_free(struct sxm_conn *conn);
 *	int	sxm_msg_begin(struct sxm_conn *conn);
 *	void	sxm_msg_reset(struct sxm_conn *conn);
 *	int	sxm_msg_add_rejected(struct sxm_msg *msg,
 *				const struct sx_finding *f);
 * DESCRIPTION
 *	A connection's state lives only in the structure that the MTA glue
 *	keeps as the session's private data: libmilter runs the callbacks
 *	of one session one after the other, but on any of its threads.
 *
 *	ops and handle say how to act on the MTA (see filter.h); stats
 *	are the daemon's counters (NULL: none). All are pointers to, not
 *	copies of, the caller's data and must outlive the connection.
 *
 *	sxm_msg_begin() starts a message: it resets what the previous one
 *	left, takes a reference to the current configuration snapshot
 *	(held until the message ends) and creates a bounce reader.
 *	sxm_msg_reset() ends a message (end of message, abort, close):
 *	it frees the reader and the list of rejected recipients and gives
 *	the snapshot back. Both may be called any number of times.
 *
 *	sxm_msg_add_rejected() keeps a copy of a recipient the MTA
 *	rejected in the session; beyond SXM_REJECTED_MAX they are only
 *	counted (msg->rejected_dropped).
 * DIAGNOSTICS
 *	sxm_conn_new() returns NULL when out of memory. sxm_msg_begin()
 *	and sxm_msg_add_rejected() return SX_OK or SX_ERR_NOMEM;
 *	sxm_msg_begin() returns SX_ERR_CONFIG when no configuration is
 *	installed (a bug).
 */
#ifndef SXM_CTX_H
#define SXM_CTX_H

#include <stddef.h>

#include <smtp-explain/config.h>
#include <smtp-explain/explain.h>
#include <smtp-explain/finding.h>
#include <smtp-explain/reader.h>
#include <smtp-explain/stats.h>

#include "filter.h"

/* Postfix stops a session after 20 errors by default; leave room. */
#define SXM_REJECTED_MAX 128
#define SXM_QID_MAX 64

/* Protocol steps the MTA agreed to (filled in at negotiation). */
#define SXM_STEP_SKIP		0x01	/* SMFIS_SKIP understood */
#define SXM_STEP_RCPT_REJ	0x02	/* rejected recipients sent to us */
#define SXM_STEP_LEADSPC	0x04	/* header values keep their space */
#define SXM_STEP_NR_CONN	0x08	/* connect is not answered */
#define SXM_STEP_NR_MAIL	0x10	/* MAIL is not answered */
#define SXM_STEP_NR_RCPT	0x20	/* RCPT is not answered */
#define SXM_STEP_NR_HDR		0x40	/* headers are not answered */
#define SXM_STEP_NOCONNECT	0x80	/* client from macros, at MAIL */

struct sxm_msg {
    int     active;			/* between MAIL and its end */
    struct sx_config *config;		/* snapshot held for this message */
    struct sx_reader *reader;		/* NULL once the body is skipped */
    char    qid[SXM_QID_MAX];		/* queue id, "NOQUEUE" until known */
    char    sender[SX_ADDR_MAX];	/* envelope sender, no brackets */
    int     null_sender;
    int     not_report;			/* no report: body skipped */
    int     failed;			/* trouble seen: on_error at end */
    int     have_subject;
    unsigned foreign;			/* incoming X-SMTP-Explain headers */
    unsigned foreign_result;		/* incoming X-SMTP-Explain-Result headers */
    size_t  accepted;			/* recipients accepted by the MTA */
    struct sx_finding *rejected;	/* recipients the MTA rejected */
    size_t  rejected_count;
    size_t  rejected_size;		/* allocated slots */
    size_t  rejected_dropped;		/* beyond SXM_REJECTED_MAX */
    char    first_rcpt[SX_ADDR_MAX];	/* first accepted recipient */
    char   *keep;			/* explain_body: the report's bytes */
    size_t  keep_len;
    size_t  keep_size;
    int     keep_over;			/* it passed explain_body_max */
};

struct sxm_conn {
    const struct sxm_ops *ops;		/* how to act on the MTA */
    void   *handle;			/* the ops' session handle */
    struct sx_stats *stats;		/* the daemon's counters, or NULL */
    unsigned steps;			/* SXM_STEP_* */
    enum sxm_result pending;		/* decided where no reply goes */
    int     connected;			/* connect info seen */
    int     internal;			/* MTA's own mail (emulated session) */
    char    client[SX_HOST_MAX];	/* "name[addr]" for the log */
    char    myhostname[SX_HOST_MAX];	/* MTA's name ({j}), may be "" */
    struct sxm_msg msg;
};

extern struct sxm_conn *sxm_conn_new(const struct sxm_ops *, void *,
					     struct sx_stats *);
extern void sxm_conn_free(struct sxm_conn *);
extern int sxm_msg_begin(struct sxm_conn *);
extern void sxm_msg_reset(struct sxm_conn *);
extern int sxm_msg_add_rejected(struct sxm_msg *, const struct sx_finding *);

#endif
