/*
 * NAME
 *	testmode 3
 * SUMMARY
 *	run messages from files through the milter pipeline, no MTA
 * DESCRIPTION
 *	See testmode.h. The message is cut into what a milter receives:
 *	each header field (continuation lines joined with LF, as libmilter
 *	hands them over), then the body in chunks of at most 65535 bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/finding.h>

#include "ctx.h"
#include "filter.h"
#include "log.h"
#include "testmode.h"

#define SXM_TEST_FILE_MAX (64UL * 1024 * 1024)
#define SXM_TEST_CHUNK 65535
#define SXM_TEST_HEADER_MAX (64 * 1024)

/* ---------------------------------------------------------------- ops */

static int sxm_test_addheader(void *handle, const char *name, const char *value)
{
    fprintf((FILE *) handle, "### ADDHEADER %s:%s%s\n", name,
	    (*value == ' ') ? "" : " ", value);
    return (0);
}

static int sxm_test_chgheader(void *handle, const char *name, int index,
				      const char *value)
{
    if (value == 0)
	fprintf((FILE *) handle, "### CHGHEADER %s[%d]: (delete)\n", name,
		index);
    else
	fprintf((FILE *) handle, "### CHGHEADER %s[%d]:%s%s\n", name, index,
		(*value == ' ') ? "" : " ", value);
    return (0);
}

static int sxm_test_setreply(void *handle, const char *code, const char *xcode,
				     const char *text)
{
    fprintf((FILE *) handle, "### REPLY %s%s%s%s%s\n", code,
	    xcode ? " " : "", xcode ? xcode : "", text ? " " : "",
	    text ? text : "");
    return (0);
}

static int sxm_test_quarantine(void *handle, const char *reason)
{
    fprintf((FILE *) handle, "### QUARANTINE %s\n", reason);
    return (0);
}

static int sxm_test_replacebody(void *handle, const char *buf, size_t len)
{
    fprintf((FILE *) handle, "### REPLACEBODY %zu bytes\n", len);
    (void) fwrite(buf, 1, len, (FILE *) handle);
    fprintf((FILE *) handle, "\n### END REPLACEBODY\n");
    return (0);
}

static const struct sxm_ops sxm_test_ops = {
    .addheader = sxm_test_addheader,
    .chgheader = sxm_test_chgheader,
    .setreply = sxm_test_setreply,
    .quarantine = sxm_test_quarantine,
    .replacebody = sxm_test_replacebody,
};

/* ---------------------------------------------------------------- input */

static char *sxm_test_slurp(const char *path, size_t *lenp)
{
    FILE   *fp;
    char   *buf = 0;
    char   *grown;
    size_t  len = 0;
    size_t  size = 0;
    size_t  n;

    if (strcmp(path, "-") == 0)
	fp = stdin;
    else if ((fp = fopen(path, "rb")) == 0)
	return (0);
    for (;;) {
	if (size - len < 65536) {
	    if (size >= SXM_TEST_FILE_MAX) {
		errno = EFBIG;
		break;
	    }
	    size = size ? size * 2 : 65536 + 1;
	    if ((grown = realloc(buf, size)) == 0)
		break;
	    buf = grown;
	}
	n = fread(buf + len, 1, size - len - 1, fp);
	len += n;
	if (n == 0) {
	    if (ferror(fp))
		break;
	    if (fp != stdin)
		(void) fclose(fp);
	    buf[len] = 0;
	    *lenp = len;
	    return (buf);
	}
    }
    if (fp != stdin)
	(void) fclose(fp);
    free(buf);
    return (0);
}

/* Length of the line at p, without its end; *next is after its end. */
static size_t sxm_test_line(const char *p, const char *end, const char **next)
{
    const char *nl = memchr(p, '\n', (size_t) (end - p));
    size_t  len;

    if (nl == 0) {
	*next = end;
	len = (size_t) (end - p);
    } else {
	*next = nl + 1;
	len = (size_t) (nl - p);
    }
    if (len > 0 && p[len - 1] == '\r')
	len--;
    return (len);
}

/* Find the envelope sender in Return-Path, before the headers are fed. */
static int sxm_test_return_path(const char *p, const char *end, char *buf,
					size_t size)
{
    const char *next;
    size_t  len;

    while (p < end) {
	len = sxm_test_line(p, end, &next);
	if (len == 0)
	    break;
	if (len > 12 && strncasecmp(p, "Return-Path:", 12) == 0) {
	    const char *v = p + 12;
	    size_t  vlen = len - 12;

	    while (vlen > 0 && (*v == ' ' || *v == '\t'))
		v++, vlen--;
	    if (vlen >= size)
		vlen = size - 1;
	    memcpy(buf, v, vlen);
	    buf[vlen] = 0;
	    return (1);
	}
	p = next;
    }
    return (0);
}

/* Feed "addr status text|..." as recipients the MTA rejected. */
static void sxm_test_rejected(struct sxm_conn *conn, const char *spec)
{
    char   *copy = strdup(spec);
    char   *entry;
    char   *save = 0;
    char    rcpt[SX_ADDR_MAX + 2];

    if (copy == 0)
	return;
    for (entry = strtok_r(copy, "|", &save); entry != 0;
	 entry = strtok_r(0, "|", &save)) {
	char   *addr = entry + strspn(entry, " ");
	char   *status = addr + strcspn(addr, " ");
	char   *text;

	if (*status != 0)
	    *status++ = 0;
	status += strspn(status, " ");
	text = status + strcspn(status, " ");
	if (*text != 0)
	    *text++ = 0;
	(void) snprintf(rcpt, sizeof(rcpt), "<%s>", addr);
	(void) sxm_filter_envrcpt(conn, rcpt, "error", status, text);
    }
    free(copy);
}

/* ---------------------------------------------------------------- driver */

/* Run one message; returns the final result. */
static enum sxm_result sxm_test_message(struct sxm_conn *conn, const char *buf,
					   size_t len)
{
    const char *p = buf;
    const char *end = buf + len;
    const char *next;
    const char *env;
    char    sender[SX_ADDR_MAX + 2];
    char    envbuf[SX_ADDR_MAX + 4];
    char    name[256];
    char   *value;
    size_t  vlen;
    size_t  n;
    enum sxm_result r;

    /* An mbox separator is not part of the message. */
    if (len >= 5 && memcmp(p, "From ", 5) == 0)
	(void) sxm_test_line(p, end, &p);

    if ((env = getenv("SMTP_EXPLAIN_TEST_SENDER")) != 0) {
	(void) snprintf(sender, sizeof(sender), "%s", env);
	env = sender;
    } else if (sxm_test_return_path(p, end, sender, sizeof(sender))) {
	env = sender;
    }
    if (env != 0 && conn->internal) {
	/* Postfix's emulated session passes the address bare. */
	const char *bare = env + (*env == '<');

	(void) snprintf(envbuf, sizeof(envbuf), "%.*s",
			(int) strcspn(bare, ">"), bare);
	env = envbuf;
    } else if (env != 0 && *env != '<') {
	(void) snprintf(envbuf, sizeof(envbuf), "<%s>", env);
	env = envbuf;
    }
    if ((r = sxm_filter_envfrom(conn, env)) != SXM_CONTINUE)
	return (r);
    sxm_filter_qid(conn, "TEST");
    if ((env = getenv("SMTP_EXPLAIN_TEST_REJECTED")) != 0 && *env != 0)
	sxm_test_rejected(conn, env);
    r = sxm_filter_envrcpt(conn, "<test@test.invalid>", 0, 0, 0);
    if (r != SXM_CONTINUE)
	return (r);

    if ((value = malloc(SXM_TEST_HEADER_MAX)) == 0)
	return (SXM_ACCEPT);
    while (p < end) {
	const char *colon;

	n = sxm_test_line(p, end, &next);
	if (n == 0) {
	    p = next;
	    break;
	}
	colon = memchr(p, ':', n);
	if (colon == 0 || colon == p || (size_t) (colon - p) >= sizeof(name)
	    || *p == ' ' || *p == '\t')
	    break;			/* not a header: the body starts here */
	memcpy(name, p, (size_t) (colon - p));
	name[colon - p] = 0;
	vlen = n - (size_t) (colon + 1 - p);
	if (vlen >= SXM_TEST_HEADER_MAX)
	    vlen = SXM_TEST_HEADER_MAX - 1;
	memcpy(value, colon + 1, vlen);
	p = next;
	/* Continuation lines, joined with LF as libmilter does. */
	while (p < end && (*p == ' ' || *p == '\t')) {
	    n = sxm_test_line(p, end, &next);
	    if (vlen + 1 + n < SXM_TEST_HEADER_MAX) {
		value[vlen++] = '\n';
		memcpy(value + vlen, p, n);
		vlen += n;
	    }
	    p = next;
	}
	value[vlen] = 0;
	if ((r = sxm_filter_header(conn, name, value)) != SXM_CONTINUE) {
	    free(value);
	    return (r);
	}
    }
    free(value);
    if ((r = sxm_filter_eoh(conn)) != SXM_CONTINUE)
	return (r);
    while (p < end) {
	n = (size_t) (end - p);
	if (n > SXM_TEST_CHUNK)
	    n = SXM_TEST_CHUNK;
	r = sxm_filter_body(conn, p, n);
	if (r == SXM_SKIP)
	    break;
	if (r != SXM_CONTINUE)
	    return (r);
	p += n;
    }
    return (sxm_filter_eom(conn));
}

int     sxm_testmode_run(char **files, int count, FILE *out)
{
    const char *internal = getenv("SMTP_EXPLAIN_TEST_INTERNAL");
    struct sxm_conn *conn;
    enum sxm_result r;
    size_t  len;
    char   *buf;
    int     status = 0;
    int     i;

    for (i = 0; i < count; i++) {
	fprintf(out, "### FILE %s\n", files[i]);
	if ((buf = sxm_test_slurp(files[i], &len)) == 0) {
	    fprintf(stderr, "%s: %s\n", files[i], strerror(errno));
	    status = 1;
	    continue;
	}
	if ((conn = sxm_conn_new(&sxm_test_ops, out, 0)) == 0) {
	    free(buf);
	    fprintf(stderr, "out of memory\n");
	    return (1);
	}
	conn->steps = SXM_STEP_SKIP;
	/* No MTA names us: the headers say settings.authserv_id, else
	 * this host's name, as the daemon's do without Postfix's {j}. */
	if (internal != 0 && strcmp(internal, "1") == 0)
	    sxm_filter_connect(conn, "localhost", "127.0.0.1", 0, 0);
	else
	    sxm_filter_connect(conn, "client.test", "192.0.2.1", 4242, 0);
	r = sxm_test_message(conn, buf, len);
	if (conn->msg.active)
	    sxm_filter_abort(conn);
	fprintf(out, "### RESULT %s\n", sxm_result_name(r));
	(void) fflush(out);
	sxm_conn_free(conn);
	free(buf);
    }
    return (status);
}
