/*
 * NAME
 *	autoreply 3
 * SUMMARY
 *	RFC 3834 automatic replies (vacation, out of office)
 * DESCRIPTION
 *	An auto-reply says a message arrived; it is never a failure. It
 *	is recognised by its header markers (Auto-Submitted: auto-replied,
 *	X-Autoreply, X-Autorespond, Precedence: auto_reply), or by a
 *	responder's Subject prefix together with a sign that it answers a
 *	message (In-Reply-To, References, X-Auto-Response-Suppress), and
 *	reported as one finding of kind autoreply for the replying address,
 *	so that a filter can tell it from a bounce. Apple Mail's automatic
 *	unsubscribe request (X-Apple-Unsubscribe: true) is feedback
 *	instead: the recipient opts out of the mail.
 */
#include <string.h>
#include <strings.h>

#include <smtp-explain/text.h>

#include "scan.h"

static int sx_field_is(const char *h, size_t len, const char *name, const char *value)
{
    const char *p = h, *end = h + len;
    size_t  n = strlen(name), v = strlen(value);

    while (p && p < end) {
	if ((size_t) (end - p) > n + 2 + v && p[n] == ':'
	    && strncasecmp(p, name, n) == 0 && strncasecmp(p + n + 2, value, v) == 0)
	    return (1);
	if ((p = memchr(p, '\n', (size_t) (end - p))) != 0)
	    p++;
    }
    return (0);
}

int     sx_autoreply_hint(const char *h, size_t len, const char *subject)
{
    /* Subjects that vacation responders put in front. */
    static const char *const prefixes[] = {
	"auto reply", "automatic reply", "autoreply", "auto-reply", "auto:",
	"out of office", "out of the office", "abwesenheit",
	"absence", "r\xc3\xa9ponse automatique", "respuesta autom", 0,
    };
    const char *const *pp;

    if (sx_field_is(h, len, "Auto-Submitted", "auto-replied")
	|| sx_scan_has_field(h, len, "X-Autoreply") || sx_scan_has_field(h, len, "X-Autorespond")
	|| sx_field_is(h, len, "Precedence", "auto_reply"))
	return (1);
    /* A subject alone is not enough: it must also be a reply. */
    for (pp = prefixes; *pp; pp++)
	if (strncasecmp(subject, *pp, strlen(*pp)) == 0)
	    return (sx_scan_has_field(h, len, "In-Reply-To")
		    || sx_scan_has_field(h, len, "References")
		    || sx_scan_has_field(h, len, "X-Auto-Response-Suppress"));
    return (0);
}

int     sx_read_autoreply(const struct sx_scan *s)
{
    struct sx_finding f;

    /* A null-sender message with a delivery report is not a vacation. */
    if (s->msg->is_report)
	return (0);
    if (!sx_autoreply_hint(s->headers, s->hlen, s->msg->subject))
	return (0);
    /* Bounces also say auto-replied: leave those to the bounce shapes. */
    if (s->msg->null_sender
	&& (sx_scan_find(s, "could not be delivered")
	    || sx_scan_find(s, "undeliverable")
	    || sx_scan_find(s, "delivery status notification")
	    || sx_scan_find(s, "failed")))
	return (0);
    memset(&f, 0, sizeof(f));
    sx_text_copy(f.recipient, sizeof(f.recipient), s->msg->from, strlen(s->msg->from));
    /*
     * Apple Mail's "unsubscribe" button answers a list message with an
     * automatic reply marked X-Apple-Unsubscribe: an opt-out request,
     * which is feedback about the mail, not an away message.
     */
    if (sx_field_is(s->headers, s->hlen, "X-Apple-Unsubscribe", "true")) {
	f.kind = SX_KIND_FEEDBACK;
	sx_text_copy(f.diagnostic, sizeof(f.diagnostic), "opt-out", 7);
	sx_text_copy(f.engine, sizeof(f.engine), "unsubscribe", 11);
	return (sx_scan_add(s, &f));
    }
    f.kind = SX_KIND_AUTOREPLY;
    f.action = SX_ACTION_DELIVERED;
    sx_text_copy(f.diagnostic, sizeof(f.diagnostic), s->msg->subject,
		 strlen(s->msg->subject));
    sx_text_copy(f.engine, sizeof(f.engine), "rfc3834", 7);
    return (sx_scan_add(s, &f));
}
