/*
 * NAME
 *	registry_int 3h
 * SUMMARY
 *	the fields of a registry entry, described once (private)
 * SYNOPSIS
 *	#include "registry_int.h"
 *
 *	extern const struct sx_field sx_entry_fields[];
 *
 *	int	sx_entry_key_cmp(enum sx_entry_table tab,
 *				const struct sx_entry *a,
 *				const struct sx_entry *b);
 * DESCRIPTION
 *	Every field of struct sx_entry that a registry file can set is one
 *	row of sx_entry_fields[] (ended by a row whose key is NULL): its
 *	key in the file, its type, where it lives in the struct, the tables
 *	whose entries may have it and those whose entries must. The loader
 *	(config_registry.c) reads entries by walking the rows, and the
 *	registry (registry.c) copies, frees and keys entries by walking
 *	them, so a new field is one row here plus its member in struct
 *	sx_entry.
 *
 *	A field of type SX_FIELD_TEXT is wording: it is kept in the table
 *	of texts under the entry's key, not with the facts (see
 *	registry(3h)). A required wording field is required of every text
 *	record and of an entry that has wording of its own; an entry
 *	without wording needs a text record for its key.
 *
 *	sx_entry_key_cmp() orders two entries of one table by their key
 *	fields (SX_FIELD_KEY rows, in row order); 0 means the same key.
 */
#ifndef SX_REGISTRY_INT_H
#define SX_REGISTRY_INT_H

#include <stddef.h>
#include <smtp-explain/names.h>
#include <smtp-explain/registry.h>

enum sx_field_type {
    SX_FIELD_STR,		/* a string, copied as it is */
    SX_FIELD_TEXT,		/* wording, made safe for headers at load */
    SX_FIELD_PATTERN,		/* a text fragment, kept in lower case */
    SX_FIELD_PATTERNS,		/* a list of fragments: one entry each */
    SX_FIELD_REASON,		/* a name of the reason taxonomy */
    SX_FIELD_ENUM,		/* a name of the row's names table */
    SX_FIELD_HOSTS,		/* a list of host globs */
};

#define SX_IN(tab)	(1u << (tab))
#define SX_IN_CODES	(SX_IN(SX_TABLE_BASIC) | SX_IN(SX_TABLE_ENHANCED) \
			 | SX_IN(SX_TABLE_VENDOR) | SX_IN(SX_TABLE_FALLBACK))

/* Flags of a field. */
#define SX_FIELD_KEY	0x01	/* part of the key in the tables it is in */
#define SX_FIELD_SET	0x02	/* enum: the zero value cannot be written */

struct sx_field {
    const char *key;		/* as written in a registry file */
    enum sx_field_type type;
    size_t  offset;		/* in struct sx_entry */
    unsigned tables;		/* SX_IN() of the tables that may have it */
    unsigned required;		/* SX_IN() of the tables that must */
    unsigned flags;		/* SX_FIELD_KEY, SX_FIELD_SET */
    const struct sx_name_code *names;	/* SX_FIELD_ENUM: its values */
};

extern const struct sx_field sx_entry_fields[];

extern int sx_entry_key_cmp(enum sx_entry_table, const struct sx_entry *,
			            const struct sx_entry *);

/* The field a row describes, in an entry. */
#define SX_FIELD_STRP(e, f)	((const char **) ((char *) (e) + (f)->offset))
#define SX_FIELD_INTP(e, f)	((int *) ((char *) (e) + (f)->offset))

#endif
