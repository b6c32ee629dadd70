/*
 * NAME
 *	links 3
 * SUMMARY
 *	a help link for an explanation
 * DESCRIPTION
 *	See explain.h, sx_explain_url(). An entry's "ref" names where its
 *	meaning comes from: an RFC and its section ("RFC 3463 3.8"), or a
 *	vendor's published page ("Google: Gmail SMTP errors and codes").
 *	RFCs link to the RFC Editor's copy, at the section; the vendors'
 *	pages are the table below, by the ref's name. The admin's site
 *	template, when set, comes first: the site's own help page.
 */
#include <stdio.h>
#include <string.h>

#include <smtp-explain/explain.h>

static const struct sx_link {
    const char *ref;			/* the start of a ref */
    const char *url;
} sx_links[] = {
    {"Google: Gmail SMTP errors and codes",
    "https://support.google.com/a/answer/3726730"},
    {"Microsoft: Non-delivery reports in Exchange Online",
	"https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/"
    "non-delivery-reports-in-exchange-online/non-delivery-reports-in-exchange-online"},
    {"Yahoo Sender Hub: SMTP error codes",
    "https://senders.yahooinc.com/smtp-error-codes/"},
    {0, 0},
};

/* sx_link_rfc - "RFC 3463 3.8; ..." to the RFC Editor's page */

static size_t sx_link_rfc(const char *ref, char *out, size_t size)
{
    unsigned rfc = 0;
    char    sect[16] = "";
    size_t  i = 0;
    int     n;

    if (strncmp(ref, "RFC ", 4) != 0)
	return (0);
    for (ref += 4; *ref >= '0' && *ref <= '9' && rfc < 100000; ref++)
	rfc = rfc * 10 + (unsigned) (*ref - '0');
    if (rfc == 0)
	return (0);
    if (*ref == ' ')
	for (ref++; i + 1 < sizeof(sect) && ((*ref >= '0' && *ref <= '9')
					     || (*ref == '.' && ref[1] >= '0'
						 && ref[1] <= '9')); ref++)
	    sect[i++] = *ref;
    sect[i] = 0;
    n = snprintf(out, size, "https://www.rfc-editor.org/rfc/rfc%u%s%s", rfc,
		 sect[0] ? "#section-" : "", sect);
    return (n > 0 && (size_t) n < size ? (size_t) n : 0);
}

/* sx_link_site - the admin's template, %{status} %{reason} %{code} filled */

static size_t sx_link_site(const char *tpl, const struct sx_explanation *ex,
			           const struct sx_finding *f, char *out, size_t size)
{
    char    code[8] = "";
    const char *val = 0;
    size_t  n = 0, vlen = 0;

    if (f->replycode > 0 && f->replycode <= 999)
	snprintf(code, sizeof(code), "%03d", f->replycode);
    while (*tpl && n + 1 < size) {
	val = 0;
	if (strncmp(tpl, "%{status}", 9) == 0)
	    val = f->status, tpl += 9;
	else if (strncmp(tpl, "%{reason}", 9) == 0)
	    val = ex->reason, tpl += 9;
	else if (strncmp(tpl, "%{code}", 7) == 0)
	    val = code, tpl += 7;
	if (val == 0) {
	    out[n++] = *tpl++;
	    continue;
	}
	/* Digits, dots and the taxonomy's letters only: nothing to escape. */
	for (vlen = 0; val[vlen]; vlen++) {
	    if (!((val[vlen] >= '0' && val[vlen] <= '9') || val[vlen] == '.'
		  || (val[vlen] >= 'a' && val[vlen] <= 'z') || val[vlen] == '_'))
		continue;
	    if (n + 1 >= size)
		break;
	    out[n++] = val[vlen];
	}
	if (val[vlen])
	    break;				/* cut short */
    }
    out[n] = 0;
    if (*tpl || (val != 0 && val[vlen])) {
	out[0] = 0;				/* never half a link */
	return (0);
    }
    return (n);
}

size_t  sx_explain_url(const struct sx_explanation *ex, const struct sx_finding *f,
		               const char *site, char *out, size_t size)
{
    const struct sx_link *l;
    size_t  n;

    if (size == 0)
	return (0);
    out[0] = 0;
    if (site && *site && (n = sx_link_site(site, ex, f, out, size)) > 0)
	return (n);
    if (ex->ref == 0 || *ex->ref == 0)
	return (0);
    if ((n = sx_link_rfc(ex->ref, out, size)) > 0)
	return (n);
    for (l = sx_links; l->ref; l++)
	if (strncmp(ex->ref, l->ref, strlen(l->ref)) == 0
	    && (n = (size_t) snprintf(out, size, "%s", l->url)) < size)
	    return (n);
    out[0] = 0;
    return (0);
}
