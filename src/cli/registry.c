/*
 * NAME
 *	cli_registry 3
 * SUMMARY
 *	print tables of the loaded registry
 * SYNOPSIS
 *	int	cli_registry_dump(int argc, char **argv);
 * DESCRIPTION
 *	"smtp-explain registry --reasons [-r FILE]" prints the reason
 *	patterns of the registry, in the order they are tried, as the
 *	Markdown table of docs/reasons.md: one row per group (a run of
 *	patterns with the same reason), numbered from 1. The document's
 *	table is this output, and a golden test keeps them equal, so the
 *	document cannot drift from the data.
 * DIAGNOSTICS
 *	Exit 0, 2 on a usage error, 3 when the registry cannot be loaded.
 */
#include <stdio.h>
#include <string.h>

#include <smtp-explain/config.h>
#include <smtp-explain/registry.h>

#include "cli.h"

/* cli_md_code - a pattern as Markdown code in a table cell */

static void cli_md_code(FILE *fp, const char *s)
{
    putc('`', fp);
    for (; *s; s++) {
	if (*s == '|')
	    putc('\\', fp);
	putc(*s == '`' ? '\'' : *s, fp);
    }
    putc('`', fp);
}

static void cli_reasons_table(FILE *fp, const struct sx_registry *reg)
{
    size_t  n = sx_registry_count(reg, SX_TABLE_REASON), i, group = 0;
    const struct sx_entry *e, *prev = 0;

    fputs("| group | reason | patterns (lower case, found anywhere in the reply) |\n"
	  "|------:|--------|----------|\n", fp);
    for (i = 0; i < n; i++) {
	e = sx_registry_at(reg, SX_TABLE_REASON, i);
	if (prev == 0 || strcmp(prev->reason, e->reason) != 0) {
	    if (prev)
		fputs(" |\n", fp);
	    fprintf(fp, "| %zu | `%s` | ", ++group, e->reason);
	} else {
	    fputs(", ", fp);
	}
	cli_md_code(fp, e->pattern);
	prev = e;
    }
    if (prev)
	fputs(" |\n", fp);
}

int     cli_registry_dump(int argc, char **argv)
{
    const char *regfile = 0;
    struct sx_registry *reg;
    int     i, reasons = 0;

    for (i = 1; i < argc; i++) {
	if (strcmp(argv[i], "--reasons") == 0) {
	    reasons = 1;
	} else if ((strcmp(argv[i], "-r") == 0 || strcmp(argv[i], "--registry") == 0)
		   && i + 1 < argc) {
	    regfile = argv[++i];
	} else {
	    fprintf(stderr, "smtp-explain: registry: unknown argument \"%s\"\n", argv[i]);
	    fprintf(stderr, "usage: smtp-explain registry --reasons [-r REGISTRY]\n");
	    return (2);
	}
    }
    if (!reasons) {
	fprintf(stderr, "usage: smtp-explain registry --reasons [-r REGISTRY]\n");
	return (2);
    }
    if ((reg = cli_registry_load(regfile)) == 0)
	return (3);
    cli_reasons_table(stdout, reg);
    sx_registry_free(reg);
    return (0);
}
