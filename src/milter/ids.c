/*
 * NAME
 *	ids 3
 * SUMMARY
 *	the user the daemon becomes: look it up, borrow it, drop to it
 * DESCRIPTION
 *	See ids.h. Numbers are accepted where names are ("-u 65534"), as
 *	useradd(8) and chown(1) accept them; a number is looked up too,
 *	because initgroups() needs the name.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ids.h"
#include "log.h"

/* A name, or a decimal number when no entry has that name. */
static int sxm_ids_number(const char *s, unsigned long *n)
{
    char   *end;

    if (*s < '0' || *s > '9')
	return (0);
    errno = 0;
    *n = strtoul(s, &end, 10);
    return (errno == 0 && *end == 0);
}

static struct passwd *sxm_ids_user(const char *name)
{
    struct passwd *pw;
    unsigned long n;

    if ((pw = getpwnam(name)) == 0 && sxm_ids_number(name, &n)
	&& n == (uid_t) n)
	pw = getpwuid((uid_t) n);
    return (pw);
}

static struct group *sxm_ids_group(const char *name)
{
    struct group *gr;
    unsigned long n;

    if ((gr = getgrnam(name)) == 0 && sxm_ids_number(name, &n)
	&& n == (gid_t) n)
	gr = getgrgid((gid_t) n);
    return (gr);
}

int     sxm_ids_resolve(const char *spec, struct sxm_ids *ids, char *why,
			        size_t size)
{
    struct passwd *pw;
    struct group *gr;
    char    buf[sizeof(ids->name)];
    char   *group;

    memset(ids, 0, sizeof(*ids));
    ids->uid = geteuid();
    ids->gid = getegid();
    if (spec == 0 || *spec == 0)
	return (0);
    if (strlen(spec) >= sizeof(buf)) {
	(void) snprintf(why, size, "%.40s...: user name too long", spec);
	return (-1);
    }
    (void) snprintf(buf, sizeof(buf), "%s", spec);
    if ((group = strchr(buf, ':')) != 0)
	*group++ = 0;
    if ((pw = sxm_ids_user(buf)) == 0) {
	(void) snprintf(why, size, "%s: no such user", buf);
	return (-1);
    }
    if (pw->pw_uid == 0) {
	(void) snprintf(why, size, "refusing to run as root: user %s is "
			"uid 0; name an unprivileged user", buf);
	return (-1);
    }
    (void) snprintf(ids->name, sizeof(ids->name), "%s", pw->pw_name);
    ids->uid = pw->pw_uid;
    ids->gid = pw->pw_gid;
    if (group != 0 && *group != 0) {
	if ((gr = sxm_ids_group(group)) == 0) {
	    (void) snprintf(why, size, "%s: no such group", group);
	    return (-1);
	}
	ids->gid = gr->gr_gid;
    }
    if (ids->gid == 0) {
	(void) snprintf(why, size, "refusing to run as group root (gid 0): "
			"name another group for %s", buf);
	return (-1);
    }
    return (0);
}

int     sxm_ids_borrow(const struct sxm_ids *ids, gid_t gid,
		               struct sxm_ids_saved *saved, char *why,
		               size_t size)
{
    saved->active = 0;
    if (geteuid() != 0 || ids->name[0] == 0)
	return (0);
    saved->egid = getegid();
    saved->active = 1;
    if (gid == (gid_t) -1)
	gid = ids->gid;
    if (initgroups(ids->name, ids->gid) != 0 || setegid(gid) != 0
	|| seteuid(ids->uid) != 0) {
	(void) snprintf(why, size, "cannot act as %s: %s", ids->name,
			strerror(errno));
	sxm_ids_return(saved);
	return (-1);
    }
    return (0);
}

void    sxm_ids_return(struct sxm_ids_saved *saved)
{
    if (!saved->active)
	return;
    if (seteuid(0) != 0 || setegid(saved->egid) != 0) {
	sxm_log(LOG_CRIT, 0, "panic: cannot take root back after acting "
		"as the user: %s", strerror(errno));
	abort();
    }
    saved->active = 0;
}

int     sxm_ids_drop(const struct sxm_ids *ids, char *why, size_t size)
{
    if (ids->name[0] == 0)
	return (0);
    if (geteuid() != 0) {
	if (geteuid() != ids->uid)
	    sxm_log(LOG_WARNING, 0, "not root: cannot become %s; running as "
		    "uid %ld", ids->name, (long) geteuid());
	return (0);
    }
    if (setgid(ids->gid) != 0 || initgroups(ids->name, ids->gid) != 0
	|| setuid(ids->uid) != 0) {
	(void) snprintf(why, size, "cannot become %s: %s", ids->name,
			strerror(errno));
	return (-1);
    }
    if (setuid(0) == 0 || seteuid(0) == 0) {
	(void) snprintf(why, size, "could become root again after "
			"becoming %s", ids->name);
	return (-1);
    }
    return (0);
}
