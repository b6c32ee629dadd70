/*
 * NAME
 *	snapshot 3
 * SUMMARY
 *	the running configuration, swapped on reload
 * DESCRIPTION
 *	See snapshot.h. The lock is held only to move a pointer and a
 *	reference count, and to free a configuration that nobody uses any
 *	more (after a reload, when the last message of the old one ends).
 */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#include <smtp-explain/config.h>

#include "log.h"
#include "snapshot.h"

static pthread_mutex_t sxm_snapshot_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sx_config *sxm_snapshot_current;

static void sxm_snapshot_lock_or_die(void)
{
    /* A failing mutex is a broken environment: stop rather than race. */
    if (pthread_mutex_lock(&sxm_snapshot_lock) != 0) {
	sxm_log(LOG_CRIT, 0, "cannot lock the configuration mutex");
	_exit(75);
    }
}

void    sxm_snapshot_install(struct sx_config *config)
{
    struct sx_config *old;

    sxm_snapshot_lock_or_die();
    old = sxm_snapshot_current;
    sxm_snapshot_current = config;
    if (old != 0)
	sx_config_unref(old);
    (void) pthread_mutex_unlock(&sxm_snapshot_lock);
}

struct sx_config *sxm_snapshot_hold(void)
{
    struct sx_config *config;

    sxm_snapshot_lock_or_die();
    config = sxm_snapshot_current;
    if (config != 0)
	config = sx_config_ref(config);
    (void) pthread_mutex_unlock(&sxm_snapshot_lock);
    return (config);
}

void    sxm_snapshot_release(struct sx_config *config)
{
    if (config == 0)
	return;
    sxm_snapshot_lock_or_die();
    sx_config_unref(config);
    (void) pthread_mutex_unlock(&sxm_snapshot_lock);
}

const char *sxm_snapshot_path(const char *path, int explicit)
{
    if (explicit)
	return (path);
    /* Absent default file: run on the embedded configuration. */
    return (access(SXM_DEFAULT_CONFIG, F_OK) == 0 ? SXM_DEFAULT_CONFIG : 0);
}

struct sx_config *sxm_snapshot_load(const char *path, int explicit,
					    int verbose)
{
    struct sx_errors errs;
    struct sx_config *config;
    const char *file = sxm_snapshot_path(path, explicit);
    size_t  i;

    errs.count = 0;
    config = sx_config_load(file, &errs);
    if (config != 0 && errs.count == 0)
	return (config);
    if (config != 0) {
	/* The contract says this cannot happen; do not run on doubt. */
	sx_config_unref(config);
	config = 0;
    }
    for (i = 0; i < errs.count && i < SX_ERRORS_MAX; i++) {
	if (verbose)
	    fprintf(stderr, "%s\n", errs.msg[i]);
	else
	    sxm_log(LOG_ERR, 0, "%s", errs.msg[i]);
    }
    if (errs.count > SX_ERRORS_MAX) {
	if (verbose)
	    fprintf(stderr, "(%zu more errors)\n", errs.count - SX_ERRORS_MAX);
	else
	    sxm_log(LOG_ERR, 0, "(%zu more errors)",
		    errs.count - SX_ERRORS_MAX);
    }
    if (errs.count == 0) {
	if (verbose)
	    fprintf(stderr, "%s: cannot load the configuration\n",
		    file ? file : "(default)");
	else
	    sxm_log(LOG_ERR, 0, "%s: cannot load the configuration",
		    file ? file : "(default)");
    }
    return (0);
}
