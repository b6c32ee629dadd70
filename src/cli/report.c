/*
 * NAME
 *	report 3
 * SUMMARY
 *	smtp-explain report: what is going wrong, counted
 * SYNOPSIS
 *	smtp-explain report [--json] [-n top] [-R] [-r registry] path...|-
 * DESCRIPTION
 *	cli_report() reads every message of the paths (see source(3)) and
 *	counts the findings by reason, class, recipient domain, vendor,
 *	remote MTA and day (UTC), the most frequent diagnostics (the
 *	recipient's address in them written as "<recipient>", so that one
 *	server's refusal of many addresses counts as one text), and the
 *	findings that no registry entry explains (explained only by the
 *	fallback), with their diagnostics. A table for people, or with
 *	--json one JSON object for programs.
 *
 *	Each count has a cap on its distinct keys (CLI_TALLY_MAX): past it,
 *	findings count under "(other)", so memory stays bounded whatever
 *	the input. A progress line is written on stderr when stderr is a
 *	terminal and the input is large.
 * DIAGNOSTICS
 *	Exit 0, 1 when an input could not be read (the rest is counted), 2
 *	on a usage error, 3 when the registry could not be loaded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <smtp-explain/registry.h>

#include "cli.h"

#define OUT (&cli_stdout)
#define CLI_TALLY_MAX	65536		/* distinct keys per count */
#define CLI_DIAG_KEY	200		/* bytes of a diagnostic counted */

struct cli_tally_item {
    char   *key;
    size_t  count;
};

struct cli_tally {
    const char *name;			/* "reason", ... */
    int     by_key;			/* listed in key order (days) */
    struct cli_tally_item *slot;	/* open addressing */
    size_t  size;			/* slots, a power of two */
    size_t  used;
    size_t  other;			/* findings past CLI_TALLY_MAX keys */
};

enum {
    CLI_T_REASON, CLI_T_CLASS, CLI_T_DOMAIN, CLI_T_VENDOR, CLI_T_REMOTE,
    CLI_T_DAY, CLI_T_DIAG, CLI_T_UNMATCHED, CLI_T_COUNT,
};

struct cli_report_ctx {
    struct cli_tally t[CLI_T_COUNT];
    size_t  messages;
    size_t  with_findings;
    size_t  findings;
    size_t  unmatched;
    time_t  first;
    time_t  last;
    int     nomem;
};

/* cli_tally_grow - double the table */

static int cli_tally_grow(struct cli_tally *t)
{
    size_t  size = t->size ? 2 * t->size : 256, i, j;
    struct cli_tally_item *slot = calloc(size, sizeof(*slot));

    if (slot == 0)
	return (-1);
    for (i = 0; i < t->size; i++) {
	if (t->slot[i].key == 0)
	    continue;
	for (j = cli_hash(t->slot[i].key) & (size - 1); slot[j].key; j = (j + 1) & (size - 1))
	     /* void */ ;
	slot[j] = t->slot[i];
    }
    free(t->slot);
    t->slot = slot;
    t->size = size;
    return (0);
}

static int cli_tally_add(struct cli_tally *t, const char *key)
{
    size_t  j;

    if (*key == 0)
	key = "(none)";
    if ((t->used + 1) * 2 > t->size && t->used < CLI_TALLY_MAX && cli_tally_grow(t) < 0)
	return (-1);
    for (j = cli_hash(key) & (t->size - 1); t->slot[j].key; j = (j + 1) & (t->size - 1)) {
	if (strcmp(t->slot[j].key, key) == 0) {
	    t->slot[j].count++;
	    return (0);
	}
    }
    if (t->used >= CLI_TALLY_MAX) {
	t->other++;
	return (0);
    }
    if ((t->slot[j].key = strdup(key)) == 0)
	return (-1);
    t->slot[j].count = 1;
    t->used++;
    return (0);
}

static void cli_tally_free(struct cli_tally *t)
{
    size_t  i;

    for (i = 0; i < t->size; i++)
	free(t->slot[i].key);
    free(t->slot);
}

static int cli_by_count(const void *a, const void *b)
{
    const struct cli_tally_item *x = a, *y = b;

    if (x->count != y->count)
	return (x->count < y->count ? 1 : -1);
    return (strcmp(x->key, y->key));
}

static int cli_by_key(const void *a, const void *b)
{
    return (strcmp(((const struct cli_tally_item *) a)->key,
		   ((const struct cli_tally_item *) b)->key));
}

/* cli_tally_sorted - the keys, most frequent first (or by key); NULL when none */

static struct cli_tally_item *cli_tally_sorted(const struct cli_tally *t)
{
    struct cli_tally_item *v;
    size_t  i, n = 0;

    if (t->used == 0 || (v = malloc(t->used * sizeof(*v))) == 0)
	return (0);
    for (i = 0; i < t->size; i++)
	if (t->slot[i].key)
	    v[n++] = t->slot[i];
    qsort(v, n, sizeof(*v), t->by_key ? cli_by_key : cli_by_count);
    return (v);
}

/* cli_diag_key - a diagnostic with the recipient's address replaced */

/* cli_cat - append n bytes of p to buf (size bytes, *len used), cut to fit */

static void cli_cat(char *buf, size_t size, size_t *len, const char *p, size_t n)
{
    if (n > size - 1 - *len)
	n = size - 1 - *len;
    memcpy(buf + *len, p, n);
    *len += n;
    buf[*len] = 0;
}

/* cli_diag_key - a diagnostic with the recipient's address replaced */

static void cli_diag_key(char *buf, size_t size, const char *diag, const char *rcpt)
{
    const char *hit = rcpt[0] ? strstr(diag, rcpt) : 0;
    size_t  len = 0;

    cli_cat(buf, size, &len, diag, hit ? (size_t) (hit - diag) : strlen(diag));
    if (hit) {
	cli_cat(buf, size, &len, "<recipient>", 11);
	hit += strlen(rcpt);
	cli_cat(buf, size, &len, hit, strlen(hit));
    }
}

static int cli_report_message(void *ctx, const struct cli_msginfo *mi)
{
    struct cli_report_ctx *rc = ctx;
    char    day[16] = "", key[CLI_DIAG_KEY + 1];
    struct tm tm;
    size_t  i;
    int     bad = 0;

    rc->messages++;
    if (mi->rep->count == 0)
	return (0);
    rc->with_findings++;
    if (mi->date != 0 && gmtime_r(&mi->date, &tm) != 0) {
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	if (rc->first == 0 || mi->date < rc->first)
	    rc->first = mi->date;
	if (mi->date > rc->last)
	    rc->last = mi->date;
    }
    for (i = 0; i < mi->rep->count; i++) {
	const struct sx_finding *f = mi->rep->items[i].finding;
	const struct sx_explanation *ex = &mi->rep->items[i].ex;

	rc->findings++;
	cli_diag_key(key, sizeof(key), f->diagnostic, f->recipient);
	bad |= cli_tally_add(&rc->t[CLI_T_REASON], ex->reason);
	bad |= cli_tally_add(&rc->t[CLI_T_CLASS], sx_class_name(ex->class));
	bad |= cli_tally_add(&rc->t[CLI_T_DOMAIN], cli_domain(f->recipient));
	bad |= cli_tally_add(&rc->t[CLI_T_VENDOR], ex->vendor_name);
	bad |= cli_tally_add(&rc->t[CLI_T_REMOTE], f->remote_mta);
	bad |= cli_tally_add(&rc->t[CLI_T_DAY], day);
	bad |= cli_tally_add(&rc->t[CLI_T_DIAG], key);
	if (ex->from == SX_FROM_NONE || ex->from == SX_FROM_FALLBACK) {
	    rc->unmatched++;
	    bad |= cli_tally_add(&rc->t[CLI_T_UNMATCHED], key);
	}
    }
    if (bad) {
	fprintf(stderr, "smtp-explain: out of memory\n");
	rc->nomem = 1;
	return (CLI_EXIT_IO);
    }
    return (0);
}

static void cli_date_day(time_t t, char *buf, size_t size)
{
    struct tm tm;

    buf[0] = 0;
    if (t != 0 && gmtime_r(&t, &tm) != 0)
	strftime(buf, size, "%Y-%m-%d", &tm);
}

static void cli_report_table(const struct cli_report_ctx *rc, const struct cli_tally *t,
			             const char *title, size_t top, size_t total)
{
    struct cli_tally_item *v = cli_tally_sorted(t);
    size_t  i, n = t->used;

    cli_out_fmt(OUT, "\n%-40s %8s %6s\n", title, "count", "%");
    if (v == 0 && t->other == 0) {
	cli_out_str(OUT, "  (none)\n");
	return;
    }
    if (!t->by_key && n > top)
	n = top;
    for (i = 0; i < n && v; i++) {
	size_t  len = strlen(v[i].key);

	cli_out_str(OUT, "  ");
	if (len > 38) {
	    cli_out_mem(OUT, v[i].key, 35);
	    cli_out_str(OUT, "...");
	} else {
	    cli_out_str(OUT, v[i].key);
	    cli_out_fmt(OUT, "%*s", (int) (38 - len), "");
	}
	cli_out_fmt(OUT, " %8zu %6.1f\n", v[i].count,
		    total ? 100.0 * v[i].count / total : 0.0);
    }
    if (t->used > n)
	cli_out_fmt(OUT, "  (%zu more)\n", t->used - n);
    if (t->other)
	cli_out_fmt(OUT, "  %-38s %8zu\n", "(other, past the key limit)", t->other);
    free(v);
    (void) rc;
}

static void cli_report_text(const struct cli_report_ctx *rc, size_t top)
{
    static const char *const titles[CLI_T_COUNT] = {
	[CLI_T_REASON] = "by reason",
	[CLI_T_CLASS] = "by class",
	[CLI_T_DOMAIN] = "by recipient domain",
	[CLI_T_VENDOR] = "by vendor",
	[CLI_T_REMOTE] = "by remote MTA",
	[CLI_T_DAY] = "by day (UTC)",
	[CLI_T_DIAG] = "top diagnostics",
	[CLI_T_UNMATCHED] = "no registry match: diagnostics",
    };
    char    first[16], last[16];
    size_t  i;

    cli_date_day(rc->first, first, sizeof(first));
    cli_date_day(rc->last, last, sizeof(last));
    cli_out_fmt(OUT, "%zu messages, %zu with findings, %zu findings", rc->messages,
		rc->with_findings, rc->findings);
    if (first[0])
	cli_out_fmt(OUT, ", %s to %s", first, last);
    cli_out_fmt(OUT, "; %zu with no registry match\n", rc->unmatched);
    for (i = 0; i < CLI_T_COUNT; i++)
	cli_report_table(rc, &rc->t[i], titles[i], top,
			 i == CLI_T_UNMATCHED ? rc->unmatched : rc->findings);
}

static void cli_report_json_tally(const struct cli_tally *t, size_t top)
{
    struct cli_tally_item *v = cli_tally_sorted(t);
    size_t  i, n = t->used;

    if (!t->by_key && n > top)
	n = top;
    cli_out_str(OUT, ",\"");
    cli_out_str(OUT, t->name);
    cli_out_str(OUT, "\":[");
    for (i = 0; i < n && v; i++) {
	cli_out_str(OUT, i ? ",{\"key\":" : "{\"key\":");
	cli_out_json(OUT, v[i].key);
	cli_out_fmt(OUT, ",\"count\":%zu}", v[i].count);
    }
    cli_out_ch(OUT, ']');
    if (t->used > n || t->other)
	cli_out_fmt(OUT, ",\"%s_more\":%zu", t->name, t->used - n + t->other);
    free(v);
}

static void cli_report_json(const struct cli_report_ctx *rc, size_t top)
{
    char    first[16], last[16];
    size_t  i;

    cli_date_day(rc->first, first, sizeof(first));
    cli_date_day(rc->last, last, sizeof(last));
    cli_out_fmt(OUT, "{\"messages\":%zu,\"messages_with_findings\":%zu,"
		"\"findings\":%zu,\"unmatched\":%zu,\"first_day\":\"%s\","
		"\"last_day\":\"%s\"", rc->messages, rc->with_findings,
		rc->findings, rc->unmatched, first, last);
    for (i = 0; i < CLI_T_COUNT; i++)
	cli_report_json_tally(&rc->t[i], top);
    cli_out_str(OUT, "}\n");
}

int     cli_report(int argc, char **argv)
{
    static const char *const names[CLI_T_COUNT] = {
	[CLI_T_REASON] = "by_reason",
	[CLI_T_CLASS] = "by_class",
	[CLI_T_DOMAIN] = "by_domain",
	[CLI_T_VENDOR] = "by_vendor",
	[CLI_T_REMOTE] = "by_remote_mta",
	[CLI_T_DAY] = "by_day",
	[CLI_T_DIAG] = "top_diagnostics",
	[CLI_T_UNMATCHED] = "unmatched_diagnostics",
    };
    const char *regfile = 0;
    struct sx_registry *reg;
    struct cli_report_ctx rc = {0};
    struct cli_run_opts ro = {.fn = cli_report_message, .ctx = &rc};
    int     i, k, json = 0, status, nfiles = 0;
    size_t  top = 10;
    char  **rest = argv;
    char   *end;

    for (i = 1; i < argc; i++) {
	const char *a = argv[i];

	if (strcmp(a, "--json") == 0) {
	    json = 1;
	} else if (strcmp(a, "-n") == 0 || strcmp(a, "--top") == 0) {
	    if (++i >= argc || (top = strtoul(argv[i], &end, 10)) == 0 || *end) {
		fprintf(stderr, "smtp-explain: %s needs a number above 0\n", a);
		return (CLI_EXIT_USAGE);
	    }
	} else if ((k = cli_common_arg("report", argc, argv, &i, &ro, &regfile, rest,
				       &nfiles)) != 0) {
	    if (k < 0)
		return (CLI_EXIT_USAGE);
	} else {
	    fprintf(stderr, "smtp-explain: report: unknown option \"%s\"\n", a);
	    return (CLI_EXIT_USAGE);
	}
    }
    if (cli_common_end("report", nfiles) < 0) {
	return (CLI_EXIT_USAGE);
    }
    if ((reg = cli_registry_load(regfile)) == 0)
	return (CLI_EXIT_CONFIG);
    for (i = 0; i < CLI_T_COUNT; i++)
	rc.t[i].name = names[i];
    rc.t[CLI_T_DAY].by_key = 1;
    ro.reg = reg;
    ro.progress = isatty(2);
    status = cli_run(&ro, rest, nfiles);
    if (!rc.nomem) {
	if (json)
	    cli_report_json(&rc, top);
	else
	    cli_report_text(&rc, top);
    }
    for (i = 0; i < CLI_T_COUNT; i++)
	cli_tally_free(&rc.t[i]);
    sx_registry_free(reg);
    if (cli_out_flush(&cli_stdout) < 0) {
	fprintf(stderr, "smtp-explain: standard output: %s\n", strerror(errno));
	return (CLI_EXIT_IO);
    }
    return (status);
}
