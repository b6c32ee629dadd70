/*
 * NAME
 *	snapshot 3h
 * SUMMARY
 *	the running configuration, swapped on reload
 * SYNOPSIS
 *	#include "snapshot.h"
 *
 *	void	sxm_snapshot_install(struct sx_config *config);
 *	struct sx_config *sxm_snapshot_hold(void);
 *	void	sxm_snapshot_release(struct sx_config *config);
 *	struct sx_config *sxm_snapshot_load(const char *path,
 *				int explicit, int verbose);
 *	const char *sxm_snapshot_path(const char *path, int explicit);
 * DESCRIPTION
 *	The current configuration is the only mutable global of the
 *	daemon. It is an immutable, reference-counted sx_config; a message
 *	holds the snapshot it started with until it ends, so a reload never
 *	changes the rules in the middle of a message.
 *
 *	sxm_snapshot_install() makes config (a reference the caller hands
 *	over) the current one and drops the reference to the previous one.
 *	NULL drops the current one (at exit).
 *
 *	sxm_snapshot_hold() returns a new reference to the current
 *	configuration (NULL when none is installed); the caller gives it
 *	back with sxm_snapshot_release(), which takes NULL too. All
 *	reference counting of sx_config in the daemon goes through these,
 *	under one mutex, so sx_config_ref/unref need not be atomic.
 *
 *	sxm_snapshot_path() tells which file to read: path when given
 *	explicitly (-c), else the default file when it exists, else NULL
 *	(the configuration embedded in the library).
 *
 *	sxm_snapshot_load() loads that file and logs every error as
 *	"file:line: message" (to stderr when verbose, else to the log).
 * DIAGNOSTICS
 *	sxm_snapshot_load() returns NULL after logging the errors.
 */
#ifndef SXM_SNAPSHOT_H
#define SXM_SNAPSHOT_H

#include <smtp-explain/config.h>

#ifndef SX_SYSCONFDIR
#define SX_SYSCONFDIR "/etc"
#endif
#define SXM_DEFAULT_CONFIG SX_SYSCONFDIR "/smtp-explain/smtp-explain.conf"

extern void sxm_snapshot_install(struct sx_config *);
extern struct sx_config *sxm_snapshot_hold(void);
extern void sxm_snapshot_release(struct sx_config *);
extern const char *sxm_snapshot_path(const char *, int);
extern struct sx_config *sxm_snapshot_load(const char *, int, int);

#endif
