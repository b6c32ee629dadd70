/*
 * NAME
 *	parse 3
 * SUMMARY
 *	the pipeline of "smtp-explain parse", in-process (test support)
 * DESCRIPTION
 *	See parse.h. What src/cli/main.c does for one file, without the
 *	printing: the same limits, chunk size, explanation and rendering.
 */
#include <stdlib.h>
#include <time.h>

#include <smtp-explain/explain.h>
#include <smtp-explain/render.h>

#include "parse.h"

struct sx_reader *sxh_read(const char *msg, size_t len, size_t chunk,
			           const struct sx_limits *lim)
{
    struct sx_reader *r = sx_reader_new(lim);
    size_t  at, n;

    if (r == 0)
	abort();
    if (chunk == 0)
	chunk = len ? len : 1;
    for (at = 0; at < len; at += n) {
	n = len - at < chunk ? len - at : chunk;
	if (sx_reader_push(r, msg + at, n) != SX_OK)
	    abort();
    }
    if (sx_reader_finish(r) != SX_OK)
	abort();
    return (r);
}

size_t  sxh_explain_all(const struct sx_registry *reg, const struct sx_reader *r)
{
    struct sx_render_opts ro = {"localhost", "\n\t", 0, 1, 1, 0, 0, 0};
    struct sx_explanation ex;
    char    hdr[SX_RENDER_MIN * 2];
    size_t  i, n = sx_reader_count(r);

    for (i = 0; i < n; i++) {
	sx_explain(reg, sx_reader_finding(r, i), &ex);
	(void) sx_render_header(&ro, sx_reader_finding(r, i), &ex, i, n, hdr,
				sizeof(hdr));
    }
    return (n);
}

double  sxh_cpu(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
	abort();
    return ((double) ts.tv_sec + (double) ts.tv_nsec / 1e9);
}
