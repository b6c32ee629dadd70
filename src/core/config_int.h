/*
 * NAME
 *	config_int 3h
 * SUMMARY
 *	what the parts of the config module share (private)
 * DESCRIPTION
 *	The config module is split in files by section; only they include
 *	<libconfig.h>.
 *
 *	sx_cfg_registry_group() adds the entries of a "registry" group
 *	setting to reg (not sealed), reporting each error with file and
 *	line in errs. Nothing is added when any entry is bad.
 */
#ifndef SX_CONFIG_INT_H
#define SX_CONFIG_INT_H

#include <libconfig.h>
#include <smtp-explain/config.h>

extern int sx_cfg_registry_group(struct sx_registry *, const config_setting_t *,
				         const char *, struct sx_errors *);

extern const char sx_registry_data[];

#endif
