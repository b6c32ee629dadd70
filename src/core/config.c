/*
 * NAME
 *	config 3
 * SUMMARY
 *	load smtp-explain.conf: settings, policy, registry
 * SYNOPSIS
 *	#include <smtp-explain/config.h>
 *
 *	struct sx_config *sx_config_load(const char *path,
 *				struct sx_errors *errs);
 *	struct sx_config *sx_config_ref(struct sx_config *conf);
 *	void	sx_config_unref(struct sx_config *conf);
 *	void	sx_errors_add(struct sx_errors *errs, const char *file,
 *				int line, const char *fmt, ...);
 * DESCRIPTION
 *	See config(3h). This file reads the top level, and hands the
 *	"settings" group to config_settings.c, the "policy" group to
 *	config_policy.c and the "registry" group to config_registry.c.
 *
 *	Settings are checked as strictly as the policy: a typo in a key,
 *	a mode written as a number that libconfig reads as decimal, or a
 *	milter socket in Postfix's notation are errors here, not puzzles in
 *	the mail log later.
 *
 *	The loader keeps going after an error so that one run reports
 *	every problem; whatever was built is thrown away at the end.
 *
 *	sx_errors_add() formats one message as "file:line: message" ("file:
 *	message" when line is 0) and counts it; messages beyond
 *	SX_ERRORS_MAX are counted, not kept. errs may be NULL.
 *
 *	The reference count is atomic: the daemon's threads take and drop
 *	references while the main thread swaps in a reloaded snapshot.
 * DIAGNOSTICS
 *	sx_config_load() returns NULL after reporting errors.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/config.h>
#include <smtp-explain/policy.h>
#include <smtp-explain/lang.h>
#include <smtp-explain/registry.h>
#include <smtp-explain/status.h>
#include <smtp-explain/text.h>
#include "config_int.h"
#include "config_parse.h"
#include "registry_int.h"
#include "snapshot.h"

/* Generated from etc/smtp-explain.conf by the Makefile. */
extern const char sx_default_config[];

#define SX_DEFAULT_NAME "(default)"
#define SX_EMBEDDED_REGISTRY "(embedded registry)"

/* sx_errors_add - record one error */

void    sx_errors_add(struct sx_errors *errs, const char *file, int line,
		              const char *fmt,...)
{
    char   *slot;
    size_t  len = 0;
    va_list ap;

    if (errs == 0)
	return;
    if (errs->count < SX_ERRORS_MAX) {
	slot = errs->msg[errs->count];
	if (file != 0 && line > 0)
	    len = (size_t) snprintf(slot, SX_ERROR_LEN, "%s:%d: ", file, line);
	else if (file != 0)
	    len = (size_t) snprintf(slot, SX_ERROR_LEN, "%s: ", file);
	if (len < SX_ERROR_LEN) {
	    va_start(ap, fmt);
	    vsnprintf(slot + len, SX_ERROR_LEN - len, fmt, ap);
	    va_end(ap);
	}
    }
    errs->count++;
}

static const char *sx_cfg_name(const struct sx_cfg *, const char *, char *,
			               size_t);

/* sx_cfg_where - the file a setting came from */

const char *sx_cfg_where(const struct sx_cfg *cfg, const config_setting_t *s,
			         char *buf, size_t size)
{
    return (sx_cfg_name(cfg, s ? config_setting_source_file(s) : 0, buf, size));
}

/* sx_cfg_name - the name of a file libconfig read */

static const char *sx_cfg_name(const struct sx_cfg *cfg, const char *file,
			               char *buf, size_t size)
{
    if (file == 0 || strcmp(file, cfg->file) == 0)
	return (cfg->file);
    /* libconfig keeps an @include name as written; name what was opened. */
    if (*file != '/' && cfg->dir != 0)
	snprintf(buf, size, "%s/%s", cfg->dir, file);
    else
	snprintf(buf, size, "%s", file);
    return (buf);
}

/* sx_cfg_error - report an error about a setting */

void    sx_cfg_error(struct sx_cfg *cfg, const config_setting_t *s,
		             const char *fmt,...)
{
    char    msg[SX_ERROR_LEN];
    char    where[SX_ERROR_LEN];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    sx_errors_add(cfg->errs, sx_cfg_where(cfg, s, where, sizeof(where)),
		  s ? (int) config_setting_source_line(s) : 0, "%s", msg);
}

/* sx_cfg_keys - report members of a group that nobody asked for */

int     sx_cfg_keys(struct sx_cfg *cfg, const config_setting_t *group,
		            const char *what, const char *const *known)
{
    const config_setting_t *s;
    const char *const *kp;
    const char *name;
    int     i;
    int     bad = 0;

    for (i = 0; (s = config_setting_get_elem(group, (unsigned) i)) != 0; i++) {
	name = config_setting_name(s);
	if (name == 0)
	    continue;
	for (kp = known; *kp; kp++)
	    if (strcmp(*kp, name) == 0)
		break;
	if (*kp == 0) {
	    sx_cfg_error(cfg, s, "unknown setting \"%s\" in %s", name, what);
	    bad++;
	}
    }
    return (bad);
}

/* sx_cfg_clean - refuse control characters in a configured string */

int     sx_cfg_clean(const char *s)
{
    for (; *s; s++)
	if ((unsigned char) *s < 0x20 || *s == 0x7f)
	    return (0);
    return (1);
}

/* sx_cfg_string - a string setting, or NULL after an error */

const char *sx_cfg_string(struct sx_cfg *cfg, const config_setting_t *s)
{
    const char *value;

    if (config_setting_type(s) != CONFIG_TYPE_STRING
	|| (value = config_setting_get_string(s)) == 0) {
	sx_cfg_error(cfg, s, "\"%s\" must be a string", config_setting_name(s));
	return (0);
    }
    if (!sx_cfg_clean(value)) {
	sx_cfg_error(cfg, s, "\"%s\" must not contain control characters",
		     config_setting_name(s));
	return (0);
    }
    return (value);
}

/* sx_cfg_bool - a boolean setting; 0 after an error */

int     sx_cfg_bool(struct sx_cfg *cfg, const config_setting_t *s, int *out)
{
    if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
	sx_cfg_error(cfg, s, "\"%s\" must be true or false",
		     config_setting_name(s));
	return (0);
    }
    *out = config_setting_get_bool(s) != 0;
    return (1);
}

/* sx_cfg_range - a number in a range; 0 with why in msg when not */

int     sx_cfg_range(const char *name, long long value, unsigned min,
		             unsigned max, unsigned *out, char *msg, size_t size)
{
    if (value < (long long) min || value > (long long) max) {
	snprintf(msg, size, "\"%s\" must be between %u and %u, not %lld",
		 name, min, max, value);
	return (0);
    }
    *out = (unsigned) value;
    return (1);
}

/* sx_cfg_uint - an integer setting in a range; 0 after an error */

int     sx_cfg_uint(struct sx_cfg *cfg, const config_setting_t *s,
		            unsigned min, unsigned max, unsigned *out)
{
    char    msg[SX_ERROR_LEN];

    if (config_setting_type(s) != CONFIG_TYPE_INT
	&& config_setting_type(s) != CONFIG_TYPE_INT64) {
	sx_cfg_error(cfg, s, "\"%s\" must be an integer",
		     config_setting_name(s));
	return (0);
    }
    if (!sx_cfg_range(config_setting_name(s), config_setting_get_int64(s),
		      min, max, out, msg, sizeof(msg))) {
	sx_cfg_error(cfg, s, "%s", msg);
	return (0);
    }
    return (1);
}

/*
 * sx_cfg_string_list - a string or a list of strings, copied, each one
 * judged by judge (which writes its complaint into msg); an empty list
 * is an error unless empty_ok. NULL after an error.
 */
char  **sx_cfg_string_list(struct sx_cfg *cfg, const config_setting_t *s,
			           const char *name, int empty_ok,
			           sx_cfg_judge *judge, const void *ctx)
{
    const config_setting_t *elem;
    const char *value;
    char    msg[SX_ERROR_LEN];
    char  **list;
    int     type = config_setting_type(s);
    int     count;
    int     i, n = 0;
    int     bad = 0;

    if (type == CONFIG_TYPE_STRING) {
	count = 1;
    } else if (type == CONFIG_TYPE_ARRAY || type == CONFIG_TYPE_LIST) {
	count = config_setting_length(s);
    } else {
	sx_cfg_error(cfg, s, "\"%s\" must be a string or a list of strings",
		     name);
	return (0);
    }
    if ((list = calloc((size_t) count + 1, sizeof(*list))) == 0) {
	cfg->nomem = 1;
	return (0);
    }
    for (i = 0; i < count; i++) {
	elem = (type == CONFIG_TYPE_STRING) ? s :
	    config_setting_get_elem(s, (unsigned) i);
	if (config_setting_type(elem) != CONFIG_TYPE_STRING) {
	    sx_cfg_error(cfg, elem, "\"%s\" must be a string or a list of "
			 "strings", name);
	    bad++;
	    continue;
	}
	value = config_setting_get_string(elem);
	if (!judge(ctx, value, msg, sizeof(msg))) {
	    sx_cfg_error(cfg, elem, "%s", msg);
	    bad++;
	    continue;
	}
	if ((list[n++] = strdup(value)) == 0)
	    cfg->nomem = 1;
    }
    if (count == 0 && !empty_ok) {
	sx_cfg_error(cfg, s, "\"%s\" must not be an empty list", name);
	bad++;
    }
    if (bad || cfg->nomem) {
	sx_strv_free(list);
	return (0);
    }
    return (list);
}

/* What sx_cfg_strings() judges by: a clean word that check accepts. */

struct sx_cfg_want {
    const char *name;
    int     (*check) (const char *);
    const char *want;
};

static int sx_cfg_want_judge(const void *ctx, const char *value, char *msg,
			             size_t size)
{
    const struct sx_cfg_want *w = ctx;

    if (sx_cfg_clean(value) && *value != 0 && (w->check == 0 || w->check(value)))
	return (1);
    snprintf(msg, size, "bad value \"%.100s\" for \"%s\"%s%s",
	     sx_cfg_clean(value) ? value : "?", w->name,
	     w->want ? ": want " : "", w->want ? w->want : "");
    return (0);
}

/* sx_cfg_strings - a string or a list of strings, copied */

char  **sx_cfg_strings(struct sx_cfg *cfg, const config_setting_t *s,
		               int (*check) (const char *), const char *want)
{
    struct sx_cfg_want w;

    w.name = config_setting_name(s);
    w.check = check;
    w.want = want;
    return (sx_cfg_string_list(cfg, s, w.name, 0, sx_cfg_want_judge, &w));
}

/*
 * Registry.
 */

/* sx_cfg_relative - a path relative to the directory of the config file */

static char *sx_cfg_relative(const char *base, const char *path)
{
    const char *slash;
    char   *full;
    size_t  dirlen;
    size_t  len = strlen(path);

    if (*path == '/' || base == 0 || (slash = strrchr(base, '/')) == 0)
	return (strdup(path));
    dirlen = (size_t) (slash - base) + 1;
    if ((full = malloc(dirlen + len + 1)) == 0)
	return (0);
    memcpy(full, base, dirlen);
    memcpy(full + dirlen, path, len + 1);
    return (full);
}

/* sx_cfg_registry - embedded data, then registry_file, then registry */

static struct sx_registry *sx_cfg_registry(struct sx_cfg *cfg,
					           const config_setting_t *root,
					           const char *path)
{
    const config_setting_t *s;
    struct sx_registry *reg;
    const char *value;
    char    where[SX_ERROR_LEN];
    char   *full;
    size_t  before;
    int     status;

    /* The built-in registry alone: compiled at build time (snapshot.h). */
    if (sx_snapshot_registry != 0
	&& config_setting_get_member(root, "registry_file") == 0
	&& config_setting_get_member(root, "registry") == 0) {
	if ((reg = sx_registry_image(sx_snapshot_registry)) == 0)
	    cfg->nomem = 1;
	return (reg);
    }
    if ((reg = sx_registry_new()) == 0) {
	cfg->nomem = 1;
	return (0);
    }
    before = cfg->errs->count;
    status = sx_config_registry_text(reg, SX_EMBEDDED_REGISTRY,
				     sx_registry_data, cfg->errs);
    if (status != SX_OK && cfg->errs->count == before)
	sx_errors_add(cfg->errs, SX_EMBEDDED_REGISTRY, 0, "%s",
		      sx_strerror(status));

    if ((s = config_setting_get_member(root, "registry_file")) != 0
	&& (value = sx_cfg_string(cfg, s)) != 0) {
	if ((full = sx_cfg_relative(path, value)) == 0) {
	    cfg->nomem = 1;
	} else {
	    before = cfg->errs->count;
	    status = sx_config_registry_file(reg, full, cfg->errs);
	    if (status != SX_OK && cfg->errs->count == before)
		sx_cfg_error(cfg, s, "registry_file \"%.200s\": %s", full,
			     sx_strerror(status));
	    free(full);
	}
    }

    if ((s = config_setting_get_member(root, "registry")) != 0) {
	if (!config_setting_is_group(s)) {
	    sx_cfg_error(cfg, s, "\"registry\" must be a group: registry = { ... };");
	} else {
	    before = cfg->errs->count;
	    status = sx_cfg_registry_group(reg, s, sx_cfg_where(cfg, s, where,
						      sizeof(where)), cfg->errs);
	    if (status != SX_OK && cfg->errs->count == before)
		sx_cfg_error(cfg, s, "registry: %s", sx_strerror(status));
	}
    }
    /* A registry that cannot be sealed would lose its overrides: refuse. */
    if (sx_registry_seal(reg) != SX_OK)
	cfg->nomem = 1;
    return (reg);
}

/*
 * The whole file.
 */

/* sx_config_free - destroy a snapshot */

static void sx_config_free(struct sx_config *conf)
{
    if (conf == 0)
	return;
    free(conf->path);
    sx_cfg_settings_free(&conf->settings);
    sx_policy_free(conf->policy);
    sx_registry_free(conf->registry);
    sx_langs_free(conf->langs);
    free(conf);
}

/* sx_config_read - parse the file or the default text */

static int sx_config_read(struct sx_cfg *cfg, config_t *lc, const char *path)
{
    char    buf[SX_ERROR_LEN];
    FILE   *fp;
    int     ok;

    if (path == 0) {
	ok = config_read_string(lc, sx_default_config);
    } else {
	/* libconfig says only "file I/O error"; find out which. */
	if ((fp = fopen(path, "r")) == 0) {
	    sx_errors_add(cfg->errs, path, 0, "cannot open: %s",
			  strerror_r(errno, buf, sizeof(buf)));
	    return (0);
	}
	fclose(fp);
	if (cfg->dir != 0)
	    config_set_include_dir(lc, cfg->dir);
	ok = config_read_file(lc, path);
    }
    if (!ok)
	sx_errors_add(cfg->errs, sx_cfg_name(cfg, config_error_file(lc), buf,
					     sizeof(buf)),
		      config_error_line(lc), "%s", config_error_text(lc) ?
		      config_error_text(lc) : "cannot parse");
    return (ok);
}

/* sx_config_parse - everything after the syntax */

static struct sx_config *sx_config_parse(struct sx_cfg *cfg, config_t *lc,
					         const char *path)
{
    static const char *const top[] = {
	"settings", "policy", "registry", "registry_file", 0,
    };
    const config_setting_t *root = config_root_setting(lc);
    struct sx_config *conf;

    if ((conf = calloc(1, sizeof(*conf))) == 0) {
	cfg->nomem = 1;
	return (0);
    }
    conf->refcount = 1;
    if ((conf->path = strdup(cfg->file)) == 0)
	cfg->nomem = 1;
    sx_cfg_settings_init(cfg, &conf->settings);
    sx_cfg_keys(cfg, root, "the top level", top);
    sx_cfg_settings(cfg, config_setting_get_member(root, "settings"),
		    &conf->settings);
    if (sx_cfg_policy(cfg, config_setting_get_member(root, "policy"),
		      &conf->settings, &conf->policy) == SX_ERR_NOMEM)
	cfg->nomem = 1;
    conf->registry = sx_cfg_registry(cfg, root, path);
    /* Other languages' wording: only the explanation in the text uses it. */
    if (conf->settings.explain_body && conf->registry != 0
	&& (conf->langs = sx_langs_embedded(0, cfg->errs)) == 0)
	cfg->nomem = 1;
    return (conf);
}

/* sx_config_load - read a configuration snapshot */

struct sx_config *sx_config_load(const char *path, struct sx_errors *errs)
{
    struct sx_errors own;
    struct sx_config *conf = 0;
    struct sx_cfg cfg;
    config_t lc;
    char   *dir = 0;
    char   *slash;
    size_t  before;

    if (errs == 0) {
	memset(&own, 0, sizeof(own));
	errs = &own;
    }
    before = errs->count;
    cfg.file = path ? path : SX_DEFAULT_NAME;
    cfg.dir = 0;
    cfg.errs = errs;
    cfg.nomem = 0;

    /* @include and registry_file are found next to the file. */
    if (path != 0 && (slash = strrchr(path, '/')) != 0) {
	if ((dir = strndup(path, slash == path ? 1 : (size_t) (slash - path))) == 0)
	    cfg.nomem = 1;
	cfg.dir = dir;
    }
    config_init(&lc);
    if (!cfg.nomem && sx_config_read(&cfg, &lc, path))
	conf = sx_config_parse(&cfg, &lc, path);
    config_destroy(&lc);
    free(dir);

    if (cfg.nomem)
	sx_errors_add(errs, cfg.file, 0, "out of memory");
    if (errs->count > before || cfg.nomem) {
	sx_config_free(conf);
	return (0);
    }
    return (conf);
}

/* sx_config_ref - take a reference */

struct sx_config *sx_config_ref(struct sx_config *conf)
{
    if (conf != 0)
	__atomic_add_fetch(&conf->refcount, 1, __ATOMIC_RELAXED);
    return (conf);
}

/* sx_config_unref - drop a reference, free with the last one */

void    sx_config_unref(struct sx_config *conf)
{
    if (conf != 0 && __atomic_sub_fetch(&conf->refcount, 1, __ATOMIC_ACQ_REL) == 0)
	sx_config_free(conf);
}
