/*
 * NAME
 *	testmode 3h
 * SUMMARY
 *	run messages from files through the milter pipeline, no MTA
 * SYNOPSIS
 *	#include "testmode.h"
 *
 *	int	sxm_testmode_run(char **files, int count, FILE *out);
 * DESCRIPTION
 *	sxm_testmode_run() feeds each file (a message as stored: headers,
 *	blank line, body; a leading mbox "From " line is skipped; "-" is
 *	standard input) through the same pipeline the daemon runs, with
 *	actions that print what the milter would ask of the MTA:
 *
 *	    ### FILE name
 *	    ### CHGHEADER X-SMTP-Explain[2]: (delete)
 *	    ### ADDHEADER X-SMTP-Explain: value
 *	    ### CHGHEADER Subject[1]: value
 *	    ### REPLY 451 4.7.1 text
 *	    ### QUARANTINE reason
 *	    ### RESULT continue|accept|reject|tempfail|discard
 *
 *	The envelope comes from the environment when set, else from the
 *	message: SMTP_EXPLAIN_TEST_SENDER (else the Return-Path header,
 *	else unknown), SMTP_EXPLAIN_TEST_INTERNAL=1 (present the message
 *	as the MTA's own, as Postfix does for its bounces),
 *	SMTP_EXPLAIN_TEST_REJECTED ("addr status text" entries separated
 *	by "|": recipients the MTA rejected in the session).
 *
 *	A current configuration must be installed (snapshot.h).
 * DIAGNOSTICS
 *	Returns 0, or 1 when a file could not be read (the others are
 *	still run).
 */
#ifndef SXM_TESTMODE_H
#define SXM_TESTMODE_H

#include <stdio.h>

extern int sxm_testmode_run(char **, int, FILE *);

#endif
