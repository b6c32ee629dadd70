/*
 * NAME
 *	log 3h
 * SUMMARY
 *	the milter's log: syslog, and stderr in the foreground
 * SYNOPSIS
 *	#include "log.h"
 *
 *	void	sxm_log_open(const char *ident, int facility, int to_stderr,
 *				int to_syslog);
 *	void	sxm_log(int priority, const char *qid, const char *fmt, ...);
 *	void	sxm_log_close(void);
 * DESCRIPTION
 *	Every line about a message starts with the MTA's queue id, so that
 *	an admin can grep one message out of the mail log. qid NULL means
 *	a line about the daemon itself (start, reload, stop).
 *
 *	sxm_log_open() is called once, before any thread starts: the
 *	destinations it records are not changed afterwards. The facility
 *	is the code the library parsed from settings.syslog_facility
 *	(config(3h)); the milter has no list of facility names.
 * DIAGNOSTICS
 *	Logging never fails.
 */
#ifndef SXM_LOG_H
#define SXM_LOG_H

#include <syslog.h>

extern void sxm_log_open(const char *, int, int, int);
extern void sxm_log(int, const char *, const char *,...)
	__attribute__((format(printf, 3, 4)));
extern void sxm_log_close(void);

#endif
