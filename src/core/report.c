/*
 * NAME
 *	report 3
 * SUMMARY
 *	what the core found in one message, explained
 * DESCRIPTION
 *	See report.h. One allocation per list; explanations are made here
 *	and nowhere else.
 */
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/report.h>
#include <smtp-explain/status.h>

#include <smtp-explain/date.h>

int     sx_report_build(struct sx_report *rep, const struct sx_registry *reg,
			        const struct sx_reader *r,
			        const struct sx_finding *rejected, size_t n)
{
    size_t  i, count = r ? sx_reader_count(r) : 0;

    memset(rep, 0, sizeof(*rep));
    rep->msg = r ? sx_reader_message(r) : 0;
    if ((count > 0 && (rep->items = calloc(count, sizeof(*rep->items))) == 0)
	|| (n > 0 && (rep->rejected = calloc(n, sizeof(*rep->rejected))) == 0)) {
	sx_report_free(rep);
	return (SX_ERR_NOMEM);
    }
    for (i = 0; i < count; i++) {
	rep->items[i].finding = sx_reader_finding(r, i);
	sx_explain(reg, rep->items[i].finding, &rep->items[i].ex);
    }
    rep->count = count;
    for (i = 0; i < n; i++) {
	rep->rejected[i].finding = rejected + i;
	sx_explain(reg, rejected + i, &rep->rejected[i].ex);
    }
    rep->rejected_count = n;
    return (SX_OK);
}

void    sx_report_free(struct sx_report *rep)
{
    if (rep == 0)
	return;
    free(rep->items);
    free(rep->rejected);
    rep->items = rep->rejected = 0;
    rep->count = rep->rejected_count = 0;
}

/* sx_report_lifetime - Arrival-Date plus the queue lifetime, when needed */

size_t  sx_report_lifetime(struct sx_report *rep, const char *lifetime)
{
    struct sx_report_item *it;
    unsigned seconds;
    size_t  i, dated = 0;

    if (rep == 0 || rep->msg == 0 || rep->msg->arrival_date[0] == 0
	|| lifetime == 0 || !sx_date_duration(lifetime, &seconds) || seconds == 0)
	return (0);
    for (i = 0; i < rep->count; i++) {
	it = rep->items + i;
	if (it->finding->action != SX_ACTION_DELAYED
	    || it->finding->retry_until[0] != 0 || it->lifetime)
	    continue;
	if (!sx_date_add(rep->msg->arrival_date, seconds, it->retry_until,
			 sizeof(it->retry_until)))
	    return (dated);		/* the same date for every item */
	it->ex.retry_until = it->retry_until;
	it->lifetime = 1;
	dated++;
    }
    return (dated);
}

/* sx_report_thread_id - the returned message's id, when it may be used */

int     sx_report_thread_id(const struct sx_message *m, char *out, size_t size)
{
    const char *id, *p, *at = 0;
    size_t  len;

    if (m == 0 || m->threaded || size == 0)
	return (0);
    for (id = m->orig_message_id; *id == ' '; id++)
	 /* void */ ;
    len = strlen(id);
    while (len > 0 && id[len - 1] == ' ')
	len--;
    if (len < 5 || len > 250 || len >= size || id[0] != '<' || id[len - 1] != '>')
	return (0);
    for (p = id + 1; p < id + len - 1; p++) {
	if (*p <= 0x20 || *p >= 0x7f || *p == '<' || *p == '>')
	    return (0);
	if (*p == '@')
	    at = p;
    }
    if (at == 0 || at == id + 1 || at == id + len - 2)
	return (0);
    memcpy(out, id, len);
    out[len] = 0;
    return (1);
}
