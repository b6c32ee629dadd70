/*
 * NAME
 *	config_registry 3
 * SUMMARY
 *	read registry entries and their wording from libconfig data
 * DESCRIPTION
 *	See config.h and config_int.h. A registry file has up to three
 *	parts: a "registry" group (lists basic, enhanced, vendor and
 *	reasons), a "fallback" list, and a "texts" group of wording keyed
 *	like the entries (lists basic, enhanced, vendor and fallback), and
 *	the explanation block's words keyed by name (list block). The
 *	inline "registry" section of smtp-explain.conf is the first part
 *	alone.
 *
 *	Entries are read by walking sx_entry_fields[] (registry_int.h): a
 *	key no row allows is an error, and each row says how its value is
 *	checked; wording the registry would refuse as it is (a block word
 *	with other placeholders than its name's) is an error at its line.
 *	Everything is checked first and added only when the whole
 *	file or section is clean, so a bad file changes nothing. An entry
 *	without wording of its own needs wording for its key, from the same
 *	file or loaded before it (so an admin can change the facts of an
 *	entry and keep its wording, in every language). Strings are copied
 *	by the registry; nothing here keeps a pointer into libconfig's tree.
 *
 *	The built-in registry alone is not read here at run time: the
 *	build reads it with these functions and keeps the sealed result
 *	(snapshot.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/config.h>
#include <smtp-explain/registry.h>

#include "config_int.h"
#include "registry_int.h"
#include "snapshot.h"

#define SX_HOSTS_MAX 32

/* The lists a registry file may have, by the part they are in. */
struct sx_cfg_list {
    const char *part;		/* "registry", "texts", or "" at the top */
    const char *name;		/* the list's name in it */
    const char *what;		/* for messages */
    enum sx_entry_table table;
    int     wording;		/* 1: text records, keyed like the entries */
};

static const struct sx_cfg_list sx_lists[] = {
    {"registry", "basic", "basic", SX_TABLE_BASIC, 0},
    {"registry", "enhanced", "enhanced", SX_TABLE_ENHANCED, 0},
    {"registry", "vendor", "vendor", SX_TABLE_VENDOR, 0},
    {"registry", "reasons", "reasons", SX_TABLE_REASON, 0},
    {"", "fallback", "fallback", SX_TABLE_FALLBACK, 0},
    {"texts", "basic", "texts.basic", SX_TABLE_BASIC, 1},
    {"texts", "enhanced", "texts.enhanced", SX_TABLE_ENHANCED, 1},
    {"texts", "vendor", "texts.vendor", SX_TABLE_VENDOR, 1},
    {"texts", "fallback", "texts.fallback", SX_TABLE_FALLBACK, 1},
    {"texts", "block", "texts.block", SX_TABLE_BLOCK, 1},
    {0, 0, 0, SX_TABLE_BASIC, 0},
};

/* One checked entry or text record waiting to be added. */
struct sx_pending {
    const struct sx_cfg_list *list;
    struct sx_entry e;
    const char *hosts[SX_HOSTS_MAX + 1];
    int     line;
    int     wording;		/* has wording of its own */
};

/* What is being read: one file, or one inline section. */
struct sx_doc {
    struct sx_registry *reg;
    const char *file;
    struct sx_errors *errs;
    size_t  before;		/* errors before this document */
    struct sx_pending *pend;
    size_t  npend;
    size_t  cap;
    int     nomem;
};

static int sx_line(const config_setting_t *s)
{
    return ((int) config_setting_source_line(s));
}

/* sx_field_allowed - may an entry of this list have this field? */

static int sx_field_allowed(const struct sx_cfg_list *list, const struct sx_field *f)
{
    if (!(f->tables & SX_IN(list->table)))
	return (0);
    return (!list->wording || (f->flags & SX_FIELD_KEY) || f->type == SX_FIELD_TEXT);
}

/* sx_key_name - the name of a list's first key field ("code", "name") */

static const char *sx_key_name(const struct sx_cfg_list *list)
{
    const struct sx_field *f;

    for (f = sx_entry_fields; f->key; f++)
	if ((f->flags & SX_FIELD_KEY) && (f->tables & SX_IN(list->table)))
	    return (f->key);
    return ("code");
}

static const struct sx_field *sx_field_find(const struct sx_cfg_list *list,
					            const char *key)
{
    const struct sx_field *f;

    for (f = sx_entry_fields; f->key; f++)
	if (strcmp(f->key, key) == 0 && sx_field_allowed(list, f))
	    return (f);
    return (0);
}

/* sx_get_hosts - a list of host globs into p->hosts */

static void sx_get_hosts(struct sx_doc *d, const config_setting_t *hosts,
			         struct sx_pending *p)
{
    unsigned i, n;

    if (!config_setting_is_aggregate(hosts)) {
	sx_errors_add(d->errs, d->file, sx_line(hosts), "hosts must be a list of strings");
	return;
    }
    n = (unsigned) config_setting_length(hosts);
    if (n > SX_HOSTS_MAX)
	sx_errors_add(d->errs, d->file, sx_line(hosts), "more than %d hosts",
		      SX_HOSTS_MAX);
    for (i = 0; i < n && i < SX_HOSTS_MAX; i++) {
	const config_setting_t *h = config_setting_get_elem(hosts, i);

	if (config_setting_type(h) != CONFIG_TYPE_STRING)
	    sx_errors_add(d->errs, d->file, sx_line(hosts),
			  "hosts must be a list of strings");
	else
	    p->hosts[i] = config_setting_get_string(h);
    }
    p->e.hosts = p->hosts;
}

/*
 * sx_check_entry - read one entry of a list into p by the field table;
 * every problem is reported. The patterns of a reasons entry are left
 * to the caller (one entry each).
 */
static int sx_check_entry(struct sx_doc *d, const struct sx_cfg_list *list,
			          const config_setting_t *entry, struct sx_pending *p)
{
    size_t  before = d->errs->count;
    const struct sx_field *f;
    const config_setting_t *m;
    unsigned i, n;
    const char *v;
    int     reason_missing = 0;
    unsigned long long seen = 0;	/* rows of the fields written */

    memset(p, 0, sizeof(*p));
    p->list = list;
    p->line = sx_line(entry);
    if (config_setting_type(entry) != CONFIG_TYPE_GROUP) {
	sx_errors_add(d->errs, d->file, sx_line(entry),
		      "entries of \"%s\" must be groups { ... }", list->what);
	return (-1);
    }
    n = (unsigned) config_setting_length(entry);
    for (i = 0; i < n; i++) {
	m = config_setting_get_elem(entry, i);
	if (sx_field_find(list, config_setting_name(m)) == 0)
	    sx_errors_add(d->errs, d->file, sx_line(m), "unknown key \"%s\" in %s entry",
			  config_setting_name(m), list->what);
    }
    for (f = sx_entry_fields; f->key; f++) {
	if (!sx_field_allowed(list, f))
	    continue;
	if ((m = config_setting_get_member(entry, f->key)) == 0)
	    continue;
	seen |= 1ull << (f - sx_entry_fields);
	if (f->type == SX_FIELD_HOSTS) {
	    sx_get_hosts(d, m, p);
	    continue;
	}
	if (f->type == SX_FIELD_PATTERNS)
	    continue;
	if (config_setting_type(m) != CONFIG_TYPE_STRING) {
	    sx_errors_add(d->errs, d->file, sx_line(m), "\"%s\" must be a string", f->key);
	    continue;
	}
	v = config_setting_get_string(m);
	switch (f->type) {
	case SX_FIELD_ENUM:
	    if (!sx_name_code(f->names, v, strlen(v), SX_FIELD_INTP(&p->e, f))
		|| ((f->flags & SX_FIELD_SET) && *SX_FIELD_INTP(&p->e, f) == 0))
		sx_errors_add(d->errs, d->file, sx_line(entry),
			      "%s: unknown value \"%s\"", f->key, v);
	    break;
	case SX_FIELD_REASON:
	    if (!sx_reason_valid(v))
		sx_errors_add(d->errs, d->file, sx_line(entry),
			      "%s: unknown reason \"%s\"", f->key, v);
	    *SX_FIELD_STRP(&p->e, f) = v;
	    break;
	case SX_FIELD_TEXT:
	    p->wording = 1;
	    *SX_FIELD_STRP(&p->e, f) = v;
	    break;
	default:
	    *SX_FIELD_STRP(&p->e, f) = v;
	    break;
	}
    }
    for (f = sx_entry_fields; f->key; f++) {
	if (!sx_field_allowed(list, f) || !(f->required & SX_IN(list->table))
	    || (seen & (1ull << (f - sx_entry_fields))))
	    continue;
	if (list->table == SX_TABLE_REASON)
	    reason_missing = 1;
	else if (f->type != SX_FIELD_TEXT || list->wording || p->wording)
	    /* Wording comes whole: a text record, or an entry's own, has
	     * all that is required of it; see sx_doc_worded() for the rest. */
	    sx_errors_add(d->errs, d->file, sx_line(entry), "%s entry without \"%s\"",
			  list->what, f->key);
    }
    if (reason_missing)
	sx_errors_add(d->errs, d->file, sx_line(entry),
		      "reasons entry needs \"reason\" and a list of \"patterns\"");
    return (d->errs->count == before ? 0 : -1);
}

static void sx_doc_push(struct sx_doc *d, const struct sx_pending *p)
{
    if (d->npend == d->cap) {
	struct sx_pending *np;
	size_t  ncap = d->cap ? d->cap * 2 : 256;

	if ((np = realloc(d->pend, ncap * sizeof(*np))) == 0) {
	    d->nomem = 1;
	    return;
	}
	d->pend = np;
	d->cap = ncap;
    }
    /* hosts points into the entry: fixed up when added. */
    d->pend[d->npend++] = *p;
}

/* sx_doc_list - check the entries of one list, keep the clean ones */

static void sx_doc_list(struct sx_doc *d, const struct sx_cfg_list *list,
			        const config_setting_t *lst)
{
    unsigned j, m, q, npat;
    const config_setting_t *entry, *pats, *ps;
    struct sx_pending p;
    const char *why;

    if (config_setting_type(lst) != CONFIG_TYPE_LIST) {
	sx_errors_add(d->errs, d->file, sx_line(lst), "\"%s\" must be a list ( ... )",
		      list->what);
	return;
    }
    m = (unsigned) config_setting_length(lst);
    for (j = 0; j < m; j++) {
	entry = config_setting_get_elem(lst, j);
	if (sx_check_entry(d, list, entry, &p) != 0)
	    continue;
	pats = 0;
	npat = 1;
	if (list->table == SX_TABLE_REASON) {
	    pats = config_setting_get_member(entry, "patterns");
	    if (pats == 0 || !config_setting_is_aggregate(pats)
		|| config_setting_length(pats) == 0) {
		sx_errors_add(d->errs, d->file, sx_line(entry),
			      "reasons entry needs \"reason\" and a list of \"patterns\"");
		continue;
	    }
	    npat = (unsigned) config_setting_length(pats);
	}
	for (q = 0; q < npat; q++) {
	    if (pats) {
		ps = config_setting_get_elem(pats, q);
		if (config_setting_type(ps) != CONFIG_TYPE_STRING
		    || *config_setting_get_string(ps) == 0) {
		    sx_errors_add(d->errs, d->file, sx_line(pats),
				  "patterns must be non-empty strings");
		    continue;
		}
		p.e.pattern = config_setting_get_string(ps);
	    }
	    if (!sx_registry_key_valid(list->table, &p.e)) {
		sx_errors_add(d->errs, d->file, sx_line(entry),
			      "malformed %s \"%s\" for %s entry", sx_key_name(list),
			      p.e.code ? p.e.code : "", list->what);
		continue;
	    }
	    if (list->wording && (why = sx_registry_wording_check(list->table,
								   &p.e)) != 0) {
		sx_errors_add(d->errs, d->file, sx_line(entry), "%s \"%s\": %s",
			      list->what, p.e.code, why);
		continue;
	    }
	    sx_doc_push(d, &p);
	}
    }
}

/* sx_doc_part - the lists of one group ("registry", "texts") */

static void sx_doc_part(struct sx_doc *d, const char *part,
			        const config_setting_t *group)
{
    const struct sx_cfg_list *l, *list;
    const config_setting_t *lst;
    char    expect[128];
    size_t  n, count, i, k;
    unsigned j;

    if (config_setting_type(group) != CONFIG_TYPE_GROUP) {
	sx_errors_add(d->errs, d->file, sx_line(group), "\"%s\" must be a group { ... }",
		      part);
	return;
    }
    n = (unsigned) config_setting_length(group);
    for (j = 0; j < n; j++) {
	lst = config_setting_get_elem(group, j);
	list = 0;
	for (l = sx_lists; l->part; l++)
	    if (strcmp(l->part, part) == 0 && strcmp(l->name, config_setting_name(lst)) == 0)
		list = l;
	if (list) {
	    sx_doc_list(d, list, lst);
	    continue;
	}
	/* The lists this part may have, as "a, b, c or d". */
	for (count = 0, l = sx_lists; l->part; l++)
	    count += strcmp(l->part, part) == 0;
	expect[0] = 0;
	for (i = k = 0, l = sx_lists; l->part; l++)
	    if (strcmp(l->part, part) == 0 && k < sizeof(expect))
		k += (size_t) snprintf(expect + k, sizeof(expect) - k, "%s%s",
				       i++ == 0 ? "" : i == count ? " or " : ", ",
				       l->name);
	sx_errors_add(d->errs, d->file, sx_line(lst),
		      "unknown key \"%s\" in %s (expected %s)",
		      config_setting_name(lst), part, expect);
    }
}

/* Wording records of a document, ordered by table and key. */
static int sx_pending_cmp(const void *a, const void *b)
{
    const struct sx_pending *x = *(const struct sx_pending *const *) a;
    const struct sx_pending *y = *(const struct sx_pending *const *) b;

    if (x->list->table != y->list->table)
	return (x->list->table < y->list->table ? -1 : 1);
    return (sx_entry_key_cmp(x->list->table, &x->e, &y->e));
}

/*
 * sx_doc_worded - do entries without wording of their own have some for
 * their key, in this document or loaded before it?
 */
static void sx_doc_worded(struct sx_doc *d)
{
    const struct sx_pending **recs, *key, **hit;
    const struct sx_field *f;
    size_t  i, n = 0;

    if ((recs = malloc((d->npend ? d->npend : 1) * sizeof(*recs))) == 0) {
	d->nomem = 1;
	return;
    }
    for (i = 0; i < d->npend; i++)
	if (d->pend[i].list->wording)
	    recs[n++] = d->pend + i;
    qsort(recs, n, sizeof(*recs), sx_pending_cmp);
    for (i = 0; i < d->npend; i++) {
	const struct sx_pending *p = d->pend + i;

	if (p->list->wording || p->wording || p->list->table == SX_TABLE_REASON)
	    continue;
	key = p;
	hit = bsearch(&key, recs, n, sizeof(*recs), sx_pending_cmp);
	if (hit || sx_registry_has_texts(d->reg, p->list->table, &p->e))
	    continue;
	for (f = sx_entry_fields; f->key; f++)
	    if (f->type == SX_FIELD_TEXT && (f->required & SX_IN(p->list->table)))
		sx_errors_add(d->errs, d->file, p->line, "%s entry without \"%s\"",
			      p->list->what, f->key);
    }
    free(recs);
}

static void sx_doc_begin(struct sx_doc *d, struct sx_registry *reg, const char *file,
			         struct sx_errors *errs)
{
    memset(d, 0, sizeof(*d));
    d->reg = reg;
    d->file = file;
    d->errs = errs;
    d->before = errs->count;
}

/* sx_doc_end - add all that was read, or nothing */

static int sx_doc_end(struct sx_doc *d)
{
    size_t  k;
    int     status = SX_OK;

    if (!d->nomem)
	sx_doc_worded(d);
    if (d->nomem)
	status = SX_ERR_NOMEM;
    else if (d->errs->count != d->before)
	status = SX_ERR_CONFIG;
    for (k = 0; k < d->npend && status == SX_OK; k++) {
	struct sx_pending *p = d->pend + k;

	if (p->e.hosts)
	    p->e.hosts = p->hosts;
	status = p->list->wording ? sx_registry_add_texts(d->reg, p->list->table, &p->e)
	    : sx_registry_add(d->reg, p->list->table, &p->e);
    }
    free(d->pend);
    return (status);
}

int     sx_cfg_registry_group(struct sx_registry *reg, const config_setting_t *group,
			              const char *file, struct sx_errors *errs)
{
    struct sx_doc d;

    if (config_setting_type(group) != CONFIG_TYPE_GROUP) {
	sx_errors_add(errs, file, sx_line(group), "\"registry\" must be a group { ... }");
	return (SX_ERR_CONFIG);
    }
    sx_doc_begin(&d, reg, file, errs);
    sx_doc_part(&d, "registry", group);
    return (sx_doc_end(&d));
}

/* sx_cfg_read - parse a file or text and add its parts */

static int sx_cfg_read(struct sx_registry *reg, const char *name, const char *text,
		               struct sx_errors *errs)
{
    config_t cfg;
    int     ok, status = SX_OK;
    const config_setting_t *root, *s;
    const struct sx_cfg_list *top = 0, *l;
    struct sx_doc d;
    unsigned i, n;

    config_init(&cfg);
    ok = text ? config_read_string(&cfg, text) : config_read_file(&cfg, name);
    if (!ok) {
	if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO) {
	    sx_errors_add(errs, name, 0, "cannot read: %s", strerror(errno));
	    status = SX_ERR_IO;
	} else {
	    sx_errors_add(errs, name, config_error_line(&cfg), "%s",
			  config_error_text(&cfg));
	    status = SX_ERR_CONFIG;
	}
	goto done;
    }
    root = config_root_setting(&cfg);
    n = (unsigned) config_setting_length(root);
    for (i = 0; i < n; i++) {
	s = config_setting_get_elem(root, i);
	if (strcmp(config_setting_name(s), "registry") == 0
	    || strcmp(config_setting_name(s), "texts") == 0)
	    continue;
	for (top = 0, l = sx_lists; l->part && top == 0; l++)
	    if (*l->part == 0 && strcmp(l->name, config_setting_name(s)) == 0)
		top = l;
	if (top == 0) {
	    sx_errors_add(errs, name, sx_line(s),
			  "unknown key \"%s\" in a registry file", config_setting_name(s));
	    status = SX_ERR_CONFIG;
	}
    }
    if (status != SX_OK)
	goto done;
    sx_doc_begin(&d, reg, name, errs);
    for (i = 0; i < n; i++) {
	s = config_setting_get_elem(root, i);
	if (strcmp(config_setting_name(s), "registry") == 0
	    || strcmp(config_setting_name(s), "texts") == 0) {
	    sx_doc_part(&d, config_setting_name(s), s);
	    continue;
	}
	for (l = sx_lists; l->part; l++)
	    if (*l->part == 0 && strcmp(l->name, config_setting_name(s)) == 0)
		sx_doc_list(&d, l, s);
    }
    status = sx_doc_end(&d);
done:
    config_destroy(&cfg);
    return (status);
}

int     sx_config_registry_file(struct sx_registry *reg, const char *path,
				        struct sx_errors *errs)
{
    return (sx_cfg_read(reg, path, 0, errs));
}

int     sx_config_registry_text(struct sx_registry *reg, const char *name,
				        const char *text, struct sx_errors *errs)
{
    return (sx_cfg_read(reg, name, text, errs));
}

/* sx_config_registry_parse - the built-in registry and path, parsed */

struct sx_registry *sx_config_registry_parse(const char *path,
				             struct sx_errors *errs)
{
    struct sx_registry *reg = sx_registry_new();
    int     status;

    if (reg == 0)
	return (0);
    if (sx_config_registry_text(reg, "(embedded registry)", sx_registry_data,
				errs) != SX_OK
	|| (path && sx_config_registry_file(reg, path, errs) != SX_OK)) {
	sx_registry_free(reg);
	return (0);
    }
    if ((status = sx_registry_seal(reg)) != SX_OK) {
	sx_errors_add(errs, path ? path : "(embedded registry)", 0, "%s",
		      sx_strerror(status));
	sx_registry_free(reg);
	return (0);
    }
    return (reg);
}

/*
 * sx_config_registry_with - the built-in registry alone is the snapshot
 * read in place; extras on top of it are merged as they always were, by
 * parsing the built-in data and the file into one registry.
 */
struct sx_registry *sx_config_registry_with(const char *path,
				             struct sx_errors *errs)
{
    if (path != 0 || sx_snapshot_registry == 0)
	return (sx_config_registry_parse(path, errs));
    return (sx_registry_image(sx_snapshot_registry));
}

struct sx_registry *sx_config_registry_default(struct sx_errors *errs)
{
    return (sx_config_registry_with(0, errs));
}
