/*
 * NAME
 *	stats 3
 * SUMMARY
 *	smtp-explain stats: a human view of the milter's metrics file
 * SYNOPSIS
 *	smtp-explain stats [-c config] [-n top] [file]
 * DESCRIPTION
 *	cli_stats() reads a file in the Prometheus text format that the
 *	milter writes (see stats(3h)) and prints totals, the most frequent
 *	reasons, enhanced status codes and reply codes, and the policy's
 *	actions by rule. Without a file it reads settings.stats_file of
 *	the configuration: -c, else the installed file when it exists,
 *	else the embedded default (where it is empty).
 *
 *	The file is data: lines it does not understand are counted and
 *	skipped, samples of other programs are ignored, and every table
 *	has a cap, so a huge or hostile file cannot make it allocate
 *	without bound.
 * DIAGNOSTICS
 *	Returns 0 on success, 1 when the file cannot be read or holds no
 *	smtp-explain metrics, 2 on a usage error or when no file is known,
 *	3 when the configuration cannot be loaded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <smtp-explain/config.h>

#include "cli.h"

#ifndef SX_SYSCONFDIR
#define SX_SYSCONFDIR "/etc"
#endif

#define CLI_STATS_CONFIG SX_SYSCONFDIR "/smtp-explain/smtp-explain.conf"
#define CLI_STATS_LINE_MAX 4096		/* longer lines are skipped */
#define CLI_STATS_KEY_MAX 160		/* bytes of one tally key */
#define CLI_STATS_TALLY_MAX 4096	/* keys per tally */
#define CLI_STATS_LABELS 4		/* labels read per sample */

/* Sums by key: reasons, codes, actions ... */
struct cli_tally {
    size_t  count;
    size_t  cap;
    size_t  dropped;			/* samples past CLI_STATS_TALLY_MAX keys */
    double  total;
    struct cli_tally_item {
	char    key[CLI_STATS_KEY_MAX];
	double  value;
    }      *items;
};

struct cli_stats_view {
    struct cli_tally messages;		/* by type */
    struct cli_tally reports;		/* by kind */
    struct cli_tally classes;		/* findings by class */
    struct cli_tally reasons;		/* findings by reason */
    struct cli_tally statuses;
    struct cli_tally codes;
    struct cli_tally session;		/* session rejects by reason */
    struct cli_tally actions;		/* "action rule" */
    struct cli_tally downgrades;	/* by rule */
    struct cli_tally errors;		/* by type */
    double  dropped;
    double  start;			/* 0: unknown */
    size_t  samples;			/* smtp_explain_* samples read */
    size_t  bad;			/* lines not understood */
};

/* One parsed sample line. */
struct cli_sample {
    char    name[128];
    size_t  nlabels;
    char    label[CLI_STATS_LABELS][32];
    char    value[CLI_STATS_LABELS][CLI_STATS_KEY_MAX];
    double  v;
};

static void cli_tally_add(struct cli_tally *t, const char *key, double v)
{
    struct cli_tally_item *items;
    size_t  i;

    t->total += v;
    for (i = 0; i < t->count; i++) {
	if (strcmp(t->items[i].key, key) == 0) {
	    t->items[i].value += v;
	    return;
	}
    }
    if (t->count >= CLI_STATS_TALLY_MAX) {
	t->dropped++;
	return;
    }
    if (t->count == t->cap) {
	size_t  cap = t->cap ? t->cap * 2 : 16;

	if ((items = realloc(t->items, cap * sizeof(*items))) == 0) {
	    t->dropped++;
	    return;
	}
	t->items = items;
	t->cap = cap;
    }
    (void) snprintf(t->items[t->count].key, sizeof(t->items[0].key), "%s", key);
    t->items[t->count].value = v;
    t->count++;
}

static double cli_tally_get(const struct cli_tally *t, const char *key)
{
    size_t  i;

    for (i = 0; i < t->count; i++)
	if (strcmp(t->items[i].key, key) == 0)
	    return (t->items[i].value);
    return (0);
}

static int cli_tally_cmp(const void *a, const void *b)
{
    const struct cli_tally_item *x = a;
    const struct cli_tally_item *y = b;

    if (x->value != y->value)
	return (x->value < y->value ? 1 : -1);
    return (strcmp(x->key, y->key));
}

static void cli_tally_sort(struct cli_tally *t)
{
    if (t->count > 1)
	qsort(t->items, t->count, sizeof(t->items[0]), cli_tally_cmp);
}

static void cli_tally_free(struct cli_tally *t)
{
    free(t->items);
    memset(t, 0, sizeof(*t));
}

/* Parse 'name{a="x",b="y"} value [timestamp]'; 0 on success. */
static int cli_stats_parse(const char *line, struct cli_sample *s)
{
    const char *p = line;
    size_t  n = 0;
    char   *end;

    memset(s, 0, sizeof(*s));
    while (*p == '_' || *p == ':' || (*p >= 'a' && *p <= 'z')
	   || (*p >= 'A' && *p <= 'Z') || (n > 0 && *p >= '0' && *p <= '9')) {
	if (n + 1 >= sizeof(s->name))
	    return (-1);
	s->name[n++] = *p++;
    }
    if (n == 0)
	return (-1);
    if (*p == '{') {
	p++;
	while (*p != '}') {
	    char   *lab;
	    char   *val;
	    size_t  ln = 0, vn = 0;

	    if (s->nlabels >= CLI_STATS_LABELS)
		return (-1);
	    lab = s->label[s->nlabels];
	    val = s->value[s->nlabels];
	    while (*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
		   || (ln > 0 && *p >= '0' && *p <= '9')) {
		if (ln + 1 >= sizeof(s->label[0]))
		    return (-1);
		lab[ln++] = *p++;
	    }
	    if (ln == 0 || p[0] != '=' || p[1] != '"')
		return (-1);
	    for (p += 2; *p != '"'; p++) {
		char    c = *p;

		if (c == 0)
		    return (-1);
		if (c == '\\') {
		    c = *++p;
		    if (c == 'n')
			c = '\n';
		    else if (c != '\\' && c != '"')
			return (-1);
		}
		/* What is shown on a terminal: no control characters. */
		if ((unsigned char) c < 0x20 || c == 0x7f)
		    c = '?';
		if (vn + 1 < sizeof(s->value[0]))
		    val[vn++] = c;
	    }
	    p++;
	    s->nlabels++;
	    if (*p == ',')
		p++;
	    else if (*p != '}')
		return (-1);
	}
	p++;
    }
    if (*p != ' ' && *p != '\t')
	return (-1);
    errno = 0;
    s->v = strtod(p, &end);
    if (end == p || errno != 0 || !(s->v >= 0))
	return (-1);
    while (*end == ' ' || *end == '\t' || (*end >= '0' && *end <= '9')
	   || *end == '-')
	end++;				/* an optional timestamp */
    return (*end == 0 ? 0 : -1);
}

static const char *cli_sample_label(const struct cli_sample *s, const char *name)
{
    size_t  i;

    for (i = 0; i < s->nlabels; i++)
	if (strcmp(s->label[i], name) == 0)
	    return (s->value[i]);
    return ("");
}

static void cli_stats_take(struct cli_stats_view *v, const struct cli_sample *s)
{
    const char *n = s->name + sizeof("smtp_explain_") - 1;
    char    key[CLI_STATS_KEY_MAX];

    v->samples++;
    if (strcmp(n, "messages_total") == 0) {
	cli_tally_add(&v->messages, cli_sample_label(s, "type"), s->v);
    } else if (strcmp(n, "reports_total") == 0) {
	cli_tally_add(&v->reports, cli_sample_label(s, "kind"), s->v);
    } else if (strcmp(n, "findings_total") == 0) {
	cli_tally_add(&v->classes, cli_sample_label(s, "class"), s->v);
	cli_tally_add(&v->reasons, cli_sample_label(s, "reason"), s->v);
    } else if (strcmp(n, "findings_status_total") == 0) {
	cli_tally_add(&v->statuses, cli_sample_label(s, "status"), s->v);
    } else if (strcmp(n, "findings_code_total") == 0) {
	cli_tally_add(&v->codes, cli_sample_label(s, "code"), s->v);
    } else if (strcmp(n, "session_rejects_total") == 0) {
	cli_tally_add(&v->session, cli_sample_label(s, "reason"), s->v);
    } else if (strcmp(n, "actions_total") == 0) {
	const char *rule = cli_sample_label(s, "rule");

	(void) snprintf(key, sizeof(key), "%-10s %s", cli_sample_label(s, "action"),
			*rule ? rule : "(default)");
	cli_tally_add(&v->actions, key, s->v);
    } else if (strcmp(n, "downgrades_total") == 0) {
	cli_tally_add(&v->downgrades, cli_sample_label(s, "rule"), s->v);
    } else if (strcmp(n, "errors_total") == 0) {
	cli_tally_add(&v->errors, cli_sample_label(s, "type"), s->v);
    } else if (strcmp(n, "findings_dropped_total") == 0) {
	v->dropped += s->v;
    } else if (strcmp(n, "start_time_seconds") == 0) {
	v->start = s->v;
    } else {
	v->samples--;			/* a newer milter's metric: ignored */
    }
}

/* Read the file into v; 0, or -1 with errno set. */
static int cli_stats_read(FILE *fp, struct cli_stats_view *v)
{
    char    line[CLI_STATS_LINE_MAX];
    struct cli_sample s;
    size_t  len;
    int     skipping = 0;

    while (fgets(line, sizeof(line), fp) != 0) {
	len = strlen(line);
	if (len > 0 && line[len - 1] == '\n') {
	    line[--len] = 0;
	    if (skipping) {		/* the tail of an overlong line */
		skipping = 0;
		continue;
	    }
	} else if (!feof(fp)) {
	    if (!skipping)
		v->bad++;
	    skipping = 1;
	    continue;
	}
	if (len > 0 && line[len - 1] == '\r')
	    line[--len] = 0;
	if (len == 0 || line[0] == '#')
	    continue;
	if (cli_stats_parse(line, &s) != 0) {
	    v->bad++;
	    continue;
	}
	if (strncmp(s.name, "smtp_explain_", sizeof("smtp_explain_") - 1) == 0)
	    cli_stats_take(v, &s);
    }
    return (ferror(fp) ? -1 : 0);
}

static void cli_stats_time(char *buf, size_t size, time_t t)
{
    struct tm tm;

    if (localtime_r(&t, &tm) == 0 || strftime(buf, size, "%Y-%m-%d %H:%M:%S %z",
					       &tm) == 0)
	(void) snprintf(buf, size, "%lld", (long long) t);
}

/* "a 3, b 2" for every key, in order of size. */
static void cli_stats_inline(const char *label, struct cli_tally *t,
			             const char *none)
{
    size_t  i;
    int     any = 0;

    cli_tally_sort(t);
    printf("%-17s", label);
    for (i = 0; i < t->count; i++) {
	if (t->items[i].value == 0)
	    continue;
	printf("%s%s %.0f", any ? ", " : "", t->items[i].key, t->items[i].value);
	any = 1;
    }
    printf("%s\n", any ? "" : none);
}

static void cli_stats_top(const char *title, struct cli_tally *t, size_t top)
{
    size_t  i, shown = 0;

    cli_tally_sort(t);
    printf("\n%s\n", title);
    for (i = 0; i < t->count && shown < top; i++) {
	if (t->items[i].value == 0)
	    continue;
	printf("  %10.0f  %5.1f%%  %s\n", t->items[i].value,
	       t->total > 0 ? 100.0 * t->items[i].value / t->total : 0.0,
	       t->items[i].key[0] ? t->items[i].key : "(none)");
	shown++;
    }
    if (shown == 0)
	printf("  (none yet)\n");
    else if (t->count > shown)
	printf("  ... %zu more\n", t->count - shown);
}

static void cli_stats_print(const char *path, const struct stat *sb,
			            struct cli_stats_view *v, size_t top)
{
    char    when[64];

    if (S_ISREG(sb->st_mode)) {
	cli_stats_time(when, sizeof(when), sb->st_mtime);
	printf("%s, written %s\n", path, when);
    } else {
	printf("%s\n", path);
    }
    if (v->start > 0) {
	cli_stats_time(when, sizeof(when), (time_t) v->start);
	printf("counting since %s\n", when);
    }
    printf("\n%-17s%.0f: %.0f reports, %.0f other\n", "messages",
	   v->messages.total, cli_tally_get(&v->messages, "bounce"),
	   cli_tally_get(&v->messages, "other"));
    cli_stats_inline("reports", &v->reports, "none");
    printf("%-17s%.0f\n", "findings", v->reasons.total);
    cli_stats_inline("  by class", &v->classes, "none");
    if (v->dropped > 0)
	printf("%-17s%.0f (past the per-message limit)\n", "  not kept",
	       v->dropped);
    printf("%-17s%.0f\n", "session rejects", v->session.total);
    printf("%-17s%.0f\n", "downgraded", v->downgrades.total);
    cli_stats_inline("errors", &v->errors, "none");

    cli_stats_top("Top reasons", &v->reasons, top);
    cli_stats_top("Top enhanced status codes", &v->statuses, top);
    cli_stats_top("Top reply codes", &v->codes, top);
    if (v->session.total > 0)
	cli_stats_top("Session rejects by reason", &v->session, top);
    cli_stats_top("Actions (action, rule)", &v->actions, top);
    if (v->bad > 0)
	printf("\n%zu line%s of %s not understood\n", v->bad,
	       v->bad == 1 ? "" : "s", path);
}

static void cli_stats_usage(FILE *fp)
{
    fputs("usage: smtp-explain stats [-c CONFIG] [-n TOP] [FILE]\n"
	  "  FILE defaults to settings.stats_file of " CLI_STATS_CONFIG "\n", fp);
}

/* The file named by the configuration; NULL after printing why. */
static char *cli_stats_configured(const char *config, int *status)
{
    struct sx_errors errs;
    struct sx_config *c;
    const char *path = config;
    char   *file = 0;
    size_t  i;

    if (path == 0 && access(CLI_STATS_CONFIG, F_OK) == 0)
	path = CLI_STATS_CONFIG;
    memset(&errs, 0, sizeof(errs));
    if ((c = sx_config_load(path, &errs)) == 0) {
	for (i = 0; i < errs.count && i < SX_ERRORS_MAX; i++)
	    fprintf(stderr, "smtp-explain: %s\n", errs.msg[i]);
	if (errs.count == 0)
	    fprintf(stderr, "smtp-explain: out of memory\n");
	*status = 3;
	return (0);
    }
    if (c->settings.stats_file == 0 || c->settings.stats_file[0] == 0) {
	fprintf(stderr, "smtp-explain: settings.stats_file is empty in %s: "
		"the milter writes no metrics; give a FILE\n",
		path ? path : "the built-in configuration");
	*status = 2;
    } else if ((file = strdup(c->settings.stats_file)) == 0) {
	fprintf(stderr, "smtp-explain: out of memory\n");
	*status = 1;
    }
    sx_config_unref(c);
    return (file);
}

int     cli_stats(int argc, char **argv)
{
    struct cli_stats_view v;
    const char *config = 0;
    const char *path = 0;
    char   *configured = 0;
    struct stat sb;
    FILE   *fp;
    size_t  top = 10;
    int     status = 0;
    int     i;

    for (i = 1; i < argc; i++) {
	const char *a = argv[i];

	if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
	    cli_stats_usage(stdout);
	    return (0);
	} else if (strcmp(a, "-c") == 0 || strcmp(a, "-n") == 0) {
	    if (++i >= argc) {
		fprintf(stderr, "smtp-explain: %s needs a value\n", a);
		return (2);
	    }
	    if (a[1] == 'c') {
		config = argv[i];
	    } else {
		char   *end;
		unsigned long n = strtoul(argv[i], &end, 10);

		if (*argv[i] == 0 || *end != 0 || n == 0 || n > 10000) {
		    fprintf(stderr, "smtp-explain: -n wants a number from 1 "
			    "to 10000\n");
		    return (2);
		}
		top = n;
	    }
	} else if (a[0] == '-' && a[1] != 0) {
	    fprintf(stderr, "smtp-explain: unknown option \"%s\"\n", a);
	    cli_stats_usage(stderr);
	    return (2);
	} else if (path == 0) {
	    path = a;
	} else {
	    cli_stats_usage(stderr);
	    return (2);
	}
    }
    if (path == 0 && (path = configured = cli_stats_configured(config, &status)) == 0)
	return (status);

    memset(&v, 0, sizeof(v));
    if (strcmp(path, "-") == 0) {
	fp = stdin;
    } else if ((fp = fopen(path, "r")) == 0) {
	fprintf(stderr, "smtp-explain: %s: %s\n", path, strerror(errno));
	if (errno == ENOENT && configured)
	    fprintf(stderr, "smtp-explain: the milter writes it every "
		    "settings.stats_interval seconds once it runs\n");
	free(configured);
	return (1);
    }
    if (fstat(fileno(fp), &sb) != 0 || cli_stats_read(fp, &v) != 0) {
	fprintf(stderr, "smtp-explain: %s: %s\n", path, strerror(errno));
	status = 1;
    } else if (v.samples == 0) {
	fprintf(stderr, "smtp-explain: %s: no smtp-explain metrics in it\n", path);
	status = 1;
    } else {
	cli_stats_print(path, &sb, &v, top);
    }
    if (fp != stdin)
	(void) fclose(fp);
    cli_tally_free(&v.messages);
    cli_tally_free(&v.reports);
    cli_tally_free(&v.classes);
    cli_tally_free(&v.reasons);
    cli_tally_free(&v.statuses);
    cli_tally_free(&v.codes);
    cli_tally_free(&v.session);
    cli_tally_free(&v.actions);
    cli_tally_free(&v.downgrades);
    cli_tally_free(&v.errors);
    free(configured);
    return (status);
}
