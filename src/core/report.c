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
