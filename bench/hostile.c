/*
 * hostile.c - what each class of hostile input (tests/hostile/gen.c)
 * costs, in milliseconds of CPU per megabyte, beside real bounces
 * measured in the same run.
 *
 * usage: bench-hostile [-s SIZE] [-t SECONDS] [-c CLI] [-k CLASS] FILE...
 *
 * Each class is made at SIZE bytes (default 1m; suffix k or m) and read
 *  - by the core in-process, through the pipeline of the command
 *    (tests/hostile/parse.c), in a child process under a CPU alarm of
 *    SECONDS (default 60): the least of three runs when a run is short;
 *  - by the command CLI (when -c is given): "CLI parse FILE" with its
 *    output thrown away, wall time and CPU time (user + system), killed
 *    after SECONDS.
 * FILE... are the baseline, real bounces: the core reads them all, over
 * and over for a second, and the command reads them all in one run.
 * The ratio column is a class's ms/MB over the baseline's. The first
 * row is the ordinary report of tests/hostile (sxh_reference()) at the
 * same size. -k CLASS (repeatable) measures only those classes.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <smtp-explain/config.h>
#include <smtp-explain/reader.h>
#include <smtp-explain/registry.h>

#include "../tests/hostile/gen.h"
#include "../tests/hostile/parse.h"

#define MB (1024.0 * 1024.0)

extern char **environ;

static struct sx_registry *reg;

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((double) ts.tv_sec + (double) ts.tv_nsec / 1e9);
}

static size_t size_arg(const char *s)
{
    char   *end;
    double  v = strtod(s, &end);

    if (*end == 'k' || *end == 'K')
	v *= 1024;
    else if (*end == 'm' || *end == 'M')
	v *= MB;
    if (v < 1 || v > 1024 * MB) {
	fprintf(stderr, "bench-hostile: bad size \"%s\"\n", s);
	exit(2);
    }
    return ((size_t) v);
}

static char *slurp(const char *path, size_t *len)
{
    FILE   *fp = fopen(path, "rb");
    char   *buf = 0;
    long    n;

    if (fp == 0)
	return (0);
    if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0) {
	rewind(fp);
	if ((buf = malloc((size_t) n + 1)) != 0
	    && fread(buf, 1, (size_t) n, fp) != (size_t) n) {
	    free(buf);
	    buf = 0;
	}
	*len = (size_t) n;
    }
    fclose(fp);
    return (buf);
}

/* One parse as the command makes it: CPU seconds. */

static double core_once(const char *msg, size_t len)
{
    double  t0 = sxh_cpu();
    struct sx_reader *r = sxh_read(msg, len, SXH_CHUNK, 0);

    (void) sxh_explain_all(reg, r);
    sx_reader_free(r);
    return (sxh_cpu() - t0);
}

/*
 * core_time - CPU seconds of one parse (the least of three when the
 * first is short), in a child under a CPU alarm; -1 when it passed.
 */
static double core_time(const char *msg, size_t len, double limit)
{
    int     fd[2], status;
    double  t = -1;
    pid_t   pid;

    if (pipe(fd) != 0)
	return (-1);
    fflush(0);
    if ((pid = fork()) == 0) {
	struct itimerval it;
	double  best, one;
	int     i;

	close(fd[0]);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = (time_t) limit;
	it.it_value.tv_usec = 1;
	signal(SIGPROF, SIG_DFL);
	if (setitimer(ITIMER_PROF, &it, 0) != 0)
	    _exit(2);
	best = core_once(msg, len);
	for (i = 0; i < 2 && best < 1.0; i++)
	    if ((one = core_once(msg, len)) < best)
		best = one;
	if (write(fd[1], &best, sizeof(best)) != (ssize_t) sizeof(best))
	    _exit(2);
	_exit(0);
    }
    close(fd[1]);
    if (pid > 0) {
	if (read(fd[0], &t, sizeof(t)) != (ssize_t) sizeof(t))
	    t = -1;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
	     /* void */ ;
    }
    close(fd[0]);
    return (t);
}

/*
 * cli_time - run "cli parse FILE..." with its output thrown away; wall
 * and CPU seconds (user + system), or -1 when killed after limit.
 */
static void cli_time(const char *cli, char **files, int nfiles, double limit,
		             double *wall, double *cpu)
{
    posix_spawn_file_actions_t fa;
    struct rusage ru;
    char  **argv = calloc((size_t) nfiles + 3, sizeof(*argv));
    double  t0;
    pid_t   pid;
    int     status, i, killed = 0;

    *wall = *cpu = -1;
    if (argv == 0)
	return;
    argv[0] = (char *) cli;
    argv[1] = "parse";
    for (i = 0; i < nfiles; i++)
	argv[i + 2] = files[i];
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    t0 = now();
    if (posix_spawn(&pid, cli, &fa, 0, argv, environ) != 0) {
	fprintf(stderr, "bench-hostile: cannot run %s\n", cli);
	exit(1);
    }
    posix_spawn_file_actions_destroy(&fa);
    free(argv);
    for (;;) {
	pid_t   w = wait4(pid, &status, WNOHANG, &ru);
	struct timespec ts = {0, 5 * 1000 * 1000};

	if (w == pid)
	    break;
	if (!killed && now() - t0 > limit) {
	    kill(pid, SIGKILL);
	    killed = 1;
	}
	nanosleep(&ts, 0);
    }
    if (killed)
	return;
    *wall = now() - t0;
    *cpu = (double) ru.ru_utime.tv_sec + (double) ru.ru_utime.tv_usec / 1e6
	+ (double) ru.ru_stime.tv_sec + (double) ru.ru_stime.tv_usec / 1e6;
}

/* A figure in ms, or "> limit". */

static void put_ms(double secs, double limit, int width)
{
    char    buf[32];

    if (secs < 0)
	(void) snprintf(buf, sizeof(buf), ">%.0f s", limit);
    else
	(void) snprintf(buf, sizeof(buf), "%.1f", secs * 1e3);
    printf(" %*s", width, buf);
}

static void put_rate(double secs, double limit, size_t len, double base, int width)
{
    char    buf[32];

    if (secs < 0)
	(void) snprintf(buf, sizeof(buf), ">%.0f", limit * 1e3 / (len / MB));
    else
	(void) snprintf(buf, sizeof(buf), "%.1f", secs * 1e3 / (len / MB));
    printf(" %*s", width, buf);
    if (secs < 0)
	(void) snprintf(buf, sizeof(buf), ">%.0fx", limit * 1e3 / (len / MB) / base);
    else
	(void) snprintf(buf, sizeof(buf), "%.0fx", secs * 1e3 / (len / MB) / base);
    printf(" %*s", width - 2, buf);
}

static void row(const char *name, const char *msg, size_t len, const char *cli,
		        const char *tmp, double limit, double core_base,
		        double cli_base)
{
    double  t = core_time(msg, len, limit), wall = -1, cpu = -1;

    printf("%-18s %7zu", name, len / 1024);
    put_ms(t, limit, 10);
    put_rate(t, limit, len, core_base, 10);
    if (cli) {
	FILE   *fp = fopen(tmp, "wb");
	char   *files[1];

	if (fp == 0 || fwrite(msg, 1, len, fp) != len || fclose(fp) != 0) {
	    fprintf(stderr, "bench-hostile: %s: %s\n", tmp, strerror(errno));
	    exit(1);
	}
	files[0] = (char *) tmp;
	cli_time(cli, files, 1, limit, &wall, &cpu);
	put_ms(wall, limit, 10);
	put_ms(cpu, limit, 10);
	put_rate(cpu, limit, len, cli_base, 10);
    }
    printf("\n");
    fflush(stdout);
}

int     main(int argc, char **argv)
{
    const char *cli = 0, *only[64];
    size_t  size = 1024 * 1024, base_bytes = 0, len;
    double  limit = 60, base_cpu = 0, core_base, cli_base = 0, wall, cpu, t0;
    int     c, nonly = 0, cls, i, nfiles, passes = 0;
    char    tmp[] = "/tmp/bench-hostile.XXXXXX", path[64];
    char  **files;
    struct sx_errors errs;

    while ((c = getopt(argc, argv, "s:t:c:k:")) != -1) {
	switch (c) {
	case 's':
	    size = size_arg(optarg);
	    break;
	case 't':
	    limit = atof(optarg);
	    break;
	case 'c':
	    cli = optarg;
	    break;
	case 'k':
	    if (sxh_find(optarg) < 0 || nonly == 64) {
		fprintf(stderr, "bench-hostile: no class \"%s\"\n", optarg);
		return (2);
	    }
	    only[nonly++] = optarg;
	    break;
	default:
	    fprintf(stderr, "usage: bench-hostile [-s SIZE] [-t SECONDS] [-c CLI] "
		    "[-k CLASS] FILE...\n");
	    return (2);
	}
    }
    files = argv + optind;
    nfiles = argc - optind;
    if (nfiles == 0 || limit <= 0) {
	fprintf(stderr, "bench-hostile: the baseline needs files\n");
	return (2);
    }
    memset(&errs, 0, sizeof(errs));
    if ((reg = sx_config_registry_default(&errs)) == 0)
	return (3);

    /* The baseline: every file once untimed, then passes for a second. */
    for (i = 0; i < nfiles; i++) {
	char   *m = slurp(files[i], &len);

	if (m == 0) {
	    fprintf(stderr, "bench-hostile: cannot read %s\n", files[i]);
	    return (1);
	}
	(void) core_once(m, len);
	free(m);
    }
    t0 = now();
    do {
	for (i = 0; i < nfiles; i++) {
	    char   *m = slurp(files[i], &len);

	    base_cpu += core_once(m, len);
	    base_bytes += len;
	    free(m);
	}
	passes++;
    } while (now() - t0 < 1.0);
    core_base = base_cpu * 1e3 / (base_bytes / MB);
    printf("baseline: %d real bounces, %.0f KB; core %.1f ms/MB (%d passes)",
	   nfiles, base_bytes / passes / 1024.0, core_base, passes);
    if (cli) {
	cli_time(cli, files, nfiles, 10 * limit, &wall, &cpu);
	if (cpu > 0) {
	    cli_base = cpu * 1e3 / (base_bytes / passes / MB);
	    printf("; command %.1f ms/MB (one run over all, %.0f ms wall)", cli_base,
		   wall * 1e3);
	}
    }
    if (cli_base <= 0)
	cli_base = core_base;
    printf("\n\n%-18s %7s %10s %10s %8s", "class", "KB", "core ms", "ms/MB", "x base");
    if (cli)
	printf(" %10s %10s %10s %8s", "cmd wall", "cmd cpu", "ms/MB", "x base");
    printf("\n");

    if (cli) {
	if (mkdtemp(tmp) == 0) {
	    fprintf(stderr, "bench-hostile: mkdtemp: %s\n", strerror(errno));
	    return (1);
	}
	(void) snprintf(path, sizeof(path), "%s/msg.eml", tmp);
    }
    if (nonly == 0) {
	char   *m = sxh_reference(size, &len);

	row("(reference)", m, len, cli, path, limit, core_base, cli_base);
	free(m);
    }
    for (cls = 0; cls < sxh_count(); cls++) {
	char   *m;

	for (i = 0; i < nonly && strcmp(only[i], sxh_name(cls)) != 0; i++)
	     /* void */ ;
	if (nonly && i == nonly)
	    continue;
	m = sxh_make(cls, size, &len);
	row(sxh_name(cls), m, len, cli, path, limit, core_base, cli_base);
	free(m);
    }
    if (cli) {
	(void) unlink(path);
	(void) rmdir(tmp);
    }
    sx_registry_free(reg);
    return (0);
}
