/*
 * NAME
 *	amazonses 3
 * SUMMARY
 *	Amazon SES notifications in JSON (bounce, complaint, delivery)
 * DESCRIPTION
 *	SES can report outcomes as a JSON document in the body, alone or
 *	wrapped (as an escaped string) in an SNS notification. The shape is
 *	recognised by its "notificationType" key; then
 *
 *	Bounce	each bouncedRecipients[] entry becomes a failed finding:
 *		emailAddress, status, diagnosticCode, action.
 *	Delivery each delivery.recipients[] address becomes a delivered
 *		finding with delivery.smtpResponse as its reply.
 *	Complaint each complainedRecipients[] entry becomes a feedback
 *		finding, as an ARF report would.
 *
 *	The reader is a small bounded walker, not a JSON parser: it follows
 *	strings (with the extra level of escaping of the SNS wrapper),
 *	objects and arrays, and takes the keys it knows.
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/reply.h>
#include <smtp-explain/text.h>

#include "scan.h"

struct sx_json {
    const char *start;
    const char *end;
    int     esc;			/* 1: quotes are written \" (wrapped) */
};

/* sx_json_quote - is there a structural quote at p? Its length. */

static size_t sx_json_quote(const struct sx_json *j, const char *p)
{
    if (j->esc)
	return (p + 1 < j->end && p[0] == '\\' && p[1] == '"' ? 2 : 0);
    return (p < j->end && p[0] == '"' ? 1 : 0);
}

/* sx_json_string - a string at p: its contents; returns what follows */

static const char *sx_json_string(const struct sx_json *j, const char *p,
				          const char **v, size_t *vlen)
{
    size_t  q = sx_json_quote(j, p);
    const char *s;

    if (q == 0)
	return (0);
    for (s = p += q; p < j->end; p++) {
	if (*p == '\\') {
	    if (sx_json_quote(j, p)) {
		*v = s;
		*vlen = (size_t) (p - s);
		return (p + 2);
	    }
	    /* An escaped character: \\, \n, and \\\" when wrapped. */
	    p += j->esc ? 1 + (p + 1 < j->end && p[1] == '\\') : 1;
	    continue;
	}
	if (!j->esc && *p == '"') {
	    *v = s;
	    *vlen = (size_t) (p - s);
	    return (p + 1);
	}
    }
    return (0);
}

static const char *sx_json_ws(const struct sx_json *j, const char *p)
{
    /* Callers chain the scanners: a failed one hands on NULL. */
    if (p == 0)
	return (0);
    if (p > j->end)
	return (j->end);
    while (p < j->end && strchr(" \t\r\n,:", *p) && *p)
	p++;
    return (p);
}

/* sx_json_skip - past one value of any kind */

static const char *sx_json_skip(const struct sx_json *j, const char *p)
{
    int     depth = 0;
    const char *v;
    size_t  n;

    while (p && p < j->end) {
	if (sx_json_quote(j, p)) {
	    p = sx_json_string(j, p, &v, &n);
	    if (depth == 0)
		return (p);
	    continue;
	}
	if (*p == '{' || *p == '[')
	    depth++;
	else if (*p == '}' || *p == ']') {
	    if (depth-- == 0)
		return (p);		/* end of the enclosing container */
	    if (depth == 0)
		return (p + 1);
	} else if (depth == 0 && strchr(", \t\r\n", *p))
	    return (p);
	p++;
    }
    return (j->end);
}

struct sx_ses_rcpt {
    char    addr[SX_ADDR_MAX];
    char    status[SX_STATUS_MAX];
    char    action[16];
    char    diag[SX_DIAG_MAX];
};

/* sx_json_object - the keys we know of one object at p */

static const char *sx_json_object(const struct sx_json *j, const char *p,
				          struct sx_ses_rcpt *r)
{
    static const struct {
	const char *key;
	size_t  off;
	size_t  size;
    }       keys[] = {
	{"emailAddress", offsetof(struct sx_ses_rcpt, addr), SX_ADDR_MAX},
	{"status", offsetof(struct sx_ses_rcpt, status), SX_STATUS_MAX},
	{"action", offsetof(struct sx_ses_rcpt, action), 16},
	{"diagnosticCode", offsetof(struct sx_ses_rcpt, diag), SX_DIAG_MAX},
	{0, 0, 0},
    };
    const char *k, *v;
    size_t  klen, vlen;
    int     i;

    memset(r, 0, sizeof(*r));
    if (p >= j->end || *p != '{')
	return (0);
    for (p = sx_json_ws(j, p + 1); p && p < j->end && *p != '}'; p = sx_json_ws(j, p)) {
	if ((p = sx_json_string(j, p, &k, &klen)) == 0)
	    return (0);
	p = sx_json_ws(j, p);
	if (!sx_json_quote(j, p)) {
	    p = sx_json_skip(j, p);
	    continue;
	}
	if ((p = sx_json_string(j, p, &v, &vlen)) == 0)
	    return (0);
	for (i = 0; keys[i].key; i++)
	    if (klen == strlen(keys[i].key) && strncmp(k, keys[i].key, klen) == 0)
		sx_text_clean((char *) r + keys[i].off, keys[i].size, v, vlen);
    }
    return (p && p < j->end ? p + 1 : 0);
}

/* sx_json_key - the value after the next "key": in [p, end) */

static const char *sx_json_key(const struct sx_json *j, const char *p,
			               const char *key)
{
    size_t  n = strlen(key), q = j->esc ? 2 : 1;

    if (p && p < j->start)
	p = j->start;
    while (p && p < j->end && (p = memmem(p, (size_t) (j->end - p), key, n)) != 0) {
	const char *after = p + n;

	if ((size_t) (p - j->start) >= q && sx_json_quote(j, p - q)
	    && sx_json_quote(j, after)) {
	    after = sx_json_ws(j, after + q);
	    return (after);
	}
	p = after;
    }
    return (0);
}

/* sx_ses_add - one finding from what SES says of a recipient */

static int sx_ses_add(const struct sx_scan *s, const struct sx_ses_rcpt *r,
		              enum sx_kind kind)
{
    struct sx_finding f;

    if (strchr(r->addr, '@') == 0)
	return (0);
    sx_scan_finding(s, &f, r->addr, r->diag, strlen(r->diag), "amazonses");
    f.kind = kind;
    if (kind == SX_KIND_FEEDBACK) {
	f.action = SX_ACTION_NONE;
	f.replycode = 0;
	f.status[0] = 0;
    } else if (r->action[0]) {
	f.action = sx_action_parse(r->action, strlen(r->action));
    }
    /* The status SES gives beats one guessed from the diagnostic. */
    if (r->status[0] && sx_status_valid(r->status, strlen(r->status)))
	memcpy(f.status, r->status, sizeof(f.status));
    return (sx_scan_add(s, &f) > 0);
}

/* sx_ses_list - each object of the array after key */

static int sx_ses_list(const struct sx_scan *s, const struct sx_json *j,
		               const char *key, enum sx_kind kind)
{
    const char *p = sx_json_key(j, j->start, key);
    struct sx_ses_rcpt r;
    int     added = 0;

    if (p == 0 || p >= j->end || *p != '[')
	return (0);
    for (p = sx_json_ws(j, p + 1); p && p < j->end && *p == '{'; p = sx_json_ws(j, p)) {
	if ((p = sx_json_object(j, p, &r)) == 0)
	    break;
	added += sx_ses_add(s, &r, kind);
    }
    return (added);
}

/* sx_ses_delivery - delivery.recipients[] with delivery.smtpResponse */

static int sx_ses_delivery(const struct sx_scan *s, const struct sx_json *j)
{
    const char *d = sx_json_key(j, j->start, "delivery");
    const char *p, *v;
    struct sx_ses_rcpt r;
    char    resp[SX_DIAG_MAX] = "";
    size_t  n;
    int     added = 0;

    if (d == 0)
	return (0);
    if ((p = sx_json_key(j, d, "smtpResponse")) != 0
	&& sx_json_string(j, p, &v, &n))
	sx_text_clean(resp, sizeof(resp), v, n);
    if ((p = sx_json_key(j, d, "recipients")) == 0 || *p != '[')
	return (0);
    for (p = sx_json_ws(j, p + 1); p && p < j->end && sx_json_quote(j, p);
	 p = sx_json_ws(j, p)) {
	if ((p = sx_json_string(j, p, &v, &n)) == 0)
	    break;
	memset(&r, 0, sizeof(r));
	sx_text_clean(r.addr, sizeof(r.addr), v, n);
	memcpy(r.diag, resp, sizeof(r.diag));
	memcpy(r.action, "delivered", 10);
	added += sx_ses_add(s, &r, SX_KIND_BOUNCE);
    }
    return (added);
}

int     sx_read_amazonses(const struct sx_scan *s)
{
    struct sx_json j;
    const char *p, *v;
    size_t  n;

    /* JSON keys are case-sensitive: an exact search is enough. */
    if ((p = memmem(s->text, s->len, "notificationType", 16)) == 0)
	return (0);
    j.start = s->text;
    j.end = s->text + s->len;
    j.esc = p > s->text && p[-1] == '"' && p - 1 > s->text && p[-2] == '\\';
    /* Back to the key's opening quote, never before the text. */
    p = (size_t) (p - s->text) > (size_t) (1 + j.esc) ? p - 1 - j.esc : s->text;
    if ((p = sx_json_key(&j, p, "notificationType")) == 0
	|| sx_json_string(&j, p, &v, &n) == 0)
	return (0);
    if (n == 6 && strncmp(v, "Bounce", 6) == 0)
	return (sx_ses_list(s, &j, "bouncedRecipients", SX_KIND_BOUNCE));
    if (n == 9 && strncmp(v, "Complaint", 9) == 0)
	return (sx_ses_list(s, &j, "complainedRecipients", SX_KIND_FEEDBACK));
    if (n == 8 && strncmp(v, "Delivery", 8) == 0)
	return (sx_ses_delivery(s, &j));
    return (0);
}
