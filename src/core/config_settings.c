/*
 * NAME
 *	config_settings 3
 * SUMMARY
 *	the "settings" group: one table of settings, one walk per job
 * SYNOPSIS
 *	#include <smtp-explain/config.h>
 *	#include "config_parse.h"
 *
 *	void	sx_cfg_settings_init(struct sx_cfg *cfg,
 *				struct sx_settings *set);
 *	void	sx_cfg_settings(struct sx_cfg *cfg,
 *				const config_setting_t *group,
 *				struct sx_settings *set);
 *	void	sx_cfg_settings_free(struct sx_settings *set);
 * DESCRIPTION
 *	See config(3h) for the public side. sx_config_settings[] is the
 *	only place that knows a setting: its name (the name of its field),
 *	its type, its default, and what judges a value (a range, a
 *	{name, code} table, or a check function). Everything else walks
 *	the table:
 *
 *	sx_cfg_settings_init() gives every field its default (the fields
 *	must not yet point to anything). sx_cfg_settings() reads the
 *	"settings" group in file order, reporting each bad member with its
 *	file and line and going on; a bad member leaves the field as it
 *	was. sx_cfg_settings_free() frees what the fields point to.
 *
 *	A value is judged by sx_cfg_set_text() whether it comes from the
 *	file or from sx_config_setting_check() (a command-line option), so
 *	the two cannot disagree.
 * DIAGNOSTICS
 *	A failed allocation sets cfg->nomem.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>

#include <smtp-explain/config.h>
#include <smtp-explain/lang.h>
#include <smtp-explain/names.h>
#include <smtp-explain/reader.h>
#include <smtp-explain/status.h>
#include <smtp-explain/text.h>
#include "config_parse.h"
#include <smtp-explain/date.h>

/*
 * The values of the settings with a fixed set of them. There is no
 * "kern": syslog(3) takes facility 0 (LOG_KERN) from a program as "the
 * default", and the lines would go to "user".
 */
const struct sx_name_code sx_config_facilities[] = {
    {"auth", LOG_AUTH},
    {"authpriv", LOG_AUTHPRIV},
    {"cron", LOG_CRON},
    {"daemon", LOG_DAEMON},
    {"ftp", LOG_FTP},
    {"lpr", LOG_LPR},
    {"mail", LOG_MAIL},
    {"news", LOG_NEWS},
    {"syslog", LOG_SYSLOG},
    {"user", LOG_USER},
    {"uucp", LOG_UUCP},
    {"local0", LOG_LOCAL0},
    {"local1", LOG_LOCAL1},
    {"local2", LOG_LOCAL2},
    {"local3", LOG_LOCAL3},
    {"local4", LOG_LOCAL4},
    {"local5", LOG_LOCAL5},
    {"local6", LOG_LOCAL6},
    {"local7", LOG_LOCAL7},
    {0, 0},
};

const struct sx_name_code sx_config_on_error[] = {
    {"accept", SX_ON_ERROR_ACCEPT},
    {"tempfail", SX_ON_ERROR_TEMPFAIL},
    {0, 0},
};

/*
 * Checks of string values. Each says why a value is bad in the words
 * the loader has always used. Values reaching them have no control
 * characters.
 */

/*
 * sx_cfg_set_postfix - HOST:PORT, Postfix's spelling: the milter's for
 * the same port and host ([v6] is inet6: without the brackets), else a
 * general example
 */
static const char *sx_cfg_set_postfix(const char *proto, const char *spec,
				              char *buf, size_t size)
{
    const char *colon = strrchr(spec, ':');
    size_t  digits = strspn(colon + 1, "0123456789");
    size_t  hlen = (size_t) (colon - spec);

    if (hlen == 0 || digits == 0 || digits > 5 || colon[1 + digits] != 0)
	return ("this is Postfix's notation; the milter listens on "
		"inet:PORT@HOST, e.g. inet:8894@127.0.0.1");
    if (hlen > 2 && spec[0] == '[' && spec[hlen - 1] == ']') {
	proto = "inet6:";
	spec++;
	hlen -= 2;
    }
    snprintf(buf, size, "this is Postfix's notation; the milter listens on "
	     "%sPORT@HOST: %s%s@%.*s", proto, proto, colon + 1, (int) hlen,
	     spec);
    return (buf);
}

/* sx_cfg_set_port_host - "PORT@HOST"; NULL or why not */

static const char *sx_cfg_set_port_host(const char *proto, const char *spec,
				                char *buf, size_t size)
{
    const char *at = strchr(spec, '@');
    const char *cp;
    long    port = 0;

    if (at == 0) {
	if (strchr(spec, ':') != 0)
	    return (sx_cfg_set_postfix(proto, spec, buf, size));
	return ("give the address to listen on, e.g. inet:8894@127.0.0.1 "
		"(write @0.0.0.0 to mean every address)");
    }
    if (at == spec)
	return ("missing port: want inet:PORT@HOST");
    for (cp = spec; cp < at; cp++) {
	if (*cp < '0' || *cp > '9')
	    return ("the port must be a number: want inet:PORT@HOST");
	port = port * 10 + (*cp - '0');
	if (port > 65535)
	    break;
    }
    if (port < 1 || port > 65535)
	return ("the port must be between 1 and 65535");
    if (at[1] == 0)
	return ("missing host: want inet:PORT@HOST");
    return (0);
}

/* sx_cfg_set_socket_why - a libmilter socket; NULL or why not */

static const char *sx_cfg_set_socket_why(const char *spec, char *buf,
				                 size_t size)
{
    if (strncmp(spec, "unix:", 5) == 0 || strncmp(spec, "local:", 6) == 0) {
	const char *path = strchr(spec, ':') + 1;

	if (*path != '/')
	    return ("a unix socket needs an absolute path, "
		    "e.g. unix:/run/smtp-explain/milter.sock");
	return (0);
    }
    if (strncmp(spec, "inet:", 5) == 0)
	return (sx_cfg_set_port_host("inet:", spec + 5, buf, size));
    if (strncmp(spec, "inet6:", 6) == 0)
	return (sx_cfg_set_port_host("inet6:", spec + 6, buf, size));
    return ("want unix:/PATH, inet:PORT@HOST or inet6:PORT@HOST");
}

static int sx_cfg_set_socket(const struct sx_setting *row, const char *value,
			             char *msg, size_t size)
{
    char    hint[SX_ERROR_LEN / 2];
    const char *why = sx_cfg_set_socket_why(value, hint, sizeof(hint));

    if (why != 0)
	snprintf(msg, size, "bad socket \"%.100s\": %s", value, why);
    return (why == 0);
}

/* sx_cfg_set_token_ok - a word without white space, ';' or quotes */

static int sx_cfg_set_token_ok(const char *s)
{
    return (strcspn(s, " \t;\"\\()") == strlen(s));
}

static int sx_cfg_set_user(const struct sx_setting *row, const char *value,
			           char *msg, size_t size)
{
    if (sx_cfg_set_token_ok(value))
	return (1);
    snprintf(msg, size, "bad user name \"%.100s\"", value);
    return (0);
}

static int sx_cfg_set_group(const struct sx_setting *row, const char *value,
			            char *msg, size_t size)
{
    if (sx_cfg_set_token_ok(value))
	return (1);
    snprintf(msg, size, "bad group name \"%.100s\"", value);
    return (0);
}

static int sx_cfg_set_host(const struct sx_setting *row, const char *value,
			           char *msg, size_t size)
{
    if (sx_cfg_set_token_ok(value))
	return (1);
    snprintf(msg, size, "bad %s \"%.100s\": want a host name", row->name,
	     value);
    return (0);
}

/* sx_cfg_set_path - an absolute path, or "" for none */

static int sx_cfg_set_path(const struct sx_setting *row, const char *value,
			           char *msg, size_t size)
{
    if (*value == 0 || *value == '/')
	return (1);
    snprintf(msg, size, "\"%s\" must be an absolute path or \"\"", row->name);
    return (0);
}

/*
 * sx_cfg_set_url - "" or an http(s) URL of the characters RFC 3986
 * allows, with %{status}, %{reason} and %{code} as the only "%{...}".
 */
static int sx_cfg_set_url(const struct sx_setting *row, const char *value,
			          char *msg, size_t size)
{
    const char *p;

    if (*value == 0)
	return (1);
    if (strncmp(value, "https://", 8) != 0 && strncmp(value, "http://", 7) != 0) {
	snprintf(msg, size, "\"%s\" must start with https:// or http://", row->name);
	return (0);
    }
    if (strlen(value) > 300) {
	snprintf(msg, size, "\"%s\" is longer than 300 characters", row->name);
	return (0);
    }
    for (p = value; *p; p++) {
	if (*p == '%' && p[1] == '{') {
	    if (strncmp(p, "%{status}", 9) && strncmp(p, "%{reason}", 9)
		&& strncmp(p, "%{code}", 7)) {
		snprintf(msg, size, "\"%s\": only %%{status}, %%{reason} and "
			 "%%{code} may be filled in", row->name);
		return (0);
	    }
	    continue;
	}
	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
	      || (*p >= '0' && *p <= '9') || strchr("-._~:/?#[]@!$&'()*+,;=%{}", *p))) {
	    snprintf(msg, size, "\"%s\" has a character a URL cannot hold: "
		     "'%c' (write it %%-encoded)", row->name, *p > 0x20 && *p < 0x7f ? *p : '?');
	    return (0);
	}
    }
    return (1);
}

/* sx_cfg_set_log - where the log goes without syslog: "", "stderr", a path */

static int sx_cfg_set_log(const struct sx_setting *row, const char *value,
			          char *msg, size_t size)
{
    if (*value == 0 || *value == '/' || strcmp(value, "stderr") == 0)
	return (1);
    snprintf(msg, size, "\"%s\" must be \"\", \"stderr\" or an absolute "
	     "path", row->name);
    return (0);
}

/* sx_cfg_set_lang - a language the library has texts for */

static int sx_cfg_set_lang(const struct sx_setting *row, const char *value,
			           char *msg, size_t size)
{
    if (sx_lang_compiled(value))
	return (1);
    snprintf(msg, size, "\"%.20s\" for \"%s\" is not a language with texts "
	     "(etc/texts/LANG.conf)", value, row->name);
    return (0);
}

/* sx_cfg_set_lang_map - "ADDRESS=LANG" or "DOMAIN=LANG" */

static int sx_cfg_set_lang_map(const struct sx_setting *row, const char *value,
			               char *msg, size_t size)
{
    const char *eq = strrchr(value, '=');

    if (eq != 0 && eq != value && strcspn(value, " \t;,<>") == strlen(value)
	&& sx_lang_compiled(eq + 1))
	return (1);
    snprintf(msg, size, "bad value \"%.100s\" for \"%s\": want "
	     "\"ADDRESS=LANG\" or \"DOMAIN=LANG\" with a language that has "
	     "texts", value, row->name);
    return (0);
}

/* sx_cfg_set_domain - a domain glob: no white space, no '@' */

static int sx_cfg_set_domain(const struct sx_setting *row, const char *value,
			             char *msg, size_t size)
{
    if (*value != 0 && strcspn(value, " \t@<>,;") == strlen(value))
	return (1);
    snprintf(msg, size, "bad value \"%.100s\" for \"%s\": want a domain or a "
	     "glob such as *.example.com", value, row->name);
    return (0);
}

/* sx_cfg_set_duration - "" or a duration as Postfix writes one: "5d" */

static int sx_cfg_set_duration(const struct sx_setting *row, const char *value,
			               char *msg, size_t size)
{
    unsigned seconds;

    if (sx_date_duration(value, &seconds))
	return (1);
    snprintf(msg, size, "bad value \"%.40s\" for \"%s\": want \"\" or a "
	     "duration such as \"5d\" (units s, m, h, d, w; days when none), "
	     "at most 100d", value, row->name);
    return (0);
}

/*
 * The table. A row names its field, and the compiler checks that the
 * field has the type that the row's type needs.
 */
#define SX_FIELD(f, t) (offsetof(struct sx_settings, f) + 0 * sizeof(char \
	[_Generic(((struct sx_settings *) 0)->f, t: 1, default: -1)]))

#define STRING(f, def, check) \
	{#f, SX_SETTING_STRING, SX_FIELD(f, char *), def, 0, 0, 0, 0, check}
#define BOOL(f, def) \
	{#f, SX_SETTING_BOOL, SX_FIELD(f, int), 0, def, 0, 1, 0, 0}
#define UINT(f, def, min, max) \
	{#f, SX_SETTING_UINT, SX_FIELD(f, unsigned), 0, def, min, max, 0, 0}
#define NAME(f, def, names) \
	{#f, SX_SETTING_NAME, SX_FIELD(f, int), 0, def, 0, 0, names, 0}
#define MODE(f, def) \
	{#f, SX_SETTING_MODE, SX_FIELD(f, unsigned), 0, def, 0, 07777, 0, 0}
#define LIST(f, check) \
	{#f, SX_SETTING_LIST, SX_FIELD(f, char **), 0, 0, 0, 0, 0, check}

const struct sx_setting sx_config_settings[] = {
    STRING(socket, "unix:/run/smtp-explain/milter.sock", sx_cfg_set_socket),
    STRING(user, "", sx_cfg_set_user),
    STRING(pidfile, "", sx_cfg_set_path),
    MODE(socket_mode, 0660),
    STRING(socket_group, "", sx_cfg_set_group),
    NAME(syslog_facility, LOG_MAIL, sx_config_facilities),
    STRING(log_file, "", sx_cfg_set_log),
    STRING(authserv_id, "", sx_cfg_set_host),
    NAME(on_error, SX_ON_ERROR_ACCEPT, sx_config_on_error),
    UINT(max_headers, 20, 0, 1000),
    BOOL(strip_foreign, 1),
    BOOL(result_header, 1),
    BOOL(thread_reports, 1),
    STRING(help_url, "", sx_cfg_set_url),
    BOOL(header_text, 1),
    BOOL(header_diag, 1),
    UINT(diag_max, 200, 0, 1000),
    BOOL(annotate_session_rejects, 0),
    BOOL(autoreplies, 0),
    LIST(local_domains, sx_cfg_set_domain),
    STRING(stats_file, "", sx_cfg_set_path),
    UINT(stats_interval, 60, 1, 86400),
    UINT(analysis_bytes, SX_BYTES_MAX_DEFAULT, 0, 2147483647),
    UINT(analysis_work, SX_WORK_MAX_DEFAULT, 0, 2147483647),
    BOOL(explain_body, 0),
    UINT(explain_body_max, 4194304, 1024, 67108864),
    BOOL(explain_body_signed, 0),
    STRING(explain_lang, "en", sx_cfg_set_lang),
    LIST(explain_lang_map, sx_cfg_set_lang_map),
    STRING(queue_lifetime, "", sx_cfg_set_duration),
    {0},
};

#undef STRING
#undef BOOL
#undef UINT
#undef NAME
#undef MODE
#undef LIST

/* The field of a row, in a settings structure. */
#define SX_AT(set, row, t)	((t *) (void *) ((char *) (set) + (row)->offset))
#define SX_CAT(set, row, t)	((const t *) (const void *) \
				 ((const char *) (set) + (row)->offset))

/* sx_config_setting - the row of a setting, or NULL */

const struct sx_setting *sx_config_setting(const char *name)
{
    const struct sx_setting *row;

    for (row = sx_config_settings; row->name; row++)
	if (strcmp(row->name, name) == 0)
	    return (row);
    return (0);
}

/* sx_cfg_set_octal - up to four octal digits */

static int sx_cfg_set_octal(const char *value, unsigned *out)
{
    const char *cp;
    unsigned mode = 0;

    for (cp = value; *cp; cp++) {
	if (*cp < '0' || *cp > '7' || cp - value >= 4)
	    return (0);
	mode = mode * 8 + (unsigned) (*cp - '0');
    }
    if (cp == value)
	return (0);
    *out = mode;
    return (1);
}

/*
 * sx_cfg_set_text - judge a value written as text, and store it in set
 * unless set is NULL (a LIST is only judged: one element at a time).
 * 1: good; 0: bad, why in msg; -1: no memory.
 */
static int sx_cfg_set_text(const struct sx_setting *row,
			           struct sx_settings *set, const char *value,
			           char *msg, size_t size)
{
    char    names[SX_ERROR_LEN / 2];
    char   *copy;
    char   *end;
    long long number;
    unsigned u;
    int     code;

    switch (row->type) {
    case SX_SETTING_STRING:
    case SX_SETTING_LIST:
	if (!sx_cfg_clean(value)) {
	    snprintf(msg, size, "\"%s\" must not contain control characters",
		     row->name);
	    return (0);
	}
	if (!row->check(row, value, msg, size))
	    return (0);
	if (set == 0 || row->type == SX_SETTING_LIST)
	    return (1);
	if ((copy = strdup(value)) == 0)
	    return (-1);
	free(*SX_AT(set, row, char *));
	*SX_AT(set, row, char *) = copy;
	return (1);
    case SX_SETTING_NAME:
	if (!sx_name_code(row->names, value, strlen(value), &code)) {
	    sx_names_list(row->names, names, sizeof(names));
	    snprintf(msg, size, "\"%s\" must be %s, not \"%.40s\"", row->name,
		     names, sx_cfg_clean(value) ? value : "?");
	    return (0);
	}
	if (set != 0)
	    *SX_AT(set, row, int) = code;
	return (1);
    case SX_SETTING_MODE:
	if (!sx_cfg_set_octal(value, &u)) {
	    snprintf(msg, size, "\"%s\" must be an octal string such as "
		     "\"0660\", not \"%.20s\"", row->name,
		     sx_cfg_clean(value) ? value : "?");
	    return (0);
	}
	if (set != 0)
	    *SX_AT(set, row, unsigned) = u;
	return (1);
    case SX_SETTING_BOOL:
	if (strcasecmp(value, "true") == 0)
	    code = 1;
	else if (strcasecmp(value, "false") == 0)
	    code = 0;
	else {
	    snprintf(msg, size, "\"%s\" must be true or false", row->name);
	    return (0);
	}
	if (set != 0)
	    *SX_AT(set, row, int) = code;
	return (1);
    case SX_SETTING_UINT:
	errno = 0;
	number = strtoll(value, &end, 10);
	if (end == value || *end != 0 || errno != 0) {
	    snprintf(msg, size, "\"%s\" must be an integer", row->name);
	    return (0);
	}
	if (!sx_cfg_range(row->name, number, row->min, row->max, &u, msg,
			  size))
	    return (0);
	if (set != 0)
	    *SX_AT(set, row, unsigned) = u;
	return (1);
    }
    return (0);
}

/* sx_cfg_set_list - a string or a list of strings, each judged by its row */

static int sx_cfg_row_judge(const void *ctx, const char *value, char *msg,
			            size_t size)
{
    return (sx_cfg_set_text(ctx, 0, value, msg, size) == 1);
}

static void sx_cfg_set_list(struct sx_cfg *cfg, const struct sx_setting *row,
			            const config_setting_t *s,
			            struct sx_settings *set)
{
    char  **list;

    if ((list = sx_cfg_string_list(cfg, s, row->name, 1, sx_cfg_row_judge,
				   row)) == 0)
	return;
    sx_strv_free(*SX_AT(set, row, char **));
    *SX_AT(set, row, char **) = list;
}

/* sx_cfg_set_member - one member of the "settings" group */

static void sx_cfg_set_member(struct sx_cfg *cfg, const config_setting_t *s,
			              struct sx_settings *set)
{
    const char *name = config_setting_name(s);
    const struct sx_setting *row;
    const char *value;
    char    msg[SX_ERROR_LEN];

    if ((row = sx_config_setting(name)) == 0) {
	sx_cfg_error(cfg, s, "unknown setting \"%s\" in settings", name);
	return;
    }
    switch (row->type) {
    case SX_SETTING_BOOL:
	(void) sx_cfg_bool(cfg, s, SX_AT(set, row, int));
	return;
    case SX_SETTING_UINT:
	(void) sx_cfg_uint(cfg, s, row->min, row->max,
			   SX_AT(set, row, unsigned));
	return;
    case SX_SETTING_LIST:
	sx_cfg_set_list(cfg, row, s, set);
	return;
    case SX_SETTING_MODE:
	/* libconfig reads 0660 as decimal 660: insist on a string. */
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
	    sx_cfg_error(cfg, s, "\"%s\" must be an octal string such as "
			 "\"0660\"", row->name);
	    return;
	}
	value = config_setting_get_string(s);
	break;
    case SX_SETTING_STRING:
    case SX_SETTING_NAME:
    default:
	if ((value = sx_cfg_string(cfg, s)) == 0)
	    return;
	break;
    }
    switch (sx_cfg_set_text(row, set, value, msg, sizeof(msg))) {
    case 0:
	sx_cfg_error(cfg, s, "%s", msg);
	break;
    case -1:
	cfg->nomem = 1;
	break;
    }
}

/* sx_cfg_settings - read the "settings" group, in file order */

void    sx_cfg_settings(struct sx_cfg *cfg, const config_setting_t *group,
			        struct sx_settings *set)
{
    const config_setting_t *s;
    unsigned i;

    if (group == 0)
	return;
    if (!config_setting_is_group(group)) {
	sx_cfg_error(cfg, group, "\"settings\" must be a group: settings = { ... };");
	return;
    }
    for (i = 0; (s = config_setting_get_elem(group, i)) != 0; i++)
	sx_cfg_set_member(cfg, s, set);
}

/* sx_cfg_settings_init - every default */

void    sx_cfg_settings_init(struct sx_cfg *cfg, struct sx_settings *set)
{
    const struct sx_setting *row;

    for (row = sx_config_settings; row->name; row++) {
	switch (row->type) {
	case SX_SETTING_STRING:
	    if ((*SX_AT(set, row, char *) = strdup(row->def)) == 0)
		cfg->nomem = 1;
	    break;
	case SX_SETTING_LIST:
	    if ((*SX_AT(set, row, char **) = calloc(1, sizeof(char *))) == 0)
		cfg->nomem = 1;
	    break;
	case SX_SETTING_BOOL:
	case SX_SETTING_NAME:
	    *SX_AT(set, row, int) = (int) row->num;
	    break;
	case SX_SETTING_UINT:
	case SX_SETTING_MODE:
	    *SX_AT(set, row, unsigned) = row->num;
	    break;
	}
    }
}

/* sx_cfg_settings_free - free what the fields point to */

void    sx_cfg_settings_free(struct sx_settings *set)
{
    const struct sx_setting *row;

    for (row = sx_config_settings; row->name; row++) {
	if (row->type == SX_SETTING_STRING)
	    free(*SX_AT(set, row, char *));
	else if (row->type == SX_SETTING_LIST)
	    sx_strv_free(*SX_AT(set, row, char **));
    }
}

/* sx_config_setting_check - judge a value given outside the file */

int     sx_config_setting_check(const char *name, const char *value,
				        const char *origin,
				        struct sx_errors *errs)
{
    const struct sx_setting *row = sx_config_setting(name);
    char    msg[SX_ERROR_LEN];

    if (row == 0) {
	sx_errors_add(errs, origin, 0, "unknown setting \"%s\" in settings",
		      name);
	return (SX_ERR_CONFIG);
    }
    if (sx_cfg_set_text(row, 0, value, msg, sizeof(msg)) != 1) {
	sx_errors_add(errs, origin, 0, "%s", msg);
	return (SX_ERR_CONFIG);
    }
    return (SX_OK);
}

/*
 * Writing values back as the file spells them.
 */
struct sx_cfg_set_out {
    char   *buf;
    size_t  size;
    size_t  len;			/* of the whole text, may be >= size */
};

static void sx_cfg_set_put(struct sx_cfg_set_out *out, const char *s)
{
    for (; *s; s++, out->len++)
	if (out->len + 1 < out->size)
	    out->buf[out->len] = *s;
}

static void sx_cfg_set_quote(struct sx_cfg_set_out *out, const char *s)
{
    char    c[2] = "";

    sx_cfg_set_put(out, "\"");
    for (; *s; s++) {
	if (*s == '"' || *s == '\\')
	    sx_cfg_set_put(out, "\\");
	c[0] = *s;
	sx_cfg_set_put(out, c);
    }
    sx_cfg_set_put(out, "\"");
}

/* sx_config_setting_format - a value, as the file would spell it */

int     sx_config_setting_format(const struct sx_settings *set,
				         const struct sx_setting *row,
				         char *buf, size_t size)
{
    struct sx_cfg_set_out out = {buf, size, 0};
    char    num[32];
    const char *const *list;

    switch (row->type) {
    case SX_SETTING_STRING:
	sx_cfg_set_quote(&out, *SX_CAT(set, row, char *));
	break;
    case SX_SETTING_BOOL:
	sx_cfg_set_put(&out, *SX_CAT(set, row, int) ? "true" : "false");
	break;
    case SX_SETTING_UINT:
	snprintf(num, sizeof(num), "%u", *SX_CAT(set, row, unsigned));
	sx_cfg_set_put(&out, num);
	break;
    case SX_SETTING_NAME:
	sx_cfg_set_quote(&out, sx_code_name(row->names,
					    *SX_CAT(set, row, int)));
	break;
    case SX_SETTING_MODE:
	snprintf(num, sizeof(num), "%04o", *SX_CAT(set, row, unsigned));
	sx_cfg_set_quote(&out, num);
	break;
    case SX_SETTING_LIST:
	sx_cfg_set_put(&out, "[");
	for (list = *SX_CAT(set, row, char **); list && *list; list++) {
	    sx_cfg_set_quote(&out, *list);
	    if (list[1])
		sx_cfg_set_put(&out, ", ");
	}
	sx_cfg_set_put(&out, "]");
	break;
    }
    if (size > 0)
	buf[out.len < size ? out.len : size - 1] = 0;
    return ((int) out.len);
}
