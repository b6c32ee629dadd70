/*
 * NAME
 *	listen 3
 * SUMMARY
 *	the listening socket: put in place safely, removed only when ours
 * DESCRIPTION
 *	See listen.h. Why libmilter still creates the socket: smfi_main()
 *	serves only the socket that smfi_opensocket() made, and there is
 *	no call that hands it one. So we choose what libmilter binds (a
 *	temporary name), the credentials and umask it binds under, and
 *	where the result goes.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "callbacks.h"
#include "listen.h"
#include "log.h"

const char *sxm_listen_unix_path(const char *spec)
{
    if (strncmp(spec, "unix:", 5) == 0)
	return (spec + 5);
    if (strncmp(spec, "local:", 6) == 0)
	return (spec + 6);
    if (spec[0] == '/')
	return (spec);
    return (0);
}

/*
 * libmilter does not hand out its listening socket. Find it and turn
 * Nagle off: accepted sockets inherit the option, and the small writes
 * of the milter protocol otherwise stall about 40 ms per message.
 */
static void sxm_listen_nodelay(void)
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

/* Remove path only when it names the inode dev:ino. */
static void sxm_listen_unlink(const char *path, dev_t dev, ino_t ino)
{
    struct stat st;

    if (lstat(path, &st) == 0 && st.st_dev == dev && st.st_ino == ino
	&& unlink(path) != 0 && errno != ENOENT)
	sxm_log(LOG_DEBUG, 0, "%s: %s", path, strerror(errno));
}

/*
 * May a socket be put at path? Nothing there, a symbolic link, or a
 * socket nobody answers on (a dead milter's): yes.
 */
static int sxm_listen_vacant(const char *spec, const char *path, char *why,
			             size_t size)
{
    struct sockaddr_un sun;
    struct stat st;
    int     fd;
    int     status;

    /* Absent, or unreachable: the bind will fail and say why. */
    if (lstat(path, &st) != 0 || S_ISLNK(st.st_mode))
	return (0);
    if (!S_ISSOCK(st.st_mode)) {
	(void) snprintf(why, size, "%s: cannot create the socket: %s exists "
			"and is not a socket", spec, path);
	return (-1);
    }
    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    (void) snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		     0)) < 0) {
	(void) snprintf(why, size, "%s: cannot create the socket: %s",
			spec, strerror(errno));
	return (-1);
    }
    status = connect(fd, (struct sockaddr *) &sun, sizeof(sun));
    if (status == 0 || errno == EAGAIN || errno == EINPROGRESS) {
	(void) snprintf(why, size, "%s: not replacing %s: a running milter "
			"answers on it", spec, path);
	status = -1;
    } else if (errno == ECONNREFUSED) {
	sxm_log(LOG_INFO, 0, "%s: replacing the socket of a milter that "
		"is gone", path);
	status = 0;
    } else {
	(void) snprintf(why, size, "%s: cannot tell whether %s is in use: %s",
			spec, path, strerror(errno));
	status = -1;
    }
    (void) close(fd);
    return (status);
}

/*
 * libmilter reports why it could not create the socket only to syslog,
 * and its errno does not survive: look at the directory ourselves, with
 * the rights the socket was made with (AT_EACCESS).
 */
static void sxm_listen_why(const char *spec, const char *path, char *why,
			           size_t size)
{
    char    copy[PATH_MAX];
    char    dir[PATH_MAX];
    char    reason[PATH_MAX + 64];
    struct stat st;

    /* dirname() may write into its argument and return a part of it. */
    (void) snprintf(copy, sizeof(copy), "%s", path);
    (void) snprintf(dir, sizeof(dir), "%s", dirname(copy));
    if (stat(dir, &st) != 0)
	(void) snprintf(reason, sizeof(reason), ": %s: %s", dir,
			strerror(errno));
    else if (!S_ISDIR(st.st_mode))
	(void) snprintf(reason, sizeof(reason), ": %s: %s", dir,
			strerror(ENOTDIR));
    else if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) != 0)
	(void) snprintf(reason, sizeof(reason), ": %s: %s (for uid %ld)",
			dir, strerror(errno), (long) geteuid());
    else
	reason[0] = 0;
    (void) snprintf(why, size, "%s: cannot create the socket%s", spec,
		    reason);
}

/*
 * The same for inet:PORT@HOST and inet6:PORT@HOST: bind the address
 * ourselves, as libmilter does (SO_REUSEADDR), and report its errno
 * (in use, not an address of this host, a port below 1024 without
 * root) or the resolver's answer.
 */
static void sxm_listen_inet_why(const char *spec, char *why, size_t size)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM,
    .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
    struct addrinfo *res = 0;
    const char *at = strchr(spec, '@');
    const char *colon = strchr(spec, ':');
    char    port[16];
    char    host[256];
    size_t  len;
    int     one = 1;
    int     fd;
    int     err;

    why[0] = 0;
    hints.ai_family = strncmp(spec, "inet6:", 6) == 0 ? AF_INET6 : AF_INET;
    if (at == 0 || colon == 0 || at <= colon
	|| (size_t) (at - colon) > sizeof(port))
	goto out;
    (void) snprintf(port, sizeof(port), "%.*s", (int) (at - colon - 1),
		    colon + 1);
    (void) snprintf(host, sizeof(host), "%s", at + 1);
    if (host[0] == '[' && (len = strlen(host)) > 2 && host[len - 1] == ']') {
	memmove(host, host + 1, len - 2);
	host[len - 2] = 0;
    }
    if ((err = getaddrinfo(host, port, &hints, &res)) != 0) {
	(void) snprintf(why, size, "%s: cannot create the socket: %s: %s",
			spec, host, err == EAI_SYSTEM ? strerror(errno) :
			gai_strerror(err));
	return;
    }
    if ((fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC,
		     res->ai_protocol)) < 0) {
	(void) snprintf(why, size, "%s: cannot create the socket: %s", spec,
			strerror(errno));
    } else {
	(void) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, res->ai_addr, res->ai_addrlen) != 0)
	    (void) snprintf(why, size, "%s: cannot create the socket: %s",
			    spec, strerror(errno));
	(void) close(fd);
    }
    freeaddrinfo(res);
out:
    if (why[0] == 0)
	(void) snprintf(why, size, "%s: cannot create the socket (the address "
			"itself can be bound: libmilter failed for another "
			"reason)", spec);
}

/*
 * Not root: the socket has the process's group. Another group (one the
 * process is in) is set through a descriptor of the very inode bound.
 */
static int sxm_listen_regroup(const char *spec, const char *tmp,
			              const struct stat *made, gid_t group,
			              char *why, size_t size)
{
    struct group *gr = getgrgid(group);
    char    name[64];
    struct stat st;
    int     status = -1;
#ifdef O_PATH
    int     fd;
#endif

    (void) snprintf(name, sizeof(name), "%s", gr ? gr->gr_name : "?");
#ifdef O_PATH
    if ((fd = open(tmp, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0) {
	(void) snprintf(why, size, "%s: cannot set the socket's group: %s: "
			"%s", spec, tmp, strerror(errno));
	return (-1);
    }
    if (fstat(fd, &st) != 0 || st.st_dev != made->st_dev
	|| st.st_ino != made->st_ino)
	(void) snprintf(why, size, "%s: cannot set the socket's group: %s "
			"was replaced", spec, tmp);
    else if (fchownat(fd, "", (uid_t) -1, group, AT_EMPTY_PATH) != 0)
	(void) snprintf(why, size, "%s: cannot give the socket to group %s "
			"(%ld): %s", spec, name, (long) group, strerror(errno));
    else
	status = 0;
    (void) close(fd);
#else
    if (lstat(tmp, &st) != 0 || st.st_dev != made->st_dev
	|| st.st_ino != made->st_ino)
	(void) snprintf(why, size, "%s: cannot set the socket's group: %s "
			"was replaced", spec, tmp);
    else if (fchownat(AT_FDCWD, tmp, (uid_t) -1, group,
		      AT_SYMLINK_NOFOLLOW) != 0)
	(void) snprintf(why, size, "%s: cannot give the socket to group %s "
			"(%ld): %s", spec, name, (long) group, strerror(errno));
    else
	status = 0;
#endif
    return (status);
}

static int sxm_listen_unix(struct sxm_listen *ln, const char *spec,
			           const char *path, mode_t mode, gid_t group,
			           int borrowed, struct sx_stats *stats,
			           char *why, size_t size)
{
    struct sockaddr_un sun;
    char    tmp[sizeof(sun.sun_path)];
    char    tmpspec[sizeof(tmp) + 8];
    struct stat st;
    mode_t  old;
    int     len;
    int     status;

    len = snprintf(tmp, sizeof(tmp), "%s.%ld", path, (long) getpid());
    if (len < 0 || (size_t) len >= sizeof(tmp)) {
	(void) snprintf(why, size, "%s: cannot create the socket: the path "
			"is too long (here at most %d bytes)", spec,
			(int) (sizeof(tmp) - 1 - (size_t) len + strlen(path)));
	return (-1);
    }
    if (sxm_listen_vacant(spec, path, why, size) != 0)
	return (-1);
    /* Left by a process that had our pid; the name is ours now. */
    if (lstat(tmp, &st) == 0) {
	if (!S_ISSOCK(st.st_mode) && !S_ISLNK(st.st_mode)) {
	    (void) snprintf(why, size, "%s: cannot create the socket: %s "
			    "exists and is not a socket", spec, tmp);
	    return (-1);
	}
	(void) unlink(tmp);
    }
    (void) snprintf(tmpspec, sizeof(tmpspec), "unix:%s", tmp);
    old = umask((mode_t) (~mode & 0777));
    status = sxm_milter_open(tmpspec, 0, stats);
    (void) umask(old);
    if (status != 0) {
	sxm_listen_why(spec, path, why, size);
	/* Bound, then listen() failed: the name was ours a moment ago. */
	if (lstat(tmp, &st) == 0 && S_ISSOCK(st.st_mode)
	    && st.st_uid == geteuid())
	    sxm_listen_unlink(tmp, st.st_dev, st.st_ino);
	return (-1);
    }
    if (lstat(tmp, &st) != 0 || !S_ISSOCK(st.st_mode)
	|| st.st_uid != geteuid()) {
	(void) snprintf(why, size, "%s: cannot create the socket: %s was "
			"replaced as soon as it was made", spec, tmp);
	return (-1);
    }
    if (group != (gid_t) -1 && st.st_gid != group) {
	if (borrowed) {
	    sxm_log(LOG_WARNING, 0, "%s: group %ld, not %ld: the directory "
		    "is set-group-ID", path, (long) st.st_gid, (long) group);
	} else if (sxm_listen_regroup(spec, tmp, &st, group, why, size) != 0) {
	    sxm_listen_unlink(tmp, st.st_dev, st.st_ino);
	    return (-1);
	}
    }
    if (rename(tmp, path) != 0) {
	(void) snprintf(why, size, "%s: cannot put the socket in place: %s",
			spec, strerror(errno));
	sxm_listen_unlink(tmp, st.st_dev, st.st_ino);
	return (-1);
    }
    (void) snprintf(ln->path, sizeof(ln->path), "%s", path);
    ln->dev = st.st_dev;
    ln->ino = st.st_ino;
    return (0);
}

int     sxm_listen_open(struct sxm_listen *ln, const char *spec, mode_t mode,
			        gid_t group, const struct sxm_ids *ids,
			        struct sx_stats *stats, char *why, size_t size)
{
    struct sxm_ids_saved saved;
    const char *path = sxm_listen_unix_path(spec);
    int     status;

    memset(ln, 0, sizeof(*ln));
    if (path == 0) {
	if (sxm_milter_open(spec, 0, stats) != 0) {
	    sxm_listen_inet_why(spec, why, size);
	    return (-1);
	}
	sxm_listen_nodelay();
	return (0);
    }
    if (sxm_ids_borrow(ids, group, &saved, why, size) != 0)
	return (-1);
    status = sxm_listen_unix(ln, spec, path, mode & 0777, group,
			     saved.active, stats, why, size);
    sxm_ids_return(&saved);
    return (status);
}

void    sxm_listen_remove(struct sxm_listen *ln, const struct sxm_ids *ids)
{
    struct sxm_ids_saved saved;
    char    why[256];

    if (ln->path[0] == 0)
	return;
    if (sxm_ids_borrow(ids, (gid_t) -1, &saved, why, sizeof(why)) != 0) {
	sxm_log(LOG_WARNING, 0, "%s: not removed: %s", ln->path, why);
    } else {
	sxm_listen_unlink(ln->path, ln->dev, ln->ino);
	sxm_ids_return(&saved);
    }
    ln->path[0] = 0;
}
