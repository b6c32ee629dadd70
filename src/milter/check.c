/*
 * NAME
 *	check 3
 * SUMMARY
 *	what the milter checks before it starts, beyond the library
 * DESCRIPTION
 *	See check.h. No libmilter here: the unit tests link this file.
 */
#include <smtp-explain/config.h>
#include <smtp-explain/status.h>

#include "check.h"

int     sxm_check_start(const struct sx_config *config, const char *socket,
			        const char *pidfile, struct sx_errors *errs)
{
    const struct sx_settings *set = &config->settings;
    int     bad = 0;

    if (sx_config_setting_check("socket", socket ? socket : set->socket,
				socket ? "-p" : config->path, errs) != SX_OK)
	bad = 1;
    if (sx_config_setting_check("pidfile", pidfile ? pidfile : set->pidfile,
				pidfile ? "-P" : config->path, errs) != SX_OK)
	bad = 1;
    return (bad ? -1 : 0);
}
