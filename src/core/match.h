/*
 * NAME
 *	match 3h
 * SUMMARY
 *	many-pattern substring search (private)
 * SYNOPSIS
 *	#include "match.h"
 *
 *	struct sx_match *sx_match_new(const char *const *patterns, size_t n);
 *	void	sx_match_scan(const struct sx_match *m, const char *text,
 *				size_t len, size_t split, long *first,
 *				unsigned char *bits);
 *	const char *sx_match_first(const struct sx_match *m,
 *				const char *text, size_t len, size_t *which);
 *	size_t	sx_match_each(const struct sx_match *m, const char *text,
 *				size_t len, size_t max_visits,
 *				sx_match_fn *fn, void *ctx);
 *	size_t	sx_match_count(const struct sx_match *m);
 *	void	sx_match_free(struct sx_match *m);
 * DESCRIPTION
 *	An Aho-Corasick automaton over n patterns, matched ignoring ASCII
 *	case, built over two lists one after the other: the first split
 *	patterns, ordered by priority, then the rest. sx_match_scan() reads
 *	text once: *first is the lowest index below split that occurs in
 *	it, or -1, and, when bits is not null, bit i - split of the
 *	caller's bitmap (cleared by the caller) is set for every later
 *	pattern i found.
 *
 *	sx_match_first() is the leftmost occurrence of any pattern: a
 *	pointer to where it starts, or NULL; *which (when not null) is the
 *	pattern's index, the lowest of those that start there.
 *
 *	sx_match_each() calls fn(ctx, pattern, start) for every occurrence,
 *	in the order in which occurrences end, until fn returns non-zero or
 *	max_visits calls were made; it returns how far into text it read
 *	(len when it read it all).
 *
 *	Every scan reads each byte of text once, so its cost is linear in
 *	len plus the occurrences reported (sx_match_first() stops at most
 *	one pattern's length after the first occurrence ends).
 *
 *	The automaton is read-only after construction and may be shared
 *	by threads.
 * DIAGNOSTICS
 *	sx_match_new() returns NULL when out of memory or when the patterns
 *	need more than 65535 states.
 */
#ifndef SX_MATCH_H
#define SX_MATCH_H

#include <stddef.h>

struct sx_match;

typedef int sx_match_fn (void *, size_t, size_t);

extern struct sx_match *sx_match_new(const char *const *, size_t);
extern void sx_match_scan(const struct sx_match *, const char *, size_t, size_t,
			          long *, unsigned char *);
extern const char *sx_match_first(const struct sx_match *, const char *,
				          size_t, size_t *);
extern size_t sx_match_each(const struct sx_match *, const char *, size_t,
			            size_t, sx_match_fn *, void *);
extern size_t sx_match_count(const struct sx_match *);
extern void sx_match_free(struct sx_match *);

#endif
