/*
 * NAME
 *	main 3
 * SUMMARY
 *	smtp-explain-milter: flags, socket, privileges, signals, reload
 * SYNOPSIS
 *	smtp-explain-milter [-fnvV] [-c file] [-p socket] [-u user[:group]]
 *		[-P pidfile]
 *	smtp-explain-milter [-c file] -t file...
 * DESCRIPTION
 *	Start-up, in this order, so that every mistake is reported on the
 *	terminal before the daemon detaches, and so that nothing is
 *	touched before we know that we are the only instance:
 *
 *	1. block SIGUSR1 and SIGUSR2 (the reload thread's), before
 *	   anything else: every process and thread made later inherits
 *	   the mask, so a reload asked for during start-up stays pending
 *	   until the reload thread takes it (step 7) instead of killing
 *	   the daemon with the default action;
 *	2. load the configuration (-c, else the default file when it
 *	   exists, else the one embedded in the library); -t runs the
 *	   files and stops; judge -p and -P by the library's rules for
 *	   the settings they override (check.c); -n stops here (with -v
 *	   after printing the effective settings);
 *	3. block the stop signals too (libmilter's signal thread takes a
 *	   pending one as soon as it runs: a start then ends in a clean
 *	   stop); look up the user (-u, else settings.user), refusing
 *	   one with uid 0 or gid 0, and refuse to go on as root without
 *	   one (ids.c); add 022 to the umask, so that nothing we create
 *	   is writable by others whatever umask we were started with;
 *	   the log goes to syslog, or, when nothing listens on /dev/log,
 *	   where settings.log_file says (said on stderr);
 *	4. refuse a pid file that the user could not remove at the stop
 *	   (it would stay behind, root's); open and lock the pid file,
 *	   never following a link (pidfile.c):
 *	   a second instance stops here with the pid file and the running
 *	   pid in its message, before it has touched the socket; write
 *	   our pid;
 *	5. create the socket (listen.c): a unix socket is made as the
 *	   user, with its mode and group from its first moment, and put
 *	   in place by rename(); no path is chmod()ed or chown()ed; a
 *	   socket that something answers on is not replaced; when that
 *	   fails, say why (the directory); TCP_NODELAY on inet sockets;
 *	6. detach (unless -f): the child shares the open file description
 *	   that holds the pid file's lock, so the lock passes to it with
 *	   no gap; it writes its pid; the writable pid file descriptor is
 *	   closed; drop privileges; open the log file, if any, as the
 *	   user; write the metrics once; a detaching
 *	   parent waits for its child to get this far and exits with its
 *	   verdict, so a start that fails after the fork does not look
 *	   like success;
 *	7. start the reload thread, which sigwait()s for SIGUSR1
 *	   (libmilter takes SIGHUP, SIGTERM and SIGINT as "stop") and,
 *	   between signals, writes the counters to settings.stats_file
 *	   every settings.stats_interval seconds, on a schedule that
 *	   reloads do not move;
 *	8. serve until stopped; then remove the socket and the pid file,
 *	   each only when its path still names what this instance put
 *	   there, and release the lock last.
 *
 *	What happens before step 1 (the exec and the dynamic linker)
 *	cannot be protected from inside the program: a SIGUSR1 that
 *	arrives then still has its default action.
 * DIAGNOSTICS
 *	Exit 0 on success and on a clean stop; 1 on a configuration or
 *	startup error (reported as file:line, or as the path with the
 *	system's reason, also on the terminal when detaching); 2 on a
 *	usage error. A metrics file that cannot be written is logged with
 *	its path and reason and does not stop the milter: mail matters
 *	more than counters.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <smtp-explain/config.h>
#include <smtp-explain/stats.h>
#include <smtp-explain/status.h>

#include "callbacks.h"
#include "check.h"
#include "ids.h"
#include "listen.h"
#include "log.h"
#include "pidfile.h"
#include "snapshot.h"
#include "testmode.h"

#ifndef SX_VERSION
#define SX_VERSION "unknown"
#endif

#define SXM_PROGNAME "smtp-explain-milter"

struct sxm_main_opts {
    const char *config;			/* -c, or NULL */
    const char *socket;			/* -p, or NULL */
    const char *user;			/* -u, or NULL */
    const char *pidfile;		/* -P, or NULL */
    int     foreground;			/* -f */
    int     check;			/* -n */
    int     verbose;			/* -v: -n prints the settings */
    int     test;			/* -t */
    int     version;			/* -V */
};

/* What the reload thread needs; lives as long as main(). */
struct sxm_main_reload {
    char    path[PATH_MAX];		/* absolute, or "" */
    int     explicit;			/* -c given */
    struct sx_stats *stats;		/* counters to write, or NULL */
    atomic_int stopping;		/* main's SIGUSR2 is meant */
    const char *log_file;		/* the log file in use, or NULL */
};

/* The log goes to stderr: a detaching daemon keeps it (sxm_main_log_start). */
static int sxm_main_keep_stderr;

/* Reload requests, and main's word to the reload thread. */
static void sxm_main_reload_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGUSR1);
    sigaddset(set, SIGUSR2);
}

static void sxm_main_usage(void)
{
    fprintf(stderr,
	    "usage: " SXM_PROGNAME " [-fnvV] [-c file] [-p socket] "
	    "[-u user[:group]] [-P pidfile]\n"
	    "       " SXM_PROGNAME " [-c file] -t file...\n");
    exit(2);
}

/*
 * A startup error: to the log, and to the terminal too when the log
 * does not go there (before detaching, stderr is still the terminal).
 */
static void sxm_main_fail(int foreground, const char *fmt,...)
	__attribute__((format(printf, 2, 3)));

static void sxm_main_fail(int foreground, const char *fmt,...)
{
    char    line[1024];
    va_list ap;

    va_start(ap, fmt);
    (void) vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    sxm_log(LOG_ERR, 0, "%s", line);
    if (!foreground)
	fprintf(stderr, SXM_PROGNAME ": %s\n", line);
}

/* Print the errors of a check, as sxm_snapshot_load() prints the file's. */
static void sxm_main_errors(const struct sx_errors *errs)
{
    size_t  i;

    for (i = 0; i < errs->count && i < SX_ERRORS_MAX; i++)
	fprintf(stderr, "%s\n", errs->msg[i]);
    if (errs->count > SX_ERRORS_MAX)
	fprintf(stderr, "(%zu more errors)\n", errs->count - SX_ERRORS_MAX);
}

/* The options that override settings, judged by the library. */
static int sxm_main_check(const struct sx_config *config,
			          const struct sxm_main_opts *o)
{
    struct sx_errors errs;

    errs.count = 0;
    if (sxm_check_start(config, o->socket, o->pidfile, &errs) != 0) {
	sxm_main_errors(&errs);
	return (-1);
    }
    return (0);
}

/* -n -v: the effective settings, in the syntax of the file. */
static void sxm_main_print_settings(const struct sx_settings *set)
{
    const struct sx_setting *row;
    char    small[1024];
    char   *value;
    size_t  len;

    printf("settings = {\n");
    for (row = sx_config_settings; row->name; row++) {
	value = small;
	len = (size_t) sx_config_setting_format(set, row, small, sizeof(small));
	/* A long list of local_domains: once more, with room. */
	if (len >= sizeof(small) && (value = malloc(len + 1)) != 0)
	    (void) sx_config_setting_format(set, row, value, len + 1);
	if (value == 0)
	    printf("    # %s: no memory to show it\n", row->name);
	else
	    printf("    %s = %s;\n", row->name, value);
	if (value != small)
	    free(value);
    }
    printf("};\n");
}

/*
 * Fork; the parent waits for one byte on a pipe from the child ('0':
 * started) and exits 0, else 1. The child keeps the terminal as stderr
 * until sxm_main_ready(), so its startup errors are still seen.
 */
static int sxm_main_detach(int *ready)
{
    pid_t   pid;
    int     fds[2];
    char    c = '1';

    if (pipe(fds) != 0) {
	sxm_main_fail(0, "pipe: %s", strerror(errno));
	return (-1);
    }
    if ((pid = fork()) < 0) {
	sxm_main_fail(0, "fork: %s", strerror(errno));
	return (-1);
    }
    if (pid > 0) {
	(void) close(fds[1]);
	while (read(fds[0], &c, 1) < 0 && errno == EINTR)
	    continue;
	_exit(c == '0' ? 0 : 1);
    }
    (void) close(fds[0]);
    *ready = fds[1];
    (void) setsid();
    if (chdir("/") != 0) {
	sxm_main_fail(0, "/: %s", strerror(errno));
	return (-1);
    }
    return (0);
}

/* Tell a waiting parent how the start went; then leave the terminal. */
static void sxm_main_ready(int *ready, int ok)
{
    int     fd;

    if (*ready < 0)
	return;
    if (write(*ready, ok ? "0" : "1", 1) != 1)
	sxm_log(LOG_WARNING, 0, "cannot tell the parent: %s", strerror(errno));
    (void) close(*ready);
    *ready = -1;
    if (ok && (fd = open("/dev/null", O_RDWR)) >= 0) {
	(void) dup2(fd, 0);
	(void) dup2(fd, 1);
	if (!sxm_main_keep_stderr)
	    (void) dup2(fd, 2);
	if (fd > 2)
	    (void) close(fd);
    }
}

/* Seconds between metric writes; 0 when there is no file to write. */
static unsigned sxm_main_stats_interval(const struct sxm_main_reload *r)
{
    struct sx_config *config;
    unsigned interval = 0;

    if (r->stats == 0 || (config = sxm_snapshot_hold()) == 0)
	return (0);
    if (config->settings.stats_file != 0 && config->settings.stats_file[0] != 0)
	interval = config->settings.stats_interval ?
	    config->settings.stats_interval : 60;
    sxm_snapshot_release(config);
    return (interval);
}

static void sxm_main_stats_write(const struct sxm_main_reload *r)
{
    struct sx_config *config;
    const char *path;

    if (r->stats == 0 || (config = sxm_snapshot_hold()) == 0)
	return;
    path = config->settings.stats_file;
    if (path != 0 && path[0] != 0
	&& sx_stats_write_file(r->stats, path) != SX_OK) {
	int     saved = errno;

	sx_stats_error(r->stats, SX_STATS_ERROR_WRITE);
	sxm_log(LOG_WARNING, 0, "%s: cannot write the metrics: %s", path,
		strerror(saved));
    }
    sxm_snapshot_release(config);
}

/*
 * Where the log goes: syslog when a socket reaches it; else, as
 * settings.log_file says, stderr (kept when detaching) or a file
 * (opened by sxm_main_log_file(), as the user); "" says so and logs
 * only to a foreground stderr. Said on stderr either way.
 */
static char sxm_main_syslog_why[PATH_MAX];

static void sxm_main_log_start(const struct sxm_main_opts *o,
				       const struct sx_settings *set,
				       struct sxm_main_reload *r)
{
    const char *why = sxm_main_syslog_why;
    int     to_stderr = o->foreground && getenv("JOURNAL_STREAM") == 0;

    if (sxm_log_syslog_reachable(sxm_main_syslog_why,
				 sizeof(sxm_main_syslog_why))) {
	sxm_log_open(SXM_PROGNAME, set->syslog_facility, to_stderr, 1);
	return;
    }
    if (strcmp(set->log_file, "stderr") == 0) {
	sxm_main_keep_stderr = 1;
	sxm_log_open(SXM_PROGNAME, set->syslog_facility, 1, 0);
	fprintf(stderr, SXM_PROGNAME ": warning: syslog is unreachable (%s): "
		"logging to stderr (settings.log_file)\n", why);
    } else if (set->log_file[0] != 0) {
	r->log_file = set->log_file;
	sxm_log_open(SXM_PROGNAME, set->syslog_facility, to_stderr, 0);
	fprintf(stderr, SXM_PROGNAME ": warning: syslog is unreachable (%s): "
		"logging to %s (settings.log_file)\n", why, set->log_file);
    } else {
	sxm_log_open(SXM_PROGNAME, set->syslog_facility, to_stderr, 0);
	fprintf(stderr, SXM_PROGNAME ": warning: syslog is unreachable (%s) "
		"and settings.log_file is empty: %s\n", why, to_stderr ?
		"logging to stderr only" : "nothing will be logged after the "
		"start; set settings.log_file to a file or \"stderr\"");
    }
}

/* The log file of sxm_main_log_start(), opened as the user. */
static int sxm_main_log_file(const struct sxm_main_reload *r, int foreground)
{
    char    why[PATH_MAX + 128];

    if (r->log_file == 0)
	return (0);
    if (sxm_log_file(r->log_file, why, sizeof(why)) != 0) {
	sxm_main_fail(foreground, "%s", why);
	return (-1);
    }
    sxm_log(LOG_WARNING, 0, "syslog is unreachable (%s): logging to this "
	    "file (settings.log_file)", sxm_main_syslog_why);
    return (0);
}

/* A reload opens the log file anew: it may have been rotated. */
static void sxm_main_log_reopen(const struct sxm_main_reload *r)
{
    char    why[PATH_MAX + 128];

    if (r->log_file != 0 && sxm_log_file(r->log_file, why, sizeof(why)) != 0)
	sxm_log(LOG_WARNING, 0, "%s; keeping the file open before", why);
}

static void sxm_main_reload_now(const struct sxm_main_reload *r)
{
    struct sx_config *config;
    struct sx_config *old;

    config = sxm_snapshot_load(r->path[0] ? r->path : 0, r->explicit, 0);
    if (config == 0) {
	if (r->stats != 0)
	    sx_stats_error(r->stats, SX_STATS_ERROR_RELOAD);
	sxm_log(LOG_ERR, 0, "reload failed: keeping the running configuration");
	return;
    }
    if ((old = sxm_snapshot_hold()) != 0) {
	if (strcmp(old->settings.socket, config->settings.socket) != 0
	    || strcmp(old->settings.user, config->settings.user) != 0
	    || old->settings.syslog_facility != config->settings.syslog_facility
	    || strcmp(old->settings.log_file, config->settings.log_file) != 0)
	    sxm_log(LOG_WARNING, 0, "socket, user, syslog facility and log "
		    "file change only with a restart");
	sxm_snapshot_release(old);
    }
    sxm_snapshot_install(config);
    sxm_main_log_reopen(r);
    sxm_log(LOG_INFO, 0, "configuration reloaded from %s", config->path);
}

/* Milliseconds on a clock that nobody sets. */
static long long sxm_main_now(void)
{
    struct timespec ts;

    (void) clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/*
 * The metrics are due every interval seconds after the last write,
 * whatever came in between: 1 when due now (*last moves on by one
 * interval, or to now when a whole interval behind), else 0 and how
 * long to wait in *wait.
 */
static int sxm_main_stats_due(long long *last, unsigned interval,
			              struct timespec *wait)
{
    long long now = sxm_main_now();
    long long step = (long long) interval * 1000;
    long long left = *last + step - now;

    if (left > 0) {
	wait->tv_sec = (time_t) (left / 1000);
	wait->tv_nsec = (long) (left % 1000) * 1000000;
	return (0);
    }
    *last = (left <= -step) ? now : *last + step;
    return (1);
}

/*
 * The reload thread: SIGUSR1 reloads, SIGUSR2 from main ends it (one
 * from anybody else is ignored: it must not end reloading unseen); in
 * between, the metrics file is rewritten every stats_interval seconds,
 * on a schedule that reloads do not move (sxm_main_stats_due()). The
 * signals are blocked in every thread since main() began, so this
 * thread alone takes them, and one sent during start-up waits here.
 */
static void *sxm_main_reloader(void *arg)
{
    struct sxm_main_reload *r = arg;
    struct timespec wait;
    unsigned interval;
    sigset_t set;
    long long last = sxm_main_now();	/* sxm_main_serve() just wrote */
    int     sig;

    sxm_main_reload_signals(&set);
    for (;;) {
	if ((interval = sxm_main_stats_interval(r)) > 0) {
	    if (sxm_main_stats_due(&last, interval, &wait)) {
		sxm_main_stats_write(r);
		continue;
	    }
	    /* Timed out or interrupted: the clock says what is due. */
	    if ((sig = sigtimedwait(&set, 0, &wait)) < 0)
		continue;
	} else if (sigwait(&set, &sig) != 0) {
	    continue;
	}
	if (sig == SIGUSR2) {
	    if (atomic_load(&r->stopping))
		break;
	    sxm_log(LOG_DEBUG, 0, "SIGUSR2 ignored: it is not a command");
	    continue;
	}
	sxm_main_reload_now(r);
    }
    sxm_main_stats_write(r);
    return (0);
}

static int sxm_main_options(int argc, char **argv, struct sxm_main_opts *o)
{
    int     ch;

    memset(o, 0, sizeof(*o));
    while ((ch = getopt(argc, argv, "c:fnp:P:tu:vV")) != -1) {
	switch (ch) {
	case 'c':
	    o->config = optarg;
	    break;
	case 'f':
	    o->foreground = 1;
	    break;
	case 'n':
	    o->check = 1;
	    break;
	case 'p':
	    o->socket = optarg;
	    break;
	case 'P':
	    o->pidfile = optarg;
	    break;
	case 't':
	    o->test = 1;
	    break;
	case 'u':
	    o->user = optarg;
	    break;
	case 'v':
	    o->verbose = 1;
	    break;
	case 'V':
	    o->version = 1;
	    break;
	default:
	    sxm_main_usage();
	}
    }
    if (o->test && optind >= argc)
	sxm_main_usage();
    if (!o->test && optind < argc)
	sxm_main_usage();
    if (o->test + o->check + o->version > 1)
	sxm_main_usage();
    if (o->verbose && !o->check)
	sxm_main_usage();
    return (optind);
}

/* The socket's group: settings.socket_group, else the user's. */
static int sxm_main_socket_group(const struct sx_settings *set,
				         const struct sxm_ids *ids,
				         gid_t *gid, int foreground)
{
    struct group *gr;

    *gid = (gid_t) -1;
    if (set->socket_group != 0 && set->socket_group[0] != 0) {
	if ((gr = getgrnam(set->socket_group)) == 0) {
	    sxm_main_fail(foreground, "settings.socket_group: %s: no such "
			  "group", set->socket_group);
	    return (-1);
	}
	*gid = gr->gr_gid;
    } else if (ids->name[0] != 0) {
	*gid = ids->gid;
    }
    return (0);
}

/*
 * The user must be able to remove the pid file when it stops: one left
 * behind, root's, would name a dead process. Asked as the user.
 */
static int sxm_main_pid_removable(const char *path, const struct sxm_ids *ids,
				          int foreground)
{
    struct sxm_ids_saved saved;
    char    why[PATH_MAX + 256];
    int     status;

    if (geteuid() != 0 || ids->name[0] == 0)
	return (0);
    if ((status = sxm_ids_borrow(ids, (gid_t) -1, &saved, why,
				 sizeof(why))) == 0) {
	status = sxm_pidfile_removable(path, ids->uid, ids->name, why,
				       sizeof(why));
	sxm_ids_return(&saved);
    }
    if (status != 0)
	sxm_main_fail(foreground, "%s", why);
    return (status);
}

static int sxm_main_serve(const struct sxm_main_opts *o,
				  const struct sx_config *config,
				  struct sxm_main_reload *reload)
{
    const struct sx_settings *set = &config->settings;
    const char *socket = o->socket ? o->socket : set->socket;
    const char *user = o->user ? o->user : set->user;
    const char *pidfile = o->pidfile ? o->pidfile : set->pidfile;
    struct sxm_pidfile *pf = 0;
    struct sxm_listen sock;
    struct sxm_ids ids;
    char    libver[32];
    char    why[PATH_MAX + 256];
    pthread_t reloader;
    sigset_t sigs;
    mode_t  old_umask;
    gid_t   group;
    int     ready = -1;
    int     status;

    memset(&sock, 0, sizeof(sock));
    if (sxm_main_check(config, o) != 0)
	return (1);
    /* Under systemd stderr already goes to the journal, like syslog:
     * writing both would log every line twice. */
    sxm_main_log_start(o, set, reload);

    /*
     * A stop asked for during start-up waits for libmilter's signal
     * thread, which ends the start cleanly. Before any thread exists,
     * so that all inherit the mask.
     */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGHUP);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    (void) pthread_sigmask(SIG_BLOCK, &sigs, 0);
    (void) signal(SIGPIPE, SIG_IGN);

    if (sxm_ids_resolve(user, &ids, why, sizeof(why)) != 0) {
	sxm_main_fail(o->foreground, "%s", why);
	return (1);
    }
    if (geteuid() == 0 && ids.name[0] == 0) {
	sxm_main_fail(o->foreground, "refusing to run as root: give -u user "
		      "or settings.user");
	return (1);
    }
    if (sxm_main_socket_group(set, &ids, &group, o->foreground) != 0)
	return (1);

    /* Tighten, never loosen, the umask we were given (systemd: 0027). */
    old_umask = umask(0);
    (void) umask(old_umask | 022);

    /* Only one instance: nothing may be touched before this. */
    if (pidfile != 0 && *pidfile != 0) {
	if (sxm_main_pid_removable(pidfile, &ids, o->foreground) != 0)
	    return (1);
	status = sxm_pidfile_open(pidfile, ids.uid, &pf, why, sizeof(why));
	if (status != 0) {
	    sxm_main_fail(o->foreground, "%s", why);
	    return (1);
	}
	if (sxm_pidfile_write(pf, why, sizeof(why)) != 0) {
	    sxm_main_fail(o->foreground, "%s", why);
	    goto fail;
	}
    }
    if (sxm_listen_open(&sock, socket, set->socket_mode, group, &ids,
			reload->stats, why, sizeof(why)) != 0) {
	sxm_main_fail(o->foreground, "%s", why);
	goto fail;
    }
    if (!o->foreground && sxm_main_detach(&ready) != 0)
	goto fail;
    if (pf != 0 && !o->foreground
	&& sxm_pidfile_write(pf, why, sizeof(why)) != 0) {
	sxm_main_fail(o->foreground, "%s", why);
	goto fail;
    }
    sxm_pidfile_seal(pf);
    if (sxm_ids_drop(&ids, why, sizeof(why)) != 0) {
	sxm_main_fail(o->foreground, "%s", why);
	goto fail;
    }
    if (sxm_main_log_file(reload, o->foreground) != 0)
	goto fail;
    /* Now, as the user that will write it: a bad stats_file shows at once. */
    sxm_main_stats_write(reload);
    sxm_main_ready(&ready, 1);

    status = pthread_create(&reloader, 0, sxm_main_reloader, reload);
    if (status != 0) {
	sxm_log(LOG_ERR, 0, "cannot start the reload thread: %s",
		strerror(status));
	goto fail;
    }
    sxm_log(LOG_INFO, 0, "starting: version %s, libmilter %s, socket %s, "
	    "config %s", SX_VERSION, sxm_milter_version(libver, sizeof(libver)),
	    socket, reload->path[0] ? reload->path : "(embedded default)");

    status = sxm_milter_run();

    atomic_store(&reload->stopping, 1);
    (void) pthread_kill(reloader, SIGUSR2);
    (void) pthread_join(reloader, 0);
    sxm_listen_remove(&sock, &ids);
    if (sxm_pidfile_remove(pf) != 0)
	sxm_log(LOG_DEBUG, 0, "%s: %s", pidfile, strerror(errno));
    sxm_log(LOG_INFO, 0, "stopped%s", status ? " after an error" : "");
    sxm_log_close();
    return (status ? 1 : 0);

    /* Leave no file behind that looks alive; remove only what is ours. */
fail:
    sxm_listen_remove(&sock, &ids);
    (void) sxm_pidfile_remove(pf);
    sxm_main_ready(&ready, 0);
    return (1);
}

int     main(int argc, char **argv)
{
    struct sxm_main_opts o;
    static struct sxm_main_reload reload;
    struct sx_config *config;
    const char *file;
    char    libver[32];
    sigset_t sigs;
    int     first;
    int     status;

    /*
     * First of all: a reload request (systemctl reload right after the
     * start) must wait for the reload thread, not kill us. Every thread
     * and the detached child inherit this mask.
     */
    sxm_main_reload_signals(&sigs);
    (void) sigprocmask(SIG_BLOCK, &sigs, 0);

#ifdef M_ARENA_MAX
    /*
     * libmilter runs sessions on a changing pool of threads; glibc would
     * give many of them an arena of their own and resident memory would
     * creep up. Two arenas keep it flat at no measurable cost.
     */
    (void) mallopt(M_ARENA_MAX, 2);
#endif
    first = sxm_main_options(argc, argv, &o);
    if (o.version) {
	printf(SXM_PROGNAME " %s (libmilter %s)\n", SX_VERSION,
	       sxm_milter_version(libver, sizeof(libver)));
	return (0);
    }

    /* The daemon changes directory: remember the file by absolute path. */
    reload.explicit = (o.config != 0);
    if ((file = sxm_snapshot_path(o.config, reload.explicit)) != 0
	&& realpath(file, reload.path) == 0)
	(void) snprintf(reload.path, sizeof(reload.path), "%s", file);

    if ((config = sxm_snapshot_load(reload.path[0] ? reload.path : 0,
				    reload.explicit, 1)) == 0)
	return (1);

    if (o.check) {
	status = sxm_main_check(config, &o);
	if (status == 0 && o.verbose)
	    sxm_main_print_settings(&config->settings);
	sx_config_unref(config);
	if (status != 0)
	    return (1);
	printf("config OK\n");
	return (0);
    }

    /*
     * The snapshot takes our reference; we keep one of our own for the
     * startup settings (socket, pid file), which a reload must not free.
     */
    sxm_snapshot_install(config);
    config = sxm_snapshot_hold();
    if (o.test) {
	sxm_log_open(SXM_PROGNAME, LOG_MAIL, 1, 0);
	status = sxm_testmode_run(argv + first, argc - first, stdout);
    } else {
	/* Counters live as long as the daemon: a reload keeps them. */
	if ((reload.stats = sx_stats_new()) == 0)
	    fprintf(stderr, SXM_PROGNAME ": warning: no memory for counters\n");
	status = sxm_main_serve(&o, config, &reload);
	sx_stats_free(reload.stats);
    }
    sxm_snapshot_release(config);
    sxm_snapshot_install(0);
    return (status);
}
