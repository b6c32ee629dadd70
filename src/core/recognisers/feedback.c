/*
 * NAME
 *	feedback 3
 * SUMMARY
 *	complaint reports: RFC 5965 (ARF) and Microsoft's JMRP
 * DESCRIPTION
 *	A feedback report is not a delivery failure: it says a recipient
 *	flagged the message. It becomes one finding of kind feedback for
 *	each address the report names (every Original-Rcpt-To, else the
 *	Removal-Recipient), with no reply code. Microsoft's junk-mail
 *	reports (JMRP) are not ARF: they attach the original, whose
 *	X-HmXmrOriginalRecipient names who complained. Without any of
 *	these the original's sender stands in.
 */
#include <string.h>

#include <smtp-explain/text.h>

#include "mime.h"
#include "scan.h"

#define SX_FEEDBACK_MAX	100		/* addresses read from one report */

/* sx_feedback_add - one finding of kind feedback */

static int sx_feedback_add(const struct sx_scan *s, const char *rcpt, size_t len,
			           const char *type, size_t tlen, const char *engine)
{
    struct sx_finding f;

    memset(&f, 0, sizeof(f));
    f.kind = SX_KIND_FEEDBACK;
    sx_text_clean(f.recipient, sizeof(f.recipient), rcpt, len);
    sx_text_clean(f.diagnostic, sizeof(f.diagnostic), type, tlen);
    sx_text_copy(f.engine, sizeof(f.engine), engine, strlen(engine));
    return (sx_scan_add(s, &f) > 0);
}

int     sx_read_feedback(const struct sx_scan *s)
{
    static const char *const fields[] = {
	"\noriginal-rcpt-to:", "\nremoval-recipient:", 0,
    };
    const char *const *fp;
    const char *p, *type = "abuse", *end = s->text + s->len;
    size_t  tlen = 5;
    int     added = 0, n;
    char    line[SX_ADDR_MAX * 2], addr[SX_ADDR_MAX];

    if (!s->msg->is_feedback && s->msg->complained[0] == 0)
	return (0);
    if (s->msg->is_feedback
	&& (p = sx_scan_search(s, s->text, s->len, "\nfeedback-type:")) != 0) {
	for (p += 15; *p == ' ' || *p == '\t'; p++)
	     /* void */ ;
	type = p;
	tlen = (size_t) (sx_scan_line_end(s, p) - p);
    }
    if (!s->msg->is_feedback)
	return (sx_feedback_add(s, s->msg->complained, strlen(s->msg->complained),
				type, tlen, "jmrp"));
    for (fp = fields; *fp && added == 0; fp++) {
	for (p = s->text, n = 0; n < SX_FEEDBACK_MAX
	     && (p = sx_scan_search(s, p, (size_t) (end - p), *fp)) != 0; n++) {
	    const char *v = p + strlen(*fp);

	    sx_text_clean(line, sizeof(line), v, (size_t) (sx_scan_line_end(s, v) - v));
	    sx_mime_addr(line, addr, sizeof(addr));
	    if (addr[0])
		added += sx_feedback_add(s, addr, strlen(addr), type, tlen, "arf");
	    p = v;
	}
    }
    if (added == 0)
	added = sx_feedback_add(s, s->msg->orig_sender, strlen(s->msg->orig_sender),
				type, tlen, "arf");
    return (added);
}
