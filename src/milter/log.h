/*
 * NAME
 *	log 3h
 * SUMMARY
 *	the milter's log: syslog, a file, and stderr
 * SYNOPSIS
 *	#include "log.h"
 *
 *	void	sxm_log_open(const char *ident, int facility, int to_stderr,
 *				int to_syslog);
 *	int	sxm_log_syslog_reachable(char *why, size_t size);
 *	int	sxm_log_file(const char *path, char *why, size_t size);
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
 *
 *	sxm_log_syslog_reachable() tells whether a socket can connect to
 *	the syslog daemon's (_PATH_LOG, /dev/log): 1, or 0 with the path
 *	and the reason in why. syslog(3) itself drops lines silently when
 *	nobody listens there.
 *
 *	sxm_log_file() opens path for appending (created with mode 0640
 *	less the umask; never through a symbolic link; a regular file
 *	only) and sends every line there from then on, dated, besides the
 *	other destinations; called again (a reload, after the file was
 *	rotated), it opens the path anew and closes the old file. Lines
 *	being written meanwhile go to one or the other, whole.
 * DIAGNOSTICS
 *	Logging never fails. sxm_log_file() returns 0, or -1 with the path
 *	and the reason in why; the file in use, if any, is kept.
 */
#ifndef SXM_LOG_H
#define SXM_LOG_H

#include <stddef.h>
#include <syslog.h>

extern void sxm_log_open(const char *, int, int, int);
extern int sxm_log_syslog_reachable(char *, size_t);
extern int sxm_log_file(const char *, char *, size_t);
extern void sxm_log(int, const char *, const char *,...)
	__attribute__((format(printf, 3, 4)));
extern void sxm_log_close(void);

#endif
