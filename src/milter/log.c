/*
 * NAME
 *	log 3
 * SUMMARY
 *	the milter's log: syslog, and stderr in the foreground
 * DESCRIPTION
 *	See log.h. One line per call; the line is built first and handed
 *	to syslog() and stderr whole, so lines of concurrent sessions do
 *	not interleave.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define SXM_LOG_LINE 2048

/* Set once by sxm_log_open() before threads exist; read-only after. */
static int sxm_log_stderr;
static int sxm_log_syslog;
static const char *sxm_log_ident = "smtp-explain-milter";

void    sxm_log_open(const char *ident, int facility, int to_stderr,
			     int to_syslog)
{
    sxm_log_ident = ident;
    sxm_log_stderr = to_stderr;
    sxm_log_syslog = to_syslog;
    if (to_syslog)
	openlog(ident, LOG_PID | LOG_NDELAY, facility);
}

static const char *sxm_log_level(int priority)
{
    switch (priority) {
    case LOG_EMERG:
    case LOG_ALERT:
    case LOG_CRIT:
	return ("fatal: ");
    case LOG_ERR:
	return ("error: ");
    case LOG_WARNING:
	return ("warning: ");
    case LOG_DEBUG:
	return ("debug: ");
    default:
	return ("");
    }
}

void    sxm_log(int priority, const char *qid, const char *fmt,...)
{
    char    line[SXM_LOG_LINE];
    size_t  n = 0;
    va_list ap;
    int     r;

    if (qid != 0) {
	r = snprintf(line, sizeof(line), "%s: ", qid);
	n = (r > 0 && (size_t) r < sizeof(line)) ? (size_t) r : 0;
    }
    va_start(ap, fmt);
    (void) vsnprintf(line + n, sizeof(line) - n, fmt, ap);
    va_end(ap);

    if (sxm_log_syslog)
	syslog(priority, "%s%s", sxm_log_level(priority), line);
    if (sxm_log_stderr)
	fprintf(stderr, "%s[%ld]: %s%s\n", sxm_log_ident, (long) getpid(),
		sxm_log_level(priority), line);
}

void    sxm_log_close(void)
{
    if (sxm_log_syslog)
	closelog();
    sxm_log_syslog = 0;
}
