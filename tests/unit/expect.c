/*
 * expect.c - the fixture format every reading suite shares.
 *
 * A fixture is NAME.eml with NAME.expect beside it: the first line
 * names the recogniser that must fire ("recogniser TAB name", "none"
 * when nothing may), then one line per finding, in order:
 *
 *	recipient TAB action TAB status TAB replycode TAB reason
 *
 * (action as RFC 3464 writes it, empty when the report says none; the
 * reason as the registry explains it). sx_unit_expect() writes what a
 * reader found in that format; sx_unit_fixtures() walks a folder.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/explain.h>
#include <smtp-explain/reader.h>

#include "unit.h"
#include "expect.h"

size_t  sx_unit_expect(const struct sx_registry *reg, const struct sx_reader *r,
		               char *out, size_t size, sx_unit_note note, void *ctx)
{
    size_t  i, n;

    n = (size_t) snprintf(out, size, "recogniser\t%s\n",
			  sx_reader_count(r) ? sx_reader_message(r)->engine : "none");
    for (i = 0; i < sx_reader_count(r) && n < size; i++) {
	const struct sx_finding *f = sx_reader_finding(r, i);
	struct sx_explanation ex;
	char    code[8] = "";

	if (f->replycode)
	    snprintf(code, sizeof(code), "%03d", f->replycode);
	sx_explain(reg, f, &ex);
	if (note)
	    note(f, &ex, ctx);
	n += (size_t) snprintf(out + n, size - n, "%s\t%s\t%s\t%s\t%s\n",
			       f->recipient, f->action ? sx_action_name(f->action) : "",
			       f->status, code, ex.reason);
    }
    return (n);
}

int     sx_unit_fixtures(const char *dir, sx_unit_fixture fn, void *ctx)
{
    DIR    *d = opendir(dir);
    struct dirent *de;
    int     seen = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    while ((de = readdir(d)) != 0) {
	size_t  nlen = strlen(de->d_name), len;
	char    path[512], want_path[512], name[256];
	char   *msg, *want;

	if (nlen < 5 || nlen - 4 >= sizeof(name)
	    || strcmp(de->d_name + nlen - 4, ".eml") != 0)
	    continue;
	snprintf(name, sizeof(name), "%.*s", (int) (nlen - 4), de->d_name);
	snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
	snprintf(want_path, sizeof(want_path), "%s/%s.expect", dir, name);
	msg = sx_unit_slurp(path, &len);
	want = sx_unit_slurp(want_path, 0);
	if (want == 0)
	    fprintf(stderr, "\n%s: no %s.expect\n", path, name);
	CU_ASSERT_PTR_NOT_NULL_FATAL(msg);
	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	fn(name, msg, len, want, ctx);
	free(msg);
	free(want);
	seen++;
    }
    closedir(d);
    return (seen);
}
