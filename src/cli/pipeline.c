/*
 * NAME
 *	pipeline 3
 * SUMMARY
 *	read every message of the inputs and explain what each reports
 * SYNOPSIS
 *	#include "cli.h"
 *
 *	int	cli_run(const struct cli_run_opts *opts, char **paths, int n);
 * DESCRIPTION
 *	cli_run() reads each path with cli_source_path(), runs the bounce
 *	reader over each message, explains its findings once
 *	(sx_report_build()) and hands the result to opts->fn with the
 *	message's source and date. The parse, report and suppress commands
 *	are such consumers.
 *
 *	The date of a message is the bounce's own Date: header, else the
 *	date of its mbox From_ line, else the time in its Maildir file name,
 *	else the time the file was last changed; 0 when none is known
 *	(standard input from a pipe without a Date:).
 *
 *	With opts->progress, a line on stderr says how far the reading is,
 *	at most twice a second, once more than CLI_PROGRESS_BYTES were read.
 * DIAGNOSTICS
 *	cli_run() returns 0, 1 when an input could not be read, or what a
 *	consumer returned to stop.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <smtp-explain/reader.h>
#include <smtp-explain/report.h>

#include "cli.h"

#define CLI_PROGRESS_BYTES (64 * 1024 * 1024)

/* The pipeline's state over one run. */
struct cli_pipe {
    const struct cli_run_opts *opts;
    struct sx_reader *r;
    size_t  bytes;			/* of this message */
    int     nomem;
    /* Totals, for the progress line. */
    size_t  total_bytes;
    size_t  messages;
    size_t  findings;
    double  next_progress;
    int     progress_shown;
};

static void cli_pipe_progress(struct cli_pipe *pp, int last)
{
    struct timespec ts;
    double  now;

    if (!pp->opts->progress || pp->total_bytes < CLI_PROGRESS_BYTES)
	return;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    now = ts.tv_sec + ts.tv_nsec / 1e9;
    if (!last && now < pp->next_progress)
	return;
    pp->next_progress = now + 0.5;
    fprintf(stderr, "\rsmtp-explain: %zu messages, %zu findings, %zu MB read%s",
	    pp->messages, pp->findings, pp->total_bytes >> 20, last ? "\n" : "");
    pp->progress_shown = 1;
}

static int cli_pipe_begin(void *ctx, const struct cli_msgref *ref)
{
    struct cli_pipe *pp = ctx;

    if (pp->r == 0) {
	if ((pp->r = sx_reader_new(0)) == 0) {
	    pp->nomem = 1;
	    return (CLI_EXIT_IO);
	}
	sx_reader_autoreplies(pp->r, pp->opts->autoreplies);
    }
    pp->bytes = 0;
    return (0);
}

static int cli_pipe_data(void *ctx, const char *p, size_t n)
{
    struct cli_pipe *pp = ctx;

    pp->bytes += n;
    if (sx_reader_push(pp->r, p, n) != SX_OK) {
	pp->nomem = 1;
	return (CLI_EXIT_IO);
    }
    return (0);
}

static int cli_pipe_end(void *ctx, const struct cli_msgref *ref)
{
    struct cli_pipe *pp = ctx;
    struct sx_report rep = {0};
    struct cli_msginfo mi = {.ref = ref, .rep = &rep, .bytes = pp->bytes};
    int     status;

    if (sx_reader_finish(pp->r) != SX_OK
	|| sx_report_build(&rep, pp->opts->reg, pp->r, 0, 0) != SX_OK) {
	fprintf(stderr, "smtp-explain: %s: out of memory\n", ref->file);
	sx_report_free(&rep);
	return (CLI_EXIT_IO);
    }
    if (pp->opts->lifetime)
	(void) sx_report_lifetime(&rep, pp->opts->lifetime);
    /* The bounce's own Date: header, as the reader kept it. */
    if (sx_reader_message(pp->r)->date[0])
	mi.date = cli_date_parse(sx_reader_message(pp->r)->date, &mi.tzoff);
    if (mi.date == 0)
	mi.date = ref->from_time ? ref->from_time : ref->file_time;
    status = pp->opts->fn(pp->opts->ctx, &mi);
    pp->messages++;
    pp->findings += rep.count;
    pp->total_bytes += pp->bytes;
    sx_report_free(&rep);
    /* A reader reads one message: the next gets a fresh one. */
    sx_reader_free(pp->r);
    pp->r = 0;
    cli_pipe_progress(pp, 0);
    return (status);
}

int     cli_run(const struct cli_run_opts *opts, char **paths, int n)
{
    static const struct cli_sink sink = {
	.begin = cli_pipe_begin,
	.data = cli_pipe_data,
	.end = cli_pipe_end,
    };
    struct cli_pipe pp = {.opts = opts};
    int     i, r, status = 0;

    for (i = 0; i < n; i++) {
	r = cli_source_path(paths[i], &opts->src, &sink, &pp);
	if (pp.r) {
	    sx_reader_free(pp.r);
	    pp.r = 0;
	}
	if (r == 1) {
	    status = 1;
	    continue;
	}
	if (r) {
	    status = r;
	    break;
	}
    }
    if (pp.progress_shown)
	cli_pipe_progress(&pp, 1);
    cli_source_release();
    return (status);
}

/* cli_hash - a string's hash, for the tables of report and suppress */

size_t  cli_hash(const char *s)
{
    size_t  h = 5381;

    while (*s)
	h = h * 33 ^ (unsigned char) *s++;
    return (h);
}

/*
 * cli_common_arg - the arguments every command over mailboxes shares:
 * -R, -r FILE, unknown options and the paths (gathered at the front of
 * argv). 1 when argv[*i] was one of them, 0 when it is the command's
 * own, -1 on a usage error (said on stderr).
 */
int     cli_common_arg(const char *cmd, int argc, char **argv, int *i,
		               struct cli_run_opts *ro, const char **regfile,
		               char **rest, int *nfiles)
{
    const char *a = argv[*i];

    if (strcmp(a, "-R") == 0 || strcmp(a, "--recursive") == 0) {
	ro->src.recursive = 1;
    } else if (strcmp(a, "-r") == 0 || strcmp(a, "--registry") == 0) {
	if (++*i >= argc) {
	    fprintf(stderr, "smtp-explain: %s needs a file name\n", a);
	    return (-1);
	}
	*regfile = argv[*i];
    } else if (a[0] == '-' && a[1] != 0) {
	return (0);
    } else {
	rest[(*nfiles)++] = argv[*i];
    }
    return (1);
}

/* cli_common_end - after the arguments: a path is needed */

int     cli_common_end(const char *cmd, int nfiles)
{
    if (nfiles > 0)
	return (0);
    fprintf(stderr, "smtp-explain: %s needs a file name or -\n", cmd);
    return (-1);
}
