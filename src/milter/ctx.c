/*
 * NAME
 *	ctx 3
 * SUMMARY
 *	per-connection and per-message state of the milter
 * DESCRIPTION
 *	See ctx.h. The message state is embedded in the connection and
 *	cleared field by field, so a reset can never leave a pointer to
 *	freed memory behind (the use-after-free of other milters' close
 *	callbacks came from state that outlived its owner).
 */
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/status.h>

#include "ctx.h"
#include "snapshot.h"

struct sxm_conn *sxm_conn_new(const struct sxm_ops *ops, void *handle,
				      struct sx_stats *stats)
{
    struct sxm_conn *conn;

    if ((conn = calloc(1, sizeof(*conn))) == 0)
	return (0);
    conn->ops = ops;
    conn->handle = handle;
    conn->stats = stats;
    (void) strcpy(conn->client, "unknown");
    (void) strcpy(conn->msg.qid, "NOQUEUE");
    return (conn);
}

void    sxm_conn_free(struct sxm_conn *conn)
{
    if (conn == 0)
	return;
    sxm_msg_reset(conn);
    free(conn);
}

void    sxm_msg_reset(struct sxm_conn *conn)
{
    struct sxm_msg *msg = &conn->msg;

    sx_reader_free(msg->reader);
    sxm_snapshot_release(msg->config);
    free(msg->rejected);
    free(msg->keep);
    memset(msg, 0, sizeof(*msg));
    (void) strcpy(msg->qid, "NOQUEUE");
}

int     sxm_msg_begin(struct sxm_conn *conn)
{
    struct sxm_msg *msg = &conn->msg;
    struct sx_limits lim;

    sxm_msg_reset(conn);
    msg->active = 1;
    if ((msg->config = sxm_snapshot_hold()) == 0)
	return (SX_ERR_CONFIG);
    lim = sx_limits_default;
    lim.bytes_max = msg->config->settings.analysis_bytes;
    lim.work_max = msg->config->settings.analysis_work;
    if ((msg->reader = sx_reader_new(&lim)) == 0)
	return (SX_ERR_NOMEM);
    sx_reader_autoreplies(msg->reader, msg->config->settings.autoreplies);
    return (SX_OK);
}

int     sxm_msg_add_rejected(struct sxm_msg *msg, const struct sx_finding *f)
{
    struct sx_finding *grown;
    size_t  size;

    if (msg->rejected_count >= SXM_REJECTED_MAX) {
	msg->rejected_dropped++;
	return (SX_OK);
    }
    if (msg->rejected_count == msg->rejected_size) {
	size = msg->rejected_size ? msg->rejected_size * 2 : 4;
	if (size > SXM_REJECTED_MAX)
	    size = SXM_REJECTED_MAX;
	if ((grown = realloc(msg->rejected, size * sizeof(*grown))) == 0)
	    return (SX_ERR_NOMEM);
	msg->rejected = grown;
	msg->rejected_size = size;
    }
    msg->rejected[msg->rejected_count++] = *f;
    return (SX_OK);
}
