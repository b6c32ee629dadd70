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
 *	from the data compiled into the library (etc/registry.conf).
 *	sx_config_registry_with() does the same and then adds the entries
 *	of the registry file path (when not NULL) before sealing.
 *
 *	Every problem is reported as "file:line: message" in errs, and the
 *	loader goes on to report them all; unknown keys are errors. On any
 *	error nothing is returned (NULL) or added (registry).
 * DIAGNOSTICS
 *	sx_config_load() returns NULL with errs filled (errs->count > 0) on
 *	any error. The registry loaders return SX_OK, SX_ERR_IO,
 *	SX_ERR_CONFIG or SX_ERR_NOMEM.
 */
#ifndef SMTP_EXPLAIN_CONFIG_H
#define SMTP_EXPLAIN_CONFIG_H

#include <stddef.h>
#include <smtp-explain/registry.h>
#include <smtp-explain/status.h>

#define SX_ERRORS_MAX 32
#define SX_ERROR_LEN 512

struct sx_errors {
    size_t  count;		/* errors seen, may exceed SX_ERRORS_MAX */
    char    msg[SX_ERRORS_MAX][SX_ERROR_LEN];
};

struct sx_policy;		/* see policy.h */

/* The daemon's settings; every field has a documented default. */
struct sx_settings {
    char   *socket;		/* "unix:/run/smtp-explain/milter.sock" */
    char   *user;		/* "" = do not change user */
    char   *pidfile;		/* "" = none */
    unsigned socket_mode;	/* 0660 */
    char   *socket_group;	/* "" = primary group of user */
    char   *syslog_facility;	/* "mail" */
    char   *authserv_id;	/* "" = the host name */
    int     on_error;		/* what to do on internal doubt: 0 accept, 1 tempfail */
    unsigned max_headers;	/* X-SMTP-Explain headers per message, 20 */
    int     strip_foreign;	/* remove incoming X-SMTP-Explain headers, 1 */
    int     header_text;	/* include meaning and advice, 1 */
    int     header_diag;	/* include the remote diagnostic, 1 */
    unsigned diag_max;		/* bytes of remote diagnostic kept, 200 */
    int     annotate_session_rejects; /* opt-in: list rejected rcpts, 0 */
    char  **local_domains;	/* NULL-terminated domain globs */
    char   *stats_file;		/* "" = no metrics file */
    unsigned stats_interval;	/* seconds between metric writes, 60 */
    unsigned analysis_bytes;	/* bytes of a message read, 0 = no limit */
    unsigned analysis_work;	/* units of work per message, 0 = no limit */
};

struct sx_config {
    int     refcount;		/* managed by sx_config_ref/unref */
    char   *path;		/* file it was read from, or "(default)" */
    struct sx_settings settings;
    struct sx_policy *policy;
    struct sx_registry *registry;	/* sealed */
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

#endif
