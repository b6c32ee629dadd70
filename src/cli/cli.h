/*
 * NAME
 *	cli 3h
 * SUMMARY
 *	the smtp-explain command's own helpers (private)
 */
#ifndef SX_CLI_H
#define SX_CLI_H

#include <stdio.h>

extern void cli_json_str(FILE *, const char *);
extern void cli_json_field(FILE *, const char *, const char *, int);
extern int cli_stats(int, char **);

#endif
