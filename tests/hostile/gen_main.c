/*
 * NAME
 *	hostile-gen 1
 * SUMMARY
 *	write the hostile bounces of tests/hostile/gen.c
 * SYNOPSIS
 *	hostile-gen NAME SIZE		one class to standard output
 *	hostile-gen -c NAME SIZE	its control (see gen.h), if it has one
 *	hostile-gen -d DIR SIZE		every class, as DIR/NAME.eml
 *	hostile-gen -r SIZE		an ordinary report, for comparison
 *	hostile-gen -l			the classes, one a line
 * DESCRIPTION
 *	SIZE is in bytes, or with a suffix k or m (1024, 1048576).
 * DIAGNOSTICS
 *	Exit 0 on success, 1 when a file cannot be written, 2 on a usage
 *	error (an unknown class is one).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

static void usage(void)
{
    fputs("usage: hostile-gen [-c] NAME SIZE | -d DIR SIZE | -r SIZE | -l\n", stderr);
    exit(2);
}

static size_t size_arg(const char *s)
{
    char   *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (errno || end == s)
	usage();
    if (*end == 'k' || *end == 'K')
	v *= 1024, end++;
    else if (*end == 'm' || *end == 'M')
	v *= 1024 * 1024, end++;
    if (*end != 0 || v == 0 || v > 1024ULL * 1024 * 1024)
	usage();
    return ((size_t) v);
}

static int write_one(int cls, size_t bytes, int control, FILE *fp)
{
    size_t  len;
    char   *msg = control ? sxh_control(cls, bytes, &len) : sxh_make(cls, bytes, &len);
    int     ok;

    if (msg == 0) {
	fprintf(stderr, "hostile-gen: %s has no control\n", sxh_name(cls));
	exit(2);
    }
    ok = fwrite(msg, 1, len, fp) == len;
    free(msg);
    return (ok);
}

int     main(int argc, char **argv)
{
    int     i, control = 0;

    if (argc == 2 && strcmp(argv[1], "-l") == 0) {
	for (i = 0; i < sxh_count(); i++)
	    printf("%-18s %s\n", sxh_name(i), sxh_what(i));
	return (0);
    }
    if (argc == 3 && strcmp(argv[1], "-r") == 0) {
	size_t  len;
	char   *msg = sxh_reference(size_arg(argv[2]), &len);
	int     ok = fwrite(msg, 1, len, stdout) == len && fflush(stdout) == 0;

	free(msg);
	if (!ok) {
	    fprintf(stderr, "hostile-gen: write: %s\n", strerror(errno));
	    return (1);
	}
	return (0);
    }
    if (argc == 4 && strcmp(argv[1], "-d") == 0) {
	size_t  bytes = size_arg(argv[3]);

	for (i = 0; i < sxh_count(); i++) {
	    char    path[4096];
	    FILE   *fp;

	    (void) snprintf(path, sizeof(path), "%s/%s.eml", argv[2], sxh_name(i));
	    if ((fp = fopen(path, "wb")) == 0 || !write_one(i, bytes, 0, fp)
		|| fclose(fp) != 0) {
		fprintf(stderr, "hostile-gen: %s: %s\n", path, strerror(errno));
		return (1);
	    }
	}
	return (0);
    }
    if (argc == 4 && strcmp(argv[1], "-c") == 0)
	control = 1, argv++, argc--;
    if (argc != 3)
	usage();
    if ((i = sxh_find(argv[1])) < 0) {
	fprintf(stderr, "hostile-gen: no class \"%s\" (hostile-gen -l lists them)\n",
		argv[1]);
	return (2);
    }
    if (!write_one(i, size_arg(argv[2]), control, stdout) || fflush(stdout) != 0) {
	fprintf(stderr, "hostile-gen: write: %s\n", strerror(errno));
	return (1);
    }
    return (0);
}
