/*
 * NAME
 *	pidfile 3
 * SUMMARY
 *	the pid file: opened without following links, locked for life
 * DESCRIPTION
 *	See pidfile.h. O_NONBLOCK on every open: a FIFO planted at the
 *	path must not hang the start (it is then refused as not a regular
 *	file); O_NOCTTY: neither may a terminal become ours.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pidfile.h"

/* A pid file longer than this holds something else. */
#define SXM_PIDFILE_MAX		32

/* Removed and created again under us this often: give up. */
#define SXM_PIDFILE_TRIES	3
#define SXM_PIDFILE_AGAIN	(SXM_PIDFILE_LOCKED + 1)

#define SXM_PIDFILE_FLAGS	(O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)

struct sxm_pidfile {
    char   *path;			/* copy */
    int     lock_fd;			/* read-only, flock()ed */
    int     write_fd;			/* write-only until sealed, or -1 */
    dev_t   dev;			/* the file locked */
    ino_t   ino;
};

/* The content: digits and a newline at most; 0, or -1 for anything else. */
static int sxm_pidfile_read(int fd, char *buf, size_t size)
{
    ssize_t n;
    size_t  digits;
    char   *end;

    if ((n = pread(fd, buf, size - 1, 0)) < 0)
	return (-1);
    buf[n] = 0;
    if ((size_t) n == size - 1)
	return (-1);
    digits = strspn(buf, "0123456789");
    end = buf + digits;
    if (*end == '\n')
	end++;
    if (*end != 0)
	return (-1);
    buf[digits] = 0;
    return (0);
}

/* What is at the path may be used as our pid file; 0, or -1 with why. */
static int sxm_pidfile_check(int fd, const char *path, uid_t user,
			             struct stat *st, char *why, size_t size)
{
    char    buf[SXM_PIDFILE_MAX + 2];

    if (fstat(fd, st) != 0) {
	(void) snprintf(why, size, "%s: cannot use the pid file: %s", path,
			strerror(errno));
	return (-1);
    }
    if (!S_ISREG(st->st_mode)) {
	(void) snprintf(why, size, "%s: cannot use the pid file: not a "
			"regular file", path);
	return (-1);
    }
    if (st->st_nlink != 1) {
	(void) snprintf(why, size, "%s: cannot use the pid file: it has %lu "
			"links (a hard link to another file?)", path,
			(unsigned long) st->st_nlink);
	return (-1);
    }
    if (st->st_uid != geteuid() && st->st_uid != user) {
	(void) snprintf(why, size, "%s: cannot use the pid file: owned by "
			"uid %ld", path, (long) st->st_uid);
	return (-1);
    }
    if (sxm_pidfile_read(fd, buf, sizeof(buf)) != 0) {
	(void) snprintf(why, size, "%s: cannot use the pid file: it holds "
			"something other than a process id", path);
	return (-1);
    }
    return (0);
}

/* The lock is taken: say by whom, as far as the file tells. */
static void sxm_pidfile_locked(int fd, const char *path, char *why,
			               size_t size)
{
    char    buf[SXM_PIDFILE_MAX + 2];

    if (sxm_pidfile_read(fd, buf, sizeof(buf)) == 0 && buf[0] != 0)
	(void) snprintf(why, size, "%s: locked by a running instance, "
			"pid %s: not starting another", path, buf);
    else
	(void) snprintf(why, size, "%s: locked by a running instance that "
			"has not written its pid yet: not starting another",
			path);
}

/* Open and lock what path names now: 0, SXM_PIDFILE_AGAIN, or an error. */
static int sxm_pidfile_try(struct sxm_pidfile *pf, uid_t user, char *why,
			           size_t size)
{
    struct stat st;
    struct stat now;

    pf->lock_fd = open(pf->path, O_RDONLY | O_CREAT | SXM_PIDFILE_FLAGS,
		       0644);
    if (pf->lock_fd < 0) {
	if (errno == ELOOP)
	    (void) snprintf(why, size, "%s: cannot create the pid file: it is "
			    "a symbolic link, which is never followed",
			    pf->path);
	else
	    (void) snprintf(why, size, "%s: cannot create the pid file: %s",
			    pf->path, strerror(errno));
	return (-1);
    }
    if (sxm_pidfile_check(pf->lock_fd, pf->path, user, &st, why, size) != 0)
	return (-1);
    if (flock(pf->lock_fd, LOCK_EX | LOCK_NB) != 0) {
	if (errno == EWOULDBLOCK) {
	    sxm_pidfile_locked(pf->lock_fd, pf->path, why, size);
	    return (SXM_PIDFILE_LOCKED);
	}
	(void) snprintf(why, size, "%s: cannot lock the pid file: %s",
			pf->path, strerror(errno));
	return (-1);
    }
    if (lstat(pf->path, &now) != 0 || now.st_dev != st.st_dev
	|| now.st_ino != st.st_ino) {
	(void) close(pf->lock_fd);
	pf->lock_fd = -1;
	return (SXM_PIDFILE_AGAIN);
    }
    pf->dev = st.st_dev;
    pf->ino = st.st_ino;
    return (0);
}

int     sxm_pidfile_open(const char *path, uid_t user,
			         struct sxm_pidfile **out, char *why,
			         size_t size)
{
    struct sxm_pidfile *pf;
    struct stat st;
    int     status = SXM_PIDFILE_AGAIN;
    int     tries;

    *out = 0;
    if ((pf = calloc(1, sizeof(*pf))) == 0
	|| (pf->path = strdup(path)) == 0) {
	free(pf);
	(void) snprintf(why, size, "%s: cannot create the pid file: %s",
			path, strerror(ENOMEM));
	return (-1);
    }
    pf->lock_fd = pf->write_fd = -1;
    for (tries = 0; status == SXM_PIDFILE_AGAIN && tries < SXM_PIDFILE_TRIES;
	 tries++)
	status = sxm_pidfile_try(pf, user, why, size);
    if (status == SXM_PIDFILE_AGAIN)
	(void) snprintf(why, size, "%s: cannot lock the pid file: it was "
			"replaced %d times while being locked", path, tries);
    if (status != 0) {
	if (pf->lock_fd >= 0)
	    (void) close(pf->lock_fd);
	free(pf->path);
	free(pf);
	return (status == SXM_PIDFILE_LOCKED ? status : -1);
    }
    /* Locked: from here on the file is ours, if path still names it. */
    pf->write_fd = open(path, O_WRONLY | SXM_PIDFILE_FLAGS);
    if (pf->write_fd < 0 || fstat(pf->write_fd, &st) != 0
	|| st.st_dev != pf->dev || st.st_ino != pf->ino) {
	(void) snprintf(why, size, "%s: cannot write the pid file: %s", path,
			pf->write_fd < 0 ? strerror(errno) :
			"it was replaced while being opened");
	(void) sxm_pidfile_remove(pf);
	return (-1);
    }
    *out = pf;
    return (0);
}

int     sxm_pidfile_write(struct sxm_pidfile *pf, char *why, size_t size)
{
    char    buf[SXM_PIDFILE_MAX];
    int     len;

    if (pf->write_fd < 0) {
	(void) snprintf(why, size, "%s: cannot write the pid file: already "
			"sealed", pf->path);
	return (-1);
    }
    len = snprintf(buf, sizeof(buf), "%ld\n", (long) getpid());
    errno = 0;
    if (ftruncate(pf->write_fd, 0) != 0
	|| pwrite(pf->write_fd, buf, (size_t) len, 0) != len) {
	/* A short write without an error is a full disk too. */
	(void) snprintf(why, size, "%s: cannot write the pid file: %s",
			pf->path, errno ? strerror(errno) : strerror(ENOSPC));
	return (-1);
    }
    return (0);
}

void    sxm_pidfile_seal(struct sxm_pidfile *pf)
{
    if (pf != 0 && pf->write_fd >= 0) {
	(void) close(pf->write_fd);
	pf->write_fd = -1;
    }
}

int     sxm_pidfile_remove(struct sxm_pidfile *pf)
{
    struct stat st;
    int     status = 0;
    int     saved = 0;

    if (pf == 0)
	return (0);
    if (lstat(pf->path, &st) == 0 && st.st_dev == pf->dev
	&& st.st_ino == pf->ino && unlink(pf->path) != 0) {
	saved = errno;
	status = -1;
    }
    sxm_pidfile_seal(pf);
    /* Last: closing releases the lock. */
    (void) close(pf->lock_fd);
    free(pf->path);
    free(pf);
    errno = saved;
    return (status);
}

int     sxm_pidfile_removable(const char *path, uid_t user, const char *name,
			              char *why, size_t size)
{
    char    copy[PATH_MAX];
    char    dir[PATH_MAX];
    struct stat st;
    struct stat file;

    /* dirname() may write into its argument and return a part of it. */
    (void) snprintf(copy, sizeof(copy), "%s", path);
    (void) snprintf(dir, sizeof(dir), "%s", dirname(copy));
    memset(&st, 0, sizeof(st));
    if (stat(dir, &st) != 0 && (errno == ENOENT || errno == ENOTDIR))
	return (0);				/* the open says so */
    if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) != 0) {
	(void) snprintf(why, size, "%s: cannot use the pid file: user %s "
			"could not remove it when stopping (%s: %s); use a "
			"directory the user may write, such as "
			"/run/smtp-explain", path, name, dir, strerror(errno));
	return (-1);
    }
    /* In a sticky directory only the owner of the file or directory may. */
    if ((st.st_mode & S_ISVTX) != 0 && st.st_uid != user
	&& (lstat(path, &file) != 0 || file.st_uid != user)) {
	(void) snprintf(why, size, "%s: cannot use the pid file: user %s "
			"could not remove it when stopping (%s is sticky and "
			"not the user's); use a directory the user may "
			"write, such as /run/smtp-explain", path, name, dir);
	return (-1);
    }
    return (0);
}
