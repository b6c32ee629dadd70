/*
 * NAME
 *	registry 3
 * SUMMARY
 *	what SMTP reply codes mean: tables and lookups
 * DESCRIPTION
 *	See registry.h. Entries and text records are appended as they are
 *	loaded, each with a load number; sealing sorts each table by key
 *	(stable, so that of two entries with one key the later wins and the
 *	earlier is dropped), gives every entry the wording filed under its
 *	key, and builds the indexes: a direct array for basic codes, a hash
 *	from code to first entry for the other code tables, and a pattern
 *	automaton for the reason and vendor text fragments (see sx_match in
 *	match.c).
 *
 *	What an entry has, and how each of its fields is copied, compared
 *	and freed, is read from sx_entry_fields[] (registry_int.h); no
 *	field is named here except by the lookups that use it.
 */
#include <assert.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/finding.h>
#include <smtp-explain/registry.h>
#include <smtp-explain/reply.h>
#include <smtp-explain/text.h>

#include "match.h"
#include "match_int.h"
#include "registry_int.h"
#include "snapshot.h"

/* Enum fields are read and written through an int. */
_Static_assert(sizeof(enum sx_class) == sizeof(int)
	       && sizeof(enum sx_who) == sizeof(int)
	       && sizeof(enum sx_retry) == sizeof(int),
	       "enum fields of struct sx_entry must be int-sized");

const struct sx_name_code sx_class_names[] = {
    {"unknown", SX_CLASS_UNKNOWN},
    {"success", SX_CLASS_SUCCESS},
    {"intermediate", SX_CLASS_INTERMEDIATE},
    {"transient", SX_CLASS_TRANSIENT},
    {"permanent", SX_CLASS_PERMANENT},
    {"local", SX_CLASS_LOCAL},
    {0, 0},
};

const struct sx_name_code sx_who_names[] = {
    {"none", SX_WHO_NONE},
    {"sender", SX_WHO_SENDER},
    {"sender_admin", SX_WHO_SENDER_ADMIN},
    {"recipient", SX_WHO_RECIPIENT},
    {"recipient_admin", SX_WHO_RECIPIENT_ADMIN},
    {0, 0},
};

const struct sx_name_code sx_retry_names[] = {
    {"unknown", SX_RETRY_UNKNOWN},
    {"no", SX_RETRY_NO},
    {"yes", SX_RETRY_YES},
    {"after_fix", SX_RETRY_AFTER_FIX},
    {0, 0},
};

/*
 * The reason taxonomy, compatible with common bounce classifiers. The
 * attributes of each row are what the explanation rules know of the reason
 * (SX_REASON_* in registry.h; explain.c reads them).
 */
const struct sx_reason sx_reasons[] = {
    {"userunknown", SX_REASON_CODE_FIRM | SX_REASON_FILTER_AT_DATA},
    {"mailboxfull", SX_REASON_PRECISE},
    {"filtered", 0},
    {"hostunknown", SX_REASON_PRECISE | SX_REASON_CODE_FIRM},
    {"spamdetected", SX_REASON_PRECISE},
    {"blocked", 0},
    {"policyviolation", 0},
    {"securityerror", SX_REASON_PRECISE},
    {"authfailure", SX_REASON_PRECISE},
    {"expired", 0},
    {"suspend", SX_REASON_PRECISE},
    {"rejected", SX_REASON_HOST_AT_HELLO},
    {"toomanyconn", SX_REASON_PRECISE},
    {"speeding", SX_REASON_PRECISE},
    {"mesgtoobig", SX_REASON_PRECISE},
    {"exceedlimit", SX_REASON_PRECISE | SX_REASON_CODE_FIRM},
    {"networkerror", 0},
    {"norelaying", SX_REASON_PRECISE},
    {"notaccept", SX_REASON_PRECISE},
    {"systemerror", 0},
    {"systemfull", SX_REASON_PRECISE},
    {"syntaxerror", 0},
    {"contenterror", 0},
    {"mailererror", SX_REASON_LOCAL},
    {"virusdetected", SX_REASON_PRECISE},
    {"hasmoved", 0},
    {"badreputation", SX_REASON_PRECISE},
    {"requireptr", SX_REASON_PRECISE},
    {"notcompliantrfc", 0},
    {"delivered", SX_REASON_SUCCESS},
    {"vacation", 0},
    {"feedback", 0},
    {"onhold", 0},
    {"undefined", 0},
    {"", 0},
};

/*
 * sx_reason_row - the taxonomy's row of a name. The registry keeps the
 * rows' own strings, so its reasons are found by address first.
 */
static const struct sx_reason *sx_reason_row(const char *name)
{
    const struct sx_reason *r;

    if (name == 0)
	return (0);
    for (r = sx_reasons; *r->name; r++)
	if (r->name == name)
	    return (r);
    for (r = sx_reasons; *r->name; r++)
	if (strcmp(r->name, name) == 0)
	    return (r);
    return (0);
}

int     sx_reason_valid(const char *name)
{
    return (sx_reason_row(name) != 0);
}

unsigned sx_reason_attrs(const char *name)
{
    const struct sx_reason *r = sx_reason_row(name);

    return (r ? r->attrs : 0);
}

/*
 * The explanation block's own words: the names of the block table's
 * records, in enum sx_word order, and the placeholder each one has.
 */
const struct sx_word_def sx_words[SX_WORDS] = {
    [SX_WORD_INTRO] = {.name = "intro"},
    [SX_WORD_ARRIVED] = {.name = "arrived", .arg = SX_WORD_ARG_TEXT},
    [SX_WORD_WHO_LABEL] = {.name = "who_label"},
    [SX_WORD_WHAT_LABEL] = {.name = "what_label"},
    [SX_WORD_WHO + SX_WHO_NONE] = {.name = "who_none"},
    [SX_WORD_WHO + SX_WHO_SENDER] = {.name = "who_sender"},
    [SX_WORD_WHO + SX_WHO_SENDER_ADMIN] = {.name = "who_sender_admin"},
    [SX_WORD_WHO + SX_WHO_RECIPIENT] = {.name = "who_recipient"},
    [SX_WORD_WHO + SX_WHO_RECIPIENT_ADMIN] = {.name = "who_recipient_admin"},
    [SX_WORD_UNTIL] = {.name = "until", .arg = SX_WORD_ARG_TEXT},
    [SX_WORD_UNTIL_ABOUT] = {.name = "until_about", .arg = SX_WORD_ARG_TEXT},
    [SX_WORD_OPEN] = {.name = "open"},
    [SX_WORD_STOPPED_AT] = {.name = "stopped_at", .arg = SX_WORD_ARG_TEXT},
    [SX_WORD_STOPPED] = {.name = "stopped"},
    [SX_WORD_MORE] = {.name = "more", .arg = SX_WORD_ARG_COUNT},
    [SX_WORD_UNNAMED] = {.name = "unnamed"},
    [SX_WORD_HELP_LABEL] = {.name = "help_label"},
};

int     sx_word_find(const char *name)
{
    int     w;

    for (w = 0; name != 0 && w < SX_WORDS; w++)
	if (sx_words[w].name != 0 && strcmp(sx_words[w].name, name) == 0)
	    return (w);
    return (-1);
}

/*
 * sx_word_scan - the placeholder at p (which is at a '%'): its kind, and
 * its length through *len; -1 for a '%' that starts none ("%%" is 0).
 */
static int sx_word_scan(const char *p, size_t *len)
{
    if (p[1] == '%') {
	*len = 2;
	return (SX_WORD_ARG_NONE);
    }
    if (p[1] == 's') {
	*len = 2;
	return (SX_WORD_ARG_TEXT);
    }
    if (p[1] == 'z' && p[2] == 'u') {
	*len = 3;
	return (SX_WORD_ARG_COUNT);
    }
    *len = 1;
    return (-1);
}

/*
 * sx_word_check - does text have exactly the placeholder of word w (one
 * "%s" or "%zu", or none), and no '%' but those and "%%"? NULL when it
 * does, else why not. The text is never a printf format: see
 * sx_word_subst().
 */
const char *sx_word_check(enum sx_word w, const char *text)
{
    size_t  len, n = 0;
    const char *p;
    int     kind, other = 0;

    assert((unsigned) w < SX_WORDS);
    for (p = strchr(text, '%'); p != 0; p = strchr(p + len, '%')) {
	if ((kind = sx_word_scan(p, &len)) < 0)
	    return ("a '%' that is neither \"%s\", \"%zu\" nor \"%%\"");
	if (kind == SX_WORD_ARG_NONE)
	    continue;
	if (kind == (int) sx_words[w].arg)
	    n++;
	else
	    other++;
    }
    if (other > 0 || n != (sx_words[w].arg != SX_WORD_ARG_NONE))
	return (sx_words[w].arg == SX_WORD_ARG_TEXT ? "needs one \"%s\" (a date) "
		"and no other placeholder"
		: sx_words[w].arg == SX_WORD_ARG_COUNT ? "needs one \"%zu\" (a "
		"number) and no other placeholder" : "has no placeholder "
		"(write a percent sign as \"%%\")");
    return (0);
}

/*
 * sx_word_subst - a word into out (size bytes, NUL-terminated, cut to
 * fit): its placeholder replaced by arg, "%%" by '%'. Returns the
 * length written.
 */
size_t  sx_word_subst(char *out, size_t size, const char *text, const char *arg)
{
    size_t  n = 0, len, k;
    const char *p, *add;

    if (size == 0)
	return (0);
    for (p = text; *p && n + 1 < size; p += len) {
	if (*p != '%' || sx_word_scan(p, &len) < 0) {
	    len = 1;
	    out[n++] = *p;
	    continue;
	}
	add = len == 2 && p[1] == '%' ? "%" : arg ? arg : "";
	for (k = 0; add[k] && n + 1 < size; k++)
	    out[n++] = add[k];
    }
    out[n] = 0;
    return (n);
}

#define SX_OFF(m)	offsetof(struct sx_entry, m), #m
#define SX_IN_VENDOR	SX_IN(SX_TABLE_VENDOR)
#define SX_IN_REASON	SX_IN(SX_TABLE_REASON)
#define SX_IN_BLOCK	SX_IN(SX_TABLE_BLOCK)

/*
 * The fields of an entry, in the order a loader checks them. Wording
 * (SX_FIELD_TEXT) is filed apart from the facts; see registry_int.h.
 */
const struct sx_field sx_entry_fields[] = {
    /* key, type, offset and member, tables, required in, flags, names */
    {"code", SX_FIELD_STR, SX_OFF(code), SX_IN_CODES, SX_IN_CODES, SX_FIELD_KEY, 0},
    {"name", SX_FIELD_STR, SX_OFF(code), SX_IN_BLOCK, SX_IN_BLOCK, SX_FIELD_KEY, 0},
    {"vendor", SX_FIELD_STR, SX_OFF(vendor), SX_IN_VENDOR, SX_IN_VENDOR, SX_FIELD_KEY, 0},
    {"pattern", SX_FIELD_PATTERN, SX_OFF(pattern), SX_IN_VENDOR, 0, SX_FIELD_KEY, 0},
    {"patterns", SX_FIELD_PATTERNS, SX_OFF(pattern), SX_IN_REASON, SX_IN_REASON,
    SX_FIELD_KEY, 0},
    {"hosts", SX_FIELD_HOSTS, SX_OFF(hosts), SX_IN_VENDOR, 0, 0, 0},
    {"title", SX_FIELD_TEXT, SX_OFF(title), SX_IN_CODES, SX_IN_CODES, 0, 0},
    {"text", SX_FIELD_TEXT, SX_OFF(text), SX_IN_CODES | SX_IN_BLOCK, SX_IN_BLOCK, 0, 0},
    {"action", SX_FIELD_TEXT, SX_OFF(action), SX_IN_CODES, 0, 0, 0},
    {"action_admin", SX_FIELD_TEXT, SX_OFF(action_admin), SX_IN_CODES, 0, 0, 0},
    {"who", SX_FIELD_ENUM, SX_OFF(who), SX_IN_CODES, 0, 0, sx_who_names},
    {"retry", SX_FIELD_ENUM, SX_OFF(retry), SX_IN_CODES, 0, SX_FIELD_SET,
    sx_retry_names},
    {"reason", SX_FIELD_REASON, SX_OFF(reason), SX_IN_CODES | SX_IN_REASON,
    SX_IN_REASON, 0, 0},
    {"reason_transient", SX_FIELD_REASON, SX_OFF(reason_transient), SX_IN_CODES,
    0, 0, 0},
    {"ref", SX_FIELD_STR, SX_OFF(ref), SX_IN_CODES, 0, 0, 0},
    {"class", SX_FIELD_ENUM, SX_OFF(class), SX_IN_CODES, 0, 0, sx_class_names},
    {0, SX_FIELD_STR, 0, 0, 0, 0, 0, 0},
};

/* What of an entry a table keeps: its facts, or its key and wording. */
enum sx_keep {
    SX_KEEP_FACTS,
    SX_KEEP_TEXTS,
};

static int sx_field_kept(const struct sx_field *f, enum sx_entry_table tab,
			         enum sx_keep keep)
{
    if (!(f->tables & SX_IN(tab)))
	return (0);
    if (keep == SX_KEEP_TEXTS)
	return ((f->flags & SX_FIELD_KEY) || f->type == SX_FIELD_TEXT);
    return (f->type != SX_FIELD_TEXT);
}

static const char *sx_field_str(const struct sx_entry *e, const struct sx_field *f)
{
    return (*(const char *const *) ((const char *) e + f->offset));
}

int     sx_entry_key_cmp(enum sx_entry_table tab, const struct sx_entry *a,
			         const struct sx_entry *b)
{
    const struct sx_field *f;
    const char *x, *y;
    int     r;

    for (f = sx_entry_fields; f->key; f++) {
	if (!(f->flags & SX_FIELD_KEY) || !(f->tables & SX_IN(tab)))
	    continue;
	x = sx_field_str(a, f);
	y = sx_field_str(b, f);
	if ((r = strcmp(x ? x : "", y ? y : "")) != 0)
	    return (r);
    }
    return (0);
}

/* What one vendor lookup knows of the text: which patterns occur. */
struct sx_vendor_q {
    const struct sx_registry *reg;
    const char *text;
    const char *host;
    int     scanned;
    const unsigned char *bits;	/* own, or a sx_text_hits' */
    unsigned char own[SX_VENDOR_BITS / 8];
};

/* Range bounds of a vendor code "5.7.500-5.7.750", parsed at seal. */

static int sx_code_range(const char *code, unsigned *cls, unsigned *subj,
			         unsigned *lo, unsigned *hi)
{
    const char *dash = strchr(code, '-');
    unsigned c2, s2;

    if (dash == 0)
	return (0);
    if (sscanf(code, "%u.%u.%u", cls, subj, lo) != 3
	|| sscanf(dash + 1, "%u.%u.%u", &c2, &s2, hi) != 3
	|| c2 != *cls || s2 != *subj || *hi < *lo)
	return (0);
    return (1);
}

struct sx_registry *sx_registry_new(void)
{
    return (calloc(1, sizeof(struct sx_registry)));
}

/* sx_entry_release - free what a table's copy of an entry owns */

static void sx_entry_release(struct sx_entry *e, enum sx_entry_table tab,
			             enum sx_keep keep)
{
    const struct sx_field *f;
    const char *const *h;

    for (f = sx_entry_fields; f->key; f++) {
	if (!sx_field_kept(f, tab, keep))
	    continue;
	switch (f->type) {
	case SX_FIELD_STR:
	case SX_FIELD_TEXT:
	case SX_FIELD_PATTERN:
	case SX_FIELD_PATTERNS:
	    free((void *) sx_field_str(e, f));
	    *SX_FIELD_STRP(e, f) = 0;
	    break;
	case SX_FIELD_HOSTS:
	    if (e->hosts) {
		for (h = e->hosts; *h; h++)
		    free((void *) *h);
		free((void *) e->hosts);
		e->hosts = 0;
	    }
	    break;
	case SX_FIELD_REASON:		/* the taxonomy's own string */
	case SX_FIELD_ENUM:
	    break;
	}
    }
}

static void sx_table_free(struct sx_table *t, enum sx_entry_table tab,
			          enum sx_keep keep)
{
    size_t  j;

    for (j = 0; j < t->len; j++)
	sx_entry_release(t->v + j, tab, keep);
    free(t->v);
    free(t->seq);
    free(t->runs);
    free(t->hash);
}

void    sx_registry_free(struct sx_registry *reg)
{
    size_t  i;

    if (reg == 0)
	return;
    if (reg->borrowed) {
	free(reg);				/* the tables are an image's */
	return;
    }
    for (i = 0; i < SX_TABLES; i++) {
	sx_table_free(reg->t + i, (enum sx_entry_table) i, SX_KEEP_FACTS);
	sx_table_free(reg->texts + i, (enum sx_entry_table) i, SX_KEEP_TEXTS);
    }
    sx_match_free(reg->patterns);
    free(reg->ranges);
    free(reg);
}

/*
 * sx_dup_field - a copy of one field as its type wants it: wording made
 * safe once, at load (titles, meanings and advice go into headers as
 * they are), patterns in lower case, reasons as the taxonomy's string.
 */
static int sx_dup_field(struct sx_entry *dst, const struct sx_entry *src,
			        const struct sx_field *f)
{
    const char *s;
    size_t  n;
    char   *d, *p;

    if (f->type == SX_FIELD_ENUM) {
	*SX_FIELD_INTP(dst, f) = *(const int *) ((const char *) src + f->offset);
	return (0);
    }
    if (f->type == SX_FIELD_HOSTS) {
	const char **h;

	if (src->hosts == 0)
	    return (0);
	for (n = 0; src->hosts[n]; n++)
	     /* void */ ;
	if ((h = calloc(n + 1, sizeof(*h))) == 0)
	    return (-1);
	dst->hosts = h;
	for (n = 0; src->hosts[n]; n++)
	    if ((h[n] = strdup(src->hosts[n])) == 0)
		return (-1);
	return (0);
    }
    if ((s = sx_field_str(src, f)) == 0)
	return (0);
    if (f->type == SX_FIELD_REASON) {
	*SX_FIELD_STRP(dst, f) = sx_reason_row(s)->name;
	return (0);
    }
    n = strlen(s);
    if ((d = malloc(n + 1)) == 0)
	return (-1);
    if (f->type == SX_FIELD_TEXT) {
	sx_text_clean(d, n + 1, s, n);
    } else {
	memcpy(d, s, n + 1);
	if (f->type == SX_FIELD_PATTERN || f->type == SX_FIELD_PATTERNS)
	    for (p = d; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
		    *p = (char) (*p - 'A' + 'a');
    }
    *SX_FIELD_STRP(dst, f) = d;
    return (0);
}

/* sx_fallback_name - may a fallback entry have this name? */

static int sx_fallback_name(const char *name)
{
    const struct sx_name_code *c;
    int     k;

    if (strcmp(name, "*") == 0)
	return (1);
    for (c = sx_class_names; c->name; c++)
	if (strcmp(c->name, name) == 0)
	    return (1);
    for (k = 0; *sx_kind_name((enum sx_kind) k); k++)
	if (strcmp(sx_kind_name((enum sx_kind) k), name) == 0)
	    return (1);
    return (0);
}

/* sx_registry_key_valid - is the key of an entry well formed for its table? */

int     sx_registry_key_valid(enum sx_entry_table tab, const struct sx_entry *e)
{
    const char *c = e->code;
    unsigned a, b, lo, hi;

    switch (tab) {
    case SX_TABLE_BASIC:
	return (c && strlen(c) == 3 && c[0] >= '1' && c[0] <= '5'
		&& c[1] >= '0' && c[1] <= '9' && c[2] >= '0' && c[2] <= '9');
    case SX_TABLE_ENHANCED:
	if (c == 0 || strlen(c) < 5)
	    return (0);
	if (strcmp(c + 1, ".*.*") == 0)
	    return (c[0] == '2' || c[0] == '4' || c[0] == '5');
	if (c[0] != 'X' && c[0] != '2' && c[0] != '4' && c[0] != '5')
	    return (0);
	{
	    char    probe[SX_STATUS_MAX];
	    size_t  n = strlen(c);

	    if (n >= sizeof(probe))
		return (0);
	    memcpy(probe, c, n + 1);
	    probe[0] = '5';
	    if (n >= 2 && strcmp(probe + n - 2, ".*") == 0) {
		/* subject: "X.7.*" */
		probe[n - 2] = 0;
		return (sscanf(probe, "5.%u", &a) == 1 && a < 1000
			&& strspn(probe + 2, "0123456789") == n - 4);
	    }
	    return (sx_status_valid(probe, n));
	}
    case SX_TABLE_VENDOR:
	if (e->vendor == 0 || *e->vendor == 0 || c == 0)
	    return (0);
	if (strcmp(c, "*") == 0)
	    return (e->pattern != 0 && *e->pattern != 0);
	if (strchr(c, '-'))
	    return (sx_code_range(c, &a, &b, &lo, &hi));
	if (strlen(c) == 3)
	    return (c[0] >= '2' && c[0] <= '5' && strspn(c, "0123456789") == 3);
	return (sx_status_valid(c, strlen(c)));
    case SX_TABLE_REASON:
	return (e->reason && *e->reason && e->pattern && *e->pattern);
    case SX_TABLE_FALLBACK:
	return (c && sx_fallback_name(c));
    case SX_TABLE_BLOCK:
	return (sx_word_find(c) >= 0);
    }
    return (0);
}

/* sx_reasons_known - are the reasons an entry names of the taxonomy? */

static int sx_reasons_known(enum sx_entry_table tab, const struct sx_entry *e)
{
    const struct sx_field *f;
    const char *s;

    for (f = sx_entry_fields; f->key; f++)
	if (f->type == SX_FIELD_REASON && (f->tables & SX_IN(tab))
	    && (s = sx_field_str(e, f)) != 0 && !sx_reason_valid(s))
	    return (0);
    return (1);
}

/* sx_has_wording - does an entry carry wording of its own? */

static int sx_has_wording(enum sx_entry_table tab, const struct sx_entry *e)
{
    const struct sx_field *f;

    for (f = sx_entry_fields; f->key; f++)
	if (f->type == SX_FIELD_TEXT && (f->tables & SX_IN(tab)) && sx_field_str(e, f))
	    return (1);
    return (0);
}

/*
 * sx_registry_wording_check - can this wording be written as it is? The
 * block's words are filled in (sx_word_subst()): each must have the
 * placeholder of its name and no other. NULL when fine, else why not.
 */
const char *sx_registry_wording_check(enum sx_entry_table tab,
				              const struct sx_entry *e)
{
    const struct sx_field *f;
    const char *s;
    int     w;

    if (tab != SX_TABLE_BLOCK || (w = sx_word_find(e->code)) < 0)
	return (0);
    for (f = sx_entry_fields; f->key; f++)
	if (f->type == SX_FIELD_TEXT && (f->tables & SX_IN(tab))
	    && (s = sx_field_str(e, f)) != 0)
	    return (sx_word_check((enum sx_word) w, s));
    return (0);
}

/* sx_table_push - append a copy of what keep says of an entry */

static int sx_table_push(struct sx_registry *reg, struct sx_table *t,
			         enum sx_entry_table tab, const struct sx_entry *in,
			         enum sx_keep keep)
{
    const struct sx_field *f;
    struct sx_entry *e;

    if (t->len == t->cap) {
	size_t  ncap = t->cap ? t->cap * 2 : 64;
	struct sx_entry *nv = realloc(t->v, ncap * sizeof(*nv));
	unsigned *ns;

	if (nv == 0)
	    return (SX_ERR_NOMEM);
	t->v = nv;
	if ((ns = realloc(t->seq, ncap * sizeof(*ns))) == 0)
	    return (SX_ERR_NOMEM);
	t->seq = ns;
	t->cap = ncap;
    }
    e = t->v + t->len;
    memset(e, 0, sizeof(*e));
    for (f = sx_entry_fields; f->key; f++)
	if (sx_field_kept(f, tab, keep) && sx_dup_field(e, in, f) != 0) {
	    sx_entry_release(e, tab, keep);
	    return (SX_ERR_NOMEM);
	}
    t->seq[t->len] = reg->seq++;
    t->len++;
    return (SX_OK);
}

int     sx_registry_add(struct sx_registry *reg, enum sx_entry_table tab,
			        const struct sx_entry *in)
{
    struct sx_table *t;
    int     status;

    assert(reg != 0 && !reg->sealed && (unsigned) tab < SX_TABLES);
    if ((SX_IN(tab) & SX_IN_WORDING_ONLY) || !sx_registry_key_valid(tab, in)
	|| !sx_reasons_known(tab, in))
	return (SX_ERR_INVALID);
    t = reg->t + tab;
    if ((status = sx_table_push(reg, t, tab, in, SX_KEEP_FACTS)) != SX_OK)
	return (status);
    if (sx_has_wording(tab, in)
	&& (status = sx_table_push(reg, reg->texts + tab, tab, in,
				   SX_KEEP_TEXTS)) != SX_OK) {
	/* All of the entry or nothing. */
	sx_entry_release(t->v + --t->len, tab, SX_KEEP_FACTS);
	return (status);
    }
    return (SX_OK);
}

int     sx_registry_add_texts(struct sx_registry *reg, enum sx_entry_table tab,
			              const struct sx_entry *in)
{
    assert(reg != 0 && !reg->sealed && (unsigned) tab < SX_TABLES);
    if (tab == SX_TABLE_REASON || !sx_registry_key_valid(tab, in)
	|| sx_registry_wording_check(tab, in) != 0)
	return (SX_ERR_INVALID);
    return (sx_table_push(reg, reg->texts + tab, tab, in, SX_KEEP_TEXTS));
}

/* sx_table_key_find - the entry with key's key in a table sorted by key */

static const struct sx_entry *sx_table_key_find(const struct sx_table *t,
				              enum sx_entry_table tab,
					              const struct sx_entry *key)
{
    size_t  lo = 0, hi = t->len, mid;
    int     r;

    while (lo < hi) {
	mid = (lo + hi) / 2;
	if ((r = sx_entry_key_cmp(tab, t->v + mid, key)) == 0)
	    return (t->v + mid);
	if (r < 0)
	    lo = mid + 1;
	else
	    hi = mid;
    }
    return (0);
}

int     sx_registry_has_texts(const struct sx_registry *reg, enum sx_entry_table tab,
			              const struct sx_entry *key)
{
    const struct sx_table *w = reg->texts + tab;
    size_t  i;

    assert((unsigned) tab < SX_TABLES);
    if (reg->sealed)
	return (sx_table_key_find(w, tab, key) != 0);
    for (i = w->len; i-- > 0;)
	if (sx_entry_key_cmp(tab, w->v + i, key) == 0)
	    return (1);
    return (0);
}

const struct sx_entry *sx_registry_texts_of(const struct sx_registry *reg,
					          enum sx_entry_table tab,
					          const struct sx_entry *key)
{
    assert((unsigned) tab < SX_TABLES);
    if (!reg->sealed || key == 0 || key->code == 0)
	return (0);
    return (sx_table_key_find(reg->texts + tab, tab, key));
}

/* Sorting: by key, then load order. */

struct sx_sortable {
    struct sx_entry e;
    unsigned seq;
    enum sx_entry_table tab;
};

static int sx_sort_cmp(const void *a, const void *b)
{
    const struct sx_sortable *x = a, *y = b;
    int     r;

    /* By key, then load order: entries with one key become neighbours. */
    if ((r = sx_entry_key_cmp(x->tab, &x->e, &y->e)) != 0)
	return (r);
    return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

/* Vendor lookups want one code's entries together, in load order. */
static int sx_code_seq_cmp(const void *a, const void *b)
{
    const struct sx_sortable *x = a, *y = b;
    int     r = strcmp(x->e.code, y->e.code);

    if (r)
	return (r);
    return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

static int sx_seq_cmp(const void *a, const void *b)
{
    const struct sx_sortable *x = a, *y = b;

    return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

/*
 * sx_table_seal - sort a table by key and keep the last loaded entry of
 * each key; then put reason patterns back in load order and vendor
 * entries in code and load order, as their lookups try them. Tables of
 * wording stay in key order.
 */
static int sx_table_seal(struct sx_table *t, enum sx_entry_table tab,
			         enum sx_keep keep)
{
    struct sx_sortable *s;
    size_t  i, o;

    if (t->len == 0)
	return (SX_OK);
    if ((s = malloc(t->len * sizeof(*s))) == 0)
	return (SX_ERR_NOMEM);
    for (i = 0; i < t->len; i++) {
	s[i].e = t->v[i];
	s[i].seq = t->seq[i];
	s[i].tab = tab;
    }
    qsort(s, t->len, sizeof(*s), sx_sort_cmp);
    for (i = o = 0; i < t->len; i++) {
	/* Of several entries with one key, the last loaded wins. */
	if (i + 1 < t->len && sx_entry_key_cmp(tab, &s[i].e, &s[i + 1].e) == 0) {
	    sx_entry_release(&s[i].e, tab, keep);
	    continue;
	}
	s[o++] = s[i];
    }
    if (keep == SX_KEEP_FACTS && tab == SX_TABLE_REASON)
	qsort(s, o, sizeof(*s), sx_seq_cmp);
    else if (keep == SX_KEEP_FACTS && tab == SX_TABLE_VENDOR)
	qsort(s, o, sizeof(*s), sx_code_seq_cmp);
    for (i = 0; i < o; i++) {
	t->v[i] = s[i].e;
	t->seq[i] = s[i].seq;
    }
    t->len = o;
    free(s);
    return (SX_OK);
}

/*
 * sx_registry_wording - give every entry the wording filed under its
 * key (borrowed from the text record), and count the records that no
 * entry took.
 */
static void sx_registry_wording(struct sx_registry *reg)
{
    const struct sx_field *f;
    const struct sx_entry *rec;
    size_t  i, tab, used = 0, total = 0;

    for (tab = 0; tab < SX_TABLES; tab++) {
	struct sx_table *t = reg->t + tab;

	/* Wording of no entry by design (the block's words) is not unused. */
	if (!(SX_IN(tab) & SX_IN_WORDING_ONLY))
	    total += reg->texts[tab].len;
	for (i = 0; i < t->len; i++) {
	    rec = sx_table_key_find(reg->texts + tab, (enum sx_entry_table) tab,
				    t->v + i);
	    if (rec == 0)
		continue;
	    used++;
	    for (f = sx_entry_fields; f->key; f++)
		if (f->type == SX_FIELD_TEXT)
		    *SX_FIELD_STRP(t->v + i, f) = sx_field_str(rec, f);
	}
    }
    reg->unused_texts = total - used;
}

/*
 * sx_table_runs - for each entry, one past the last entry with the same
 * code (the table is sorted by code): lookups then step through a run
 * without comparing codes.
 */
static int sx_table_runs(struct sx_table *t)
{
    size_t  i;

    if ((t->runs = malloc((t->len ? t->len : 1) * sizeof(*t->runs))) == 0)
	return (SX_ERR_NOMEM);
    for (i = t->len; i-- > 0;)
	t->runs[i] = i + 1 < t->len && strcmp(t->v[i].code, t->v[i + 1].code) == 0
	    ? t->runs[i + 1] : i + 1;
    return (SX_OK);
}

/* sx_code_hash - FNV-1a of a code string */

static uint32_t sx_code_hash(const char *code)
{
    uint32_t h = 2166136261u;

    for (; *code; code++)
	h = (h ^ (unsigned char) *code) * 16777619u;
    return (h);
}

/*
 * sx_table_hash - an open-addressing index from each code to its first
 * entry: a lookup is one string compare instead of a binary search.
 */
static int sx_table_hash(struct sx_table *t)
{
    size_t  i, cap = 16, k;

    while (cap < 2 * t->len)
	cap *= 2;
    if ((t->hash = calloc(cap, sizeof(*t->hash))) == 0)
	return (SX_ERR_NOMEM);
    t->hcap = cap;
    for (i = 0; i < t->len; i++) {
	if (i > 0 && strcmp(t->v[i - 1].code, t->v[i].code) == 0)
	    continue;				/* only the first of a run */
	for (k = sx_code_hash(t->v[i].code) & (cap - 1); t->hash[k]; k = (k + 1) & (cap - 1))
	     /* void */ ;
	t->hash[k] = (uint32_t) (i + 1);
    }
    return (SX_OK);
}

/* Ranges are tried in load order: index order follows it per code only. */
static int sx_range_cmp(const void *a, const void *b)
{
    const struct sx_range *x = a, *y = b;

    return (x->seq < y->seq ? -1 : x->seq > y->seq);
}

/* sx_registry_ranges - the vendor entries with a code range, parsed */

static int sx_registry_ranges(struct sx_registry *reg)
{
    const struct sx_table *v = reg->t + SX_TABLE_VENDOR;
    size_t  i;

    if ((reg->ranges = malloc((v->len ? v->len : 1) * sizeof(*reg->ranges))) == 0)
	return (SX_ERR_NOMEM);
    for (i = 0; i < v->len; i++) {
	struct sx_range *rg = reg->ranges + reg->nranges;

	if (strchr(v->v[i].code, '-')
	    && sx_code_range(v->v[i].code, &rg->cls, &rg->subj, &rg->lo, &rg->hi)) {
	    rg->index = i;
	    rg->seq = v->seq[i];
	    reg->nranges++;
	}
    }
    if (reg->nranges > 1)
	qsort(reg->ranges, reg->nranges, sizeof(*reg->ranges), sx_range_cmp);
    return (SX_OK);
}

/*
 * What a vendor entry without a pattern puts in the automaton's list:
 * an empty pattern, with a second byte, as sx_match_new() reads the
 * first two bytes of every pattern.
 */
static const char sx_no_pattern[2] = "";

int     sx_registry_seal(struct sx_registry *reg)
{
    size_t  i;
    struct sx_table *b = reg->t + SX_TABLE_BASIC;
    struct sx_table *r = reg->t + SX_TABLE_REASON;
    struct sx_table *v = reg->t + SX_TABLE_VENDOR;

    assert(!reg->sealed);
    for (i = 0; i < SX_TABLES; i++)
	if (sx_table_seal(reg->t + i, (enum sx_entry_table) i, SX_KEEP_FACTS) != SX_OK
	    || sx_table_seal(reg->texts + i, (enum sx_entry_table) i,
			     SX_KEEP_TEXTS) != SX_OK)
	    return (SX_ERR_NOMEM);
    sx_registry_wording(reg);
    for (i = 0; i < SX_TABLES; i++)
	if (i != SX_TABLE_REASON && !(SX_IN(i) & SX_IN_WORDING_ONLY)
	    && sx_table_hash(reg->t + i) != SX_OK)
	    return (SX_ERR_NOMEM);
    if (sx_table_runs(v) != SX_OK || sx_registry_ranges(reg) != SX_OK)
	return (SX_ERR_NOMEM);
    for (i = 0; i < b->len; i++)
	reg->basic_idx[atoi(b->v[i].code)] = b->v + i;

    /*
     * One automaton over both pattern lists, reasons first: a text asked
     * about both ways is read once (sx_registry_text_hits()). Without it
     * (more vendor patterns than a lookup can mark, or more states than
     * the automaton has), lookups search for each pattern in turn.
     */
    if (r->len + v->len > 0 && v->len <= SX_VENDOR_BITS) {
	const char **pats = malloc((r->len + v->len) * sizeof(*pats));

	if (pats == 0)
	    return (SX_ERR_NOMEM);
	for (i = 0; i < r->len; i++)
	    pats[i] = r->v[i].pattern;
	for (i = 0; i < v->len; i++)
	    pats[r->len + i] = v->v[i].pattern ? v->v[i].pattern : sx_no_pattern;
	reg->patterns = sx_match_new(pats, r->len + v->len);
	free(pats);
    }
    reg->sealed = 1;
    return (SX_OK);
}

size_t  sx_registry_unused_texts(const struct sx_registry *reg)
{
    assert(reg->sealed);
    return (reg->unused_texts);
}

size_t  sx_registry_count(const struct sx_registry *reg, enum sx_entry_table tab)
{
    assert((unsigned) tab < SX_TABLES);
    return (reg->t[tab].len);
}

const struct sx_entry *sx_registry_at(const struct sx_registry *reg,
			              enum sx_entry_table tab, size_t i)
{
    assert((unsigned) tab < SX_TABLES);
    return (i < reg->t[tab].len ? reg->t[tab].v + i : 0);
}

const struct sx_entry *sx_registry_basic(const struct sx_registry *reg, int code)
{
    assert(reg->sealed);
    if (code < 0 || code > 999)
	return (0);
    return (reg->basic_idx[code]);
}

/* sx_find_code - the first entry of a code, through the table's hash */

static const struct sx_entry *sx_find_code(const struct sx_table *t,
				             const char *code, size_t *at)
{
    size_t  k, i;

    for (k = sx_code_hash(code) & (t->hcap - 1); t->hash[k];
	 k = (k + 1) & (t->hcap - 1)) {
	i = t->hash[k] - 1;
	if (strcmp(t->v[i].code, code) == 0) {
	    if (at)
		*at = i;
	    return (t->v + i);
	}
    }
    return (0);
}

/*
 * sx_fits_class - can an "X." entry explain this status? They are
 * written for failures (4 and 5); a success code (2.y.z) only takes
 * one that itself describes a success, else its own class's entry.
 */
static int sx_fits_class(const struct sx_entry *e, const char *status)
{
    return (status[0] != '2' || e->reason == 0
	    || (sx_reason_attrs(e->reason) & SX_REASON_SUCCESS));
}

const struct sx_entry *sx_registry_enhanced(const struct sx_registry *reg,
				             const char *status, int *exact)
{
    const struct sx_table *t = reg->t + SX_TABLE_ENHANCED;
    const struct sx_entry *e;
    char    key[SX_STATUS_MAX + 2];
    const char *dot;
    size_t  n;

    assert(reg->sealed);
    if (exact)
	*exact = 0;
    if (status == 0 || !sx_status_valid(status, strlen(status)))
	return (0);
    n = strlen(status);
    /* Detail: "5.1.1", then "X.1.1". */
    if ((e = sx_find_code(t, status, 0)) != 0)
	goto level3;
    memcpy(key, status, n + 1);
    key[0] = 'X';
    if ((e = sx_find_code(t, key, 0)) != 0 && sx_fits_class(e, status))
	goto level3;
    /* Subject: "5.1.*", then "X.1.*". */
    dot = strchr(status + 2, '.');
    n = (size_t) (dot - status) + 1;
    memcpy(key, status, n);
    key[n] = '*';
    key[n + 1] = 0;
    if ((e = sx_find_code(t, key, 0)) != 0)
	goto level2;
    key[0] = 'X';
    if ((e = sx_find_code(t, key, 0)) != 0 && sx_fits_class(e, status))
	goto level2;
    /* Class: "5.*.*". */
    snprintf(key, sizeof(key), "%c.*.*", status[0]);
    if ((e = sx_find_code(t, key, 0)) != 0) {
	if (exact)
	    *exact = 1;
	return (e);
    }
    return (0);
level3:
    if (exact)
	*exact = 3;
    return (e);
level2:
    if (exact)
	*exact = 2;
    return (e);
}

/* sx_vendor_ok - do the host globs and the text pattern of e fit? */

static int sx_vendor_ok(struct sx_vendor_q *q, const struct sx_entry *e)
{
    const char *const *h;
    const struct sx_table *t = q->reg->t + SX_TABLE_VENDOR;
    int     host_ok = 0;

    if (e->pattern && *e->pattern) {
	if (q->text == 0)
	    return (0);
	if (q->reg->patterns) {
	    size_t  k = (size_t) (e - t->v);
	    long    reason;

	    /* One pass over the text answers for every pattern. */
	    if (!q->scanned) {
		memset(q->own, 0, (t->len + 7) / 8);
		sx_match_scan(q->reg->patterns, q->text, strlen(q->text),
			      q->reg->t[SX_TABLE_REASON].len, &reason, q->own);
		q->bits = q->own;
		q->scanned = 1;
	    }
	    if (!(q->bits[k >> 3] & (1u << (k & 7))))
		return (0);
	} else if (sx_text_find(q->text, strlen(q->text), e->pattern) == 0)
	    return (0);
    }
    if (e->hosts && e->hosts[0]) {
	if (q->host == 0 || *q->host == 0)
	    /* Unknown host: the text alone must identify the vendor. */
	    return (e->pattern && *e->pattern);
	for (h = e->hosts; *h && !host_ok; h++)
	    host_ok = sx_glob_match(*h, q->host);
	return (host_ok);
    }
    return (1);
}

static const struct sx_entry *sx_vendor_run(struct sx_vendor_q *q, const char *code)
{
    const struct sx_table *t = q->reg->t + SX_TABLE_VENDOR;
    size_t  i, end;

    if (sx_find_code(t, code, &i) == 0)
	return (0);
    for (end = t->runs[i]; i < end; i++) {
	/* Once the text is scanned, an absent pattern is one bit. */
	if (q->scanned && t->v[i].pattern && *t->v[i].pattern
	    && !(q->bits[i >> 3] & (1u << (i & 7))))
	    continue;
	if (sx_vendor_ok(q, t->v + i))
	    return (t->v + i);
    }
    return (0);
}

void    sx_registry_text_hits(const struct sx_registry *reg, const char *text,
			              struct sx_text_hits *hits)
{
    assert(reg->sealed);
    hits->scanned = 0;
    hits->reason = -1;
    if (reg->patterns == 0 || text == 0)
	return;
    memset(hits->bits, 0, (reg->t[SX_TABLE_VENDOR].len + 7) / 8);
    sx_match_scan(reg->patterns, text, strlen(text), reg->t[SX_TABLE_REASON].len,
		  &hits->reason, hits->bits);
    hits->scanned = 1;
}

const struct sx_entry *sx_registry_fallback(const struct sx_registry *reg,
				             const char *name)
{
    assert(reg->sealed);
    return (sx_find_code(reg->t + SX_TABLE_FALLBACK, name, 0));
}

const struct sx_entry *sx_registry_vendor(const struct sx_registry *reg,
			               const char *status, int replycode,
				             const char *text, const char *host)
{
    return (sx_registry_vendor_hits(reg, status, replycode, text, host, 0));
}

const struct sx_entry *sx_registry_vendor_hits(const struct sx_registry *reg,
			               const char *status, int replycode,
				             const char *text, const char *host,
					             const struct sx_text_hits *hits)
{
    const struct sx_table *t = reg->t + SX_TABLE_VENDOR;
    const struct sx_entry *e;
    struct sx_vendor_q q;
    char    code[8];
    size_t  i;

    assert(reg->sealed);
    if (t->len == 0)
	return (0);
    q.reg = reg;
    q.text = text;
    q.host = host;
    q.scanned = 0;
    if (hits && hits->scanned && text) {
	q.bits = hits->bits;
	q.scanned = 1;
    }
    if (status && *status && (e = sx_vendor_run(&q, status)) != 0)
	return (e);
    if (status && *status && reg->nranges) {
	unsigned c, s, d;
	char   *end;

	/* Ranges are few, parsed at seal: a scan of them is cheap. */
	c = (unsigned) strtoul(status, &end, 10);
	s = (unsigned) strtoul(end + (*end == '.'), &end, 10);
	d = (unsigned) strtoul(end + (*end == '.'), &end, 10);
	for (i = 0; i < reg->nranges; i++) {
	    const struct sx_range *rg = reg->ranges + i;

	    if (rg->cls == c && rg->subj == s && d >= rg->lo && d <= rg->hi
		&& sx_vendor_ok(&q, t->v + rg->index))
		return (t->v + rg->index);
	}
    }
    if (replycode >= 200 && replycode <= 599) {
	snprintf(code, sizeof(code), "%d", replycode);
	if ((e = sx_vendor_run(&q, code)) != 0)
	    return (e);
    }
    return (sx_vendor_run(&q, "*"));
}

const char *sx_registry_reason_hits(const struct sx_registry *reg, const char *text,
				            const struct sx_text_hits *hits)
{
    if (hits == 0 || !hits->scanned)
	return (sx_registry_reason_by_text(reg, text));
    return (hits->reason >= 0 ? reg->t[SX_TABLE_REASON].v[hits->reason].reason : 0);
}

const char *sx_registry_reason_by_text(const struct sx_registry *reg,
				               const char *text)
{
    const struct sx_table *r = reg->t + SX_TABLE_REASON;
    long    hit;
    size_t  i;

    assert(reg->sealed);
    if (text == 0 || r->len == 0)
	return (0);
    if (reg->patterns) {
	sx_match_scan(reg->patterns, text, strlen(text), r->len, &hit, 0);
	return (hit >= 0 ? r->v[hit].reason : 0);
    }
    /* Without the automaton (out of memory at seal): one by one. */
    for (i = 0; i < r->len; i++)
	if (sx_text_find(text, strlen(text), r->v[i].pattern))
	    return (r->v[i].reason);
    return (0);
}

/*
 * The snapshot (registry_int.h): a sealed registry written as C data,
 * entry by entry through sx_entry_fields[], and a registry that reads
 * such data in place.
 */

struct sx_registry *sx_registry_image(const struct sx_registry *img)
{
    struct sx_registry *reg;

    assert(img->sealed && img->borrowed);
    if ((reg = malloc(sizeof(*reg))) != 0)
	*reg = *img;
    return (reg);
}

/* sx_field_first - is f the first row of its member that tab has? */

static int sx_field_first(const struct sx_field *f, enum sx_entry_table tab)
{
    const struct sx_field *g;

    for (g = sx_entry_fields; g < f; g++)
	if (g->offset == f->offset && (g->tables & SX_IN(tab)))
	    return (0);
    return (1);
}

static const char *const *sx_field_hosts(const struct sx_entry *e,
					         const struct sx_field *f)
{
    return (*(const char *const *const *) ((const char *) e + f->offset));
}

/* sx_emit_hosts - the host lists of a table's entries, as arrays */

static void sx_emit_hosts(FILE *fp, const char *name, const struct sx_table *t,
			          enum sx_entry_table tab)
{
    const struct sx_field *f;
    const char *const *h;
    size_t  i;

    for (i = 0; i < t->len; i++)
	for (f = sx_entry_fields; f->key; f++) {
	    if (f->type != SX_FIELD_HOSTS || !(f->tables & SX_IN(tab))
		|| (h = sx_field_hosts(t->v + i, f)) == 0)
		continue;
	    fprintf(fp, "static const char *const %s_%s%zu[] = {", name, f->member, i);
	    for (; *h; h++) {
		sx_snapshot_str(fp, *h);
		fputs(", ", fp);
	    }
	    fputs("0};\n", fp);
	}
}

/* sx_emit_entry - one entry, each field as its type says */

static void sx_emit_entry(FILE *fp, const char *name, const struct sx_entry *e,
			          size_t i, enum sx_entry_table tab)
{
    const struct sx_field *f;
    const struct sx_reason *r;
    const char *s;
    int     v;

    fputs("    {", fp);
    for (f = sx_entry_fields; f->key; f++) {
	if (!(f->tables & SX_IN(tab)) || !sx_field_first(f, tab))
	    continue;
	switch (f->type) {
	case SX_FIELD_ENUM:
	    if ((v = *(const int *) ((const char *) e + f->offset)) != 0)
		fprintf(fp, ".%s = %d, ", f->member, v);
	    break;
	case SX_FIELD_HOSTS:
	    if (sx_field_hosts(e, f) != 0)
		fprintf(fp, ".%s = %s_%s%zu, ", f->member, name, f->member, i);
	    break;
	case SX_FIELD_REASON:
	    /* The taxonomy's own string, as the loader keeps it. */
	    if ((r = sx_reason_row(sx_field_str(e, f))) != 0)
		fprintf(fp, ".%s = sx_reasons[%d].name, ", f->member,
			(int) (r - sx_reasons));
	    break;
	default:
	    if ((s = sx_field_str(e, f)) != 0) {
		fprintf(fp, ".%s = ", f->member);
		sx_snapshot_str(fp, s);
		fputs(", ", fp);
	    }
	    break;
	}
    }
    fputs("},\n", fp);
}

/* sx_emit_table - the arrays of one table: entries, load order, indexes */

static void sx_emit_table(FILE *fp, const char *name, const struct sx_table *t,
			          enum sx_entry_table tab)
{
    size_t  i;

    if (t->len > 0) {
	sx_emit_hosts(fp, name, t, tab);
	fprintf(fp, "static const struct sx_entry %s[%zu] = {\n", name, t->len);
	for (i = 0; i < t->len; i++)
	    sx_emit_entry(fp, name, t->v + i, i, tab);
	fprintf(fp, "};\nstatic const unsigned %s_seq[%zu] = {", name, t->len);
	for (i = 0; i < t->len; i++)
	    fprintf(fp, "%s%u,", i % 16 ? "" : "\n", t->seq[i]);
	fputs("\n};\n", fp);
    }
    if (t->runs && t->len > 0) {
	fprintf(fp, "static const size_t %s_runs[%zu] = {", name, t->len);
	for (i = 0; i < t->len; i++)
	    fprintf(fp, "%s%zu,", i % 16 ? "" : "\n", t->runs[i]);
	fputs("\n};\n", fp);
    }
    /* Even an empty table has its hash: lookups read it. */
    if (t->hash) {
	fprintf(fp, "static const uint32_t %s_hash[%zu] = {", name, t->hcap);
	for (i = 0; i < t->hcap; i++)
	    fprintf(fp, "%s%lu,", i % 16 ? "" : "\n", (unsigned long) t->hash[i]);
	fputs("\n};\n", fp);
    }
}

/* sx_emit_table_ref - a struct sx_table that points at its arrays */

static void sx_emit_table_ref(FILE *fp, const char *name, const struct sx_table *t)
{
    /* Read-only data: a sealed registry writes nothing (registry_int.h). */
    fputs("\t{", fp);
    if (t->len > 0)
	fprintf(fp, ".v = (struct sx_entry *) %s, .seq = (unsigned *) %s_seq,\n\t ",
		name, name);
    if (t->runs && t->len > 0)
	fprintf(fp, ".runs = (size_t *) %s_runs,\n\t ", name);
    if (t->hash)
	fprintf(fp, ".hash = (uint32_t *) %s_hash, .hcap = %zu,\n\t ", name, t->hcap);
    fprintf(fp, ".len = %zu, .cap = %zu},\n", t->len, t->len);
}

int     sx_registry_emit(FILE *fp, const struct sx_registry *reg, const char *name)
{
    char    tname[2][SX_TABLES][128], mname[128];
    const struct sx_range *rg;
    size_t  i, k, tab;

    assert(reg->sealed);
    for (tab = 0; tab < SX_TABLES; tab++) {
	snprintf(tname[0][tab], sizeof(tname[0][tab]), "%s_t%zu", name, tab);
	snprintf(tname[1][tab], sizeof(tname[1][tab]), "%s_w%zu", name, tab);
	sx_emit_table(fp, tname[0][tab], reg->t + tab, (enum sx_entry_table) tab);
	sx_emit_table(fp, tname[1][tab], reg->texts + tab, (enum sx_entry_table) tab);
    }
    if (reg->nranges) {
	fprintf(fp, "static const struct sx_range %s_ranges[%zu] = {\n", name, reg->nranges);
	for (rg = reg->ranges; rg < reg->ranges + reg->nranges; rg++)
	    fprintf(fp, "    {.cls = %u, .subj = %u, .lo = %u, .hi = %u, .index = %zu, "
		    ".seq = %u},\n", rg->cls, rg->subj, rg->lo, rg->hi, rg->index, rg->seq);
	fputs("};\n", fp);
    }
    snprintf(mname, sizeof(mname), "%s_m", name);
    if (reg->patterns && sx_match_emit(fp, reg->patterns, mname) < 0)
	return (-1);
    fprintf(fp, "static const struct sx_registry %s = {\n    .t = {\n", name);
    for (tab = 0; tab < SX_TABLES; tab++)
	sx_emit_table_ref(fp, tname[0][tab], reg->t + tab);
    fputs("    },\n    .texts = {\n", fp);
    for (tab = 0; tab < SX_TABLES; tab++)
	sx_emit_table_ref(fp, tname[1][tab], reg->texts + tab);
    fprintf(fp, "    },\n    .sealed = 1,\n    .borrowed = 1,\n    .unused_texts = %zu,\n"
	    "    .basic_idx = {", reg->unused_texts);
    for (i = k = 0; i < 1000; i++)
	if (reg->basic_idx[i])
	    fprintf(fp, "%s[%zu] = &%s[%zu],", k++ % 4 ? " " : "\n\t", i, tname[0][0],
		    (size_t) (reg->basic_idx[i] - reg->t[SX_TABLE_BASIC].v));
    fputs("\n    },\n", fp);
    if (reg->patterns)
	fprintf(fp, "    .patterns = (struct sx_match *) &%s,\n", mname);
    if (reg->nranges)
	fprintf(fp, "    .ranges = (struct sx_range *) %s_ranges,\n", name);
    fprintf(fp, "    .nranges = %zu,\n    .seq = %u,\n};\n", reg->nranges, reg->seq);
    return (ferror(fp) ? -1 : 0);
}

/*
 * Names of the enums, for data files and output: see names.h. The
 * tables list the codes in order, so a code is found at its own row
 * first; the walk is for a table that someone reorders.
 */
static const char *sx_enum_name(const struct sx_name_code *t, size_t n, int c)
{
    const char *name;

    if (c >= 0 && (size_t) c < n && t[c].code == c)
	return (t[c].name);
    name = sx_code_name(t, c);
    return (*name ? name : t[0].name);
}

const char *sx_class_name(enum sx_class c)
{
    return (sx_enum_name(sx_class_names, SX_CLASS_LOCAL + 1, (int) c));
}

const char *sx_who_name(enum sx_who w)
{
    return (sx_enum_name(sx_who_names, SX_WHO_RECIPIENT_ADMIN + 1, (int) w));
}

const char *sx_retry_name(enum sx_retry r)
{
    return (sx_enum_name(sx_retry_names, SX_RETRY_AFTER_FIX + 1, (int) r));
}

int     sx_class_parse(const char *s, enum sx_class *out)
{
    int     v;

    if (!sx_name_code(sx_class_names, s, strlen(s), &v))
	return (0);
    *out = (enum sx_class) v;
    return (1);
}

int     sx_who_parse(const char *s, enum sx_who *out)
{
    int     v;

    if (!sx_name_code(sx_who_names, s, strlen(s), &v))
	return (0);
    *out = (enum sx_who) v;
    return (1);
}

/* "unknown" is what is left unsaid: a file cannot write it. */
int     sx_retry_parse(const char *s, enum sx_retry *out)
{
    int     v;

    if (!sx_name_code(sx_retry_names, s, strlen(s), &v) || v == SX_RETRY_UNKNOWN)
	return (0);
    *out = (enum sx_retry) v;
    return (1);
}

enum sx_class sx_class_of_code(int code)
{
    switch (code / 100) {
    case 1:
	return (SX_CLASS_LOCAL);
    case 2:
	return (SX_CLASS_SUCCESS);
    case 3:
	return (SX_CLASS_INTERMEDIATE);
    case 4:
	return (SX_CLASS_TRANSIENT);
    case 5:
	return (SX_CLASS_PERMANENT);
    default:
	return (SX_CLASS_UNKNOWN);
    }
}

enum sx_class sx_class_of_status(const char *status)
{
    if (status == 0)
	return (SX_CLASS_UNKNOWN);
    switch (status[0]) {
    case '2':
	return (SX_CLASS_SUCCESS);
    case '4':
	return (SX_CLASS_TRANSIENT);
    case '5':
	return (SX_CLASS_PERMANENT);
    default:
	return (SX_CLASS_UNKNOWN);
    }
}
