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
 *	const char *sx_registry_wording_check(enum sx_entry_table tab,
 *				const struct sx_entry *e);
 *
 *	extern const struct sx_reason sx_reasons[];
 *
 *	int	sx_registry_emit(FILE *fp, const struct sx_registry *reg,
 *				const char *name);
 *	struct sx_registry *sx_registry_image(const struct sx_registry *img);
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
 *
 *	The tables of SX_IN_WORDING_ONLY (the block's words) have text
 *	records and no entries: no facts, no index, and their records are
 *	no entry's wording, so they are not counted as unused.
 *	sx_registry_wording_check() tells whether a text record's wording
 *	can be used as it is (NULL) or why not: the block's words must have
 *	the placeholder of their name (sx_word_check(), registry(3h)); other
 *	wording is never filled in and may have any '%'.
 *
 *	sx_reasons[] is the reason taxonomy: each row's name is the string
 *	that entries point at (see registry(3h)), and what the explanation
 *	rules know of it.
 *
 *	The structures of a registry are described here for the snapshot
 *	of the built-in registry (snapshot(3h)): sx_registry_emit() writes
 *	a sealed registry as C, static const arrays and a static const
 *	struct sx_registry called name (its "borrowed" flag set), and
 *	sx_registry_image() returns a registry that reads such an image in
 *	place: sx_registry_free() then frees what sx_registry_image()
 *	allocated and nothing of the image. Only registry.c reads and
 *	writes the members; the generated file initialises them.
 * DIAGNOSTICS
 *	sx_registry_emit() returns 0, or -1 when fp reports a write error.
 *	sx_registry_image() returns NULL when out of memory.
 */
#ifndef SX_REGISTRY_INT_H
#define SX_REGISTRY_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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
/* Tables of wording alone: text records, no entries (no facts). */
#define SX_IN_WORDING_ONLY	SX_IN(SX_TABLE_BLOCK)

/* Flags of a field. */
#define SX_FIELD_KEY	0x01	/* part of the key in the tables it is in */
#define SX_FIELD_SET	0x02	/* enum: the zero value cannot be written */

struct sx_field {
    const char *key;		/* as written in a registry file */
    enum sx_field_type type;
    size_t  offset;		/* in struct sx_entry */
    const char *member;		/* its name there (the snapshot writes it) */
    unsigned tables;		/* SX_IN() of the tables that may have it */
    unsigned required;		/* SX_IN() of the tables that must */
    unsigned flags;		/* SX_FIELD_KEY, SX_FIELD_SET */
    const struct sx_name_code *names;	/* SX_FIELD_ENUM: its values */
};

extern const struct sx_field sx_entry_fields[];

extern int sx_entry_key_cmp(enum sx_entry_table, const struct sx_entry *,
			            const struct sx_entry *);
extern const char *sx_registry_wording_check(enum sx_entry_table,
				              const struct sx_entry *);

/* The field a row describes, in an entry. */
#define SX_FIELD_STRP(e, f)	((const char **) ((char *) (e) + (f)->offset))
#define SX_FIELD_INTP(e, f)	((int *) ((char *) (e) + (f)->offset))

/* The reason taxonomy (registry.c), ended by an empty name. */
#define SX_REASON_NAME_MAX 20

struct sx_reason {
    char    name[SX_REASON_NAME_MAX];	/* what entries point at */
    unsigned attrs;			/* SX_REASON_* of registry.h */
};

extern const struct sx_reason sx_reasons[];

/* A vendor code range, parsed once at seal. */
struct sx_range {
    unsigned cls, subj, lo, hi;
    size_t  index;		/* in the vendor table */
    unsigned seq;		/* load order */
};

struct sx_table {
    struct sx_entry *v;		/* entries, owned */
    unsigned *seq;		/* load order, parallel to v */
    size_t *runs;		/* sealed: end of the run of v[i]'s code */
    uint32_t *hash;		/* sealed: code -> first index + 1, or 0 */
    size_t  hcap;		/* slots in hash, a power of two */
    size_t  len;
    size_t  cap;
};

struct sx_match;

struct sx_registry {
    struct sx_table t[SX_TABLES];	/* facts */
    struct sx_table texts[SX_TABLES];	/* wording by key (none for reasons) */
    int     sealed;
    int     borrowed;			/* tables are an image's: not freed */
    size_t  unused_texts;		/* sealed: text records of no entry */
    const struct sx_entry *basic_idx[1000];
    struct sx_match *patterns;		/* reason then vendor patterns */
    struct sx_range *ranges;		/* vendor entries with a code range */
    size_t  nranges;
    unsigned seq;
};

extern int sx_registry_emit(FILE *, const struct sx_registry *, const char *);
extern struct sx_registry *sx_registry_image(const struct sx_registry *);

#endif
