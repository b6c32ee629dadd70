/*
 * NAME
 *	main 3
 * SUMMARY
 *	smtp-explain-milter: flags, socket, privileges, signals, reload
 * SYNOPSIS
 *	smtp-explain-milter [-fnV] [-c file] [-p socket] [-u user[:group]]
 *		[-P pidfile]
 *	smtp-explain-milter [-c file] -t file...
 * DESCRIPTION
 *	Startup, in this order, so that every mistake is reported on the
 *	terminal before the daemon detaches:
 *
 *	1. load the configuration (-c, else the default file when it
 *	   exists, else the one embedded in the library); -n stops here,
 *	   -t runs the files and stops;
 *	2. refuse to go on as root unless told which user to become;
 *	   add 022 to the umask, so that nothing we create is writable
 *	   by others whatever umask we were started with;
 *	3. create the socket (stale unix socket removed; mode and group
 *	   from the settings; TCP_NODELAY on inet sockets); when that
 *	   fails, say why for a unix socket (its directory);
 *	4. open the pid file, detach (unless -f), write the pid, drop
 *	   privileges, write the metrics once; a detaching parent waits
 *	   for its child to get this far and exits with its verdict, so
 *	   a start that fails after the fork does not look like success;
 *	5. block SIGUSR1 in every thread and start the reload thread,
 *	   which sigwait()s for it (libmilter takes SIGHUP, SIGTERM and
 *	   SIGINT as "stop") and, between signals, writes the counters to
 *	   settings.stats_file every settings.stats_interval seconds;
 *	6. serve until stopped.
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
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <libgen.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <smtp-explain/config.h>
#include <smtp-explain/stats.h>
#include <smtp-explain/status.h>

#include "callbacks.h"
#include "log.h"
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
    int     test;			/* -t */
    int     version;			/* -V */
};

/* What the reload thread needs; lives as long as main(). */
struct sxm_main_reload {
    char    path[PATH_MAX];		/* absolute, or "" */
    int     explicit;			/* -c given */
    struct sx_stats *stats;		/* counters to write, or NULL */
};

struct sxm_main_ids {
    const char *name;			/* user to become, or NULL */
    uid_t   uid;
    gid_t   gid;
};

static void sxm_main_usage(void)
{
    fprintf(stderr,
	    "usage: " SXM_PROGNAME " [-fnV] [-c file] [-p socket] "
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

/* The path of a unix socket spec, or NULL for inet sockets. */
static const char *sxm_main_unix_path(const char *spec)
{
    if (strncmp(spec, "unix:", 5) == 0)
	return (spec + 5);
    if (strncmp(spec, "local:", 6) == 0)
	return (spec + 6);
    if (spec[0] == '/')
	return (spec);
    return (0);
}

/* Check a socket spec in libmilter syntax; 0 or -1 with a message. */
static int sxm_main_check_socket(const char *spec, char *why, size_t size)
{
    const char *path = sxm_main_unix_path(spec);
    const char *rest;
    const char *at;

    if (path != 0) {
	if (path[0] != '/') {
	    (void) snprintf(why, size, "%s: a unix socket needs an absolute "
			    "path", spec);
	    return (-1);
	}
	return (0);
    }
    if (strncmp(spec, "inet:", 5) == 0)
	rest = spec + 5;
    else if (strncmp(spec, "inet6:", 6) == 0)
	rest = spec + 6;
    else {
	(void) snprintf(why, size, "%s: expected unix:/path, inet:port@host "
			"or inet6:port@host", spec);
	return (-1);
    }
    at = strchr(rest, '@');
    if (at == 0 && strchr(rest, ':') != 0) {
	/* The most common mix-up: Postfix names the socket inet:host:port. */
	(void) snprintf(why, size, "%s: this is Postfix syntax; here write "
			"inet:port@host", spec);
	return (-1);
    }
    if (at == 0 || at == rest || at[1] == 0) {
	/* libmilter would listen on every interface: say so. */
	(void) snprintf(why, size, "%s: give port@host (a port alone listens "
			"on all interfaces)", spec);
	return (-1);
    }
    return (0);
}

/* Checks beyond the config module's: what only the daemon uses. */
static int sxm_main_check_settings(const struct sx_settings *set,
					   const char *socket)
{
    char    why[512];
    int     facility;
    int     bad = 0;

    if (sxm_log_facility(set->syslog_facility, &facility) != 0) {
	fprintf(stderr, "settings.syslog_facility: unknown facility \"%s\"\n",
		set->syslog_facility);
	bad = 1;
    }
    if (sxm_main_check_socket(socket, why, sizeof(why)) != 0) {
	fprintf(stderr, "socket: %s\n", why);
	bad = 1;
    }
    return (bad ? -1 : 0);
}

/* Resolve "user[:group]"; name NULL means stay who we are. */
static int sxm_main_ids(const char *spec, struct sxm_main_ids *ids,
				char *buf, size_t size)
{
    struct passwd *pw;
    struct group *gr;
    char   *colon;

    ids->name = 0;
    ids->uid = getuid();
    ids->gid = getgid();
    if (spec == 0 || *spec == 0)
	return (0);
    (void) snprintf(buf, size, "%s", spec);
    if ((colon = strchr(buf, ':')) != 0)
	*colon++ = 0;
    if ((pw = getpwnam(buf)) == 0) {
	fprintf(stderr, SXM_PROGNAME ": %s: no such user\n", buf);
	return (-1);
    }
    ids->name = buf;
    ids->uid = pw->pw_uid;
    ids->gid = pw->pw_gid;
    if (colon != 0 && *colon != 0) {
	if ((gr = getgrnam(colon)) == 0) {
	    fprintf(stderr, SXM_PROGNAME ": %s: no such group\n", colon);
	    return (-1);
	}
	ids->gid = gr->gr_gid;
    }
    return (0);
}

/* Mode and group of a unix socket; umask alone cannot give a group. */
static int sxm_main_socket_perms(const char *path,
				         const struct sx_settings *set,
					 const struct sxm_main_ids *ids)
{
    struct group *gr;
    gid_t   gid = (gid_t) -1;
    uid_t   uid = (uid_t) -1;

    if (set->socket_group != 0 && set->socket_group[0] != 0) {
	if ((gr = getgrnam(set->socket_group)) == 0) {
	    sxm_log(LOG_ERR, 0, "settings.socket_group: %s: no such group",
		    set->socket_group);
	    return (-1);
	}
	gid = gr->gr_gid;
    } else if (ids->name != 0) {
	gid = ids->gid;
    }
    if (ids->name != 0)
	uid = ids->uid;
    if (chmod(path, set->socket_mode & 07777) != 0) {
	sxm_log(LOG_ERR, 0, "%s: chmod: %s", path, strerror(errno));
	return (-1);
    }
    if ((uid != (uid_t) -1 || gid != (gid_t) -1)
	&& chown(path, uid, gid) != 0) {
	sxm_log(LOG_ERR, 0, "%s: chown: %s", path, strerror(errno));
	return (-1);
    }
    return (0);
}

/*
 * libmilter reports why it could not create the socket only to syslog,
 * and its errno does not survive: look at the directory ourselves.
 */
static void sxm_main_socket_why(const char *path, char *why, size_t size)
{
    char    copy[PATH_MAX];
    char    dir[PATH_MAX];
    struct stat st;

    /* dirname() may write into its argument and return a part of it. */
    (void) snprintf(copy, sizeof(copy), "%s", path);
    (void) snprintf(dir, sizeof(dir), "%s", dirname(copy));
    if (stat(dir, &st) != 0)
	(void) snprintf(why, size, ": %s: %s", dir, strerror(errno));
    else if (!S_ISDIR(st.st_mode))
	(void) snprintf(why, size, ": %s: %s", dir, strerror(ENOTDIR));
    else if (access(dir, W_OK | X_OK) != 0)
	(void) snprintf(why, size, ": %s: %s", dir, strerror(errno));
    else if (stat(path, &st) == 0 && !S_ISSOCK(st.st_mode))
	(void) snprintf(why, size, ": %s exists and is not a socket", path);
    else
	why[0] = 0;
}

/*
 * libmilter does not hand out its listening socket. Find it and turn
 * Nagle off: accepted sockets inherit the option, and the small writes
 * of the milter protocol otherwise stall about 40 ms per message.
 */
static void sxm_main_nodelay(void)
{
    long    max = sysconf(_SC_OPEN_MAX);
    int     fd;
    int     on;
    int     domain;
    socklen_t len;

    if (max < 0 || max > 4096)
	max = 4096;
    for (fd = 0; fd < (int) max; fd++) {
	len = sizeof(on);
	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &len) != 0 || !on)
	    continue;
	len = sizeof(domain);
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &len) != 0
	    || (domain != AF_INET && domain != AF_INET6))
	    continue;
	on = 1;
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) != 0)
	    sxm_log(LOG_WARNING, 0, "TCP_NODELAY: %s", strerror(errno));
	else
	    sxm_log(LOG_DEBUG, 0, "TCP_NODELAY set on the listening socket");
    }
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
	(void) dup2(fd, 2);
	if (fd > 2)
	    (void) close(fd);
    }
}

/* Opened before detaching, so that a bad path is seen at once. */
static FILE *sxm_main_pidfile_open(const char *path, int foreground)
{
    FILE   *fp;

    if ((fp = fopen(path, "w")) == 0)
	sxm_main_fail(foreground, "%s: cannot create the pid file: %s", path,
		      strerror(errno));
    return (fp);
}

/* The pid after the fork; a full disk shows here. Closes fp. */
static int sxm_main_pidfile_write(FILE *fp, const char *path, int foreground)
{
    int     bad;

    bad = fprintf(fp, "%ld\n", (long) getpid()) < 0;
    bad |= fflush(fp) != 0;
    if (bad) {
	sxm_main_fail(foreground, "%s: cannot write the pid file: %s", path,
		      strerror(errno));
	(void) fclose(fp);
	(void) unlink(path);
	return (-1);
    }
    if (fclose(fp) != 0) {
	sxm_main_fail(foreground, "%s: cannot write the pid file: %s", path,
		      strerror(errno));
	(void) unlink(path);
	return (-1);
    }
    return (0);
}

static int sxm_main_drop(const struct sxm_main_ids *ids, int foreground)
{
    if (ids->name == 0)
	return (0);
    if (geteuid() != 0) {
	if (geteuid() != ids->uid)
	    sxm_log(LOG_WARNING, 0, "not root: cannot become %s; running as "
		    "uid %ld", ids->name, (long) geteuid());
	return (0);
    }
    if (setgid(ids->gid) != 0 || initgroups(ids->name, ids->gid) != 0
	|| setuid(ids->uid) != 0) {
	sxm_main_fail(foreground, "cannot become %s: %s", ids->name,
		      strerror(errno));
	return (-1);
    }
    if (ids->uid != 0 && setuid(0) == 0) {
	sxm_main_fail(foreground, "could become root again after dropping "
		      "privileges");
	return (-1);
    }
    return (0);
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
	    || strcmp(old->settings.syslog_facility,
		      config->settings.syslog_facility) != 0)
	    sxm_log(LOG_WARNING, 0, "socket, user and syslog facility "
		    "change only with a restart");
	sxm_snapshot_release(old);
    }
    sxm_snapshot_install(config);
    sxm_log(LOG_INFO, 0, "configuration reloaded from %s", config->path);
}

/*
 * The reload thread: SIGUSR1 reloads, SIGUSR2 (from main) ends it; in
 * between, the metrics file is rewritten every stats_interval seconds.
 */
static void *sxm_main_reloader(void *arg)
{
    const struct sxm_main_reload *r = arg;
    struct timespec wait;
    unsigned interval;
    sigset_t set;
    int     sig;

    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    for (;;) {
	if ((interval = sxm_main_stats_interval(r)) > 0) {
	    wait.tv_sec = (time_t) interval;
	    wait.tv_nsec = 0;
	    if ((sig = sigtimedwait(&set, 0, &wait)) < 0) {
		if (errno == EAGAIN)
		    sxm_main_stats_write(r);
		continue;
	    }
	} else if (sigwait(&set, &sig) != 0) {
	    continue;
	}
	if (sig == SIGUSR2)
	    break;
	sxm_main_reload_now(r);
    }
    sxm_main_stats_write(r);
    return (0);
}

static int sxm_main_options(int argc, char **argv, struct sxm_main_opts *o)
{
    int     ch;

    memset(o, 0, sizeof(*o));
    while ((ch = getopt(argc, argv, "c:fnp:P:tu:V")) != -1) {
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
    return (optind);
}

static int sxm_main_serve(const struct sxm_main_opts *o,
				  const struct sx_config *config,
				  struct sxm_main_reload *reload)
{
    const struct sx_settings *set = &config->settings;
    const char *socket = o->socket ? o->socket : set->socket;
    const char *user = o->user ? o->user : set->user;
    const char *pidfile = o->pidfile ? o->pidfile : set->pidfile;
    const char *path = sxm_main_unix_path(socket);
    struct sxm_main_ids ids;
    char    idbuf[256];
    char    libver[32];
    char    why[PATH_MAX + 64];
    pthread_t reloader;
    sigset_t sigs;
    mode_t  old_umask;
    FILE   *pidfp = 0;
    int     pidmade = 0;
    int     ready = -1;
    int     facility = LOG_MAIL;
    int     status;

    if (sxm_main_check_settings(set, socket) != 0)
	return (1);
    (void) sxm_log_facility(set->syslog_facility, &facility);
    /* Under systemd stderr already goes to the journal, like syslog:
     * writing both would log every line twice. */
    sxm_log_open(SXM_PROGNAME, facility, o->foreground && getenv("JOURNAL_STREAM") == 0, 1);

    if (sxm_main_ids(user, &ids, idbuf, sizeof(idbuf)) != 0)
	return (1);
    if (geteuid() == 0 && ids.name == 0) {
	sxm_log(LOG_ERR, 0, "refusing to run as root: give -u user or "
		"settings.user");
	fprintf(stderr, SXM_PROGNAME ": refusing to run as root: give -u "
		"user or settings.user\n");
	return (1);
    }

    /* Tighten, never loosen, the umask we were given (systemd: 0027). */
    old_umask = umask(0);
    (void) umask(old_umask | 022);

    /* The socket gets at most the configured mode from its first moment. */
    old_umask = umask((mode_t) (~set->socket_mode & 0777));
    status = sxm_milter_open(socket, 0, reload->stats);
    (void) umask(old_umask);
    if (status != 0) {
	why[0] = 0;
	if (path != 0)
	    sxm_main_socket_why(path, why, sizeof(why));
	sxm_main_fail(o->foreground, "%s: cannot create the socket%s",
		      socket, why);
	return (1);
    }
    if (path != 0 && sxm_main_socket_perms(path, set, &ids) != 0)
	goto fail;
    if (path == 0)
	sxm_main_nodelay();

    if (pidfile != 0 && *pidfile != 0
	&& (pidfp = sxm_main_pidfile_open(pidfile, o->foreground)) == 0)
	goto fail;
    pidmade = (pidfp != 0);
    if (!o->foreground && sxm_main_detach(&ready) != 0)
	goto fail;
    if (pidfp != 0) {
	status = sxm_main_pidfile_write(pidfp, pidfile, o->foreground);
	pidfp = 0;
	if (status != 0)
	    goto fail;
    }
    if (sxm_main_drop(&ids, o->foreground) != 0)
	goto fail;
    /* Now, as the user that will write it: a bad stats_file shows at once. */
    sxm_main_stats_write(reload);
    sxm_main_ready(&ready, 1);

    /* Before any thread exists, so that all inherit the mask. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGUSR1);
    sigaddset(&sigs, SIGUSR2);
    sigaddset(&sigs, SIGHUP);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    (void) pthread_sigmask(SIG_BLOCK, &sigs, 0);
    (void) signal(SIGPIPE, SIG_IGN);

    status = pthread_create(&reloader, 0, sxm_main_reloader, reload);
    if (status != 0) {
	sxm_log(LOG_ERR, 0, "cannot start the reload thread: %s",
		strerror(status));
	return (1);
    }
    sxm_log(LOG_INFO, 0, "starting: version %s, libmilter %s, socket %s, "
	    "config %s", SX_VERSION, sxm_milter_version(libver, sizeof(libver)),
	    socket, reload->path[0] ? reload->path : "(embedded default)");

    status = sxm_milter_run();

    (void) pthread_kill(reloader, SIGUSR2);
    (void) pthread_join(reloader, 0);
    if (pidfile != 0 && *pidfile != 0 && unlink(pidfile) != 0
	&& errno != ENOENT)
	sxm_log(LOG_DEBUG, 0, "%s: %s", pidfile, strerror(errno));
    if (path != 0)
	(void) unlink(path);
    sxm_log(LOG_INFO, 0, "stopped%s", status ? " after an error" : "");
    sxm_log_close();
    return (status ? 1 : 0);

    /* After the socket exists: leave no file behind that looks alive. */
fail:
    if (pidfp != 0)
	(void) fclose(pidfp);
    if (pidmade)
	(void) unlink(pidfile);
    if (path != 0)
	(void) unlink(path);
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
    int     first;
    int     status;

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
	status = sxm_main_check_settings(&config->settings, o.socket ?
					 o.socket : config->settings.socket);
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
