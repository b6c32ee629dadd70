/*
 * NAME
 *	named 3h
 * SUMMARY
 *	where each of many addresses is named in a text (private)
 * SYNOPSIS
 *	#include "named.h"
 *
 *	struct sx_named *sx_named_new(const char *text, size_t len,
 *				size_t text_len, const char *const *addr,
 *				size_t n);
 *	long	sx_named_first(const struct sx_named *nx, size_t i);
 *	const struct sx_occ *sx_named_occ(const struct sx_named *nx,
 *				long k);
 *	size_t	sx_named_count(const struct sx_named *nx);
 *	void	sx_named_free(struct sx_named *nx);
 * DESCRIPTION
 *	A report names its recipients in its text, often more than once:
 *	in a list, in a transcript, beside the reply. Looking for each
 *	recipient in turn costs the text's length per recipient; this
 *	index finds every address at once, with one pass of an automaton
 *	over all of them (match.c), so the cost is linear in the text.
 *
 *	sx_named_new() indexes the occurrences of the n addresses (ASCII
 *	case ignored; equal addresses share their occurrences) that lie
 *	wholly in [text, text + len); text_len >= len is where line ends are
 *	looked for. Each occurrence gives where it starts, its line (bol,
 *	eol: offsets into text) and the line's number among the lines that
 *	hold an occurrence (for per-line memos).
 *
 *	sx_named_first() is the first occurrence of address i (in text
 *	order) or -1; sx_named_occ(nx, k)->next is the one after it, or -1.
 *	sx_named_count() is how many occurrences were kept in all; they
 *	are numbered 0.. in the order in which they end in the text, which
 *	is also the order of their lines.
 *
 *	Bounds, so that hostile reports cost linear time and bounded
 *	memory: at most SX_NAMED_PER occurrences of one address are kept,
 *	addresses beyond SX_NAMED_CHARS bytes in all are not indexed (they
 *	are then never found), and the pass stops after 4 occurrences per
 *	byte of text have been seen.
 * DIAGNOSTICS
 *	sx_named_new() returns NULL when out of memory.
 */
#ifndef SX_NAMED_H
#define SX_NAMED_H

#include <stddef.h>
#include <stdint.h>

#define SX_NAMED_PER	32		/* occurrences kept per address */
#define SX_NAMED_CHARS	16384		/* bytes of addresses indexed */

struct sx_occ {
    uint32_t start;			/* offset of the address */
    uint32_t bol;			/* its line: [bol, eol) */
    uint32_t eol;
    uint32_t line;			/* number of the line */
    int32_t addr;			/* index of the (first equal) address */
    int32_t next;			/* next occurrence of it, or -1 */
};

struct sx_named;

extern struct sx_named *sx_named_new(const char *, size_t, size_t,
				             const char *const *, size_t);
extern long sx_named_first(const struct sx_named *, size_t);
extern const struct sx_occ *sx_named_occ(const struct sx_named *, long);
extern size_t sx_named_count(const struct sx_named *);
extern size_t sx_named_lines(const struct sx_named *);
extern void sx_named_free(struct sx_named *);

#endif
