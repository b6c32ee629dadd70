/*
 * NAME
 *	phrases 3h
 * SUMMARY
 *	phrase rows: the words that open a known MTA's list of recipients
 * DESCRIPTION
 *	A row names its sending system, its words (lower case) and the
 *	layout that follows them (phrases.c says how each layout is read).
 *	Rows live with their family, one file per MTA or vendor (exim.c,
 *	microsoft.c, ...), as an array ended by SX_ROWS_END; phrases.c
 *	lists the families and compiles every row into one automaton.
 *	There is no limit on the number of rows.
 */
#ifndef SX_PHRASES_H
#define SX_PHRASES_H

#define SX_LIST		0	/* recipients on lines of their own, each with its reply */
#define SX_SENTENCE	1	/* the recipient inside the phrase's sentence */
#define SX_COMMON	2	/* one reply, written before the list, after reason */
#define SX_CAUSE	3	/* the cause first, then the addresses it applies to */
#define SX_RECORD	4	/* one line per recipient: address after reason, reply */
#define SX_ALONE	5	/* a reply that names no address */
#define SX_LEAD		6	/* as SX_LIST; the phrase's line applies to all */

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
    const char *reason;			/* SX_COMMON, SX_RECORD: see above */
};

#define SX_ROWS_END {.engine = 0}

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
