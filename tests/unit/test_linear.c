/*
 * test_linear.c - the reader's work grows in proportion to its input.
 *
 * For each class of hostile input (tests/hostile/gen.c), the message is
 * made at n and at 4n bytes and read through the pipeline of
 * "smtp-explain parse" (tests/hostile/parse.c: reader in 64 KB chunks,
 * explain and render every finding); the CPU time of each size is the
 * least of three runs, and t(4n) / t(n) must stay under 8: linear work
 * gives about 4, quadratic about 16. Only ratios are asserted, never
 * absolute times.
 *
 * Some classes cost a large factor rather than a power of the size (a
 * limit of the reader caps one side of the product, or the cost is a
 * set-up per part): for those the class must also cost less than 3
 * times its control, the same message made harmless, at the same size.
 *
 * tests/fixtures/slow/ keeps inputs once found slow (by the fuzzers, or
 * by hand): each must cost less than 20 times the reference report
 * (sxh_reference()) of its size, fed the same way.
 *
 * Every run is made in a child process under a CPU-time alarm, so that
 * quadratic code cannot hold the suite for minutes: a run at n that
 * takes more than LIN_ESCAPE_MIN seconds (or LIN_ESCAPE_REF times the
 * reference at n, when a slow build such as valgrind makes that
 * larger) fails at once, and a run at 4n stops as soon as it is past
 * what the ratio allows.
 *
 * LIN_VERBOSE=1 in the environment prints every measurement.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <smtp-explain/config.h>
#include <smtp-explain/reader.h>
#include <smtp-explain/registry.h>

#include "../hostile/gen.h"
#include "../hostile/parse.h"
#include "unit.h"

#define LIN_N (128 * 1024)		/* the smaller size; the larger is 4n */
#define LIN_RATIO_MAX 8.0		/* t(4n) / t(n) */
/*
 * t(class) / t(control), same size. Fixed, these classes cost 1.5 to 4
 * times their control (a diagnostic of "htt" is explained with more
 * automaton steps than one of plain words); unfixed, 24 to 45 times.
 */
#define LIN_CONTROL_MAX 6.0
#define LIN_SLOW_MAX 20.0		/* t(fixture) / t(reference), same size */
#define LIN_RUNS 3			/* the least of these is the time */
#define LIN_RUN_MIN 0.005		/* seconds: shorter parses are repeated */
#define LIN_ESCAPE_MIN 0.25		/* seconds a run at n may take */
#define LIN_ESCAPE_REF 20.0		/* ... or this times the reference */
#define LIN_SLOW_DIR "fixtures/slow"
#define LIN_KB(n) (((n) + 512) / 1024)

/*
 * The reader's own count of its work (the units its budget charges):
 * the units of 4n must stay under LIN_STEPS_RATIO_MAX times those of n
 * (lin_check_steps()). Units are exact where times are not, so the
 * bound can be tighter.
 */
#define LIN_STEPS(r) sx_reader_work(r)
#define LIN_STEPS_RATIO_MAX 5.0

static struct sx_registry *lin_reg;
static double lin_ref_n;		/* the reference at n, seconds */
static int lin_verbose;

/* ---------------------------------------------------------------- runs */

/* How one message is fed: chunk size and limits (NULL: the command's). */
struct lin_feed {
    size_t  chunk;
    const struct sx_limits *lim;
};

static const struct lin_feed lin_cli = {SXH_CHUNK, 0};

struct lin_run {
    double  secs;			/* CPU time of one parse */
    size_t  steps;			/* LIN_STEPS() of one parse */
    int     over;			/* stopped: past its budget */
};

/*
 * lin_child - in a child process, parse reps times under a CPU alarm of
 * budget seconds; the parent gets secs and steps of one parse, or over.
 */
static struct lin_run lin_child(const char *msg, size_t len,
				        const struct lin_feed *feed, int reps,
				        double budget)
{
    struct lin_run run = {0, 0, 0};
    int     fd[2], status;
    pid_t   pid;
    ssize_t got;

    CU_ASSERT_FATAL(pipe(fd) == 0);
    fflush(0);
    if ((pid = fork()) == 0) {
	struct itimerval it;
	long long us = (long long) (budget * 1e6) + 1;
	double  t0;
	int     i;

	close(fd[0]);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = (time_t) (us / 1000000);
	it.it_value.tv_usec = (suseconds_t) (us % 1000000);
	signal(SIGPROF, SIG_DFL);	/* its default ends the process */
	if (setitimer(ITIMER_PROF, &it, 0) != 0)
	    _exit(2);
	t0 = sxh_cpu();
	for (i = 0; i < reps; i++) {
	    struct sx_reader *r = sxh_read(msg, len, feed->chunk, feed->lim);

	    (void) sxh_explain_all(lin_reg, r);
	    run.steps = LIN_STEPS(r);
	    sx_reader_free(r);
	}
	run.secs = (sxh_cpu() - t0) / reps;
	if (write(fd[1], &run, sizeof(run)) != (ssize_t) sizeof(run))
	    _exit(2);
	_exit(0);
    }
    CU_ASSERT_FATAL(pid > 0);
    close(fd[1]);
    do {
	got = read(fd[0], &run, sizeof(run));
    } while (got < 0 && errno == EINTR);
    close(fd[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
	 /* void */ ;
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGPROF) {
	run.over = 1;
	run.secs = budget / reps;
	return (run);
    }
    CU_ASSERT_FATAL(WIFEXITED(status) && WEXITSTATUS(status) == 0
		    && got == (ssize_t) sizeof(run));
    return (run);
}

/*
 * lin_time - the least CPU time of LIN_RUNS runs of reps parses each,
 * one parse's worth; over when a run passed budget (one parse's) and
 * the rest were not made.
 */
static struct lin_run lin_time(const char *msg, size_t len, const struct lin_feed *feed,
			               int reps, double budget)
{
    struct lin_run best = {0, 0, 0}, run;
    int     i;

    for (i = 0; i < LIN_RUNS; i++) {
	run = lin_child(msg, len, feed, reps, budget * reps);
	if (run.over)
	    return (run);
	if (i == 0 || run.secs < best.secs)
	    best = run;
    }
    return (best);
}

/* lin_reps - parses a run needs to take LIN_RUN_MIN, from one parse */

static int lin_reps(double one)
{
    return (one >= LIN_RUN_MIN ? 1 : 1 + (int) (LIN_RUN_MIN / (one > 1e-6 ? one : 1e-6)));
}

/* lin_escape - what a parse of an input of about n bytes may take */

static double lin_escape(double ref)
{
    return (LIN_ESCAPE_REF * ref > LIN_ESCAPE_MIN ? LIN_ESCAPE_REF * ref : LIN_ESCAPE_MIN);
}

/*
 * lin_measure - the time of one parse of msg, repeated so that a run is
 * long enough to time; over when even one parse passed budget.
 */
static struct lin_run lin_measure(const char *msg, size_t len,
				          const struct lin_feed *feed, double budget,
				          int *reps)
{
    struct lin_run first = lin_child(msg, len, feed, 1, budget);

    if (first.over)
	return (first);
    *reps = lin_reps(first.secs);
    return (lin_time(msg, len, feed, *reps, budget));
}

/* ---------------------------------------------------------------- report */

static void lin_fail(int line, const char *fmt,...)
	__attribute__((format(printf, 2, 3)));

/* A failed assertion whose text (CUnit copies it) says what was measured. */

static void lin_fail(int line, const char *fmt,...)
{
    char    msg[512];
    va_list ap;

    va_start(ap, fmt);
    (void) vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    CU_assertImplementation(CU_FALSE, (unsigned) line, msg, __FILE__, "", CU_FALSE);
}

/*
 * Times under the sanitizers say little about the code: ASan's
 * allocator, quarantine and shadow checks grow unevenly with the size of
 * what is allocated and read. There only the units of work are
 * asserted; a time out of bounds is printed, not failed.
 */
#if defined(__SANITIZE_ADDRESS__)
#define LIN_TIMED 0
#else
#define LIN_TIMED 1
#endif

static void lin_fail_time(int line, const char *fmt,...)
	__attribute__((format(printf, 2, 3)));

static void lin_fail_time(int line, const char *fmt,...)
{
    char    msg[512];
    va_list ap;

    va_start(ap, fmt);
    (void) vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (LIN_TIMED)
	CU_assertImplementation(CU_FALSE, (unsigned) line, msg, __FILE__, "", CU_FALSE);
    else
	fprintf(stderr, "\nlinear: %s (a time, not asserted under the sanitizers)", msg);
}

static void lin_note(const char *fmt,...)
	__attribute__((format(printf, 1, 2)));

static void lin_note(const char *fmt,...)
{
    va_list ap;

    if (!lin_verbose)
	return;
    va_start(ap, fmt);
    fputs("\n  ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

static void lin_pass(void)
{
    CU_assertImplementation(CU_TRUE, __LINE__, "", __FILE__, "", CU_FALSE);
}

/* Units of work (see LIN_STEPS). */

static void lin_check_steps(const char *name, size_t small, size_t large)
{
    if (small == 0 || large == 0)
	return;
    if ((double) large / (double) small >= LIN_STEPS_RATIO_MAX)
	lin_fail(__LINE__, "%s: steps(4n)/steps(n) = %zu/%zu = %.1f (limit %.0f)",
		 name, large, small, (double) large / (double) small,
		 LIN_STEPS_RATIO_MAX);
    else {
	lin_pass();
	lin_note("%s: units(4n)/units(n) = %zu/%zu = %.1f", name, large, small,
		 (double) large / (double) small);
    }
}

/* ---------------------------------------------------------------- suite */

static int lin_init(void)
{
    struct sx_errors errs;

    lin_verbose = getenv("LIN_VERBOSE") != 0;
    memset(&errs, 0, sizeof(errs));
    if ((lin_reg = sx_config_registry_default(&errs)) == 0)
	return (1);
    lin_ref_n = 0;
    return (0);
}

/* lin_escape_n - what a parse at n may take, from the reference at n */

static double lin_escape_n(void)
{
    if (lin_ref_n == 0) {
	struct lin_run ref;
	size_t  len;
	char   *msg = sxh_reference(LIN_N, &len);
	int     reps;

	/* The reference must not be cut short: a generous budget. */
	ref = lin_measure(msg, len, &lin_cli, 60, &reps);
	free(msg);
	CU_ASSERT_FATAL(!ref.over);
	lin_ref_n = ref.secs;
	lin_note("the reference at %d KB: %.2f ms", LIN_N / 1024, lin_ref_n * 1e3);
    }
    return (lin_escape(lin_ref_n));
}

static int lin_fini(void)
{
    sx_registry_free(lin_reg);
    lin_reg = 0;
    return (0);
}

/* What is tested for each class: all at the command's chunks, one more at once. */

static const struct lin_row {
    const char *cls;
    size_t  chunk;
    const char *label;
} lin_rows_extra[] = {
    {"cr-lines", 0, "cr-lines, pushed at once"},
};

static void lin_ratio(const char *label, int cls, const struct lin_feed *feed)
{
    char   *small, *large;
    size_t  slen, llen;
    struct lin_run tn, t4n;
    double  budget;
    int     reps = 1;

    small = sxh_make(cls, LIN_N, &slen);
    large = sxh_make(cls, 4 * LIN_N, &llen);
    CU_ASSERT_FATAL(small != 0 && large != 0);
    tn = lin_measure(small, slen, feed, lin_escape_n(), &reps);
    if (tn.over) {
	lin_fail_time(__LINE__, "%s: t(%zu KB) over %.2f s: stopped, 4n not measured",
		 label, LIN_KB(slen), lin_escape_n());
	goto out;
    }
    /* A run past this fails the ratio by a quarter at least. */
    budget = 1.25 * LIN_RATIO_MAX * tn.secs + 0.05 / reps;
    t4n = lin_time(large, llen, feed, reps, budget);
    if (t4n.over) {
	lin_fail_time(__LINE__, "%s: t(%zu KB) = %.1f ms, t(%zu KB) over %.0f ms: "
		 "ratio over %.0f (limit %.0f)", label, LIN_KB(slen), tn.secs * 1e3,
		 LIN_KB(llen), budget * 1e3, budget / tn.secs, LIN_RATIO_MAX);
	goto out;
    }
    if (t4n.secs / tn.secs >= LIN_RATIO_MAX) {
	lin_fail_time(__LINE__, "%s: t(%zu KB) = %.1f ms, t(%zu KB) = %.1f ms: ratio %.1f "
		 "(limit %.0f)", label, LIN_KB(slen), tn.secs * 1e3, LIN_KB(llen),
		 t4n.secs * 1e3, t4n.secs / tn.secs, LIN_RATIO_MAX);
    } else {
	lin_pass();
	lin_note("%s: t(%zu KB) = %.2f ms, t(%zu KB) = %.2f ms: ratio %.1f", label,
		 LIN_KB(slen), tn.secs * 1e3, LIN_KB(llen), t4n.secs * 1e3,
		 t4n.secs / tn.secs);
    }
    lin_check_steps(label, tn.steps, t4n.steps);
out:
    free(small);
    free(large);
}

static void test_classes(void)
{
    size_t  i;
    int     cls;

    for (cls = 0; cls < sxh_count(); cls++)
	lin_ratio(sxh_name(cls), cls, &lin_cli);
    for (i = 0; i < sizeof(lin_rows_extra) / sizeof(lin_rows_extra[0]); i++) {
	struct lin_feed feed = {lin_rows_extra[i].chunk, 0};

	CU_ASSERT_FATAL((cls = sxh_find(lin_rows_extra[i].cls)) >= 0);
	lin_ratio(lin_rows_extra[i].label, cls, &feed);
    }
}

static void test_controls(void)
{
    int     cls, reps = 1, creps = 1, tested = 0;

    for (cls = 0; cls < sxh_count(); cls++) {
	size_t  len, clen;
	char   *ctl = sxh_control(cls, LIN_N, &clen), *msg;
	struct lin_run t, tc;

	if (ctl == 0)
	    continue;
	tested++;
	msg = sxh_make(cls, LIN_N, &len);
	tc = lin_measure(ctl, clen, &lin_cli, lin_escape_n(), &creps);
	t = lin_measure(msg, len, &lin_cli, lin_escape_n(), &reps);
	if (tc.over)
	    lin_fail_time(__LINE__, "%s: its control over %.2f s", sxh_name(cls),
		     lin_escape_n());
	else if (t.over)
	    lin_fail_time(__LINE__, "%s: t(%zu KB) over %.2f s, control %.1f ms",
		     sxh_name(cls), LIN_KB(len), lin_escape_n(), tc.secs * 1e3);
	else if (t.secs / tc.secs >= LIN_CONTROL_MAX)
	    lin_fail_time(__LINE__, "%s: t(%zu KB) = %.1f ms, its control %.1f ms: ratio "
		     "%.1f (limit %.0f)", sxh_name(cls), LIN_KB(len), t.secs * 1e3,
		     tc.secs * 1e3, t.secs / tc.secs, LIN_CONTROL_MAX);
	else {
	    lin_pass();
	    lin_note("%s: t(%zu KB) = %.2f ms, control %.2f ms: ratio %.1f",
		     sxh_name(cls), LIN_KB(len), t.secs * 1e3, tc.secs * 1e3,
		     t.secs / tc.secs);
	}
	free(msg);
	free(ctl);
    }
    CU_ASSERT(tested > 0);
}

/*
 * A fixture from the fuzzers (.bin) is fed as fuzz_reader feeds it: its
 * first byte picks the chunk size, with the fuzzer's limits; a message
 * (.eml) as the command reads it.
 */
static const struct sx_limits lin_fuzz_limits = {2048, 65536, 8192, 50, 8, SX_BYTES_MAX_DEFAULT, SX_WORK_MAX_DEFAULT};

static void test_slow_fixtures(void)
{
    DIR    *dir = opendir(LIN_SLOW_DIR);
    struct dirent *de;
    size_t  files = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    while ((de = readdir(dir)) != 0) {
	size_t  nlen = strlen(de->d_name), len, rlen;
	int     bin = nlen > 4 && strcmp(de->d_name + nlen - 4, ".bin") == 0;
	int     eml = nlen > 4 && strcmp(de->d_name + nlen - 4, ".eml") == 0;
	char    path[1024], *data, *ref;
	const char *msg;
	struct lin_feed feed = lin_cli;
	struct lin_run t, tr;
	int     reps = 1, rreps = 1;

	if (!bin && !eml)
	    continue;
	(void) snprintf(path, sizeof(path), "%s/%s", LIN_SLOW_DIR, de->d_name);
	CU_ASSERT_PTR_NOT_NULL_FATAL(data = sx_unit_slurp(path, &len));
	msg = data;
	if (bin && len > 0) {
	    feed.chunk = (size_t) ((unsigned char) data[0] % 97 + 1);
	    feed.lim = &lin_fuzz_limits;
	    msg++, len--;
	}
	files++;
	ref = sxh_reference(len, &rlen);
	tr = lin_measure(ref, rlen, &feed, 60, &rreps);
	t = lin_measure(msg, len, &feed, lin_escape(tr.secs), &reps);
	if (t.over)
	    lin_fail_time(__LINE__, "%s: over %.2f s (the reference of its size: %.2f ms)",
		     path, lin_escape(tr.secs), tr.secs * 1e3);
	else if (t.secs / tr.secs >= LIN_SLOW_MAX)
	    lin_fail_time(__LINE__, "%s: %.1f ms, the reference of its size %.2f ms: ratio "
		     "%.0f (limit %.0f)", path, t.secs * 1e3, tr.secs * 1e3,
		     t.secs / tr.secs, LIN_SLOW_MAX);
	else {
	    lin_pass();
	    lin_note("%s: %.2f ms, reference %.2f ms", path, t.secs * 1e3,
		     tr.secs * 1e3);
	}
	free(ref);
	free(data);
    }
    closedir(dir);
    lin_note("%zu slow fixtures", files);
}

static CU_TestInfo tests[] = {
    {"each class: t(4n) < 8 t(n)", test_classes},
    {"capped classes: t < 3 t(control)", test_controls},
    {"slow fixtures: t < 20 t(reference)", test_slow_fixtures},
    CU_TEST_INFO_NULL,
};

SX_SUITE(linear, tests, lin_init, lin_fini)
