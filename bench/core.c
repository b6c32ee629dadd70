/*
 * core.c - core throughput: read + explain + render over a set of
 * messages held in memory, single thread. Prints messages/s and MB/s
 * for each repetition and the median.
 *
 * usage: bench-core REPS MIN_SECONDS FILE...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <smtp-explain/config.h>
#include <smtp-explain/explain.h>
#include <smtp-explain/reader.h>
#include <smtp-explain/render.h>

struct msg {
    char   *data;
    size_t  len;
};

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (ts.tv_sec + ts.tv_nsec / 1e9);
}

static char *slurp(const char *path, size_t *len)
{
    FILE   *fp = fopen(path, "rb");
    char   *buf;
    long    n;

    if (fp == 0 || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0)
	return (0);
    rewind(fp);
    buf = malloc((size_t) n + 1);
    if (buf == 0 || fread(buf, 1, (size_t) n, fp) != (size_t) n)
	return (0);
    fclose(fp);
    *len = (size_t) n;
    return (buf);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;

    return (x < y ? -1 : x > y);
}

int     main(int argc, char **argv)
{
    struct sx_errors errs;
    struct sx_registry *reg;
    struct msg *m;
    int     reps, i, n;
    double  min_secs, *rate;
    size_t  bytes = 0, findings = 0;
    char    hdr[SX_RENDER_MIN];
    struct sx_render_opts o = {"bench.example", "\n\t", 0, 1, 1, 0};

    if (argc < 4) {
	fprintf(stderr, "usage: bench-core REPS MIN_SECONDS FILE...\n");
	return (2);
    }
    reps = atoi(argv[1]);
    min_secs = atof(argv[2]);
    memset(&errs, 0, sizeof(errs));
    if ((reg = sx_config_registry_default(&errs)) == 0)
	return (3);
    n = argc - 3;
    m = calloc((size_t) n, sizeof(*m));
    rate = calloc((size_t) reps, sizeof(*rate));
    for (i = 0; i < n; i++) {
	if ((m[i].data = slurp(argv[i + 3], &m[i].len)) == 0) {
	    fprintf(stderr, "bench-core: cannot read %s\n", argv[i + 3]);
	    return (1);
	}
	bytes += m[i].len;
    }
    /* One untimed pass first, as the Perl side gets one. */
    for (i = 0; i < n; i++) {
	struct sx_reader *rd = sx_reader_new(0);

	sx_reader_push(rd, m[i].data, m[i].len);
	sx_reader_finish(rd);
	sx_reader_free(rd);
    }
    for (int r = 0; r < reps; r++) {
	double  t0 = now(), t;
	long    msgs = 0;

	do {
	    for (i = 0; i < n; i++) {
		struct sx_reader *rd = sx_reader_new(0);
		size_t  k, c;

		/* The milter receives the body in chunks of up to 64 KB. */
		for (k = 0; k < m[i].len; k += 65535)
		    sx_reader_push(rd, m[i].data + k,
				   m[i].len - k < 65535 ? m[i].len - k : 65535);
		sx_reader_finish(rd);
		c = sx_reader_count(rd);
		for (k = 0; k < c; k++) {
		    struct sx_explanation ex;

		    sx_explain(reg, sx_reader_finding(rd, k), &ex);
		    sx_render_header(&o, sx_reader_finding(rd, k), &ex, k, c, hdr, sizeof(hdr));
		}
		if (r == 0 && msgs < n)
		    findings += c;
		sx_reader_free(rd);
		msgs++;
	    }
	} while ((t = now() - t0) < min_secs);
	rate[r] = msgs / t;
	printf("core rep %d: %.0f messages/s, %.1f MB/s\n", r + 1, rate[r],
	       rate[r] * bytes / n / 1e6);
    }
    qsort(rate, (size_t) reps, sizeof(*rate), cmp);
    printf("core: %d files, %zu bytes, %zu findings; median %.0f messages/s, %.1f MB/s\n",
	   n, bytes, findings, rate[reps / 2], rate[reps / 2] * bytes / n / 1e6);
    for (i = 0; i < n; i++)
	free(m[i].data);
    free(m);
    free(rate);
    sx_registry_free(reg);
    return (0);
}
