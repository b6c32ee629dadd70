/*
 * NAME
 *	dsn 3
 * SUMMARY
 *	RFC 3464 delivery-status fields to findings
 * DESCRIPTION
 *	See dsn.h. Field names are matched case-insensitively; values are
 *	cleaned of control characters before they are kept.
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/reply.h>
#include <smtp-explain/text.h>

#include "address.h"
#include "dsn.h"
#include "mime.h"

void    sx_dsn_init(struct sx_dsn *d)
{
    /* The field buffer is only read up to flen: no need to clear it. */
    memset(d, 0, offsetof(struct sx_dsn, field));
    d->field[0] = 0;
}

/* sx_dsn_value - "type; value" fields: the part after the type */

static const char *sx_dsn_value(const char *v)
{
    const char *semi = strchr(v, ';');

    if (semi && (size_t) (semi - v) < 20) {
	v = semi + 1;
	while (*v == ' ' || *v == '\t')
	    v++;
    }
    return (v);
}

static void sx_dsn_close(struct sx_dsn *d, struct sx_reader *r)
{
    struct sx_finding *f = &d->cur;

    if (d->has_final || d->has_orig || (f->action && d->has_status)) {
	f->kind = SX_KIND_DSN;
	/*
	 * A final recipient that is no Internet address as the sender
	 * wrote it (an internal alias "a@ims-ms-daemon", an x400 or
	 * X-Local address type): the Original-Recipient, when usable, is
	 * the one the sender used.
	 */
	if (f->recipient[0] == 0
	    || (d->final_kind != SX_ADDR_PLAIN && d->orig_kind == SX_ADDR_PLAIN))
	    memcpy(f->recipient, f->original_recipient, sizeof(f->recipient));
	if (f->reporting_mta[0] == 0)
	    memcpy(f->reporting_mta, d->reporting_mta, sizeof(f->reporting_mta));
	sx_text_copy(f->engine, sizeof(f->engine), "rfc3464", 7);
	sx_reader_add_dsn(r, f);
    }
    memset(f, 0, sizeof(*f));
    d->has_final = d->has_orig = d->has_diag = d->has_status = 0;
    d->final_kind = d->orig_kind = SX_ADDR_NONE;
}

static void sx_dsn_field(struct sx_dsn *d, struct sx_reader *r)
{
    char   *name = d->field, *colon, *value;
    struct sx_finding *f = &d->cur;
    struct sx_reply rep;

    d->field[d->flen] = 0;
    d->flen = 0;
    if ((colon = strchr(name, ':')) == 0)
	return;
    *colon = 0;
    value = colon + 1;
    while (*value == ' ' || *value == '\t')
	value++;

    if (strcasecmp(name, "Final-Recipient") == 0) {
	if (d->has_final)
	    sx_dsn_close(d, r);
	d->final_kind = sx_addr_usable(value, strlen(value), f->recipient,
				       sizeof(f->recipient));
	d->has_final = d->in_recipient = 1;
    } else if (strcasecmp(name, "Original-Recipient") == 0) {
	if (d->has_orig || d->has_final)
	    if (d->has_orig)
		sx_dsn_close(d, r);
	d->orig_kind = sx_addr_usable(value, strlen(value), f->original_recipient,
				      sizeof(f->original_recipient));
	d->has_orig = d->in_recipient = 1;
    } else if (strcasecmp(name, "Action") == 0) {
	f->action = sx_action_parse(value, strlen(value));
	d->in_recipient = 1;
    } else if (strcasecmp(name, "Status") == 0) {
	char    st[SX_STATUS_MAX];

	if (sx_status_find(value, strlen(value), st, 0)) {
	    /*
	     * The code the remote host wrote in its reply beats the
	     * reporting MTA's summary of it ("4.4.7" for "gave up",
	     * "5.0.0" for "some error").
	     */
	    if (!(d->has_diag && f->status[0]))
		memcpy(f->status, st, sizeof(st));
	}
	d->has_status = d->in_recipient = 1;
    } else if (strcasecmp(name, "Remote-MTA") == 0) {
	sx_text_clean(f->remote_mta, sizeof(f->remote_mta), sx_dsn_value(value),
		      strlen(sx_dsn_value(value)));
    } else if (strcasecmp(name, "Diagnostic-Code") == 0) {
	sx_reply_parse(value, strlen(value), &rep);
	f->replycode = rep.replycode;
	f->flags |= rep.flags;
	memcpy(f->command, rep.command, sizeof(f->command));
	if (rep.status[0])
	    memcpy(f->status, rep.status, sizeof(f->status));
	sx_text_clean(f->diagnostic, sizeof(f->diagnostic), value, strlen(value));
	if (strlen(value) >= sizeof(f->diagnostic))
	    f->flags |= SX_FINDING_TRUNCATED;
	d->has_diag = 1;
    } else if (strcasecmp(name, "Reporting-MTA") == 0) {
	sx_text_clean(d->reporting_mta, sizeof(d->reporting_mta),
		      sx_dsn_value(value), strlen(sx_dsn_value(value)));
	if (!d->in_recipient) {
	    struct sx_message *m = sx_reader_message_rw(r);

	    if (m->reporting_mta[0] == 0)
		memcpy(m->reporting_mta, d->reporting_mta, sizeof(m->reporting_mta));
	}
    } else if (strcasecmp(name, "Will-Retry-Until") == 0) {
	sx_text_clean(f->retry_until, sizeof(f->retry_until), value, strlen(value));
    } else if (strcasecmp(name, "Last-Attempt-Date") == 0) {
	sx_text_clean(f->last_attempt, sizeof(f->last_attempt), value, strlen(value));
    } else if (strcasecmp(name, "Arrival-Date") == 0 && !d->in_recipient) {
	struct sx_message *m = sx_reader_message_rw(r);

	if (m->arrival_date[0] == 0)
	    sx_text_clean(m->arrival_date, sizeof(m->arrival_date), value,
			  strlen(value));
    } else if (strcasecmp(name, "X-Postfix-Sender") == 0) {
	struct sx_message *m = sx_reader_message_rw(r);

	if (m->orig_sender[0] == 0)
	    sx_mime_addr(value, m->orig_sender, sizeof(m->orig_sender));
    }
}

void    sx_dsn_line(struct sx_dsn *d, const char *line, size_t len,
		            struct sx_reader *r)
{
    size_t  blank;

    for (blank = 0; blank < len && (line[blank] == ' ' || line[blank] == '\t'); blank++)
	 /* void */ ;
    if (blank == len) {
	if (d->flen)
	    sx_dsn_field(d, r);
	if (d->in_recipient)
	    sx_dsn_close(d, r);
	return;
    }
    if (blank > 0 && d->flen > 0) {
	/* Continuation: one space stands for the fold. */
	if (d->flen + 1 < sizeof(d->field))
	    d->field[d->flen++] = ' ';
	line += blank;
	len -= blank;
    } else if (d->flen) {
	sx_dsn_field(d, r);
    }
    if (len > sizeof(d->field) - 1 - d->flen)
	len = sizeof(d->field) - 1 - d->flen;
    memcpy(d->field + d->flen, line, len);
    d->flen += len;
}

void    sx_dsn_end(struct sx_dsn *d, struct sx_reader *r)
{
    if (d->flen)
	sx_dsn_field(d, r);
    if (d->in_recipient)
	sx_dsn_close(d, r);
    d->in_recipient = 0;
}
