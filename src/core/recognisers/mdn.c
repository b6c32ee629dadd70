/*
 * NAME
 *	mdn 3
 * SUMMARY
 *	rejections sent as disposition notifications (Sieve "reject")
 * DESCRIPTION
 *	A message disposition notification (RFC 8098; multipart/report
 *	with report-type=disposition-notification) is most often a read
 *	receipt, which says nothing went wrong: those are left alone. One
 *	kind is a refusal: the Sieve "reject" action (RFC 5429) and the
 *	mail filters that follow it (Dovecot's Pigeonhole, Cyrus) answer
 *	a message they refuse after taking it with a notification whose
 *	Disposition is "automatic-action/MDN-sent-automatically; deleted",
 *	and whose human-readable part gives the reason the recipient's
 *	script wrote.
 *
 *	Such a notification becomes one finding of kind bounce for its
 *	Final-Recipient (else its Original-Recipient), made as every
 *	bounce's (sx_scan_finding()): action failed, the human-readable
 *	text before the notification's fields as its diagnostic, and a
 *	reply written in that text, if any. Without one, the status is the
 *	one RFC 5429 gives the same refusal made during the SMTP session
 *	(5.7.1), marked as derived. The reporting host is the name in
 *	Reporting-UA.
 *	A deletion sent by hand (manual-action), and every other
 *	disposition (displayed, dispatched, processed, and RFC 2298's
 *	denied and failed), is not a refusal: the reading ends there with
 *	no finding (SX_SCAN_NONE), so that no later reader takes the
 *	receipt's Final-Recipient for a failed delivery.
 */
#include <string.h>
#include <strings.h>

#include <smtp-explain/text.h>

#include "address.h"
#include "scan.h"

/* sx_mdn_field - the value of a notification field, cleaned; 0 when absent */

static size_t sx_mdn_field(const struct sx_scan *s, const char *name,
			           const char **at, char *out, size_t size)
{
    const char *p, *v;
    size_t  len = s->cut ? s->cut : s->len;

    if ((p = sx_scan_search(s, s->text, len, name)) == 0)
	return (0);
    if (at && (*at == 0 || p < *at))
	*at = p;
    for (v = p + strlen(name); *v == ' ' || *v == '\t'; v++)
	 /* void */ ;
    return (sx_text_clean(out, size, v, (size_t) (sx_scan_line_end(s, v) - v)));
}

/*
 * sx_mdn_refusal - does a Disposition value say a filter deleted the
 * message? "automatic-action/MDN-sent-automatically; deleted", with
 * any modifiers after the type ("deleted/error").
 */
static int sx_mdn_refusal(const char *v)
{
    const char *semi = strchr(v, ';'), *t;

    if (semi == 0 || strncasecmp(v, "automatic-action", 16) != 0)
	return (0);
    for (t = semi + 1; *t == ' '; t++)
	 /* void */ ;
    return (strncasecmp(t, "deleted", 7) == 0
	    && (t[7] == 0 || t[7] == '/' || t[7] == ' '));
}

int     sx_read_mdn(const struct sx_scan *s)
{
    struct sx_finding f;
    const char *first = 0;
    char    disp[SX_HOST_MAX], rcpt[SX_ADDR_MAX], orig[SX_ADDR_MAX], ua[SX_HOST_MAX];
    char    addr[SX_ADDR_MAX], oaddr[SX_ADDR_MAX] = "";
    char   *semi;
    size_t  rlen, olen;
    int     has_ua;

    if (!s->msg->is_mdn)
	return (0);
    /* A receipt: its fields are no delivery report for the rows below. */
    if (sx_mdn_field(s, "\ndisposition:", 0, disp, sizeof(disp)) == 0
	|| !sx_mdn_refusal(disp))
	return (SX_SCAN_NONE);
    rlen = sx_mdn_field(s, "\nfinal-recipient:", &first, rcpt, sizeof(rcpt));
    olen = sx_mdn_field(s, "\noriginal-recipient:", &first, orig, sizeof(orig));
    has_ua = sx_mdn_field(s, "\nreporting-ua:", &first, ua, sizeof(ua)) > 0;
    if (olen > 0 && sx_addr_usable(orig, olen, oaddr, sizeof(oaddr)) == SX_ADDR_NONE)
	oaddr[0] = 0;
    if (rlen == 0 || sx_addr_usable(rcpt, rlen, addr, sizeof(addr)) == SX_ADDR_NONE) {
	if (oaddr[0] == 0)
	    return (0);
	memcpy(addr, oaddr, sizeof(addr));
	oaddr[0] = 0;
    }
    /* The human-readable part, the words before the first field, as
     * any bounce's diagnostic: a reply written in it counts. */
    if (first == 0)
	first = s->text;
    sx_scan_finding(s, &f, addr, s->text, (size_t) (first - s->text), "mdn");
    memcpy(f.original_recipient, oaddr, sizeof(f.original_recipient));
    if (has_ua) {
	if ((semi = strchr(ua, ';')) != 0)
	    *semi = 0;
	sx_text_copy(f.reporting_mta, sizeof(f.reporting_mta), ua, strlen(ua));
    }
    if (f.status[0] == 0) {
	strcpy(f.status, "5.7.1");
	f.flags |= SX_FINDING_STATUS_GUESSED;
    }
    return (sx_scan_add(s, &f) > 0);
}
