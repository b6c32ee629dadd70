/*
 * NAME
 *	filter 3h
 * SUMMARY
 *	the milter's pipeline, one function per protocol stage
 * SYNOPSIS
 *	#include "filter.h"
 *
 *	void	sxm_filter_connect(struct sxm_conn *conn, const char *host,
 *				const char *addr, int port,
 *				const char *myhostname);
 *	enum sxm_result sxm_filter_envfrom(struct sxm_conn *conn,
 *				const char *arg);
 *	enum sxm_result sxm_filter_envrcpt(struct sxm_conn *conn,
 *				const char *arg, const char *mailer,
 *				const char *host, const char *addr);
 *	enum sxm_result sxm_filter_header(struct sxm_conn *conn,
 *				const char *name, const char *value);
 *	enum sxm_result sxm_filter_eoh(struct sxm_conn *conn);
 *	enum sxm_result sxm_filter_body(struct sxm_conn *conn,
 *				const char *buf, size_t len);
 *	enum sxm_result sxm_filter_eom(struct sxm_conn *conn);
 *	void	sxm_filter_abort(struct sxm_conn *conn);
 *	void	sxm_filter_qid(struct sxm_conn *conn, const char *qid);
 * DESCRIPTION
 *	This is everything the milter does with a message, written against
 *	the library and a small table of actions (struct sxm_ops) instead
 *	of libmilter: callbacks.c plugs in the smfi_* calls, test mode
 *	plugs in functions that print what would be done. Both run this
 *	same code.
 *
 *	The stages take what the MTA said, already taken out of its macros
 *	and arguments:
 * .IP connect
 *	host, addr (text, NULL when not an inet address) and port (-1
 *	when unknown) of the client, from the connect event or, when that
 *	is not negotiated, from the connect macros at the first MAIL; port 0 with an inet address is how Postfix presents the
 *	session it emulates for mail it made itself (bounces through
 *	non_smtpd_milters). myhostname is the MTA's name ({j}) or NULL.
 * .IP envfrom
 *	the MAIL FROM argument as given: "<>" from smtpd, "" from Postfix's
 *	own emulated session (another sign of internal mail), NULL when
 *	unknown (test mode without a Return-Path).
 * .IP envrcpt
 *	the RCPT TO argument and the {rcpt_mailer}, {rcpt_host} and
 *	{rcpt_addr} macros (NULL when absent): mailer "error" marks a
 *	recipient the MTA rejected, host its enhanced status code, addr the
 *	reply text.
 * .PP
 *	sxm_filter_qid() records the queue id whenever the MTA tells it.
 *
 *	The ops return 0 on success and -1 on failure; chgheader with a
 *	NULL value deletes the instance (1-based index); replacebody
 *	replaces the whole body (CRLF line ends).
 *
 * DIAGNOSTICS
 *	Nothing here rejects mail because of its content. Internal trouble
 *	(no memory, no configuration) ends the message with the configured
 *	settings.on_error (accept unless told otherwise; never a rejection
 *	of mail the MTA made itself).
 */
#ifndef SXM_FILTER_H
#define SXM_FILTER_H

#include <stddef.h>

struct sxm_conn;

enum sxm_result {
    SXM_CONTINUE = 0,
    SXM_ACCEPT,			/* stop filtering this message, deliver */
    SXM_REJECT,			/* 5xx, reply set through ops */
    SXM_TEMPFAIL,		/* 4xx, reply set through ops */
    SXM_DISCARD,		/* accept and drop */
    SXM_SKIP,			/* no more body chunks please */
};

struct sxm_ops {
    int     (*addheader) (void *handle, const char *name, const char *value);
    int     (*chgheader) (void *handle, const char *name, int index,
				  const char *value);
    int     (*setreply) (void *handle, const char *code, const char *xcode,
				 const char *text);
    int     (*quarantine) (void *handle, const char *reason);
    int     (*replacebody) (void *handle, const char *buf, size_t len);
};

extern void sxm_filter_connect(struct sxm_conn *, const char *, const char *,
				       int, const char *);
extern enum sxm_result sxm_filter_envfrom(struct sxm_conn *, const char *);
extern enum sxm_result sxm_filter_envrcpt(struct sxm_conn *, const char *,
				  const char *, const char *, const char *);
extern enum sxm_result sxm_filter_header(struct sxm_conn *, const char *,
					 const char *);
extern enum sxm_result sxm_filter_eoh(struct sxm_conn *);
extern enum sxm_result sxm_filter_body(struct sxm_conn *, const char *, size_t);
extern enum sxm_result sxm_filter_eom(struct sxm_conn *);
extern void sxm_filter_abort(struct sxm_conn *);
extern void sxm_filter_qid(struct sxm_conn *, const char *);
extern const char *sxm_result_name(enum sxm_result);

#endif
