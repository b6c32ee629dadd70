/*
 * NAME
 *	gen 3h
 * SUMMARY
 *	hostile bounces that make a naive reader slow (test support)
 * SYNOPSIS
 *	#include "gen.h"
 *
 *	int	sxh_count(void);
 *	const char *sxh_name(int cls);
 *	const char *sxh_what(int cls);
 *	int	sxh_find(const char *name);
 *	char	*sxh_make(int cls, size_t bytes, size_t *len);
 *	char	*sxh_control(int cls, size_t bytes, size_t *len);
 *	char	*sxh_reference(size_t bytes, size_t *len);
 * DESCRIPTION
 *	Each class is one way a message of well under a megabyte can make
 *	the reader do work that grows faster than its size: a scan that
 *	restarts for every finding, every line or every occurrence of a
 *	phrase, or an expensive set-up for every MIME part. The messages
 *	look like the bounces they imitate, so the reader takes the slow
 *	path a real one would; docs/performance.md ("Hostile inputs") names
 *	the loop each class drives.
 *
 *	Classes are numbered 0 .. sxh_count() - 1. sxh_name() is a short
 *	stable name (for files, command lines and test output),
 *	sxh_what() one line about it; both are static strings. sxh_find()
 *	maps a name back to its number, or -1.
 *
 *	sxh_make() writes the message of class cls in about bytes bytes
 *	(within one repeated unit of it; at least a few hundred bytes
 *	whatever is asked), NUL-terminated, its length in *len. The
 *	output depends on cls and bytes only: the same call gives the same
 *	bytes on every machine. The caller frees the result with free().
 *
 *	Most classes cost a power of the size (a scan per line over all
 *	lines). A few cost a large factor instead, because a limit of the
 *	reader caps one side of the product (a thousand lines, two
 *	hundred addresses, a 64 KB chunk) or because the cost is a set-up
 *	per part: comparing sizes cannot show those. sxh_control() writes
 *	the same message with its hostile part made harmless (same size
 *	and layout, same recipients) for such a class, to compare with at
 *	the same size; it returns NULL for the other classes.
 *
 *	sxh_reference() writes no class: an ordinary Postfix report of
 *	about bytes bytes (each recipient with its reply in the text and
 *	in the delivery-status part), what a message of that size should
 *	cost.
 * DIAGNOSTICS
 *	sxh_make() and sxh_control() return NULL for an unknown class; they
 *	abort when memory
 *	runs out (test code).
 */
#ifndef SXH_GEN_H
#define SXH_GEN_H

#include <stddef.h>

/*
 * A growing buffer for writing messages (test code: it aborts when
 * memory runs out). Zeroed, it is empty; the owner frees p.
 */
struct sxh_buf {
    char   *p;
    size_t  len;
    size_t  cap;
};

extern void sxh_add(struct sxh_buf *, const char *, size_t);
extern void sxh_puts(struct sxh_buf *, const char *);
extern void sxh_printf(struct sxh_buf *, const char *,...)
	__attribute__((format(printf, 2, 3)));
extern void sxh_repeat(struct sxh_buf *, char, size_t);

extern int sxh_count(void);
extern const char *sxh_name(int);
extern const char *sxh_what(int);
extern int sxh_find(const char *);
extern char *sxh_make(int, size_t, size_t *);
extern char *sxh_control(int, size_t, size_t *);
extern char *sxh_reference(size_t, size_t *);

#endif
