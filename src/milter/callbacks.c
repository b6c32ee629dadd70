/*
 * NAME
 *	callbacks 3
 * SUMMARY
 *	the libmilter glue: the only module that calls smfi_*
 * DESCRIPTION
 *	See callbacks.h. What we ask of the MTA at negotiation, and why,
 *	is decided in negotiate.c; here it is applied:
 *
 *	steps the MTA sends without waiting (SMFIP_NR_*) are answered
 *	with SMFIS_NOREPLY, whatever the pipeline says; a decision made
 *	there (trouble at MAIL: accept, or tempfail with on_error) is kept
 *	in the session and given at the next step that is answered (end
 *	of headers, a body chunk, end of message). libmilter would turn
 *	any other answer into none anyway, and log an error each time.
 *
 *	Without the connect event (SMFIP_NOCONNECT), the client's name,
 *	address and port and the MTA's name are read from the connect
 *	macros at the first MAIL of the session.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmilter/mfapi.h>

#include "callbacks.h"
#include "ctx.h"
#include "filter.h"
#include "log.h"
#include "negotiate.h"
#include "snapshot.h"

/* ---------------------------------------------------------------- ops */

static int sxm_cb_addheader(void *handle, const char *name, const char *value)
{
    return (smfi_addheader((SMFICTX *) handle, (char *) name,
			   (char *) value) == MI_SUCCESS ? 0 : -1);
}

static int sxm_cb_chgheader(void *handle, const char *name, int index,
				    const char *value)
{
    return (smfi_chgheader((SMFICTX *) handle, (char *) name, index,
			   (char *) value) == MI_SUCCESS ? 0 : -1);
}

static int sxm_cb_setreply(void *handle, const char *code, const char *xcode,
				   const char *text)
{
    return (smfi_setreply((SMFICTX *) handle, (char *) code, (char *) xcode,
			  (char *) text) == MI_SUCCESS ? 0 : -1);
}

static int sxm_cb_quarantine(void *handle, const char *reason)
{
    return (smfi_quarantine((SMFICTX *) handle, (char *) reason)
	    == MI_SUCCESS ? 0 : -1);
}

static int sxm_cb_replacebody(void *handle, const char *buf, size_t len)
{
    return (smfi_replacebody((SMFICTX *) handle, (unsigned char *) buf,
			     (int) len) == MI_SUCCESS ? 0 : -1);
}

static const struct sxm_ops sxm_cb_ops = {
    .addheader = sxm_cb_addheader,
    .chgheader = sxm_cb_chgheader,
    .setreply = sxm_cb_setreply,
    .quarantine = sxm_cb_quarantine,
    .replacebody = sxm_cb_replacebody,
};

/* ---------------------------------------------------------------- state */

/* Set by sxm_milter_open() before libmilter starts any thread. */
static struct sx_stats *sxm_cb_stats;
static int sxm_cb_tcp;			/* inet: or inet6: socket */

/* The session's state, created on first use. NULL when out of memory. */
static struct sxm_conn *sxm_cb_conn(SMFICTX *ctx)
{
    struct sxm_conn *conn = smfi_getpriv(ctx);

    if (conn != 0)
	return (conn);
    if ((conn = sxm_conn_new(&sxm_cb_ops, ctx, sxm_cb_stats)) == 0) {
	sxm_log(LOG_ERR, 0, "out of memory for a new session");
	return (0);
    }
    if (smfi_setpriv(ctx, conn) != MI_SUCCESS) {
	sxm_log(LOG_ERR, 0, "cannot attach state to a session");
	sxm_conn_free(conn);
	return (0);
    }
    return (conn);
}

static void sxm_cb_qid(SMFICTX *ctx, struct sxm_conn *conn)
{
    sxm_filter_qid(conn, smfi_getsymval(ctx, "i"));
}

static sfsistat sxm_cb_status(const struct sxm_conn *conn, enum sxm_result r)
{
    switch (r) {
    case SXM_CONTINUE:
	return (SMFIS_CONTINUE);
    case SXM_ACCEPT:
	return (SMFIS_ACCEPT);
    case SXM_REJECT:
	return (SMFIS_REJECT);
    case SXM_TEMPFAIL:
	return (SMFIS_TEMPFAIL);
    case SXM_DISCARD:
	return (SMFIS_DISCARD);
    case SXM_SKIP:
	return ((conn->steps & SXM_STEP_SKIP) ? SMFIS_SKIP : SMFIS_CONTINUE);
    }
    return (SMFIS_CONTINUE);
}

/*
 * sxm_cb_quiet - the answer of a step negotiated without reply: none.
 * What the pipeline decided there waits for the next answered step.
 */
static sfsistat sxm_cb_quiet(struct sxm_conn *conn, unsigned nr_step,
				     enum sxm_result r)
{
    if ((conn->steps & nr_step) == 0)
	return (sxm_cb_status(conn, r));
    if (r != SXM_CONTINUE && r != SXM_SKIP && conn->pending == SXM_CONTINUE)
	conn->pending = r;
    return (SMFIS_NOREPLY);
}

/* sxm_cb_answer - the answer of a step the MTA waits for */

static sfsistat sxm_cb_answer(struct sxm_conn *conn, enum sxm_result r)
{
    if (conn->pending != SXM_CONTINUE) {
	r = conn->pending;
	conn->pending = SXM_CONTINUE;
    }
    return (sxm_cb_status(conn, r));
}

/* sxm_cb_client - without the connect event: the client from macros */

static void sxm_cb_client(SMFICTX *ctx, struct sxm_conn *conn)
{
    const char *addr = smfi_getsymval(ctx, "{client_addr}");
    const char *port = smfi_getsymval(ctx, "{client_port}");
    unsigned char bin[sizeof(struct in6_addr)];
    char   *end;
    long    num = -1;

    /* Only an inet address counts, as with the connect event. */
    if (addr != 0 && inet_pton(AF_INET, addr, bin) != 1
	&& inet_pton(AF_INET6, addr, bin) != 1)
	addr = 0;
    if (port != 0 && *port != 0) {
	num = strtol(port, &end, 10);
	if (*end != 0 || num < 0 || num > 65535)
	    num = -1;
    }
    sxm_filter_connect(conn, smfi_getsymval(ctx, "{client_name}"), addr,
		       (int) num, smfi_getsymval(ctx, "j"));
}

/* ---------------------------------------------------------------- callbacks */

/* sxm_cb_steps - the SXM_STEP_* bits of the negotiated SMFIP_* steps */

static unsigned sxm_cb_steps(unsigned long steps)
{
    static const struct {
	unsigned long smfip;
	unsigned sxm;
    }       map[] = {
	{SMFIP_SKIP, SXM_STEP_SKIP},
	{SMFIP_RCPT_REJ, SXM_STEP_RCPT_REJ},
	{SMFIP_HDR_LEADSPC, SXM_STEP_LEADSPC},
	{SMFIP_NR_CONN, SXM_STEP_NR_CONN},
	{SMFIP_NR_MAIL, SXM_STEP_NR_MAIL},
	{SMFIP_NR_RCPT, SXM_STEP_NR_RCPT},
	{SMFIP_NR_HDR, SXM_STEP_NR_HDR},
	{SMFIP_NOCONNECT, SXM_STEP_NOCONNECT},
    };
    unsigned out = 0;
    size_t  i;

    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
	if (steps & map[i].smfip)
	    out |= map[i].sxm;
    return (out);
}

/*
 * What to ask for, from the configuration in force now and the socket.
 * Without session state we cannot follow no-reply steps: then ask for
 * what the old protocol gave, every step answered.
 */
static sfsistat sxm_cb_negotiate(SMFICTX *ctx, unsigned long f0,
					 unsigned long f1, unsigned long f2,
					 unsigned long f3, unsigned long *pf0,
					 unsigned long *pf1, unsigned long *pf2,
					 unsigned long *pf3)
{
    struct sxm_conn *conn = sxm_cb_conn(ctx);
    struct sx_config *config = sxm_snapshot_hold();
    struct sxm_want want;
    int     i;

    sxm_negotiate_steps(config, sxm_cb_tcp, f0, f1, &want);
    sxm_snapshot_release(config);
    if (conn == 0) {
	want.actions &= ~SMFIF_SETSYMLIST;
	want.steps &= SMFIP_SKIP | SMFIP_HDR_LEADSPC | SMFIP_NOHELO
	    | SMFIP_NOUNKNOWN;
    }
    for (i = 0; i < SXM_MACRO_STAGES && (want.actions & SMFIF_SETSYMLIST); i++) {
	if (want.macros[i] == 0
	    || smfi_setsymlist(ctx, i, (char *) want.macros[i]) == MI_SUCCESS)
	    continue;
	sxm_log(LOG_WARNING, 0, "cannot ask for the macros \"%s\"",
		want.macros[i]);
	/* Without the client's macros, the connect event must come. */
	if (i == SMFIM_CONNECT && (want.steps & SMFIP_NOCONNECT)) {
	    want.steps &= ~SMFIP_NOCONNECT;
	    want.steps |= f1 & SMFIP_NR_CONN;
	}
    }
    *pf0 = want.actions;
    *pf1 = want.steps;
    *pf2 = 0;
    *pf3 = 0;
    if ((f0 & SMFIF_ADDHDRS) == 0)
	sxm_log(LOG_WARNING, 0, "the MTA does not let us add headers");
    if (conn != 0) {
	conn->steps = sxm_cb_steps(want.steps);
	conn->pending = SXM_CONTINUE;
    }
    return (SMFIS_CONTINUE);
}

static sfsistat sxm_cb_connect(SMFICTX *ctx, char *host, struct sockaddr *sa)
{
    struct sxm_conn *conn = sxm_cb_conn(ctx);
    char    addr[INET6_ADDRSTRLEN];
    const char *addrp = 0;
    int     port = -1;

    if (conn == 0)
	return (SMFIS_ACCEPT);
    if (sa != 0 && sa->sa_family == AF_INET) {
	const struct sockaddr_in *sin = (const struct sockaddr_in *) sa;

	addrp = inet_ntop(AF_INET, &sin->sin_addr, addr, sizeof(addr));
	port = ntohs(sin->sin_port);
    } else if (sa != 0 && sa->sa_family == AF_INET6) {
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *) sa;

	addrp = inet_ntop(AF_INET6, &sin6->sin6_addr, addr, sizeof(addr));
	port = ntohs(sin6->sin6_port);
    }
    sxm_filter_connect(conn, host, addrp, port, smfi_getsymval(ctx, "j"));
    return (sxm_cb_quiet(conn, SXM_STEP_NR_CONN, SXM_CONTINUE));
}

static sfsistat sxm_cb_envfrom(SMFICTX *ctx, char **argv)
{
    struct sxm_conn *conn = sxm_cb_conn(ctx);

    /* No state, no way to remember a decision: the MTA waits, or not. */
    if (conn == 0)
	return (SMFIS_ACCEPT);
    if (!conn->connected && (conn->steps & SXM_STEP_NOCONNECT))
	sxm_cb_client(ctx, conn);
    conn->pending = SXM_CONTINUE;
    sxm_cb_qid(ctx, conn);
    return (sxm_cb_quiet(conn, SXM_STEP_NR_MAIL,
			 sxm_filter_envfrom(conn, argv != 0 ? argv[0] : 0)));
}

static sfsistat sxm_cb_envrcpt(SMFICTX *ctx, char **argv)
{
    struct sxm_conn *conn = smfi_getpriv(ctx);

    if (conn == 0)
	return (SMFIS_CONTINUE);
    return (sxm_cb_quiet(conn, SXM_STEP_NR_RCPT,
			 sxm_filter_envrcpt(conn, argv != 0 ? argv[0] : 0,
				      smfi_getsymval(ctx, "{rcpt_mailer}"),
				      smfi_getsymval(ctx, "{rcpt_host}"),
				      smfi_getsymval(ctx, "{rcpt_addr}"))));
}

static sfsistat sxm_cb_data(SMFICTX *ctx)
{
    struct sxm_conn *conn = smfi_getpriv(ctx);

    if (conn != 0)
	sxm_cb_qid(ctx, conn);
    return (SMFIS_CONTINUE);
}

static sfsistat sxm_cb_header(SMFICTX *ctx, char *name, char *value)
{
    struct sxm_conn *conn = smfi_getpriv(ctx);

    if (conn == 0)
	return (SMFIS_CONTINUE);
    return (sxm_cb_quiet(conn, SXM_STEP_NR_HDR,
			 sxm_filter_header(conn, name, value)));
}

static sfsistat sxm_cb_eoh(SMFICTX *ctx)
{
    struct sxm_conn *conn = smfi_getpriv(ctx);

    if (conn == 0)
	return (SMFIS_CONTINUE);
    sxm_cb_qid(ctx, conn);
    if (conn->pending != SXM_CONTINUE)
	return (sxm_cb_answer(conn, SXM_CONTINUE));
    return (sxm_cb_answer(conn, sxm_filter_eoh(conn)));
}

static sfsistat sxm_cb_body(SMFICTX *ctx, unsigned char *buf, size_t len)
{
    struct sxm_conn *conn = smfi_getpriv(ctx);

    if (conn == 0)
	return (SMFIS_CONTINUE);
    if (conn->pending != SXM_CONTINUE)
	return (sxm_cb_answer(conn, SXM_CONTINUE));
    return (sxm_cb_answer(conn, sxm_filter_body(conn, (const char *) buf,
								 len)));
}

static sfsistat sxm_cb_eom(SMFICTX *ctx)
{
    struct sxm_conn *conn = smfi_getpriv(ctx);

    if (conn == 0)
	return (SMFIS_CONTINUE);
    sxm_cb_qid(ctx, conn);
    if (conn->pending != SXM_CONTINUE)
	return (sxm_cb_answer(conn, SXM_CONTINUE));
    return (sxm_cb_answer(conn, sxm_filter_eom(conn)));
}

static sfsistat sxm_cb_abort(SMFICTX *ctx)
{
    struct sxm_conn *conn = smfi_getpriv(ctx);

    if (conn != 0) {
	conn->pending = SXM_CONTINUE;
	sxm_filter_abort(conn);
    }
    return (SMFIS_CONTINUE);
}

static sfsistat sxm_cb_close(SMFICTX *ctx)
{
    struct sxm_conn *conn = smfi_getpriv(ctx);

    /* May come without connect, and without abort mid-message. */
    if (conn != 0) {
	if (conn->msg.active)
	    sxm_filter_abort(conn);
	(void) smfi_setpriv(ctx, 0);
	sxm_conn_free(conn);
    }
    return (SMFIS_CONTINUE);
}

static struct smfiDesc sxm_cb_desc = {
    "smtp-explain",			/* filter name */
    SMFI_VERSION,			/* version code */
    SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE,	/* see negotiate */
    sxm_cb_connect,			/* connection info filter */
    0,					/* SMTP HELO command filter */
    sxm_cb_envfrom,			/* envelope sender filter */
    sxm_cb_envrcpt,			/* envelope recipient filter */
    sxm_cb_header,			/* header filter */
    sxm_cb_eoh,				/* end of header */
    sxm_cb_body,			/* body block filter */
    sxm_cb_eom,				/* end of message */
    sxm_cb_abort,			/* message aborted */
    sxm_cb_close,			/* connection cleanup */
    0,					/* unknown SMTP commands */
    sxm_cb_data,			/* DATA command */
    sxm_cb_negotiate,			/* option negotiation */
};

/* ---------------------------------------------------------------- daemon */

int     sxm_milter_open(const char *spec, int backlog, struct sx_stats *stats)
{
    sxm_cb_stats = stats;
    sxm_cb_tcp = (strncmp(spec, "inet:", 5) == 0
		  || strncmp(spec, "inet6:", 6) == 0);
    if (smfi_register(sxm_cb_desc) == MI_FAILURE) {
	sxm_log(LOG_ERR, 0, "smfi_register failed");
	return (-1);
    }
    if (smfi_setconn((char *) spec) == MI_FAILURE) {
	sxm_log(LOG_ERR, 0, "%s: bad socket specification", spec);
	return (-1);
    }
    if (backlog > 0 && smfi_setbacklog(backlog) == MI_FAILURE)
	sxm_log(LOG_WARNING, 0, "cannot set the listen backlog to %d", backlog);
    /* 0: remove nothing; listen.c decides what may be replaced. */
    if (smfi_opensocket(0) == MI_FAILURE) {
	sxm_log(LOG_DEBUG, 0, "%s: libmilter could not open the socket", spec);
	return (-1);
    }
    return (0);
}

int     sxm_milter_run(void)
{
    return (smfi_main() == MI_SUCCESS ? 0 : -1);
}

void    sxm_milter_stop(void)
{
    (void) smfi_stop();
}

const char *sxm_milter_version(char *buf, size_t size)
{
    unsigned int major = 0;
    unsigned int minor = 0;
    unsigned int patch = 0;

    (void) smfi_version(&major, &minor, &patch);
    (void) snprintf(buf, size, "%u.%u.%u", major, minor, patch);
    return (buf);
}
