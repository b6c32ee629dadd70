/*
 * NAME
 *	check 3h
 * SUMMARY
 *	what the milter checks before it starts, beyond the library
 * SYNOPSIS
 *	#include "check.h"
 *
 *	int	sxm_check_start(const struct sx_config *config,
 *				const char *socket, const char *pidfile,
 *				struct sx_errors *errs);
 * DESCRIPTION
 *	The library judges every setting of the file (config(3h)); the
 *	milter keeps no list or rule of its own, and uses the values the
 *	library parsed (the syslog facility as a code, on_error as
 *	SX_ON_ERROR_*). What is left for start-up (and for -n) are the
 *	command-line options that override a setting: -p (socket) and -P
 *	(pidfile), NULL when not given. They are judged by the library's
 *	row of that setting, so an option and the file accept the same
 *	values.
 *
 *	The file's own values are judged again the same way: a file that
 *	the library accepts cannot then be refused here (the unit tests
 *	hold both to that).
 * DIAGNOSTICS
 *	0, or -1 with each problem in errs as "origin: message", the
 *	origin being the option (-p, -P) or the configuration file.
 */
#ifndef SXM_CHECK_H
#define SXM_CHECK_H

#include <smtp-explain/config.h>

extern int sxm_check_start(const struct sx_config *, const char *,
			           const char *, struct sx_errors *);

#endif
