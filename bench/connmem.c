/*
 * NAME
 *	connmem - heap held by one milter connection
 * SYNOPSIS
 *	bench-connmem [-v] [-c config] SENDER FILE [SENDER FILE]...
 * DESCRIPTION
 *	Runs each FILE, as one message with the envelope SENDER ("<>" for
 *	a report), through the milter's own pipeline (src/milter/filter.c,
 *	the code libmilter's callbacks call) on one connection, on the
 *	configuration the daemon would load (or the -c file). The program
 *	replaces malloc and friends with counting wrappers around glibc's,
 *	so every byte the milter's state and the library allocate is seen:
 *
 *	- the sizes of struct sxm_conn and struct sxm_msg (ctx.h), and of
 *	  a finding and its explanation;
 *	- the heap a connection holds when idle;
 *	- for each message: what it holds once MAIL FROM is seen (the
 *	  reader's fixed buffers), the peak during the message (reader,
 *	  findings, explanations, rendered headers), and what is left
 *	  after it;
 *	- that 1,000 more of the same messages leave nothing behind;
 *	- with explain_body on in the configuration, whether the body was
 *	  replaced and its size: the peak then includes the report's bytes
 *	  kept while it passes and the rewritten copy.
 *
 *	-v lists every block of 1 KiB or more allocated during the first
 *	run of each message, with its size.
 *
 *	Counts are malloc_usable_size() bytes: what the allocator gave,
 *	slightly more than was asked. libmilter's own per-connection
 *	memory (its thread stack and buffers) is not included.
 * DIAGNOSTICS
 *	Exit 0; 1 when a file cannot be read or the configuration does not
 *	load; 2 on a usage error.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "ctx.h"
#include "filter.h"
#include "log.h"
#include "snapshot.h"

/* ---------------------------------------------------------------- counting */

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

/* Single-threaded program: plain counters do. */
static size_t cm_live;
static size_t cm_peak;
static int cm_trace;

static void cm_add(void *p)
{
    size_t  n;

    if (p == 0)
	return;
    n = malloc_usable_size(p);
    if (cm_trace && n >= 1024)
	fprintf(stdout, "memory:   block of %zu bytes (live %zu)\n", n,
		cm_live + n);
    cm_live += n;
    if (cm_live > cm_peak)
	cm_peak = cm_live;
}

static void cm_sub(void *p)
{
    if (p != 0)
	cm_live -= malloc_usable_size(p);
}

void   *malloc(size_t n)
{
    void   *p = __libc_malloc(n);

    cm_add(p);
    return (p);
}

void   *calloc(size_t n, size_t size)
{
    void   *p = __libc_calloc(n, size);

    cm_add(p);
    return (p);
}

void   *realloc(void *old, size_t n)
{
    size_t  before = old ? malloc_usable_size(old) : 0;
    void   *p = __libc_realloc(old, n);

    if (p != 0 || n == 0) {
	cm_live -= before;
	cm_add(p);
    }
    return (p);
}

void    free(void *p)
{
    cm_sub(p);
    __libc_free(p);
}

void   *memalign(size_t align, size_t n)
{
    void   *p = __libc_memalign(align, n);

    cm_add(p);
    return (p);
}

void   *aligned_alloc(size_t align, size_t n)
{
    return (memalign(align, n));
}

int     posix_memalign(void **pp, size_t align, size_t n)
{
    *pp = memalign(align, n);
    return (*pp ? 0 : 12 /* ENOMEM */ );
}

/* ---------------------------------------------------------------- the MTA */

static int cm_addheader(void *h, const char *name, const char *value)
{
    return (0);
}

static int cm_chgheader(void *h, const char *name, int index, const char *v)
{
    return (0);
}

static int cm_setreply(void *h, const char *c, const char *x, const char *t)
{
    return (0);
}

static int cm_quarantine(void *h, const char *reason)
{
    return (0);
}

/* Bodies the milter replaced (explain_body), and the last one's size. */
static size_t cm_replaced;
static size_t cm_replaced_len;

static int cm_replacebody(void *h, const char *buf, size_t len)
{
    cm_replaced++;
    cm_replaced_len = len;
    return (0);
}

static const struct sxm_ops cm_ops = {
    .addheader = cm_addheader,
    .chgheader = cm_chgheader,
    .setreply = cm_setreply,
    .quarantine = cm_quarantine,
    .replacebody = cm_replacebody,
};

/* The file with LF line ends turned into CRLF, as Postfix sends it. */
static char *cm_slurp(const char *path, size_t *lenp)
{
    FILE   *fp = fopen(path, "rb");
    char   *buf;
    size_t  len = 0, size = 8192;
    int     c, prev = 0;

    if (fp == 0 || (buf = malloc(size)) == 0)
	return (0);
    while ((c = getc(fp)) != EOF) {
	if (len + 2 >= size && (buf = realloc(buf, size *= 2)) == 0)
	    return (0);
	if (c == '\n' && prev != '\r')
	    buf[len++] = '\r';
	buf[len++] = (char) c;
	prev = c;
    }
    (void) fclose(fp);
    *lenp = len;
    return (buf);
}

/* One message through the stages libmilter would call. */
static void cm_message(struct sxm_conn *conn, const char *sender,
		               const char *p, size_t len, size_t *at_mail)
{
    const char *end = p + len;
    char    name[256], value[16384];
    enum sxm_result r;

    if (sxm_filter_envfrom(conn, sender) != SXM_CONTINUE)
	goto done;
    *at_mail = cm_live;
    sxm_filter_qid(conn, "BENCH");
    if (sxm_filter_envrcpt(conn, "<bob@example.org>", "smtp",
			   "[127.0.0.1]", "bob@example.org") != SXM_CONTINUE)
	goto done;
    /* Header fields, continuation lines joined with LF as libmilter does. */
    while (p < end) {
	const char *eol = memchr(p, '\n', (size_t) (end - p));
	const char *colon;
	size_t  n, vlen;

	n = (size_t) ((eol ? eol : end) - p);
	if (n > 0 && p[n - 1] == '\r')
	    n--;
	if (n == 0) {
	    p = eol ? eol + 1 : end;
	    break;
	}
	colon = memchr(p, ':', n);
	if (colon == 0 || (size_t) (colon - p) >= sizeof(name))
	    break;
	memcpy(name, p, (size_t) (colon - p));
	name[colon - p] = 0;
	vlen = n - (size_t) (colon + 1 - p);
	if (vlen >= sizeof(value))
	    vlen = sizeof(value) - 1;
	memcpy(value, colon + 1, vlen);
	p = eol ? eol + 1 : end;
	while (p < end && (*p == ' ' || *p == '\t')) {
	    eol = memchr(p, '\n', (size_t) (end - p));
	    n = (size_t) ((eol ? eol : end) - p);
	    if (n > 0 && p[n - 1] == '\r')
		n--;
	    if (vlen + 1 + n < sizeof(value)) {
		value[vlen++] = '\n';
		memcpy(value + vlen, p, n);
		vlen += n;
	    }
	    p = eol ? eol + 1 : end;
	}
	value[vlen] = 0;
	if (sxm_filter_header(conn, name, value) != SXM_CONTINUE)
	    goto done;
    }
    if (sxm_filter_eoh(conn) != SXM_CONTINUE)
	goto done;
    while (p < end) {
	size_t  n = (size_t) (end - p) > 65535 ? 65535 : (size_t) (end - p);

	if ((r = sxm_filter_body(conn, p, n)) != SXM_CONTINUE)
	    break;
	p += n;
    }
    (void) sxm_filter_eom(conn);
done:
    if (conn->msg.active)
	sxm_filter_abort(conn);
}

int     main(int argc, char **argv)
{
    struct sx_config *config;
    struct sxm_conn *conn;
    size_t  base, idle, at_mail, after, len;
    char   *buf;
    const char *file = 0;
    int     verbose = 0;
    int     i, k, ch;

    while ((ch = getopt(argc, argv, "c:v")) != -1) {
	if (ch == 'c')
	    file = optarg;
	else if (ch == 'v')
	    verbose = 1;
	else
	    argc = 0;
    }
    argc -= optind - 1;
    argv += optind - 1;
    if (argc < 3 || (argc - 1) % 2 != 0) {
	fprintf(stderr, "usage: bench-connmem [-v] [-c config] SENDER FILE "
		"[SENDER FILE]...\n");
	return (2);
    }
    sxm_log_open("bench-connmem", LOG_MAIL, 0, 0);
    if (file == 0)
	file = sxm_snapshot_path(0, 0);
    if ((config = sxm_snapshot_load(file, 1, 1)) == 0)
	return (1);
    sxm_snapshot_install(config);
    printf("memory: configuration %s\n", file ? file : "(embedded default)");
    printf("memory: sizeof(struct sxm_conn) = %zu bytes, of which "
	   "struct sxm_msg = %zu\n", sizeof(struct sxm_conn),
	   sizeof(struct sxm_msg));
    printf("memory: sizeof(struct sx_finding) = %zu, sizeof(struct "
	   "sx_explanation) = %zu bytes\n", sizeof(struct sx_finding),
	   sizeof(struct sx_explanation));

    /*
     * Tables the library compiles on first use (the phrase automata,
     * other languages' texts) are built once per process and shared by
     * every connection: one warm-up message on a connection of its own,
     * so that the figures below are what a connection costs.
     */
    if (argc > 2 && (buf = cm_slurp(argv[2], &len)) != 0) {
	size_t  before = cm_live;

	if ((conn = sxm_conn_new(&cm_ops, 0, 0)) == 0)
	    return (1);
	conn->steps = SXM_STEP_SKIP | SXM_STEP_RCPT_REJ | SXM_STEP_LEADSPC;
	sxm_filter_connect(conn, "client.example.org", "192.0.2.1", 4242,
			   "mx.example.org");
	cm_message(conn, argv[1], buf, len, &at_mail);
	sxm_conn_free(conn);
	free(buf);
	printf("memory: built once per process on first use, shared by every "
	       "connection: %zu heap bytes\n", cm_live - before);
    }

    base = cm_live;
    if ((conn = sxm_conn_new(&cm_ops, 0, 0)) == 0)
	return (1);
    conn->steps = SXM_STEP_SKIP | SXM_STEP_RCPT_REJ | SXM_STEP_LEADSPC;
    sxm_filter_connect(conn, "client.example.org", "192.0.2.1", 4242,
		       "mx.example.org");
    idle = cm_live - base;
    printf("memory: connection, idle: %zu heap bytes\n", idle);

    for (i = 1; i + 1 < argc; i += 2) {
	if ((buf = cm_slurp(argv[i + 1], &len)) == 0) {
	    perror(argv[i + 1]);
	    return (1);
	}
	base = cm_live;			/* connection + this file's buffer */
	cm_peak = cm_live;
	at_mail = cm_live;
	cm_trace = verbose;
	cm_replaced = 0;
	cm_message(conn, argv[i], buf, len, &at_mail);
	cm_trace = 0;
	after = cm_live;
	if (cm_replaced > 0)
	    printf("memory: %s: body replaced (explain_body), %zu bytes\n",
		   argv[i + 1], cm_replaced_len);
	printf("memory: %s (MAIL FROM:%s, %zu bytes): at MAIL FROM +%zu, "
	       "peak +%zu, after +%zu heap bytes beyond the idle connection\n",
	       argv[i + 1], argv[i], len, at_mail - base, cm_peak - base,
	       after - base);
	printf("memory: per connection during that message%s: %zu bytes "
	       "(%.1f KiB)\n", cm_replaced ? " (body kept and replaced)" : "",
	       idle + cm_peak - base, (idle + cm_peak - base) / 1024.0);
	for (k = 0; k < 1000; k++)
	    cm_message(conn, argv[i], buf, len, &at_mail);
	printf("memory: 1000 more of them: %+ld heap bytes left over\n",
	       (long) cm_live - (long) after);
	free(buf);
    }
    base = cm_live;
    sxm_conn_free(conn);
    printf("memory: connection closed: %zu bytes given back\n", base - cm_live);
    sxm_snapshot_install(0);
    return (0);
}
