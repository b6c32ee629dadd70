/*
 * NAME
 *	status 3h
 * SUMMARY
 *	status codes returned by the smtp-explain library
 * SYNOPSIS
 *	#include <smtp-explain/status.h>
 *
 *	const char *sx_strerror(int status);
 * DESCRIPTION
 *	Every fallible library call returns one of these. Bad input data
 *	is never an error (it is data: the parser reports what it could
 *	read); errors are about the environment (memory, files) and about
 *	configuration that cannot be used.
 */
#ifndef SMTP_EXPLAIN_STATUS_H
#define SMTP_EXPLAIN_STATUS_H

enum {
    SX_OK = 0,
    SX_ERR_NOMEM = -1,		/* allocation failed */
    SX_ERR_INVALID = -2,	/* an argument or entry is malformed */
    SX_ERR_IO = -3,		/* a file could not be read */
    SX_ERR_CONFIG = -4,		/* a configuration file has errors */
    SX_ERR_LIMIT = -5,		/* a hard limit was reached */
};

extern const char *sx_strerror(int);

#endif
