/*
 * NAME
 *	names 3h
 * SUMMARY
 *	one mapping between the names and the codes of every enum
 * SYNOPSIS
 *	#include <smtp-explain/names.h>
 *
 *	struct sx_name_code { const char *name; int code; };
 *
 *	int	sx_name_code(const struct sx_name_code *table,
 *				const char *name, size_t len, int *code);
 *	const char *sx_code_name(const struct sx_name_code *table,
 *				int code);
 *	size_t	sx_names_list(const struct sx_name_code *table,
 *				char *buf, size_t size);
 * DESCRIPTION
 *	Every enum that is read from or written to text (finding kinds,
 *	actions, classes, who acts, retry advice, settings with a fixed set
 *	of values, policy actions, ...) is described once, as a table of
 *	{name, code} rows ended by a row whose name is NULL. Reading,
 *	writing and the list shown in error messages all come from it, so
 *	no list of names is written twice.
 *
 *	sx_name_code() looks up the first len bytes of name, ignoring ASCII
 *	case; it returns 1 and sets *code when found, else 0.
 *
 *	sx_code_name() is the first name of a code, or "" when no row has
 *	it. Several rows may share a code (aliases): the first is the one
 *	written.
 *
 *	sx_names_list() writes the names as "a", "b" or "c" into buf (for
 *	"must be one of ..." messages) and returns the length.
 */
#ifndef SMTP_EXPLAIN_NAMES_H
#define SMTP_EXPLAIN_NAMES_H

#include <stddef.h>

struct sx_name_code {
    const char *name;
    int     code;
};

extern int sx_name_code(const struct sx_name_code *, const char *, size_t, int *);
extern const char *sx_code_name(const struct sx_name_code *, int);
extern size_t sx_names_list(const struct sx_name_code *, char *, size_t);

#endif
