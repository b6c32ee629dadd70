/*
 * NAME
 *	lhost_feedback 3
 * SUMMARY
 *	RFC 5965 abuse feedback reports (ARF)
 * DESCRIPTION
 *	A feedback report is not a delivery failure: it says a recipient
 *	flagged the message. It becomes one finding of kind feedback, for
 *	the address the report names (Original-Rcpt-To, else Removal-
 *	Recipient, else the original's sender), with no reply code.
 */
#include <string.h>

#include <smtp-explain/text.h>

#include "mime.h"
#include "scan.h"

int     sx_lhost_feedback(const struct sx_scan *s)
{
    static const char *const fields[] = {
	"\noriginal-rcpt-to:", "\nremoval-recipient:", 0,
    };
    const char *const *fp;
    struct sx_finding f;
    const char *p;

    if (!s->msg->is_feedback)
	return (0);
    memset(&f, 0, sizeof(f));
    f.kind = SX_KIND_FEEDBACK;
    for (fp = fields; *fp && f.recipient[0] == 0; fp++) {
	if ((p = sx_text_find(s->text, s->len, *fp)) != 0) {
	    char    line[SX_ADDR_MAX * 2];
	    const char *v = p + strlen(*fp);

	    sx_text_clean(line, sizeof(line), v, (size_t) (sx_scan_line_end(s, v) - v));
	    sx_mime_addr(line, f.recipient, sizeof(f.recipient));
	}
    }
    if (f.recipient[0] == 0)
	sx_text_copy(f.recipient, sizeof(f.recipient), s->msg->orig_sender,
		     strlen(s->msg->orig_sender));
    if ((p = sx_text_find(s->text, s->len, "\nfeedback-type:")) != 0) {
	p += 15;
	sx_text_clean(f.diagnostic, sizeof(f.diagnostic), p,
		      (size_t) (sx_scan_line_end(s, p) - p));
    }
    sx_text_copy(f.engine, sizeof(f.engine), "arf", 3);
    return (sx_scan_add(s, &f));
}
