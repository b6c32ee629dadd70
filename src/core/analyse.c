/*
 * NAME
 *	analyse 3
 * SUMMARY
 *	the findings of a message, and the analysis at its end
 * DESCRIPTION
 *	While the message streams, the delivery-status parser adds its
 *	findings here (sx_reader_add); they are indexed by recipient, so a
 *	recogniser asks whether an address was already reported in constant
 *	time (sx_scan_known).
 *
 *	At the end, sx_analyse() builds the scan (scan.h: the human text,
 *	the top-level headers, what the message says of itself, the work
 *	budget and the memo), tries the recognisers of the table in order
 *	(recognisers/table.c) and runs one completion pass after the first
 *	that finds something. Where the findings' recipients are named in
 *	the text is indexed once, when first asked for (sx_scan_named).
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/text.h>

#include "address.h"
#include "named.h"
#include "reader_int.h"
#include "scan.h"

/* sx_known_hash - where a recipient's chain starts (case folded) */

static size_t sx_known_hash(const struct sx_reader *r, const char *addr)
{
    uint64_t h = 1469598103934665603ULL;

    for (; *addr; addr++)
	h = (h ^ sx_lower((unsigned char) *addr)) * 1099511628211ULL;
    return ((size_t) h & (r->known_size - 1));
}

/* sx_known_slot - where finding i goes in the table */

static void sx_known_slot(struct sx_reader *r, size_t i)
{
    size_t  h;

    for (h = sx_known_hash(r, r->f[i].recipient); r->known[h];
	 h = (h + 1) & (r->known_size - 1))
	 /* void */ ;
    r->known[h] = (uint32_t) (i + 1);
}

/*
 * sx_known_put - index finding i (the last one added) by its recipient.
 * The table doubles when half full: most reports name one recipient.
 */
static void sx_known_put(struct sx_reader *r, size_t i)
{
    if (r->known == 0 || 2 * (i + 1) > r->known_size) {
	size_t  nsize = r->known_size ? 2 * r->known_size : 16, k;
	uint32_t *old = r->known;

	if ((r->known = calloc(nsize, sizeof(*r->known))) == 0) {
	    r->known = old;
	    r->nomem = 1;
	    if (old == 0 || i + 1 >= r->known_size)
		return;				/* no free slot is sure */
	    sx_known_slot(r, i);
	    return;
	}
	free(old);
	r->known_size = nsize;
	/* In the order they were added: an earlier equal one is met first. */
	for (k = 0; k < i; k++)
	    sx_known_slot(r, k);
    }
    sx_known_slot(r, i);
}

struct sx_finding *sx_scan_known(const struct sx_scan *s, const char *addr)
{
    struct sx_reader *r = s->reader;
    size_t  h;

    if (r->known == 0)
	return (0);
    for (h = sx_known_hash(r, addr); r->known[h]; h = (h + 1) & (r->known_size - 1))
	if (strcasecmp(r->f[r->known[h] - 1].recipient, addr) == 0)
	    return (r->f + r->known[h] - 1);
    return (0);
}

/*
 * sx_reader_recipient - the recipient as the sender wrote it (address.h):
 * what a reader found inside another form, else a usable original
 * recipient when the reported one is none.
 */
static void sx_reader_recipient(struct sx_finding *f)
{
    char    out[SX_ADDR_MAX], orig[SX_ADDR_MAX];
    int     kind;

    if (f->recipient[0] == 0)
	return;
    if ((kind = sx_addr_usable(f->recipient, strlen(f->recipient), out,
			       sizeof(out))) == SX_ADDR_PLAIN)
	return;
    if (f->original_recipient[0]
	&& sx_addr_usable(f->original_recipient, strlen(f->original_recipient),
			  orig, sizeof(orig)) == SX_ADDR_PLAIN)
	sx_text_copy(f->recipient, sizeof(f->recipient), orig, strlen(orig));
    else if (kind != SX_ADDR_NONE)
	sx_text_copy(f->recipient, sizeof(f->recipient), out, strlen(out));
}

int     sx_reader_add(struct sx_reader *r, const struct sx_finding *f)
{
    if (r->nf >= r->lim.findings_max) {
	r->msg.findings_dropped++;
	return (0);
    }
    if (r->nf == r->capf) {
	size_t  ncap = r->capf ? r->capf * 2 : 4;
	struct sx_finding *nf;

	if (ncap > r->lim.findings_max)
	    ncap = r->lim.findings_max;
	if ((nf = realloc(r->f, ncap * sizeof(*nf))) == 0) {
	    r->nomem = 1;
	    return (-1);
	}
	r->f = nf;
	r->capf = ncap;
    }
    r->f[r->nf++] = *f;
    sx_reader_recipient(r->f + r->nf - 1);
    sx_known_put(r, r->nf - 1);
    return (1);
}

int     sx_scan_add(const struct sx_scan *s, const struct sx_finding *f)
{
    /* The guessing readers name no address of the report's own. */
    if (s->memo->veto && !sx_lastresort_keep(s, f))
	return (0);
    return (sx_reader_add(s->reader, f));
}

size_t  sx_scan_count(const struct sx_scan *s)
{
    return (s->reader->nf);
}

void    sx_scan_nomem(const struct sx_scan *s)
{
    s->reader->nomem = 1;
}

struct sx_finding *sx_scan_finding_rw(const struct sx_scan *s, size_t i)
{
    assert(i < s->reader->nf);
    return (s->reader->f + i);
}

/*
 * sx_scan_named - where the findings' recipients are named in the text
 * up to the cut; built when first asked for, again when findings were
 * added since. NULL when out of memory (then nothing is found).
 */
const struct sx_named *sx_scan_named(const struct sx_scan *s)
{
    struct sx_reader *r = s->reader;
    const char **addr;
    size_t  i;

    if (r->named && r->named_nf == r->nf)
	return (r->named);
    sx_named_free(r->named);
    r->named = 0;
    if ((addr = malloc((r->nf ? r->nf : 1) * sizeof(*addr))) == 0) {
	r->nomem = 1;
	return (0);
    }
    for (i = 0; i < r->nf; i++)
	addr[i] = r->f[i].recipient;
    (void) sx_scan_charge(s, s->cut);
    if ((r->named = sx_named_new(s->text, s->cut, s->len, addr, r->nf)) == 0)
	r->nomem = 1;
    r->named_nf = r->nf;
    free(addr);
    return (r->named);
}

int     sx_analyse(struct sx_reader *r)
{
    struct sx_scan scan;
    struct sx_scan_memo memo;
    const struct sx_recogniser *rc;
    struct sx_textbuf *tb;
    int     n;

    tb = r->text.len > 0 ? &r->text : r->html.len > 0 ? &r->html : &r->pre;
    if (r->parts_seen && tb == &r->pre)
	tb = &r->text;
    if (tb->data == 0 && sx_textbuf_append(tb, "", 0) < 0)
	return (-1);
    memset(&scan, 0, sizeof(scan));
    memset(&memo, 0, SX_SCAN_MEMO_CLEAR);
    memo.work_max = r->lim.work_max;
    scan.memo = &memo;
    scan.text = tb->data;
    scan.len = tb->len;
    scan.headers = r->tophdr.data ? r->tophdr.data : "";
    scan.hlen = r->tophdr.len;
    sx_scan_limits(&scan);
    scan.msg = &r->msg;
    scan.reader = r;
    scan.autoreplies = r->autoreplies;

    /* The first recogniser that finds something, then one completion. */
    if (r->nf == 0)
	scan.signs = sx_scan_signs(&r->msg, scan.headers, scan.hlen);
    for (rc = sx_recognisers; rc->name && !sx_scan_spent(&scan); rc++) {
	if ((rc->needs & SX_NEED_REPORT) && scan.signs == SX_SIGN_NONE
	    && !r->saw_dsn_part)
	    continue;
	if ((rc->needs & SX_NEED_BOUNCE) && scan.signs < SX_SIGN_BOUNCE)
	    continue;
	if ((n = rc->run(&scan)) < 0 && r->nf == 0) {
	    /* Known, and not a delivery report: nothing to say. */
	    r->msg.autoreply = (n == SX_SCAN_QUIET);
	    break;
	}
	if (n > 0 || r->nf > 0) {
	    sx_text_copy(r->msg.engine, sizeof(r->msg.engine), rc->name,
			 strlen(rc->name));
	    r->msg.kind = r->f[0].kind;
	    sx_scan_complete(&scan, rc);
	    break;
	}
    }
    r->work = memo.work;
    if (memo.out && r->msg.cut == SX_CUT_NONE)
	r->msg.cut = SX_CUT_WORK;
    return (0);
}
