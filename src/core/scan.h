/*
 * NAME
 *	scan 3h
 * SUMMARY
 *	what bounce recognisers see and how they report (private)
 * SYNOPSIS
 *	#include "scan.h"
 * DESCRIPTION
 *	When a message ends, the reader hands each recogniser a scan: the
 *	decoded human-readable text (text parts, or the body of a message
 *	without MIME; LF line ends; NUL-terminated), the top-level header
 *	block (unfolded, one "Name: value" per line) and what is known of
 *	the message. Recognisers are tried in the order of their table
 *	(sx_recognisers[], recognisers/table.c, which says why that order);
 *	the first that adds a finding ends the search, and one completion
 *	pass follows (sx_scan_complete).
 *
 *	A recogniser adds findings with sx_scan_add(); it never owns
 *	memory of the reader. Each family lives in its own file,
 *	recognisers/NAME.c, named for what it reads, so a new format is a
 *	file and a table row. Bounces that differ only in their words are
 *	rows of the phrase table in recognisers/phrases.c.
 *
 *	sx_scan_end() is where the bounce's own words end: the reader's
 *	cut, or an earlier "copy of the original follows" line that only
 *	some shapes write.
 *
 *	A struct sx_phrases is a needle list compiled into an automaton
 *	(match.c): the fixed ones at build time (sx_sets[], snapshot.h),
 *	others by sx_phrases_init() (the list must outlive it); sx_phrases_first() finds the earliest of the needles in one
 *	pass, *which set to the needle's index (the lowest of those that
 *	start at the same place). A compiled set is read-only and may be
 *	shared by threads.
 *
 *	sx_scan_blocks_in() reads "address line, then its reply" blocks in
 *	[from, limit); sx_scan_blocks() does so after the line holding
 *	start (up to stop, when given).
 *
 *	sx_scan_inline() takes one finding from a line that names the
 *	recipient after a phrase ("... delivering your mail to <a@b>."),
 *	with the text that follows as its diagnostic.
 *
 *	sx_scan_complete() is the completion pass, after whichever row
 *	found something: for a row with SX_RC_FILL_TEXT, the replies its
 *	findings lack are taken from the text; for findings read from
 *	delivery-status fields, what the fields left out (a reply code only
 *	written in the transcript, the real cause behind an "expired"
 *	status); for every finding, the command its reply answered when a
 *	session transcript shows it.
 *
 *	sx_scan_signs() says how strongly the top-level headers present
 *	the message as a report: SX_SIGN_BOUNCE (null sender, a report
 *	content type, X-Failed-Recipients, a mail-system From such as
 *	MAILER-DAEMON or postmaster, a bounce Subject that is not a reply),
 *	SX_SIGN_AUTO (only automated: Auto-Submitted, a no-reply or bounce
 *	sender, an auto-reply hint) or SX_SIGN_NONE. The recognisers that
 *	guess without a phrase of their own (generic, labelled) need
 *	SX_SIGN_BOUNCE: a newsletter from no-reply@ also lists addresses.
 *
 *	Every helper is linear in the text; what a reading learnt (a list
 *	end, a row that found nothing) is kept in the scan's memo so that
 *	no later step reads the same text again, and every line walk and
 *	search charges the work budget (sx_scan_charge).
 */
#ifndef SX_SCAN_H
#define SX_SCAN_H

#include <stddef.h>
#include <smtp-explain/finding.h>
#include <smtp-explain/reader.h>
#include <smtp-explain/reply.h>

/*
 * What the readers of scan.c and shapes.c learnt about the text, so that
 * no later step reads the same part again (hostile texts repeat their
 * phrases and addresses to make every step start over).
 */
struct sx_scan_memo {
    size_t  work;		/* units spent (about a byte looked at each) */
    size_t  work_max;		/* 0: no limit */
    int     out;		/* work_max was passed: every reading stops */
    const char *list_from, *list_to, *list_limit;	/* sx_list_end() */
    const char *para_at, *para_limit, *para_end;	/* sx_scan_para() */
    const char *diag;		/* sx_scan_finding(): the last diagnostic read */
    size_t  dlen;
    int     veto;		/* SX_VETO_*: sx_scan_add() asks sx_lastresort_keep() */
    int     own_read;		/* own[] below holds nown addresses */
    int     nown;
    /* Below: read only where a field above says they were set. */
#define SX_SCAN_MEMO_CLEAR offsetof(struct sx_scan_memo, rep)
    struct sx_reply rep;	/* the last diagnostic's reply (lists share one) */
#define SX_SCAN_OWN	10		/* the report's own addresses kept */
    char    own[SX_SCAN_OWN][SX_ADDR_MAX];	/* sx_lastresort_keep() */
    char    clean[SX_DIAG_MAX];
};

struct sx_scan {
    const char *text;		/* decoded human text */
    size_t  len;
    const char *headers;	/* top-level headers, unfolded */
    size_t  hlen;
    size_t  cut;		/* where the returned original starts in text */
    const char *end;		/* where the bounce's own words end */
    const struct sx_message *msg;
    struct sx_reader *reader;	/* for sx_scan_add() only */
    int     signs;		/* sx_scan_signs() of the headers */
    int     autoreplies;	/* report automatic replies as findings */
    struct sx_scan_memo *memo;	/* never null during a reading */
};

/*
 * A recogniser: a row of sx_recognisers[] (recognisers/table.c), in the
 * order they are tried. needs says what the message must show first,
 * flags what the completion pass adds for its findings.
 */
#define SX_NEED_REPORT	1		/* some sign of a report (sx_scan_signs) */
#define SX_NEED_BOUNCE	2		/* SX_SIGN_BOUNCE: it says it is a bounce */

#define SX_RC_FILL_TEXT	1		/* replies the fields lack, from the text */

/*
 * What a recogniser's run returns: the number of findings it added, or
 * SX_SCAN_QUIET when it knows the message and has nothing to report (an
 * automatic reply while those are not reported), or SX_SCAN_NONE when it
 * knows the message for one that reports no failure at all (a read
 * receipt): either way the search ends there and no later row may guess.
 */
#define SX_SCAN_QUIET	(-1)
#define SX_SCAN_NONE	(-2)

struct sx_recogniser {
    const char *name;
    int     needs;
    int     flags;
    int     (*run) (const struct sx_scan *);
};

extern const struct sx_recogniser sx_recognisers[];

/* The recognisers (recognisers/NAME.c). */
extern int sx_read_rfc3464(const struct sx_scan *);
extern int sx_read_feedback(const struct sx_scan *);
extern int sx_read_mdn(const struct sx_scan *);
extern int sx_read_amazonses(const struct sx_scan *);
extern int sx_read_embedded(const struct sx_scan *);
extern int sx_read_notice(const struct sx_scan *);
extern int sx_read_phrases(const struct sx_scan *);
extern int sx_read_sentences(const struct sx_scan *);
extern int sx_read_transcript(const struct sx_scan *);
extern int sx_read_xfailed(const struct sx_scan *);
extern int sx_read_autoreply(const struct sx_scan *);
extern int sx_read_generic(const struct sx_scan *);
extern int sx_read_labelled(const struct sx_scan *);
extern int sx_read_lastresort(const struct sx_scan *);
extern int sx_lastresort_keep(const struct sx_scan *, const struct sx_finding *);

#define SX_VETO_OWN	1		/* no address of the report's own */
#define SX_VETO_EVIDENCE 2		/* ... and a code or failure words */
extern int sx_autoreply_hint(const char *, size_t, const char *);
extern int sx_scan_has_field(const char *, size_t, const char *);

#define SX_SIGN_NONE	0
#define SX_SIGN_AUTO	1
#define SX_SIGN_BOUNCE	2

extern int sx_scan_signs(const struct sx_message *, const char *, size_t);
extern int sx_scan_daemon_from(const char *);

/*
 * The work budget: each reading step charges what it looks at; once
 * the budget is spent sx_scan_spent() is true and every loop stops
 * where it is. Findings made so far are kept.
 */
static inline int sx_scan_charge(const struct sx_scan *s, size_t units)
{
    struct sx_scan_memo *mm = s->memo;

    if (mm->out)
	return (0);
    mm->work += units;
    if (mm->work_max && mm->work > mm->work_max)
	mm->out = 1;
    return (!mm->out);
}

static inline int sx_scan_spent(const struct sx_scan *s)
{
    return (s->memo->out);
}

/* Reporting (reader.c). */
extern int sx_scan_add(const struct sx_scan *, const struct sx_finding *);
extern size_t sx_scan_count(const struct sx_scan *);
extern struct sx_finding *sx_scan_finding_rw(const struct sx_scan *, size_t);
extern struct sx_finding *sx_scan_known(const struct sx_scan *, const char *);
extern void sx_scan_nomem(const struct sx_scan *);

/* Helpers for recognisers (scan.c). */
extern int sx_scan_header(const struct sx_scan *, const char *, char *, size_t);
extern const char *sx_scan_find(const struct sx_scan *, const char *);
extern const char *sx_scan_search(const struct sx_scan *, const char *, size_t,
				          const char *);
extern const char *sx_scan_line_end(const struct sx_scan *, const char *);
extern const char *sx_scan_next_line(const struct sx_scan *, const char *);
extern const char *sx_scan_end_find(const struct sx_scan *);
extern void sx_scan_limits(struct sx_scan *);
extern const char *sx_scan_end(const struct sx_scan *);
struct sx_phrases {
    const char *const *needles;
    size_t  n;
    struct sx_match *m;		/* NULL: out of memory at init */
};

extern void sx_phrases_init(struct sx_phrases *, const char *const *, size_t);
extern const char *sx_phrases_first(const struct sx_phrases *, const char *,
				            size_t, size_t *);
extern void sx_scan_finding(const struct sx_scan *, struct sx_finding *,
			            const char *, const char *, size_t, const char *);
extern int sx_scan_has(const struct sx_scan *, const char *);
extern int sx_scan_blocks(const struct sx_scan *, const char *, const char *,
			          const char *);
extern int sx_scan_blocks_in(const struct sx_scan *, const char *,
			             const char *, const char *);
extern int sx_scan_inline(const struct sx_scan *, const char *, const char *,
			          const char *);
extern size_t sx_scan_addr_at(const char *, const char *, char *, size_t);
extern void sx_scan_usable(char *, size_t);
extern void sx_scan_complete(const struct sx_scan *, const struct sx_recogniser *);

/* Where the findings' recipients are named in the text (reader.c). */
struct sx_named;
extern const struct sx_named *sx_scan_named(const struct sx_scan *);
extern void sx_reply_transcripts(const char *, size_t, const struct sx_named *,
				         size_t, const char *const *, char (*)[16]);

#endif
