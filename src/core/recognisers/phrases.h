/*
 * NAME
 *	phrases 3h
 * SUMMARY
 *	phrase rows: the words that open a known MTA's list of recipients
 * DESCRIPTION
 *	A row names its sending system, its words (lower case) and the
 *	layout around them. Rows live with their family, one file per MTA
 *	or vendor (exim.c, microsoft.c, ...), as an array of SX_ROW() or
 *	designated initialisers ended by SX_ROWS_END; phrases.c lists the
 *	families, and the build compiles the rows, one automaton per tier
 *	(snapshot.h). There is no limit on the number of rows.
 *
 *	The layout decides the tier, that is which recogniser of table.c
 *	reads the row, and so when it is tried:
 *
 *	SX_TIER_EXACT (notice.c, before the list phrases): the address
 *		between the row's words and its "after" words, the reply
 *		under the row's labels (SX_AROUND); or nothing but bare
 *		addresses after the words (SX_BARE).
 *	SX_TIER_LIST (phrases.c): SX_LIST ... SX_LEAD below.
 *	SX_TIER_WORDS (sentences.c, after the list phrases): one line per
 *		recipient in the server's own words, which are the reply
 *		(SX_WORDS_AFTER: "label: a@b"; SX_WORDS_BEFORE: "... a@b
 *		words").
 */
#ifndef SX_PHRASES_H
#define SX_PHRASES_H

#include <stddef.h>
#include <stdio.h>

#include "scan.h"

#define SX_LIST		0	/* recipients on lines of their own, each with its reply */
#define SX_SENTENCE	1	/* the recipient inside the phrase's sentence */
#define SX_COMMON	2	/* one reply, written before the list, after reason */
#define SX_CAUSE	3	/* the cause first, then the addresses it applies to */
#define SX_RECORD	4	/* one line per recipient: address after reason, reply */
#define SX_ALONE	5	/* a reply that names no address */
#define SX_LEAD		6	/* as SX_LIST; the phrase's line applies to all */
#define SX_AROUND	7	/* the address between start and after; reply under labels */
#define SX_BARE		8	/* bare addresses alone after the phrase, nothing else */
#define SX_WORDS_AFTER	9	/* the words, then the address: the line is the reply */
#define SX_WORDS_BEFORE	10	/* the address, then the words, on one line */

/* Or-ed into SX_AROUND: a label's reply is the rest of its line only. */
#define SX_LABEL_LINE	0x200

/*
 * Or-ed into a layout: the phrase says delivery is only delayed (a
 * warning; the sender goes on trying), so its findings are reported
 * with action delayed, whatever the class of the reply they quote.
 */
#define SX_DELAYED	0x100
#define SX_LAYOUT(how)	((how) & 0xff)

struct sx_marked {
    const char *engine;			/* the sending system, as reported */
    const char *start;			/* lower case */
    int     how;			/* SX_LIST ..., maybe | SX_DELAYED */
    const char *reason;			/* SX_COMMON, SX_RECORD: see above;
					 * SX_AROUND: the words right after
					 * the address */
    const char *labels[2];		/* SX_AROUND: where the reply is */
};

#define SX_ROW(e, s, h, r) {.engine = (e), .start = (s), .how = (h), .reason = (r)}
#define SX_ROWS_END {.engine = 0}

/*
 * A tier: its rows in family order, its distinct words (needles[k]),
 * the first row of each word, and the automaton over them. The tiers
 * are compiled at build time (snapshot.h) into sx_phrase_tiers[];
 * sx_tiers_build() compiles them at run time (the generator and the
 * tests), sx_tiers_emit() writes them as C, for the generated file.
 */
#define SX_TIER_EXACT	0
#define SX_TIER_LIST	1
#define SX_TIER_WORDS	2
#define SX_TIERS	3

struct sx_tier {
    const struct sx_marked **rows;
    size_t  n;
    const char **needles;		/* distinct words of the rows */
    size_t  nneedles;
    const struct sx_marked **first;	/* needle k's first row */
    struct sx_phrases set;
};

extern const struct sx_tier sx_phrase_tiers[SX_TIERS];
extern const struct sx_tier *sx_phrase_tier(int);
extern int sx_tiers_build(struct sx_tier *);
extern void sx_tiers_free(struct sx_tier *);
extern int sx_tiers_emit(FILE *, const struct sx_tier *);

/* The families (one file each in this folder). */
extern const struct sx_marked sx_rows_qmail[];
extern const struct sx_marked sx_rows_postfix[];
extern const struct sx_marked sx_rows_exim[];
extern const struct sx_marked sx_rows_gateways[];
extern const struct sx_marked sx_rows_sendmail[];
extern const struct sx_marked sx_rows_zoho[];
extern const struct sx_marked sx_rows_google[];
extern const struct sx_marked sx_rows_microsoft[];
extern const struct sx_marked sx_rows_courier[];
extern const struct sx_marked sx_rows_opensmtpd[];
extern const struct sx_marked sx_rows_dma[];
extern const struct sx_marked sx_rows_filters[];
extern const struct sx_marked sx_rows_oracle[];
extern const struct sx_marked sx_rows_mobile[];
extern const struct sx_marked sx_rows_imail[];
extern const struct sx_marked sx_rows_domino[];
extern const struct sx_marked sx_rows_yahoo[];
extern const struct sx_marked sx_rows_kerio[];
extern const struct sx_marked sx_rows_x400[];

#endif
