/*
 * NAME
 *	cli 3h
 * SUMMARY
 *	the smtp-explain command's own helpers (private)
 */
#ifndef SX_CLI_H
#define SX_CLI_H

#include <stdio.h>

struct sx_registry;

extern void cli_json_str(FILE *, const char *);
extern void cli_json_field(FILE *, const char *, const char *, int);
extern int cli_stats(int, char **);
extern int cli_registry_dump(int, char **);
extern struct sx_registry *cli_registry_load(const char *);

#endif
