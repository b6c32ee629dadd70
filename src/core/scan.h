/*
 * NAME
 *	scan 3h
 * SUMMARY
 *	what bounce-shape recognisers see and how they report (private)
 * SYNOPSIS
 *	#include "scan.h"
 * DESCRIPTION
 *	When a message ends, the reader hands each recogniser a scan: the
 *	decoded human-readable text (text parts, or the body of a message
 *	without MIME; LF line ends; NUL-terminated), the top-level header
 *	block (unfolded, one "Name: value" per line) and what is known of
 *	the message. Recognisers are tried in table order (sx_shapes[],
 *	shapes.c); the first that adds a finding ends the search, so
 *	specific shapes come before the generic ones.
 *
 *	A recogniser adds findings with sx_scan_add(); it never owns
 *	memory of the reader. Each lives in its own file, lhost_NAME.c,
 *	so a new shape is an isolated addition.
 */
#ifndef SX_SCAN_H
#define SX_SCAN_H

#include <stddef.h>
#include <smtp-explain/finding.h>
#include <smtp-explain/reader.h>

struct sx_scan {
    const char *text;		/* decoded human text */
    size_t  len;
    const char *headers;	/* top-level headers, unfolded */
    size_t  hlen;
    size_t  cut;		/* where the returned original starts in text */
    const struct sx_message *msg;
    struct sx_reader *reader;	/* for sx_scan_add() only */
};

struct sx_shape {
    const char *name;
    int     (*run) (const struct sx_scan *);
};

extern const struct sx_shape sx_shapes[];

/* The recognisers (lhost_*.c, shapes.c). */
extern int sx_lhost_feedback(const struct sx_scan *);
extern int sx_lhost_autoreply(const struct sx_scan *);
extern int sx_lhost_marked(const struct sx_scan *);
extern int sx_lhost_generic(const struct sx_scan *);

/* Reporting. */
extern int sx_scan_add(const struct sx_scan *, const struct sx_finding *);
extern size_t sx_scan_count(const struct sx_scan *);

/* Helpers shared by recognisers (scan.c). */
extern int sx_scan_header(const struct sx_scan *, const char *, char *, size_t);
extern const char *sx_scan_find(const struct sx_scan *, const char *);
extern const char *sx_scan_line_end(const struct sx_scan *, const char *);
extern const char *sx_scan_next_line(const struct sx_scan *, const char *);
extern void sx_scan_finding(const struct sx_scan *, struct sx_finding *,
			            const char *, const char *, size_t, const char *);
extern int sx_scan_blocks(const struct sx_scan *, const char *, const char *,
			          const char *);
extern size_t sx_scan_addr_at(const char *, const char *, char *, size_t);

#endif
