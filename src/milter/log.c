/*
 * NAME
 *	log 3
 * SUMMARY
 *	the milter's log: syslog, a file, and stderr
 * DESCRIPTION
 *	See log.h. One line per call; the line is built first and handed
 *	to syslog(), the file and stderr whole, so lines of concurrent
 *	sessions do not interleave.
 */
#include <errno.h>
#include <fcntl.h>
#include <paths.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define SXM_LOG_LINE 2048

/* Set by sxm_log_open() before threads exist; read-only after. */
static int sxm_log_stderr;
static int sxm_log_syslog;
static const char *sxm_log_ident = "smtp-explain-milter";

/* The log file: replaced by a reload, under the lock. */
static pthread_mutex_t sxm_log_lock = PTHREAD_MUTEX_INITIALIZER;
static int sxm_log_fd = -1;

void    sxm_log_open(const char *ident, int facility, int to_stderr,
			     int to_syslog)
{
    sxm_log_ident = ident;
    sxm_log_stderr = to_stderr;
    sxm_log_syslog = to_syslog;
    if (to_syslog)
	openlog(ident, LOG_PID | LOG_NDELAY, facility);
}

/* Can a datagram or a stream socket reach the syslog daemon? */
int     sxm_log_syslog_reachable(char *why, size_t size)
{
    static const int types[] = {SOCK_DGRAM, SOCK_STREAM};
    struct sockaddr_un sun = {.sun_family = AF_UNIX};
    int     saved = 0;
    size_t  i;
    int     fd;

    (void) snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", _PATH_LOG);
    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
	if ((fd = socket(AF_UNIX, types[i] | SOCK_CLOEXEC, 0)) < 0) {
	    saved = errno;
	    continue;
	}
	if (connect(fd, (struct sockaddr *) &sun, sizeof(sun)) == 0) {
	    (void) close(fd);
	    return (1);
	}
	/* A stream socket at a datagram path says EPROTOTYPE: keep the first. */
	if (saved == 0)
	    saved = errno;
	(void) close(fd);
    }
    (void) snprintf(why, size, "%s: %s", _PATH_LOG, strerror(saved));
    return (0);
}

int     sxm_log_file(const char *path, char *why, size_t size)
{
    struct stat st;
    int     fd;
    int     old;

    fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK
	      | O_NOCTTY | O_CLOEXEC, 0640);
    if (fd < 0) {
	(void) snprintf(why, size, "%s: cannot open the log file: %s", path,
			errno == ELOOP ? "it is a symbolic link, which is "
			"never followed" : strerror(errno));
	return (-1);
    }
    errno = 0;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
	(void) snprintf(why, size, "%s: cannot use the log file: %s", path,
			errno != 0 ? strerror(errno) : "not a regular file");
	(void) close(fd);
	return (-1);
    }
    (void) pthread_mutex_lock(&sxm_log_lock);
    old = sxm_log_fd;
    sxm_log_fd = fd;
    (void) pthread_mutex_unlock(&sxm_log_lock);
    if (old >= 0)
	(void) close(old);
    return (0);
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

/* One line to the log file, dated, in one write(). */
static void sxm_log_to_file(int priority, const char *line)
{
    char    buf[SXM_LOG_LINE + 128];
    char    date[40];
    struct tm tm;
    time_t  now = time(0);
    int     len;

    if (localtime_r(&now, &tm) == 0
	|| strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S%z", &tm) == 0)
	(void) snprintf(date, sizeof(date), "%ld", (long) now);
    len = snprintf(buf, sizeof(buf), "%s %s[%ld]: %s%s\n", date,
		   sxm_log_ident, (long) getpid(), sxm_log_level(priority),
		   line);
    if (len < 0)
	return;
    if ((size_t) len >= sizeof(buf)) {
	len = (int) sizeof(buf) - 1;
	buf[len - 1] = '\n';
    }
    (void) pthread_mutex_lock(&sxm_log_lock);
    if (sxm_log_fd >= 0 && write(sxm_log_fd, buf, (size_t) len) < 0)
	errno = 0;			/* a full disk loses the line */
    (void) pthread_mutex_unlock(&sxm_log_lock);
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
    sxm_log_to_file(priority, line);
    if (sxm_log_stderr)
	fprintf(stderr, "%s[%ld]: %s%s\n", sxm_log_ident, (long) getpid(),
		sxm_log_level(priority), line);
}

void    sxm_log_close(void)
{
    if (sxm_log_syslog)
	closelog();
    sxm_log_syslog = 0;
    (void) pthread_mutex_lock(&sxm_log_lock);
    if (sxm_log_fd >= 0)
	(void) close(sxm_log_fd);
    sxm_log_fd = -1;
    (void) pthread_mutex_unlock(&sxm_log_lock);
}
