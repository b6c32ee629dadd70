/*
 * NAME
 *	suppress 3
 * SUMMARY
 *	smtp-explain suppress: the addresses to stop sending to
 * SYNOPSIS
 *	smtp-explain suppress [--format map|csv|json] [--merge list]
 *		[-o file] [--soft-count n] [--soft-days d] [-R]
 *		[-r registry] path...|-
 * DESCRIPTION
 *	cli_suppress() reads every message of the paths and decides, for
 *	each recipient address they report, whether mail to it should stop:
 *	-  a hard failure (a permanent failure for no such user, no such
 *	   domain, a moved address, or a permanent notaccept: null MX) puts
 *	   the address on the list at once;
 *	-  a soft failure (any other permanent or final failure: mailbox
 *	   full, over quota, rate limits, delivery time expired, ...) only
 *	   when there are at least soft_count of them, the first and the
 *	   last at least soft_days apart;
 *	-  a failure that is the sender's fault (authentication, block lists,
 *	   reputation, content, policy, relaying, size) never;
 *	-  delay notices, auto-replies and feedback reports do not count;
 *	-  a successful delivery (a "delivered" report) forgets every
 *	   failure before it, and takes off the list an address whose last
 *	   listed failure is older.
 *	Reasons are judged by the table cli_suppress_rules[]; a reason not
 *	in it is soft.
 *
 *	--merge reads an existing list (any of the three formats, told by
 *	its first line) and writes the union: for an address on both, the
 *	earliest first and the latest last failure, the larger count, and
 *	the reason of the later one. Merging the same input again changes
 *	nothing. Map lines that were not written by this command are kept
 *	as they are.
 *
 *	The list is written sorted by address: a Postfix access(5) map
 *	(postmap-ready, a comment before each entry saying why and when),
 *	CSV or JSON Lines; to standard output, or with -o to a file that
 *	is replaced at once (written aside, then renamed), which may be
 *	the merged list itself.
 * DIAGNOSTICS
 *	Exit 0, 1 when an input could not be read (the rest is judged) or
 *	the output could not be written, 2 on a usage error or an
 *	unreadable merge list, 3 when the registry could not be loaded.
 *	Addresses a map cannot hold (spaces, quotes, control characters)
 *	are left out with a warning.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <smtp-explain/registry.h>

#include "cli.h"

#define CLI_SOFT_KEEP	256		/* latest soft failures kept per address */
#define CLI_SUP_LINE	4096		/* longest line of a merged list */

enum cli_sup_rule {
    CLI_SUP_SOFT = 0,			/* count it, list after N over D days */
    CLI_SUP_HARD,			/* list at once when permanent */
    CLI_SUP_NEVER,			/* the sender's fault, or no failure */
};

/* What each reason means for the list; reasons not named here are soft. */
static const struct cli_sup_reason {
    const char *reason;
    enum cli_sup_rule rule;
}       cli_suppress_rules[] = {
    {"userunknown", CLI_SUP_HARD},
    {"hostunknown", CLI_SUP_HARD},
    {"hasmoved", CLI_SUP_HARD},
    {"notaccept", CLI_SUP_HARD},	/* null MX; soft when transient */
    /* The sender's fault: the recipient is not the problem. */
    {"authfailure", CLI_SUP_NEVER},
    {"securityerror", CLI_SUP_NEVER},
    {"blocked", CLI_SUP_NEVER},
    {"badreputation", CLI_SUP_NEVER},
    {"requireptr", CLI_SUP_NEVER},
    {"spamdetected", CLI_SUP_NEVER},
    {"policyviolation", CLI_SUP_NEVER},
    {"contenterror", CLI_SUP_NEVER},
    {"virusdetected", CLI_SUP_NEVER},
    {"filtered", CLI_SUP_NEVER},
    {"mesgtoobig", CLI_SUP_NEVER},
    {"norelaying", CLI_SUP_NEVER},
    {"rejected", CLI_SUP_NEVER},
    {"syntaxerror", CLI_SUP_NEVER},
    {"notcompliantrfc", CLI_SUP_NEVER},
    /* Not failures at all. */
    {"delivered", CLI_SUP_NEVER},
    {"vacation", CLI_SUP_NEVER},
    {"feedback", CLI_SUP_NEVER},
};

enum cli_sup_format {
    CLI_SUP_MAP, CLI_SUP_CSV, CLI_SUP_JSON,
};

/* One listed failure: what is written and merged. */
struct cli_sup_entry {
    int     on;				/* the entry holds something */
    int     hard;
    size_t  failures;
    time_t  first;
    time_t  last;
    char    reason[24];
    char    status[SX_STATUS_MAX];
    char   *verbatim;			/* a map line not of ours, kept */
};

struct cli_addr {
    char   *addr;			/* lower case; NULL: free slot */
    time_t  delivered;			/* the latest success, or 0 */
    struct cli_sup_entry hard;		/* hard failures seen */
    time_t *soft;			/* soft failure times, latest kept */
    size_t  nsoft;
    char    soft_reason[24];
    char    soft_status[SX_STATUS_MAX];
    time_t  soft_reason_at;
    struct cli_sup_entry listed;	/* from the merged list */
};

struct cli_sup_ctx {
    struct cli_addr *slot;
    size_t  size;
    size_t  used;
    unsigned soft_count;
    unsigned soft_days;
    size_t  never;			/* failures that are the sender's fault */
    int     nomem;
};

static enum cli_sup_rule cli_sup_rule(const char *reason)
{
    size_t  i;

    for (i = 0; i < sizeof(cli_suppress_rules) / sizeof(cli_suppress_rules[0]); i++)
	if (strcmp(cli_suppress_rules[i].reason, reason) == 0)
	    return (cli_suppress_rules[i].rule);
    return (CLI_SUP_SOFT);
}

static int cli_sup_grow(struct cli_sup_ctx *sc)
{
    size_t  size = sc->size ? 2 * sc->size : 1024, i, j;
    struct cli_addr *slot = calloc(size, sizeof(*slot));

    if (slot == 0)
	return (-1);
    for (i = 0; i < sc->size; i++) {
	if (sc->slot[i].addr == 0)
	    continue;
	for (j = cli_hash(sc->slot[i].addr) & (size - 1); slot[j].addr;
	     j = (j + 1) & (size - 1))
	     /* void */ ;
	slot[j] = sc->slot[i];
    }
    free(sc->slot);
    sc->slot = slot;
    sc->size = size;
    return (0);
}

/* cli_sup_find - the record of an address (lower case), made when new */

static struct cli_addr *cli_sup_find(struct cli_sup_ctx *sc, const char *addr)
{
    size_t  j;

    if ((sc->used + 1) * 2 > sc->size && cli_sup_grow(sc) < 0)
	return (0);
    for (j = cli_hash(addr) & (sc->size - 1); sc->slot[j].addr;
	 j = (j + 1) & (sc->size - 1))
	if (strcmp(sc->slot[j].addr, addr) == 0)
	    return (&sc->slot[j]);
    if ((sc->slot[j].addr = strdup(addr)) == 0)
	return (0);
    sc->used++;
    return (&sc->slot[j]);
}

/* cli_sup_key - the address as a map key: lower case; 0 when it cannot be one */

static int cli_sup_key(char *dst, size_t size, const char *src)
{
    size_t  i;

    for (i = 0; src[i] && i + 1 < size; i++) {
	unsigned char c = (unsigned char) src[i];

	if (c <= ' ' || c == 0x7f || c == '"' || c == '#' || c == ',')
	    return (0);
	dst[i] = (char) ((c >= 'A' && c <= 'Z') ? c + 32 : c);
    }
    dst[i] = 0;
    return (i > 0 && strchr(dst, '@') != 0 && dst[0] != '@');
}

static void cli_sup_soft(struct cli_addr *a, time_t t)
{
    size_t  i, min = 0;

    if (a->nsoft < CLI_SOFT_KEEP) {
	a->soft[a->nsoft++] = t;
	return;
    }
    for (i = 1; i < a->nsoft; i++)
	if (a->soft[i] < a->soft[min])
	    min = i;
    if (t > a->soft[min])
	a->soft[min] = t;
}

static int cli_sup_message(void *ctx, const struct cli_msginfo *mi)
{
    struct cli_sup_ctx *sc = ctx;
    char    key[SX_ADDR_MAX];
    size_t  i;
    time_t  t = mi->date;

    for (i = 0; i < mi->rep->count; i++) {
	const struct sx_finding *f = mi->rep->items[i].finding;
	const struct sx_explanation *ex = &mi->rep->items[i].ex;
	enum cli_sup_rule rule = cli_sup_rule(ex->reason);
	struct cli_addr *a;
	int     success, failed;

	if (f->kind == SX_KIND_AUTOREPLY || f->kind == SX_KIND_FEEDBACK)
	    continue;
	success = f->action == SX_ACTION_DELIVERED
	    || (f->action == SX_ACTION_NONE && ex->class == SX_CLASS_SUCCESS);
	failed = f->action == SX_ACTION_FAILED
	    || (f->action == SX_ACTION_NONE && (ex->class == SX_CLASS_PERMANENT
					       || ex->class == SX_CLASS_TRANSIENT));
	if (!success && !failed)
	    continue;			/* delayed, relayed, expanded */
	if (failed && rule == CLI_SUP_NEVER) {
	    sc->never++;
	    continue;
	}
	if (!cli_sup_key(key, sizeof(key), f->recipient))
	    continue;
	if ((a = cli_sup_find(sc, key)) == 0)
	    goto nomem;
	if (success) {
	    if (t > a->delivered)
		a->delivered = t;
	    continue;
	}
	if (rule == CLI_SUP_HARD && ex->class != SX_CLASS_TRANSIENT) {
	    struct cli_sup_entry *h = &a->hard;

	    /* Only the failures after the latest success count: kept by time. */
	    if (!h->on || t < h->first)
		h->first = t;
	    if (!h->on || t >= h->last) {
		h->last = t;
		snprintf(h->reason, sizeof(h->reason), "%s", ex->reason);
		snprintf(h->status, sizeof(h->status), "%s", f->status);
	    }
	    h->on = 1;
	    h->hard = 1;
	    h->failures++;
	    continue;
	}
	if (a->soft == 0 && (a->soft = calloc(CLI_SOFT_KEEP, sizeof(*a->soft))) == 0)
	    goto nomem;
	cli_sup_soft(a, t);
	if (t >= a->soft_reason_at) {
	    a->soft_reason_at = t;
	    snprintf(a->soft_reason, sizeof(a->soft_reason), "%s", ex->reason);
	    snprintf(a->soft_status, sizeof(a->soft_status), "%s", f->status);
	}
    }
    return (0);
nomem:
    fprintf(stderr, "smtp-explain: out of memory\n");
    sc->nomem = 1;
    return (CLI_EXIT_IO);
}

/* cli_sup_judge - what the input says of one address: e->on when listed */

static void cli_sup_judge(const struct cli_sup_ctx *sc, const struct cli_addr *a,
			          struct cli_sup_entry *e)
{
    size_t  i, n = 0;
    time_t  lo = 0, hi = 0;

    *e = (struct cli_sup_entry) {0};
    /* A hard failure after the last success (at the same second: listed). */
    if (a->hard.on && a->hard.last >= a->delivered) {
	*e = a->hard;
	if (a->delivered && e->first < a->delivered) {
	    e->first = e->last;
	    e->failures = 1;
	}
	return;
    }
    for (i = 0; i < a->nsoft; i++) {
	if (a->delivered && a->soft[i] <= a->delivered)
	    continue;
	if (n == 0 || a->soft[i] < lo)
	    lo = a->soft[i];
	if (n == 0 || a->soft[i] > hi)
	    hi = a->soft[i];
	n++;
    }
    if (n >= sc->soft_count && hi - lo >= (time_t) sc->soft_days * 86400) {
	e->on = 1;
	e->failures = n;
	e->first = lo;
	e->last = hi;
	snprintf(e->reason, sizeof(e->reason), "%s", a->soft_reason);
	snprintf(e->status, sizeof(e->status), "%s", a->soft_status);
    }
}

/* cli_sup_combine - the union of a listed entry and a new one */

static void cli_sup_combine(struct cli_sup_entry *l, const struct cli_sup_entry *n)
{
    if (!l->on) {
	*l = *n;
	return;
    }
    if (n->last >= l->last) {
	memcpy(l->reason, n->reason, sizeof(l->reason));
	memcpy(l->status, n->status, sizeof(l->status));
	l->hard = n->hard;
    }
    if (n->first < l->first || l->first == 0)
	l->first = n->first;
    if (n->last > l->last)
	l->last = n->last;
    if (n->failures > l->failures)
	l->failures = n->failures;
}

/* ------------------------------------------------------------ merge input */

static time_t cli_iso_parse(const char *s)
{
    struct tm tm = {.tm_isdst = 0};
    int     y, mo, d, h = 0, mi = 0, se = 0;

    if (sscanf(s, "%d-%d-%dT%d:%d:%dZ", &y, &mo, &d, &h, &mi, &se) < 3)
	return (0);
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = se;
    return (timegm(&tm));
}

static void cli_iso(time_t t, char *buf, size_t size)
{
    struct tm tm;

    buf[0] = 0;
    if (t != 0 && gmtime_r(&t, &tm) != 0)
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
    else
	snprintf(buf, size, "-");
}

/* cli_json_get - the string or number value of "key" in a line of ours */

static int cli_json_get(const char *line, const char *key, char *buf, size_t size)
{
    char    pat[40];
    const char *p;
    size_t  n = 0;

    snprintf(pat, sizeof(pat), "\"%s\":", key);
    if ((p = strstr(line, pat)) == 0)
	return (0);
    p += strlen(pat);
    if (*p == '"') {
	for (p++; *p && *p != '"' && n + 1 < size; p++) {
	    if (*p == '\\' && p[1])
		p++;
	    buf[n++] = *p;
	}
    } else {
	while (*p && *p != ',' && *p != '}' && n + 1 < size)
	    buf[n++] = *p++;
    }
    buf[n] = 0;
    return (1);
}

/* cli_sup_put - a listed entry read from a merged list */

static int cli_sup_put(struct cli_sup_ctx *sc, const char *addr,
		               const struct cli_sup_entry *e)
{
    char    key[SX_ADDR_MAX];
    struct cli_addr *a;

    /* A verbatim line is ours to keep or to free, whatever happens. */
    if (!cli_sup_key(key, sizeof(key), addr)) {
	free(e->verbatim);
	return (0);
    }
    if ((a = cli_sup_find(sc, key)) == 0) {
	free(e->verbatim);
	return (-1);
    }
    if (e->verbatim) {
	free(a->listed.verbatim);
	a->listed = *e;
	return (0);
    }
    cli_sup_combine(&a->listed, e);
    return (0);
}

/* cli_sup_read_line - one line of a list: map, CSV or JSON */

static int cli_sup_read_line(struct cli_sup_ctx *sc, char *line,
			             enum cli_sup_format fmt, struct cli_sup_entry *pend,
			             char *pend_addr, size_t pend_size)
{
    struct cli_sup_entry e = {.on = 1};
    char    addr[SX_ADDR_MAX], kind[16], v[64], first[40], last[40];
    char   *p;

    if (fmt == CLI_SUP_JSON) {
	if (!cli_json_get(line, "address", addr, sizeof(addr)))
	    return (0);
	cli_json_get(line, "kind", kind, sizeof(kind));
	e.hard = strcmp(kind, "hard") == 0;
	cli_json_get(line, "reason", e.reason, sizeof(e.reason));
	cli_json_get(line, "status", e.status, sizeof(e.status));
	if (cli_json_get(line, "failures", v, sizeof(v)))
	    e.failures = strtoul(v, 0, 10);
	if (cli_json_get(line, "first", v, sizeof(v)))
	    e.first = cli_iso_parse(v);
	if (cli_json_get(line, "last", v, sizeof(v)))
	    e.last = cli_iso_parse(v);
	return (cli_sup_put(sc, addr, &e));
    }
    if (fmt == CLI_SUP_CSV) {
	unsigned long n;

	if (strncmp(line, "address,", 8) == 0)
	    return (0);
	if (sscanf(line, "%255[^,],%15[^,],%23[^,],%15[^,],%lu,%39[^,],%39[^,\n]",
		   addr, kind, e.reason, e.status, &n, first, last) != 7) {
	    /* An empty status: */
	    e.status[0] = 0;
	    if (sscanf(line, "%255[^,],%15[^,],%23[^,],,%lu,%39[^,],%39[^,\n]",
		       addr, kind, e.reason, &n, first, last) != 6)
		return (0);
	}
	e.hard = strcmp(kind, "hard") == 0;
	e.failures = n;
	e.first = cli_iso_parse(first);
	e.last = cli_iso_parse(last);
	return (cli_sup_put(sc, addr, &e));
    }
    /* The map: our comment, then the entry it describes. */
    if (line[0] == '#') {
	unsigned long n;

	pend->on = 0;
	if (sscanf(line, "# %255[^:]: %15s %23s %15s failures %lu first %39s last %39s",
		   pend_addr, kind, pend->reason, pend->status, &n, first, last) == 7) {
	    pend->on = 1;
	    pend->hard = strcmp(kind, "hard") == 0;
	    pend->failures = n;
	    pend->first = cli_iso_parse(first);
	    pend->last = cli_iso_parse(last);
	    if (strcmp(pend->status, "-") == 0)
		pend->status[0] = 0;
	}
	(void) pend_size;
	return (0);
    }
    if ((p = strpbrk(line, " \t")) == 0 || p == line) {
	pend->on = 0;
	return (0);
    }
    snprintf(addr, sizeof(addr), "%.*s", (int) (p - line), line);
    if (pend->on && strcasecmp(addr, pend_addr) == 0) {
	pend->on = 0;
	return (cli_sup_put(sc, addr, pend));
    }
    /* Not ours: kept as it is. */
    e.verbatim = strdup(line);
    pend->on = 0;
    if (e.verbatim == 0)
	return (-1);
    /* cli_sup_put() keeps or frees e.verbatim. */
    /* cppcheck-suppress memleak */
    return (cli_sup_put(sc, addr, &e));
}

static int cli_sup_read_list(struct cli_sup_ctx *sc, const char *path)
{
    FILE   *fp;
    char    line[CLI_SUP_LINE], pend_addr[SX_ADDR_MAX] = "";
    struct cli_sup_entry pend = {0};
    enum cli_sup_format fmt = CLI_SUP_MAP;
    int     first = 1, r = 0;
    size_t  n;

    if ((fp = fopen(path, "r")) == 0) {
	if (errno == ENOENT)
	    return (0);			/* a first run: no list yet */
	fprintf(stderr, "smtp-explain: %s: %s\n", path, strerror(errno));
	return (-1);
    }
    while (r == 0 && fgets(line, sizeof(line), fp) != 0) {
	if ((n = strlen(line)) > 0 && line[n - 1] == '\n')
	    line[--n] = 0;
	if (n == 0)
	    continue;
	if (first) {
	    first = 0;
	    if (line[0] == '{')
		fmt = CLI_SUP_JSON;
	    else if (strncmp(line, "address,", 8) == 0)
		fmt = CLI_SUP_CSV;
	}
	r = cli_sup_read_line(sc, line, fmt, &pend, pend_addr, sizeof(pend_addr));
    }
    if (ferror(fp))
	r = -1;
    fclose(fp);
    if (r < 0)
	fprintf(stderr, "smtp-explain: %s: cannot read the list\n", path);
    return (r);
}

/* ------------------------------------------------------------ output */

static int cli_sup_cmp(const void *a, const void *b)
{
    return (strcmp((*(struct cli_addr *const *) a)->addr,
		   (*(struct cli_addr *const *) b)->addr));
}

static void cli_sup_write(struct cli_out *o, enum cli_sup_format fmt,
			          const char *addr, const struct cli_sup_entry *e)
{
    char    first[32], last[32], code[SX_STATUS_MAX];
    const char *kind = e->hard ? "hard" : "soft";

    if (e->verbatim) {
	if (fmt == CLI_SUP_MAP) {
	    cli_out_str(o, e->verbatim);
	    cli_out_ch(o, '\n');
	}
	return;
    }
    cli_iso(e->first, first, sizeof(first));
    cli_iso(e->last, last, sizeof(last));
    switch (fmt) {
    case CLI_SUP_MAP:
	/* A local rejection is permanent: the code's class is 5. */
	if (e->status[0] && e->status[1] == '.')
	    snprintf(code, sizeof(code), "5%s", e->status + 1);
	else
	    snprintf(code, sizeof(code), "%s", e->hard ? "5.1.1" : "5.0.0");
	cli_out_fmt(o, "# %s: %s %s %s failures %zu first %s last %s\n", addr,
		    kind, e->reason, e->status[0] ? e->status : "-", e->failures,
		    first, last);
	cli_out_fmt(o, "%s\tREJECT %s Recipient address rejected: it bounced"
		    " (%s, %.10s)\n", addr, code, e->reason, last);
	break;
    case CLI_SUP_CSV:
	cli_out_fmt(o, "%s,%s,%s,%s,%zu,%s,%s\n", addr, kind, e->reason, e->status,
		    e->failures, first, last);
	break;
    case CLI_SUP_JSON:
	cli_out_str(o, "{\"address\":");
	cli_out_json(o, addr);
	cli_out_fmt(o, ",\"kind\":\"%s\",\"reason\":", kind);
	cli_out_json(o, e->reason);
	cli_out_str(o, ",\"status\":");
	cli_out_json(o, e->status);
	cli_out_fmt(o, ",\"failures\":%zu,\"first\":\"%s\",\"last\":\"%s\"}\n",
		    e->failures, first, last);
	break;
    }
}

static size_t cli_sup_output(struct cli_sup_ctx *sc, struct cli_out *o,
			             enum cli_sup_format fmt)
{
    struct cli_addr **v;
    struct cli_sup_entry e;
    size_t  i, n = 0, listed = 0;

    if (fmt == CLI_SUP_MAP)
	cli_out_str(o, "# Recipients that bounced, written by smtp-explain suppress.\n"
		    "# Build with: postmap hash:FILE; use with check_recipient_access.\n");
    else if (fmt == CLI_SUP_CSV)
	cli_out_str(o, "address,kind,reason,status,failures,first,last\n");
    if (sc->used == 0)
	return (0);
    if ((v = malloc(sc->used * sizeof(*v))) == 0)
	return ((size_t) -1);
    for (i = 0; i < sc->size; i++)
	if (sc->slot[i].addr)
	    v[n++] = &sc->slot[i];
    qsort(v, n, sizeof(*v), cli_sup_cmp);
    for (i = 0; i < n; i++) {
	struct cli_addr *a = v[i];
	struct cli_sup_entry l = a->listed;

	/* A success after the last listed failure takes it off the list. */
	if (l.on && !l.verbatim && a->delivered && a->delivered > l.last)
	    l.on = 0;
	cli_sup_judge(sc, a, &e);
	if (e.on)
	    cli_sup_combine(&l, &e);
	if (!l.on)
	    continue;
	cli_sup_write(o, fmt, a->addr, &l);
	listed++;
    }
    free(v);
    return (listed);
}

static void cli_sup_free(struct cli_sup_ctx *sc)
{
    size_t  i;

    for (i = 0; i < sc->size; i++) {
	free(sc->slot[i].addr);
	free(sc->slot[i].soft);
	free(sc->slot[i].listed.verbatim);
    }
    free(sc->slot);
}

static int cli_sup_number(const char *opt, const char *arg, unsigned max, unsigned *out)
{
    char   *end;
    unsigned long v;

    if (arg == 0 || (v = strtoul(arg, &end, 10), *end) || *arg == 0 || v > max) {
	fprintf(stderr, "smtp-explain: %s needs a number from 0 to %u\n", opt, max);
	return (-1);
    }
    *out = (unsigned) v;
    return (0);
}

int     cli_suppress(int argc, char **argv)
{
    const char *regfile = 0, *merge = 0, *outfile = 0;
    struct sx_registry *reg;
    struct cli_sup_ctx sc = {.soft_count = 3, .soft_days = 7};
    struct cli_run_opts ro = {.fn = cli_sup_message, .ctx = &sc};
    enum cli_sup_format fmt = CLI_SUP_MAP;
    static struct cli_out fout;
    struct cli_out *o = &cli_stdout;
    char    tmp[4096];
    int     i, k, status, nfiles = 0, fd = -1;
    size_t  listed;
    char  **rest = argv;

    for (i = 1; i < argc; i++) {
	const char *a = argv[i];

	if (strcmp(a, "--format") == 0 || strcmp(a, "-f") == 0) {
	    const char *f = ++i < argc ? argv[i] : "";

	    if (strcmp(f, "map") == 0)
		fmt = CLI_SUP_MAP;
	    else if (strcmp(f, "csv") == 0)
		fmt = CLI_SUP_CSV;
	    else if (strcmp(f, "json") == 0)
		fmt = CLI_SUP_JSON;
	    else {
		fprintf(stderr, "smtp-explain: %s needs map, csv or json\n", a);
		return (CLI_EXIT_USAGE);
	    }
	} else if (strcmp(a, "--merge") == 0 || strcmp(a, "-m") == 0) {
	    if ((merge = ++i < argc ? argv[i] : 0) == 0) {
		fprintf(stderr, "smtp-explain: %s needs a file name\n", a);
		return (CLI_EXIT_USAGE);
	    }
	} else if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
	    if ((outfile = ++i < argc ? argv[i] : 0) == 0) {
		fprintf(stderr, "smtp-explain: %s needs a file name\n", a);
		return (CLI_EXIT_USAGE);
	    }
	} else if (strcmp(a, "--soft-count") == 0) {
	    if (cli_sup_number(a, ++i < argc ? argv[i] : 0, CLI_SOFT_KEEP, &sc.soft_count) < 0)
		return (CLI_EXIT_USAGE);
	    if (sc.soft_count == 0)
		sc.soft_count = 1;
	} else if (strcmp(a, "--soft-days") == 0) {
	    if (cli_sup_number(a, ++i < argc ? argv[i] : 0, 3650, &sc.soft_days) < 0)
		return (CLI_EXIT_USAGE);
	} else if ((k = cli_common_arg("suppress", argc, argv, &i, &ro, &regfile, rest,
				       &nfiles)) != 0) {
	    if (k < 0)
		return (CLI_EXIT_USAGE);
	} else {
	    fprintf(stderr, "smtp-explain: suppress: unknown option \"%s\"\n", a);
	    return (CLI_EXIT_USAGE);
	}
    }
    if (cli_common_end("suppress", nfiles) < 0) {
	return (CLI_EXIT_USAGE);
    }
    if ((reg = cli_registry_load(regfile)) == 0)
	return (CLI_EXIT_CONFIG);
    if (merge && cli_sup_read_list(&sc, merge) < 0) {
	cli_sup_free(&sc);
	sx_registry_free(reg);
	return (CLI_EXIT_USAGE);
    }
    ro.reg = reg;
    ro.progress = isatty(2);
    status = cli_run(&ro, rest, nfiles);
    sx_registry_free(reg);
    if (sc.nomem) {
	cli_sup_free(&sc);
	return (CLI_EXIT_IO);
    }
    if (outfile) {
	snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", outfile);
	if ((fd = mkstemp(tmp)) < 0) {
	    fprintf(stderr, "smtp-explain: %s: %s\n", tmp, strerror(errno));
	    cli_sup_free(&sc);
	    return (CLI_EXIT_IO);
	}
	(void) fchmod(fd, 0644);
	fout.fd = fd;
	o = &fout;
    }
    listed = cli_sup_output(&sc, o, fmt);
    cli_sup_free(&sc);
    if (cli_out_flush(o) < 0 || listed == (size_t) -1
	|| (fd >= 0 && (fsync(fd) < 0 || close(fd) < 0))
	|| (outfile && rename(tmp, outfile) < 0)) {
	fprintf(stderr, "smtp-explain: %s: %s\n", outfile ? outfile : "standard output",
		listed == (size_t) -1 ? "out of memory" : strerror(errno));
	if (outfile)
	    unlink(tmp);
	return (CLI_EXIT_IO);
    }
    fprintf(stderr, "smtp-explain: %zu addresses listed; %zu failures were the"
	    " sender's fault and are not\n", listed, sc.never);
    return (status);
}
