/*
 * NAME
 *	config_parse 3h
 * SUMMARY
 *	libconfig helpers common to the config*.c files (private)
 * SYNOPSIS
 *	#include "config_parse.h"
 *
 *	void	sx_cfg_error(struct sx_cfg *cfg, const config_setting_t *s,
 *				const char *fmt, ...);
 *	const char *sx_cfg_where(const struct sx_cfg *cfg,
 *				const config_setting_t *s, char *buf,
 *				size_t size);
 *	int	sx_cfg_keys(struct sx_cfg *cfg, const config_setting_t *group,
 *				const char *what, const char *const *known);
 *	const char *sx_cfg_string(struct sx_cfg *cfg,
 *				const config_setting_t *s);
 *	int	sx_cfg_bool(struct sx_cfg *cfg, const config_setting_t *s,
 *				int *out);
 *	int	sx_cfg_uint(struct sx_cfg *cfg, const config_setting_t *s,
 *				unsigned min, unsigned max, unsigned *out);
 *	int	sx_cfg_range(const char *name, long long value, unsigned min,
 *				unsigned max, unsigned *out, char *msg,
 *				size_t size);
 *	int	sx_cfg_clean(const char *s);
 *	char  **sx_cfg_strings(struct sx_cfg *cfg, const config_setting_t *s,
 *				int (*check)(const char *), const char *want);
 *	char  **sx_cfg_string_list(struct sx_cfg *cfg,
 *				const config_setting_t *s, const char *name,
 *				int empty_ok, sx_cfg_judge *judge,
 *				const void *ctx);
 *
 *	int	sx_cfg_policy(struct sx_cfg *cfg, const config_setting_t *group,
 *				const struct sx_settings *set,
 *				struct sx_policy **out);
 *
 *	void	sx_cfg_settings_init(struct sx_cfg *cfg,
 *				struct sx_settings *set);
 *	void	sx_cfg_settings(struct sx_cfg *cfg,
 *				const config_setting_t *group,
 *				struct sx_settings *set);
 *	void	sx_cfg_settings_free(struct sx_settings *set);
 * DESCRIPTION
 *	struct sx_cfg is what one load shares: the name for messages and
 *	the error list. sx_cfg_error() reports "file:line: message" for the
 *	setting s (the file of an @include when s came from one, with the
 *	directory it was found in). sx_cfg_where() writes that file name
 *	into buf and returns buf.
 *
 *	sx_cfg_keys() reports every child of group whose name is not in
 *	known (NULL-terminated) and returns how many there were.
 *
 *	The getters report a setting of the wrong type or range, and
 *	return NULL or 0 then. sx_cfg_string() refuses control characters.
 *	sx_cfg_strings() takes a string or a list/array of strings and
 *	returns a new NULL-terminated copy; check (optional) validates each
 *	one, want describes a good value for the message. Both are made
 *	by sx_cfg_string_list(), whose judge decides each value and writes
 *	the complaint; an empty list is an error unless empty_ok.
 *
 *	sx_cfg_policy() reads the "policy" group into a new policy (NULL
 *	group: the default, annotate everything), returning SX_OK, or
 *	SX_ERR_CONFIG with the errors reported (*out is then NULL), or
 *	SX_ERR_NOMEM.
 *
 *	The sx_cfg_settings*() functions are the "settings" group
 *	(config_settings.c): defaults, reading, freeing.
 */
#ifndef SX_CONFIG_PARSE_H
#define SX_CONFIG_PARSE_H

#include <libconfig.h>
#include <smtp-explain/config.h>
#include <smtp-explain/policy.h>

struct sx_cfg {
    const char *file;			/* name for messages */
    const char *dir;			/* of file, for @include; or NULL */
    struct sx_errors *errs;
    int     nomem;			/* an allocation failed */
};

extern void sx_cfg_error(struct sx_cfg *, const config_setting_t *,
			         const char *,...)
	__attribute__((format(printf, 3, 4)));
extern const char *sx_cfg_where(const struct sx_cfg *,
			               const config_setting_t *, char *, size_t);
extern int sx_cfg_keys(struct sx_cfg *, const config_setting_t *,
		               const char *, const char *const *);
extern const char *sx_cfg_string(struct sx_cfg *, const config_setting_t *);
extern int sx_cfg_bool(struct sx_cfg *, const config_setting_t *, int *);
extern int sx_cfg_uint(struct sx_cfg *, const config_setting_t *,
		               unsigned, unsigned, unsigned *);
extern int sx_cfg_range(const char *, long long, unsigned, unsigned,
		                unsigned *, char *, size_t);
extern int sx_cfg_clean(const char *);
extern char **sx_cfg_strings(struct sx_cfg *, const config_setting_t *,
			             int (*) (const char *), const char *);
typedef int sx_cfg_judge (const void *, const char *, char *, size_t);
extern char **sx_cfg_string_list(struct sx_cfg *, const config_setting_t *,
				         const char *, int, sx_cfg_judge *,
				         const void *);

extern int sx_cfg_policy(struct sx_cfg *, const config_setting_t *,
			         const struct sx_settings *, struct sx_policy **);

extern void sx_cfg_settings_init(struct sx_cfg *, struct sx_settings *);
extern void sx_cfg_settings(struct sx_cfg *, const config_setting_t *,
			            struct sx_settings *);
extern void sx_cfg_settings_free(struct sx_settings *);

#endif
