/*
 * NAME
 *	stats 3
 * SUMMARY
 *	counters of what the milter saw and did, in Prometheus text format
 * DESCRIPTION
 *	See stats.h. Each metric is a fixed table of label sets, so that
 *	counting never allocates and a remote server that invents status
 *	codes cannot make it grow: past SX_STATS_SERIES_MAX label sets a
 *	metric counts into its "overflow" set. A table is small (a few
 *	hundred entries at most) and searched linearly, once per finding.
 *
 *	Writers copy the tables under the mutex and format the copy
 *	without it.
 */
#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <smtp-explain/finding.h>
#include <smtp-explain/policy.h>
#include <smtp-explain/registry.h>
#include <smtp-explain/stats.h>
#include <smtp-explain/status.h>
#include <smtp-explain/text.h>

#define SX_STATS_LABELS 2		/* label names per metric, at most */

/* What each metric is called and what its labels are. */
struct sx_stats_metric {
    const char *name;
    const char *type;			/* "counter", "gauge" */
    const char *help;
    const char *labels[SX_STATS_LABELS];	/* NULL: fewer labels */
};

enum {
    SX_STATS_M_MESSAGES = 0,
    SX_STATS_M_REPORTS,
    SX_STATS_M_FINDINGS,
    SX_STATS_M_STATUS,
    SX_STATS_M_CODE,
    SX_STATS_M_SESSION,
    SX_STATS_M_ACTIONS,
    SX_STATS_M_DOWNGRADES,
    SX_STATS_M_DROPPED,
    SX_STATS_M_ERRORS,
    SX_STATS_M_COUNT,
};

static const struct sx_stats_metric sx_stats_metrics[SX_STATS_M_COUNT] = {
    {"smtp_explain_messages_total", "counter",
     "Messages seen, by whether they reported delivery outcomes (bounce) "
     "or not (other).", {"type", 0}},
    {"smtp_explain_reports_total", "counter",
     "Messages that reported delivery outcomes, by kind of report.",
     {"kind", 0}},
    {"smtp_explain_findings_total", "counter",
     "Delivery outcomes found in messages, by class and reason.",
     {"class", "reason"}},
    {"smtp_explain_findings_status_total", "counter",
     "Delivery outcomes found in messages, by enhanced status code.",
     {"status", 0}},
    {"smtp_explain_findings_code_total", "counter",
     "Delivery outcomes found in messages, by basic reply code.",
     {"code", 0}},
    {"smtp_explain_session_rejects_total", "counter",
     "Recipients the MTA rejected during SMTP sessions, by class and reason.",
     {"class", "reason"}},
    {"smtp_explain_actions_total", "counter",
     "Policy verdicts on messages with findings, by action and deciding rule.",
     {"action", "rule"}},
    {"smtp_explain_downgrades_total", "counter",
     "Defer or reject verdicts on the MTA's own bounces turned into "
     "annotate, by rule.", {"rule", 0}},
    {"smtp_explain_findings_dropped_total", "counter",
     "Delivery outcomes not kept because a message reported too many.",
     {0, 0}},
    {"smtp_explain_errors_total", "counter",
     "Errors, by type.", {"type", 0}},
};

static const char *const sx_stats_error_names[SX_STATS_ERROR_COUNT] = {
    "nomem", "milter", "reload", "write", "other",
};

struct sx_stats_series {
    char    lv[SX_STATS_LABELS][SX_STATS_LABEL_MAX];
    unsigned long long value;
};

struct sx_stats_table {
    size_t  count;			/* series in use */
    int     overflowed;			/* the overflow set is in use */
    struct sx_stats_series series[SX_STATS_SERIES_MAX];
    struct sx_stats_series overflow;
};

/* Everything a writer copies. */
struct sx_stats_data {
    time_t  start;
    struct sx_stats_table table[SX_STATS_M_COUNT];
};

struct sx_stats {
    pthread_mutex_t lock;
    struct sx_stats_data data;
};

const char *sx_stats_error_name(enum sx_stats_error e)
{
    if ((unsigned) e >= SX_STATS_ERROR_COUNT)
	e = SX_STATS_ERROR_OTHER;
    return (sx_stats_error_names[e]);
}

/* Add n to the series with these label values; the caller holds the lock. */
static void sx_stats_add(struct sx_stats *st, int metric, const char *l0,
			         const char *l1, unsigned long long n)
{
    struct sx_stats_table *t = &st->data.table[metric];
    const char *lv[SX_STATS_LABELS];
    char    key[SX_STATS_LABELS][SX_STATS_LABEL_MAX];
    struct sx_stats_series *s;
    size_t  i, k;

    lv[0] = l0 ? l0 : "";
    lv[1] = l1 ? l1 : "";
    for (k = 0; k < SX_STATS_LABELS; k++) {
	if (sx_stats_metrics[metric].labels[k] == 0)
	    lv[k] = "";
	/* Compare what would be stored: long values are cut the same way. */
	sx_text_copy(key[k], sizeof(key[k]), lv[k], strlen(lv[k]));
    }
    for (i = 0; i < t->count; i++) {
	s = &t->series[i];
	if (strcmp(s->lv[0], key[0]) == 0 && strcmp(s->lv[1], key[1]) == 0) {
	    s->value += n;
	    return;
	}
    }
    if (t->count < SX_STATS_SERIES_MAX) {
	s = &t->series[t->count++];
	memcpy(s->lv, key, sizeof(s->lv));
	s->value = n;
	return;
    }
    if (!t->overflowed) {
	for (k = 0; k < SX_STATS_LABELS; k++) {
	    const char *ov = sx_stats_metrics[metric].labels[k]
		? SX_STATS_OVERFLOW : "";

	    sx_text_copy(t->overflow.lv[k], sizeof(t->overflow.lv[k]), ov,
			 strlen(ov));
	}
	t->overflowed = 1;
    }
    t->overflow.value += n;
}

struct sx_stats *sx_stats_new(void)
{
    struct sx_stats *st;
    int     e;

    if ((st = calloc(1, sizeof(*st))) == 0)
	return (0);
    if (pthread_mutex_init(&st->lock, 0) != 0) {
	free(st);
	return (0);
    }
    st->data.start = time(0);
    /* Series that should read 0 rather than be absent. */
    sx_stats_add(st, SX_STATS_M_MESSAGES, "bounce", 0, 0);
    sx_stats_add(st, SX_STATS_M_MESSAGES, "other", 0, 0);
    sx_stats_add(st, SX_STATS_M_DROPPED, 0, 0, 0);
    for (e = 0; e < SX_STATS_ERROR_COUNT; e++)
	sx_stats_add(st, SX_STATS_M_ERRORS, sx_stats_error_names[e], 0, 0);
    return (st);
}

void    sx_stats_free(struct sx_stats *st)
{
    if (st == 0)
	return;
    (void) pthread_mutex_destroy(&st->lock);
    free(st);
}

static void sx_stats_lock(struct sx_stats *st)
{
    int     err = pthread_mutex_lock(&st->lock);

    /* Only a programmer error (a freed or corrupt mutex) makes this fail. */
    assert(err == 0);
    (void) err;
}

static void sx_stats_unlock(struct sx_stats *st)
{
    (void) pthread_mutex_unlock(&st->lock);
}

/* The basic reply code as a label value. */
static const char *sx_stats_code(int replycode, char *buf, size_t size)
{
    if (replycode <= 0 || replycode > 999)
	return ("none");
    (void) snprintf(buf, size, "%03d", replycode);
    return (buf);
}

void    sx_stats_message(struct sx_stats *st, const struct sx_policy_input *in,
			         const struct sx_verdict *v)
{
    const struct sx_finding *f;
    const struct sx_explanation *ex;
    const char *action;
    char    code[8];
    const struct sx_report *rep = in ? in->report : 0;
    size_t  count = rep ? rep->count : 0;
    size_t  rejected = rep ? rep->rejected_count : 0;
    size_t  i;

    assert(st != 0);
    sx_stats_lock(st);
    sx_stats_add(st, SX_STATS_M_MESSAGES, count ? "bounce" : "other", 0, 1);
    if (count > 0)
	sx_stats_add(st, SX_STATS_M_REPORTS, sx_kind_name(rep->msg ? rep->msg->kind
					  : rep->items[0].finding->kind), 0, 1);
    for (i = 0; i < count; i++) {
	f = rep->items[i].finding;
	ex = &rep->items[i].ex;
	sx_stats_add(st, SX_STATS_M_FINDINGS, sx_class_name(ex->class),
		     ex->reason, 1);
	sx_stats_add(st, SX_STATS_M_STATUS, f->status[0] ? f->status : "none",
		     0, 1);
	sx_stats_add(st, SX_STATS_M_CODE,
		     sx_stats_code(f->replycode, code, sizeof(code)), 0, 1);
    }
    for (i = 0; i < rejected; i++)
	sx_stats_add(st, SX_STATS_M_SESSION,
		     sx_class_name(rep->rejected[i].ex.class),
		     rep->rejected[i].ex.reason, 1);
    if (rep != 0 && rep->msg != 0 && rep->msg->findings_dropped > 0)
	sx_stats_add(st, SX_STATS_M_DROPPED, 0, 0, rep->msg->findings_dropped);
    if (v != 0 && (count > 0 || rejected > 0)) {
	if (v->action == SX_POLICY_ANNOTATE && v->subject[0] != 0)
	    action = "rewrite";
	else
	    action = sx_policy_action_name(v->action);
	sx_stats_add(st, SX_STATS_M_ACTIONS, action, v->rule, 1);
	if (v->downgraded)
	    sx_stats_add(st, SX_STATS_M_DOWNGRADES, v->rule, 0, 1);
    }
    sx_stats_unlock(st);
}

void    sx_stats_error(struct sx_stats *st, enum sx_stats_error e)
{
    assert(st != 0);
    sx_stats_lock(st);
    sx_stats_add(st, SX_STATS_M_ERRORS, sx_stats_error_name(e), 0, 1);
    sx_stats_unlock(st);
}

size_t  sx_stats_label_escape(char *dst, size_t size, const char *src)
{
    const unsigned char *s = (const unsigned char *) src;
    size_t  n = 0;
    char    esc;

    if (size == 0)
	return (0);
    for (; *s; s++) {
	esc = 0;
	if (*s == '\\')
	    esc = '\\';
	else if (*s == '"')
	    esc = '"';
	else if (*s == '\n')
	    esc = 'n';
	if (esc) {
	    if (n + 2 >= size)
		break;
	    dst[n++] = '\\';
	    dst[n++] = esc;
	    continue;
	}
	if (n + 1 >= size)
	    break;
	/* Only ASCII goes out: the format wants valid UTF-8. */
	dst[n++] = (*s < 0x20 || *s >= 0x7f) ? '?' : (char) *s;
    }
    dst[n] = 0;
    return (n);
}

static int sx_stats_series_cmp(const void *a, const void *b)
{
    const struct sx_stats_series *x = a;
    const struct sx_stats_series *y = b;
    int     c;

    if ((c = strcmp(x->lv[0], y->lv[0])) != 0)
	return (c);
    return (strcmp(x->lv[1], y->lv[1]));
}

static void sx_stats_sample(FILE *fp, const struct sx_stats_metric *m,
			            const struct sx_stats_series *s)
{
    char    esc[SX_STATS_LABEL_MAX * 2];
    size_t  k;

    fputs(m->name, fp);
    for (k = 0; k < SX_STATS_LABELS && m->labels[k]; k++) {
	sx_stats_label_escape(esc, sizeof(esc), s->lv[k]);
	fprintf(fp, "%s%s=\"%s\"", k ? "," : "{", m->labels[k], esc);
    }
    if (k > 0)
	fputc('}', fp);
    fprintf(fp, " %llu\n", s->value);
}

int     sx_stats_write_prometheus(struct sx_stats *st, FILE *fp)
{
    struct sx_stats_data *d;
    struct sx_stats_table *t;
    const struct sx_stats_metric *m;
    size_t  i, j;

    assert(st != 0 && fp != 0);
    if ((d = malloc(sizeof(*d))) == 0)
	return (SX_ERR_NOMEM);
    sx_stats_lock(st);
    memcpy(d, &st->data, sizeof(*d));
    sx_stats_unlock(st);

    for (i = 0; i < SX_STATS_M_COUNT; i++) {
	m = &sx_stats_metrics[i];
	t = &d->table[i];
	fprintf(fp, "# HELP %s %s\n# TYPE %s %s\n", m->name, m->help,
		m->name, m->type);
	qsort(t->series, t->count, sizeof(t->series[0]), sx_stats_series_cmp);
	for (j = 0; j < t->count; j++)
	    sx_stats_sample(fp, m, &t->series[j]);
	if (t->overflowed)
	    sx_stats_sample(fp, m, &t->overflow);
    }
    fprintf(fp, "# HELP smtp_explain_start_time_seconds When the counters "
	    "started, in seconds since the epoch.\n"
	    "# TYPE smtp_explain_start_time_seconds gauge\n"
	    "smtp_explain_start_time_seconds %lld\n", (long long) d->start);
    free(d);
    if (fflush(fp) != 0 || ferror(fp))
	return (SX_ERR_IO);
    return (SX_OK);
}

int     sx_stats_write_file(struct sx_stats *st, const char *path)
{
    size_t  len;
    char   *tmp;
    FILE   *fp;
    int     fd;
    int     status;
    int     saved;

    assert(st != 0 && path != 0);
    len = strlen(path);
    if ((tmp = malloc(len + sizeof(".XXXXXX"))) == 0)
	return (SX_ERR_NOMEM);
    memcpy(tmp, path, len);
    memcpy(tmp + len, ".XXXXXX", sizeof(".XXXXXX"));
    if ((fd = mkstemp(tmp)) < 0) {
	saved = errno;
	free(tmp);
	errno = saved;
	return (SX_ERR_IO);
    }
    /* mkstemp() makes 0600; the collector runs as another user. */
    if (fchmod(fd, 0644) != 0 || (fp = fdopen(fd, "w")) == 0) {
	saved = errno;
	(void) close(fd);
	(void) unlink(tmp);
	free(tmp);
	errno = saved;
	return (SX_ERR_IO);
    }
    status = sx_stats_write_prometheus(st, fp);
    saved = errno;
    if (fclose(fp) != 0 && status == SX_OK) {
	status = SX_ERR_IO;
	saved = errno;
    }
    if (status == SX_OK && rename(tmp, path) != 0) {
	status = SX_ERR_IO;
	saved = errno;
    }
    if (status != SX_OK)
	(void) unlink(tmp);
    free(tmp);
    errno = saved;
    return (status);
}
