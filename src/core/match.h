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
 *	void	sx_match_free(struct sx_match *m);
 * DESCRIPTION
 *	An Aho-Corasick automaton over n patterns, matched ignoring ASCII
 *	case, built over two lists one after the other: the first split
 *	patterns, ordered by priority, then the rest. sx_match_scan() reads
 *	text once: *first is the lowest index below split that occurs in
 *	it, or -1, and, when bits is not null, bit i - split of the
 *	caller's bitmap (cleared by the caller) is set for every later
 *	pattern i found.
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

extern struct sx_match *sx_match_new(const char *const *, size_t);
extern void sx_match_scan(const struct sx_match *, const char *, size_t, size_t,
			          long *, unsigned char *);
extern void sx_match_free(struct sx_match *);

#endif
