/*
 * NAME
 *	sx-snapshot 1
 * SUMMARY
 *	write the built-in registry and the fixed pattern sets as C
 * SYNOPSIS
 *	sx-snapshot > registry_snapshot.c
 * DESCRIPTION
 *	Run by the build: loads the built-in registry and the texts of
 *	every compiled-in language with the library's own loaders, seals
 *	them, compiles the fixed pattern sets, and writes all of it to the
 *	standard output as static const C data (see snapshot.h). It is
 *	linked with an empty snapshot (snapshot_none.c) in place of the
 *	one it writes.
 * DIAGNOSTICS
 *	Exit status 0 when the file was written; 1, with the loader's
 *	messages on the standard error, when it was not.
 */
#include <stdio.h>
#include <string.h>

#include <smtp-explain/config.h>

#include "snapshot.h"

int     main(int argc, char **argv)
{
    struct sx_errors errs;
    size_t  i;

    if (argc != 1) {
	fprintf(stderr, "usage: %s > registry_snapshot.c\n", argv[0]);
	return (2);
    }
    memset(&errs, 0, sizeof(errs));
    if (sx_snapshot_write(stdout, &errs) == 0 && fclose(stdout) == 0)
	return (0);
    for (i = 0; i < errs.count && i < SX_ERRORS_MAX; i++)
	fprintf(stderr, "sx-snapshot: %s\n", errs.msg[i]);
    if (errs.count == 0)
	fprintf(stderr, "sx-snapshot: write error\n");
    return (1);
}
