/*
 * NAME
 *	listen 3h
 * SUMMARY
 *	the listening socket: put in place safely, removed only when ours
 * SYNOPSIS
 *	#include "listen.h"
 *
 *	const char *sxm_listen_unix_path(const char *spec);
 *	int	sxm_listen_open(struct sxm_listen *ln, const char *spec,
 *				mode_t mode, gid_t group,
 *				const struct sxm_ids *ids,
 *				struct sx_stats *stats,
 *				char *why, size_t size);
 *	void	sxm_listen_remove(struct sxm_listen *ln,
 *				const struct sxm_ids *ids);
 * DESCRIPTION
 *	sxm_listen_unix_path() returns the path in a unix socket spec
 *	(unix:/path, local:/path, /path; a pointer into spec), or NULL for
 *	any other spec.
 *
 *	sxm_listen_open() has libmilter create the listening socket of
 *	spec (see sxm_milter_open()); stats are passed on. An inet socket
 *	gets TCP_NODELAY. A unix socket is the one file the daemon makes
 *	in a directory its user may write to, so all of the work on it is
 *	done as that user (sxm_ids_borrow() with group, the socket's
 *	group; (gid_t) -1: the user's), and no path is ever chmod()ed or
 *	chown()ed after bind(2):
 *
 *	1. what is at the path: nothing, or a symbolic link (replaced,
 *	   never followed) is fine; a socket is probed with connect(2):
 *	   when something answers, another milter serves there and it is
 *	   left alone (an error); a dead one is replaced; anything else
 *	   is an error;
 *	2. libmilter binds a temporary name beside it (the path and
 *	   ".PID") under a umask that leaves at most mode: the socket has
 *	   its mode, owner and group from the first moment, taken from
 *	   the umask and the credentials in force (Linux ignores fchown()
 *	   on a socket before bind(); bind() never follows a symbolic
 *	   link);
 *	3. rename(2) puts it at the path, in one step that replaces a
 *	   dead socket or a symbolic link without following it.
 *	Not run as root, the socket gets the process's group; when group
 *	differs, it is changed through a descriptor (O_PATH) of the
 *	temporary name, checked to be a socket of ours: a process can
 *	only give its own files to its own groups, so no path could lead
 *	anywhere that matters.
 *
 *	libmilter removes the path it bound when it stops, whatever
 *	socket is there by then; having bound the temporary name, it
 *	finds nothing to remove. sxm_listen_remove() removes the path
 *	only when it still names the socket put there (the same inode),
 *	as the user when called as root; not placed: nothing.
 * DIAGNOSTICS
 *	sxm_listen_open() returns 0, or -1 with a message in why: the
 *	spec, and for a unix socket the directory or the path and the
 *	reason.
 */
#ifndef SXM_LISTEN_H
#define SXM_LISTEN_H

#include <stddef.h>
#include <sys/types.h>

#include <smtp-explain/stats.h>

#include "ids.h"

struct sxm_listen {
    char    path[108];			/* sun_path; "" unless placed */
    dev_t   dev;			/* the socket put there */
    ino_t   ino;
};

extern const char *sxm_listen_unix_path(const char *);
extern int sxm_listen_open(struct sxm_listen *, const char *, mode_t, gid_t,
			           const struct sxm_ids *, struct sx_stats *,
			           char *, size_t);
extern void sxm_listen_remove(struct sxm_listen *, const struct sxm_ids *);

#endif
