/*
 * NAME
 *	pidfile 3h
 * SUMMARY
 *	the pid file: opened without following links, locked for life
 * SYNOPSIS
 *	#include "pidfile.h"
 *
 *	int	sxm_pidfile_open(const char *path, uid_t user,
 *				struct sxm_pidfile **pf,
 *				char *why, size_t size);
 *	int	sxm_pidfile_write(struct sxm_pidfile *pf,
 *				char *why, size_t size);
 *	void	sxm_pidfile_seal(struct sxm_pidfile *pf);
 *	int	sxm_pidfile_remove(struct sxm_pidfile *pf);
 *	int	sxm_pidfile_removable(const char *path, uid_t user,
 *				const char *name, char *why, size_t size);
 * DESCRIPTION
 *	The pid file says which process serves; its lock says that it
 *	still does. A second instance given the same pid file finds the
 *	lock taken and stops before it has touched anything, the socket
 *	included.
 *
 *	sxm_pidfile_open() opens path, creating it when absent (mode 0644
 *	less the umask), and never follows a symbolic link (O_NOFOLLOW).
 *	An existing file is used only when it is a regular file with one
 *	link (a hard link planted in a directory the user owns could name
 *	any file of the same file system), owned by the effective user or
 *	by user (whom the daemon becomes), and holds nothing but a number
 *	(a pid file, not some file named by mistake). It is not truncated
 *	before all of that is known. Then an exclusive flock(2) lock is
 *	taken, without waiting, and path must still name the locked file
 *	(an instance that stops removes its pid file, and one that
 *	opened it just before then would lock a file nobody sees: it
 *	tries again, a few times). *pf gets the result; the caller owns
 *	it and ends it with sxm_pidfile_remove().
 *
 *	The lock is taken on a read-only descriptor and lasts as long as
 *	it is open. A flock() lock belongs to the open file description,
 *	which fork() shares: the child of a detaching daemon holds the
 *	lock its parent took, with no moment when nobody does, and the
 *	parent's exit does not release it. (An fcntl() lock belongs to a
 *	process: the parent's would vanish with it, and the child could
 *	take its own only after a gap.)
 *
 *	sxm_pidfile_write() replaces the content with the pid of the
 *	calling process, through a write-only descriptor opened by
 *	sxm_pidfile_open() and checked to be the locked file.
 *	sxm_pidfile_seal() closes that descriptor: call it before giving
 *	up root, so that the daemon cannot rewrite a pid file that root's
 *	scripts trust.
 *
 *	sxm_pidfile_remove() removes path when it still names the locked
 *	file (never a file some other process put there), then closes it,
 *	which releases the lock. NULL is fine.
 *
 *	sxm_pidfile_removable() tells a daemon that starts as root and
 *	becomes user (called name in messages) whether user will be
 *	able to remove the pid file at path when it stops: it may write
 *	to the directory, and, when the directory is sticky, owns it or
 *	the file already there (root will create a new one). Call it
 *	with the user's identity borrowed (ids(3h)), before
 *	sxm_pidfile_open(). A directory that does not exist is left to
 *	sxm_pidfile_open() to report.
 * DIAGNOSTICS
 *	sxm_pidfile_open() returns 0; SXM_PIDFILE_LOCKED when another
 *	process holds the lock (why names the file and the pid in it); or
 *	-1 with the path and the reason in why. sxm_pidfile_write()
 *	returns 0 or -1 with the reason (a full disk shows here).
 *	sxm_pidfile_remove() returns -1 with errno set when the file is
 *	ours but could not be removed (after the privilege drop, in a
 *	directory the user cannot write). sxm_pidfile_removable()
 *	returns 0, or -1 with the path, the directory and the reason in
 *	why.
 */
#ifndef SXM_PIDFILE_H
#define SXM_PIDFILE_H

#include <stddef.h>
#include <sys/types.h>

#define SXM_PIDFILE_LOCKED	1

struct sxm_pidfile;

extern int sxm_pidfile_open(const char *, uid_t, struct sxm_pidfile **,
			            char *, size_t);
extern int sxm_pidfile_write(struct sxm_pidfile *, char *, size_t);
extern void sxm_pidfile_seal(struct sxm_pidfile *);
extern int sxm_pidfile_remove(struct sxm_pidfile *);
extern int sxm_pidfile_removable(const char *, uid_t, const char *, char *,
				         size_t);

#endif
