/*
 * NAME
 *	ids 3h
 * SUMMARY
 *	the user the daemon becomes: look it up, borrow it, drop to it
 * SYNOPSIS
 *	#include "ids.h"
 *
 *	int	sxm_ids_resolve(const char *spec, struct sxm_ids *ids,
 *				char *why, size_t size);
 *	int	sxm_ids_borrow(const struct sxm_ids *ids, gid_t gid,
 *				struct sxm_ids_saved *saved,
 *				char *why, size_t size);
 *	void	sxm_ids_return(struct sxm_ids_saved *saved);
 *	int	sxm_ids_drop(const struct sxm_ids *ids, char *why,
 *				size_t size);
 * DESCRIPTION
 *	sxm_ids_resolve() looks up spec, "user[:group]" by name or by
 *	number, into ids. The group is the user's primary group unless
 *	given. A user with uid 0, or a group with gid 0, is refused:
 *	giving up root for root keeps every privilege and hides it. spec
 *	NULL or "" means stay who we are (ids->name is then "" and the
 *	ids are the effective ones).
 *
 *	sxm_ids_borrow() is for file system work in a directory the user
 *	may write to. Run as root, it takes the user's supplementary
 *	groups, gid as effective group ((gid_t) -1: the user's group) and
 *	the user's uid as effective uid, so that, until sxm_ids_return(),
 *	every lookup and permission check is the user's and every file
 *	made is owned by the user and group gid: nothing the user plants
 *	there can make root act on a file the user could not touch. The
 *	real and saved uids stay 0, so sxm_ids_return() (given the same
 *	saved, which it resets) gets root back. Not root, or no user: both
 *	do nothing.
 *
 *	sxm_ids_drop() gives up root for good: group, supplementary
 *	groups, then uid (real, effective, saved), and checks that root
 *	cannot be had back. Not root: a warning when we are not already
 *	the user; no user: nothing.
 *
 *	Call these before any thread exists: a thread's credentials are
 *	its own in the kernel.
 * DIAGNOSTICS
 *	0, or -1 with the reason in why. sxm_ids_return() panics (logs
 *	and aborts) when root cannot be taken back: that cannot happen
 *	after a successful borrow.
 */
#ifndef SXM_IDS_H
#define SXM_IDS_H

#include <stddef.h>
#include <sys/types.h>

struct sxm_ids {
    char    name[256];			/* user to become, or "" */
    uid_t   uid;
    gid_t   gid;
};

/* What sxm_ids_borrow() changed, for sxm_ids_return(). */
struct sxm_ids_saved {
    int     active;
    gid_t   egid;
};

extern int sxm_ids_resolve(const char *, struct sxm_ids *, char *, size_t);
extern int sxm_ids_borrow(const struct sxm_ids *, gid_t,
			          struct sxm_ids_saved *, char *, size_t);
extern void sxm_ids_return(struct sxm_ids_saved *);
extern int sxm_ids_drop(const struct sxm_ids *, char *, size_t);

#endif
