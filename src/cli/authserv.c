/*
 * NAME
 *	authserv 3
 * SUMMARY
 *	the host id that opens the headers "parse" shows
 * SYNOPSIS
 *	#include "cli.h"
 *
 *	const char *cli_authserv_id(void);
 * DESCRIPTION
 *	The milter opens its headers with settings.authserv_id, else the
 *	host's name; "parse" shows the headers as this host's milter would
 *	write them: the environment variable SMTP_EXPLAIN_AUTHSERV_ID when
 *	set and not empty (tests give one, so that their output does not
 *	depend on the host), else the host's name, else "localhost".
 *
 *	The result is a static buffer, filled at the first call.
 * DIAGNOSTICS
 *	A variable that authserv_id would refuse (white space, ';', quotes)
 *	is reported on stderr once and not used.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <smtp-explain/config.h>

#include "cli.h"

#define CLI_AUTHSERV_ENV "SMTP_EXPLAIN_AUTHSERV_ID"

const char *cli_authserv_id(void)
{
    static char id[256];
    static struct sx_errors errs;
    const char *env;

    if (id[0] != 0)
	return (id);
    env = getenv(CLI_AUTHSERV_ENV);
    if (env != 0 && *env != 0) {
	errs.count = 0;
	if (sx_config_setting_check("authserv_id", env, CLI_AUTHSERV_ENV,
				    &errs) == SX_OK) {
	    (void) snprintf(id, sizeof(id), "%s", env);
	    return (id);
	}
	fprintf(stderr, "smtp-explain: %s\n", errs.msg[0]);
    }
    if (gethostname(id, sizeof(id)) != 0 || id[0] == 0)
	(void) snprintf(id, sizeof(id), "localhost");
    id[sizeof(id) - 1] = 0;
    return (id);
}
