/*
 * NAME
 *	match_int 3h
 * SUMMARY
 *	the automaton of match(3h), for the build-time snapshot (private)
 * SYNOPSIS
 *	#include <stdio.h>
 *	#include "match_int.h"
 *
 *	int	sx_match_emit(FILE *fp, const struct sx_match *m,
 *				const char *name);
 *	int	sx_match_same(const struct sx_match *a,
 *				const struct sx_match *b);
 * DESCRIPTION
 *	What an automaton is made of, shared by match.c and the C file
 *	that the snapshot generator writes (snapshot(3h)): nothing else
 *	reads these members.
 *
 *	sx_match_emit() writes m as C: static const arrays and a static
 *	const struct sx_match called name, which a generated file then
 *	points at. Such an automaton is never freed (it is not malloc()ed:
 *	whoever holds it knows).
 *
 *	sx_match_same() tells whether two automata are the same, member
 *	by member and array by array (1) or not (0).
 * DIAGNOSTICS
 *	sx_match_emit() returns 0, or -1 when fp reports a write error.
 */
#ifndef SX_MATCH_INT_H
#define SX_MATCH_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "match.h"

#define SX_MATCH_NONE INT32_MAX

struct sx_match {
    unsigned char cls[256];	/* byte -> alphabet class; 0 = other */
    unsigned nclass;
    uint16_t *delta;		/* nstates * nclass transitions */
    int32_t *out;		/* lowest pattern index ending here */
    long   *term;		/* a pattern ending exactly here, or -1 */
    long   *same;		/* next pattern equal to pattern i, or -1 */
    uint16_t *dict;		/* nearest suffix state with a term, or 0 */
    uint16_t *plen;		/* length of pattern i */
    unsigned char *pair;	/* bit (a << 8 | b): a pattern starts "ab" */
    uint16_t *depth;		/* length of the state's path in the trie */
    unsigned char *shift;	/* skip table of sx_match_first(), or NULL */
    size_t  minlen;		/* shortest pattern */
    size_t  maxlen;		/* longest pattern */
    size_t  nstates;
    size_t  npat;
};

/* Sizes of the tables that do not depend on the patterns. */
#define SX_MATCH_PAIR_SIZE	(65536 / 8)
#define SX_MATCH_SHIFT_SIZE	4096

extern int sx_match_emit(FILE *, const struct sx_match *, const char *);
extern int sx_match_same(const struct sx_match *, const struct sx_match *);

#endif
