/*
 * NAME
 *	config 3h
 * SUMMARY
 *	load settings, policy and registry data from libconfig files
 * SYNOPSIS
 *	#include <smtp-explain/config.h>
 *
 *	struct sx_config *sx_config_load(const char *path,
 *				struct sx_errors *errs);
 *	struct sx_config *sx_config_ref(struct sx_config *);
 *	void	sx_config_unref(struct sx_config *);
 *
 *	int	sx_config_registry_file(struct sx_registry *reg,
 *				const char *path, struct sx_errors *errs);
 *	int	sx_config_registry_text(struct sx_registry *reg,
 *				const char *name, const char *text,
 *				struct sx_errors *errs);
 *	struct sx_registry *sx_config_registry_default(struct sx_errors *errs);
 *
 *	extern const struct sx_setting sx_config_settings[];
 *	extern const struct sx_name_code sx_config_facilities[];
 *	extern const struct sx_name_code sx_config_on_error[];
 *	const struct sx_setting *sx_config_setting(const char *name);
 *	int	sx_config_setting_check(const char *name, const char *value,
 *				const char *origin, struct sx_errors *errs);
 *	int	sx_config_setting_format(const struct sx_settings *set,
 *				const struct sx_setting *row, char *buf,
 *				size_t size);
 * DESCRIPTION
 *	The config module is the only one that knows libconfig. It reads a
 *	file (or text, named for messages) and copies what it needs into
 *	the library's own structures, so nothing else depends on libconfig.
 *
 *	sx_config_load() reads a whole smtp-explain.conf: "settings" (the
 *	daemon's knobs), "policy" (rules, see policy(3h)), and "registry"
 *	(entries that extend or override the embedded registry, or
 *	"registry_file" naming a file of them). A NULL path loads the
 *	embedded default configuration. The result is an immutable,
 *	reference-counted snapshot: a daemon swaps it on reload while
 *	messages in progress keep the one they started with.
 *
 *	sx_config_registry_file() and _text() add the "registry" section of
 *	a file to reg (not yet sealed): loaded after the embedded default,
 *	entries with the key of an earlier one replace it.
 *	sx_config_registry_default() returns a new, sealed registry built
 *	from the data compiled into the library (etc/registry.conf; sealed
 *	at build time, and read in place). sx_config_registry_with() does
 *	the same and then adds the entries of the registry file path (when
 *	not NULL) before sealing.
 *
 *	Every problem is reported as "file:line: message" in errs, and the
 *	loader goes on to report them all; unknown keys are errors. On any
 *	error nothing is returned (NULL) or added (registry).
 *
 *	Each setting is one row of sx_config_settings[] (ended by a row
 *	whose name is NULL): its name, type, field, default and check. The
 *	defaults, the parser, the freeing and sx_config_setting_format()
 *	all walk that table, so a new setting is a field of struct
 *	sx_settings, a row, and its documentation. A setting with a fixed
 *	set of values (syslog_facility, on_error) has its values in one
 *	{name, code} table (names(3h)), and the field holds the code: a
 *	program uses that code and keeps no list of its own.
 *
 *	sx_config_setting() finds the row of a name, or NULL.
 *
 *	sx_config_setting_check() judges a value given outside the file (a
 *	command-line option that overrides a setting) exactly as the loader
 *	judges it in the file; value is the text, without quotes. Problems
 *	are reported in errs as "origin: message".
 *
 *	sx_config_setting_format() writes the value of one setting as the
 *	file would spell it ("unix:/x" with its quotes, 20, true, ["a"])
 *	into buf, always NUL-terminated, and returns the length of the
 *	whole text, like snprintf(): it was cut when that is >= size.
 * DIAGNOSTICS
 *	sx_config_load() returns NULL with errs filled (errs->count > 0) on
 *	any error. The registry loaders return SX_OK, SX_ERR_IO,
 *	SX_ERR_CONFIG or SX_ERR_NOMEM. sx_config_setting_check() returns
 *	SX_OK or SX_ERR_CONFIG.
 */
#ifndef SMTP_EXPLAIN_CONFIG_H
#define SMTP_EXPLAIN_CONFIG_H

#include <stddef.h>
#include <smtp-explain/names.h>
#include <smtp-explain/registry.h>
#include <smtp-explain/status.h>

#define SX_ERRORS_MAX 32
#define SX_ERROR_LEN 512

struct sx_errors {
    size_t  count;		/* errors seen, may exceed SX_ERRORS_MAX */
    char    msg[SX_ERRORS_MAX][SX_ERROR_LEN];
};

struct sx_policy;		/* see policy.h */
struct sx_langs;		/* see lang.h */

/*
 * The daemon's settings. Names, defaults and ranges are in the table
 * sx_config_settings[] (config_settings.c), and documented in
 * docs/configuration.md and smtp-explain.conf(5).
 */
struct sx_settings {
    char   *socket;
    char   *user;			/* "" = do not change user */
    char   *pidfile;			/* "" = none */
    unsigned socket_mode;
    char   *socket_group;		/* "" = primary group of user */
    int     syslog_facility;		/* LOG_MAIL, ...: sx_config_facilities */
    char   *log_file;			/* no syslog: "", "stderr" or a path */
    char   *authserv_id;		/* "" = the host name */
    int     on_error;			/* SX_ON_ERROR_*: sx_config_on_error */
    unsigned max_headers;		/* X-SMTP-Explain headers per message */
    int     strip_foreign;		/* remove incoming X-SMTP-Explain(-Result) */
    int     result_header;		/* add X-SMTP-Explain-Result too */
    int     thread_reports;		/* In-Reply-To/References to the original */
    char   *help_url;			/* site help page template, "" = none */
    int     header_text;		/* include meaning and advice */
    int     header_diag;		/* include the remote diagnostic */
    unsigned diag_max;			/* bytes of remote diagnostic kept */
    int     annotate_session_rejects;	/* opt-in: list rejected rcpts */
    int     autoreplies;		/* opt-in: report automatic replies */
    char  **local_domains;		/* NULL-terminated domain globs */
    char   *stats_file;			/* "" = no metrics file */
    unsigned stats_interval;		/* seconds between metric writes */
    unsigned analysis_bytes;		/* bytes of a message read, 0 = all */
    unsigned analysis_work;		/* work per message, 0 = no limit */
    int     explain_body;		/* the block in the report's text */
    unsigned explain_body_max;		/* bytes of a report rewritten */
    int     explain_body_signed;	/* rewrite DKIM-signed reports too */
    char   *explain_lang;		/* the block's language by default */
    char  **explain_lang_map;		/* "ADDRESS=LANG", "DOMAIN=LANG" */
    char   *queue_lifetime;		/* "" = unset; "5d": delay reports
					 * without Will-Retry-Until */
};

/* What the milter does when it cannot do its work. */
enum sx_on_error {
    SX_ON_ERROR_ACCEPT = 0,
    SX_ON_ERROR_TEMPFAIL = 1,
};

/* The type of a setting: how it is written, and the type of its field. */
enum sx_setting_type {
    SX_SETTING_STRING,			/* char *, judged by check */
    SX_SETTING_BOOL,			/* int, 0 or 1 */
    SX_SETTING_UINT,			/* unsigned, min to max */
    SX_SETTING_NAME,			/* int, the code of a name of names */
    SX_SETTING_MODE,			/* unsigned, an octal string "0660" */
    SX_SETTING_LIST,			/* char **, each string judged by check */
};

/* One row of sx_config_settings[]: everything about one setting. */
struct sx_setting {
    const char *name;			/* in the file; NULL ends the table */
    enum sx_setting_type type;
    size_t  offset;			/* of the field in struct sx_settings */
    const char *def;			/* default of a STRING */
    unsigned num;			/* default of BOOL, UINT, NAME, MODE */
    unsigned min;			/* range of a UINT */
    unsigned max;
    const struct sx_name_code *names;	/* the values of a NAME */
    /* STRING, LIST: 1 when value is good, else 0 and why in msg. */
    int     (*check) (const struct sx_setting *, const char *, char *, size_t);
};

struct sx_config {
    int     refcount;		/* managed by sx_config_ref/unref */
    char   *path;		/* file it was read from, or "(default)" */
    struct sx_settings settings;
    struct sx_policy *policy;
    struct sx_registry *registry;	/* sealed */
    struct sx_langs *langs;	/* other languages' wording (explain_body) */
};

extern void sx_errors_add(struct sx_errors *, const char *, int,
			          const char *,...)
	__attribute__((format(printf, 4, 5)));

extern struct sx_config *sx_config_load(const char *, struct sx_errors *);
extern struct sx_config *sx_config_ref(struct sx_config *);
extern void sx_config_unref(struct sx_config *);

extern int sx_config_registry_file(struct sx_registry *, const char *,
				           struct sx_errors *);
extern int sx_config_registry_text(struct sx_registry *, const char *,
				           const char *, struct sx_errors *);
extern struct sx_registry *sx_config_registry_default(struct sx_errors *);
extern struct sx_registry *sx_config_registry_with(const char *,
					              struct sx_errors *);

extern const struct sx_setting sx_config_settings[];
extern const struct sx_name_code sx_config_facilities[];
extern const struct sx_name_code sx_config_on_error[];
extern const struct sx_setting *sx_config_setting(const char *);
extern int sx_config_setting_check(const char *, const char *, const char *,
				           struct sx_errors *);
extern int sx_config_setting_format(const struct sx_settings *,
				            const struct sx_setting *, char *,
				            size_t);

#endif
