/*
 * NAME
 *	config_registry 3
 * SUMMARY
 *	read registry entries from libconfig data
 * DESCRIPTION
 *	See config.h and config_int.h. A "registry" group holds up to four
 *	lists: basic, enhanced, vendor and reasons. Entries are checked
 *	first and added only when the whole group is clean, so a bad file
 *	changes nothing. Strings are copied by sx_registry_add(); nothing
 *	here keeps a pointer into libconfig's tree.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/config.h>
#include <smtp-explain/registry.h>

#include "config_int.h"

#define SX_HOSTS_MAX 32

struct sx_cfg_list {
    const char *name;		/* list name in the group */
    enum sx_entry_table table;
    const char *const *keys;	/* allowed keys */
};

static const char *const sx_keys_code[] = {
    "code", "title", "text", "action", "who", "retry", "reason",
    "reason_transient", "ref", "class", 0,
};
static const char *const sx_keys_vendor[] = {
    "vendor", "code", "pattern", "hosts", "title", "text", "action", "who",
    "retry", "reason", "reason_transient", "ref", "class", 0,
};
static const char *const sx_keys_reason[] = {
    "reason", "patterns", 0,
};

static const struct sx_cfg_list sx_lists[] = {
    {"basic", SX_TABLE_BASIC, sx_keys_code},
    {"enhanced", SX_TABLE_ENHANCED, sx_keys_code},
    {"vendor", SX_TABLE_VENDOR, sx_keys_vendor},
    {"reasons", SX_TABLE_REASON, sx_keys_reason},
};

/* One checked entry waiting to be added. */
struct sx_pending {
    enum sx_entry_table table;
    struct sx_entry e;
    const char *hosts[SX_HOSTS_MAX + 1];
};

static int sx_line(const config_setting_t *s)
{
    return ((int) config_setting_source_line(s));
}

static int sx_key_allowed(const char *const *keys, const char *name)
{
    for (; *keys; keys++)
	if (strcmp(*keys, name) == 0)
	    return (1);
    return (0);
}

/* sx_get_str - a string member, or NULL; wrong type is an error */

static const char *sx_get_str(const config_setting_t *entry, const char *key,
			              const char *file, struct sx_errors *errs)
{
    const config_setting_t *s = config_setting_get_member(entry, key);

    if (s == 0)
	return (0);
    if (config_setting_type(s) != CONFIG_TYPE_STRING) {
	sx_errors_add(errs, file, sx_line(s), "\"%s\" must be a string", key);
	return (0);
    }
    return (config_setting_get_string(s));
}

static int sx_check_entry(const struct sx_cfg_list *list,
			          const config_setting_t *entry, const char *file,
			          struct sx_errors *errs, struct sx_pending *p)
{
    size_t  before = errs->count;
    unsigned i, n;
    const char *v;
    const config_setting_t *hosts;

    memset(p, 0, sizeof(*p));
    p->table = list->table;
    if (config_setting_type(entry) != CONFIG_TYPE_GROUP) {
	sx_errors_add(errs, file, sx_line(entry),
		      "entries of \"%s\" must be groups { ... }", list->name);
	return (-1);
    }
    n = (unsigned) config_setting_length(entry);
    for (i = 0; i < n; i++) {
	const config_setting_t *m = config_setting_get_elem(entry, i);

	if (!sx_key_allowed(list->keys, config_setting_name(m)))
	    sx_errors_add(errs, file, sx_line(m), "unknown key \"%s\" in %s entry",
			  config_setting_name(m), list->name);
    }
    p->e.code = sx_get_str(entry, "code", file, errs);
    p->e.vendor = sx_get_str(entry, "vendor", file, errs);
    p->e.title = sx_get_str(entry, "title", file, errs);
    p->e.text = sx_get_str(entry, "text", file, errs);
    p->e.action = sx_get_str(entry, "action", file, errs);
    p->e.reason = sx_get_str(entry, "reason", file, errs);
    p->e.reason_transient = sx_get_str(entry, "reason_transient", file, errs);
    p->e.ref = sx_get_str(entry, "ref", file, errs);
    p->e.pattern = sx_get_str(entry, "pattern", file, errs);
    if ((v = sx_get_str(entry, "who", file, errs)) != 0
	&& !sx_who_parse(v, &p->e.who))
	sx_errors_add(errs, file, sx_line(entry), "who: unknown value \"%s\"", v);
    if ((v = sx_get_str(entry, "retry", file, errs)) != 0
	&& !sx_retry_parse(v, &p->e.retry))
	sx_errors_add(errs, file, sx_line(entry), "retry: unknown value \"%s\"", v);
    if ((v = sx_get_str(entry, "class", file, errs)) != 0
	&& !sx_class_parse(v, &p->e.class))
	sx_errors_add(errs, file, sx_line(entry), "class: unknown value \"%s\"", v);
    if (p->e.reason && !sx_reason_valid(p->e.reason))
	sx_errors_add(errs, file, sx_line(entry), "reason: unknown reason \"%s\"",
		      p->e.reason);
    if (p->e.reason_transient && !sx_reason_valid(p->e.reason_transient))
	sx_errors_add(errs, file, sx_line(entry),
		      "reason_transient: unknown reason \"%s\"",
		      p->e.reason_transient);
    if ((hosts = config_setting_get_member(entry, "hosts")) != 0) {
	if (!config_setting_is_aggregate(hosts)) {
	    sx_errors_add(errs, file, sx_line(hosts), "hosts must be a list of strings");
	} else {
	    n = (unsigned) config_setting_length(hosts);
	    if (n > SX_HOSTS_MAX)
		sx_errors_add(errs, file, sx_line(hosts), "more than %d hosts",
			      SX_HOSTS_MAX);
	    for (i = 0; i < n && i < SX_HOSTS_MAX; i++) {
		const config_setting_t *h = config_setting_get_elem(hosts, i);

		if (config_setting_type(h) != CONFIG_TYPE_STRING)
		    sx_errors_add(errs, file, sx_line(hosts),
				  "hosts must be a list of strings");
		else
		    p->hosts[i] = config_setting_get_string(h);
	    }
	    p->e.hosts = p->hosts;
	}
    }
    if (list->table != SX_TABLE_REASON && p->e.code == 0)
	sx_errors_add(errs, file, sx_line(entry), "%s entry without \"code\"",
		      list->name);
    if (list->table == SX_TABLE_VENDOR && p->e.vendor == 0)
	sx_errors_add(errs, file, sx_line(entry), "vendor entry without \"vendor\"");
    if (list->table != SX_TABLE_REASON && p->e.title == 0)
	sx_errors_add(errs, file, sx_line(entry), "%s entry without \"title\"",
		      list->name);
    return (errs->count == before ? 0 : -1);
}

/* sx_code_ok - would the registry take this code? Ask it, on a scratch. */

static int sx_code_ok(struct sx_registry *scratch, const struct sx_pending *p)
{
    return (sx_registry_add(scratch, p->table, &p->e) != SX_ERR_INVALID);
}

int     sx_cfg_registry_group(struct sx_registry *reg, const config_setting_t *group,
			              const char *file, struct sx_errors *errs)
{
    struct sx_pending *pend = 0;
    size_t  npend = 0, cap = 0, before = errs->count, k;
    struct sx_registry *scratch;
    unsigned i, j, n;
    int     status = SX_OK;

    if (config_setting_type(group) != CONFIG_TYPE_GROUP) {
	sx_errors_add(errs, file, sx_line(group), "\"registry\" must be a group { ... }");
	return (SX_ERR_CONFIG);
    }
    if ((scratch = sx_registry_new()) == 0)
	return (SX_ERR_NOMEM);
    n = (unsigned) config_setting_length(group);
    for (i = 0; i < n; i++) {
	const config_setting_t *lst = config_setting_get_elem(group, i);
	const struct sx_cfg_list *list = 0;
	unsigned m;

	for (k = 0; k < sizeof(sx_lists) / sizeof(sx_lists[0]); k++)
	    if (strcmp(sx_lists[k].name, config_setting_name(lst)) == 0)
		list = sx_lists + k;
	if (list == 0) {
	    sx_errors_add(errs, file, sx_line(lst),
			  "unknown key \"%s\" in registry (expected basic, "
			  "enhanced, vendor or reasons)", config_setting_name(lst));
	    continue;
	}
	if (config_setting_type(lst) != CONFIG_TYPE_LIST) {
	    sx_errors_add(errs, file, sx_line(lst), "\"%s\" must be a list ( ... )",
			  list->name);
	    continue;
	}
	m = (unsigned) config_setting_length(lst);
	for (j = 0; j < m; j++) {
	    const config_setting_t *entry = config_setting_get_elem(lst, j);
	    struct sx_pending p;
	    const config_setting_t *pats;
	    unsigned q, npat = 1;

	    if (sx_check_entry(list, entry, file, errs, &p) != 0)
		continue;
	    pats = 0;
	    if (list->table == SX_TABLE_REASON) {
		pats = config_setting_get_member(entry, "patterns");
		if (p.e.reason == 0 || pats == 0 || !config_setting_is_aggregate(pats)
		    || config_setting_length(pats) == 0) {
		    sx_errors_add(errs, file, sx_line(entry),
				  "reasons entry needs \"reason\" and a list of \"patterns\"");
		    continue;
		}
		npat = (unsigned) config_setting_length(pats);
	    }
	    for (q = 0; q < npat; q++) {
		if (pats) {
		    const config_setting_t *ps = config_setting_get_elem(pats, q);

		    if (config_setting_type(ps) != CONFIG_TYPE_STRING
			|| *config_setting_get_string(ps) == 0) {
			sx_errors_add(errs, file, sx_line(pats),
				      "patterns must be non-empty strings");
			continue;
		    }
		    p.e.pattern = config_setting_get_string(ps);
		}
		if (!sx_code_ok(scratch, &p)) {
		    sx_errors_add(errs, file, sx_line(entry),
				  "malformed code \"%s\" for %s entry",
				  p.e.code ? p.e.code : "", list->name);
		    continue;
		}
		if (npend == cap) {
		    struct sx_pending *np;

		    cap = cap ? cap * 2 : 256;
		    if ((np = realloc(pend, cap * sizeof(*np))) == 0) {
			status = SX_ERR_NOMEM;
			goto done;
		    }
		    pend = np;
		}
		/* hosts points into the entry: fixed up when added. */
		pend[npend++] = p;
	    }
	}
    }
    if (errs->count != before) {
	status = SX_ERR_CONFIG;
	goto done;
    }
    for (k = 0; k < npend && status == SX_OK; k++) {
	if (pend[k].e.hosts)
	    pend[k].e.hosts = pend[k].hosts;
	status = sx_registry_add(reg, pend[k].table, &pend[k].e);
    }

done:
    free(pend);
    sx_registry_free(scratch);
    return (status);
}

/* sx_cfg_read - parse a file or text, find "registry", add it */

static int sx_cfg_read(struct sx_registry *reg, const char *name, const char *text,
		               struct sx_errors *errs)
{
    config_t cfg;
    int     ok, status = SX_OK;
    const config_setting_t *root, *group;
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
	const config_setting_t *s = config_setting_get_elem(root, i);

	if (strcmp(config_setting_name(s), "registry") != 0) {
	    sx_errors_add(errs, name, sx_line(s),
			  "unknown key \"%s\" in a registry file", config_setting_name(s));
	    status = SX_ERR_CONFIG;
	}
    }
    if (status == SX_OK && (group = config_lookup(&cfg, "registry")) != 0)
	status = sx_cfg_registry_group(reg, group, name, errs);
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

struct sx_registry *sx_config_registry_with(const char *path,
				             struct sx_errors *errs)
{
    struct sx_registry *reg = sx_registry_new();

    if (reg == 0)
	return (0);
    if (sx_config_registry_text(reg, "(embedded registry)", sx_registry_data,
				errs) != SX_OK
	|| (path && sx_config_registry_file(reg, path, errs) != SX_OK)) {
	sx_registry_free(reg);
	return (0);
    }
    sx_registry_seal(reg);
    return (reg);
}

struct sx_registry *sx_config_registry_default(struct sx_errors *errs)
{
    return (sx_config_registry_with(0, errs));
}
