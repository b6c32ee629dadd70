/*
 * NAME
 *	reader_int 3h
 * SUMMARY
 *	the reader's state, shared by the line machine and the analysis
 * SYNOPSIS
 *	#include "reader_int.h"
 * DESCRIPTION
 *	struct sx_reader is opaque to the rest of the program. Two files
 *	see inside it: reader.c, the line and part machine that fills it
 *	while the message streams, and analyse.c, which keeps the findings
 *	and runs the recognisers at the end.
 *
 *	sx_reader_add() stores a finding (both files add them: the
 *	delivery-status parser while streaming, recognisers at the end);
 *	it returns 1 when kept, 0 past findings_max, -1 out of memory.
 *	sx_analyse() is the end: it returns 0, or -1 out of memory.
 */
#ifndef SX_READER_INT_H
#define SX_READER_INT_H

#include <stddef.h>
#include <stdint.h>

#include <smtp-explain/reader.h>

#include "charset.h"
#include "mime.h"
#include "dsn.h"
#include "textbuf.h"

#define SX_TOPHDR_MAX (64 * 1024)
#define SX_BOUNDARY_MAX 128
#define SX_CS_FACTOR 3		/* UTF-8 bytes per input byte, at most */

enum sx_state {
    SX_ST_HEADERS,		/* headers of the message or a part */
    SX_ST_BODY,			/* body of a leaf part */
    SX_ST_SKIP,			/* preamble, epilogue, ignored part */
};

enum sx_consumer {
    SX_USE_NONE,
    SX_USE_TEXT,		/* human-readable text */
    SX_USE_HTML,		/* text/html, tags stripped */
    SX_USE_DSN,			/* delivery-status fields */
    SX_USE_ORIG,		/* headers of the returned original */
};

struct sx_level {
    char    boundary[SX_BOUNDARY_MAX];
    size_t  blen;
};

struct sx_reader {
    struct sx_limits lim;
    struct sx_message msg;
    /* findings */
    struct sx_finding *f;
    size_t  nf;
    size_t  capf;
    int     finished;
    int     nomem;
    int     autoreplies;	/* report automatic replies (off: silent) */
    /* line assembly */
    char   *line;
    size_t  llen;
    int     cr_pending;		/* last byte was CR: skip a following LF */
    /* header field assembly */
    char   *field;
    size_t  flen;
    int     top;		/* still in the top-level headers */
    int     part_depth;		/* header nesting of the current part */
    enum sx_state state;
    /* current part */
    struct sx_ctype ctype;
    int     cte;
    int     have_ctype;
    enum sx_consumer use;
    struct sx_decoder dec;
    char   *decbuf;
    struct sx_charset cs;	/* text part in another charset */
    char   *csbuf;		/* its lines in UTF-8, when needed */
    int     orig_in_headers;	/* USE_ORIG: still reading its headers */
    int     orig_is_message;	/* message/rfc822 (vs. headers only) */
    int     html_in_tag;
    /* multipart stack */
    struct sx_level *levels;
    unsigned depth;
    /* results for recognisers */
    struct sx_textbuf text;	/* text/plain and non-MIME body */
    struct sx_textbuf html;	/* text/html, when there is no plain */
    struct sx_textbuf tophdr;	/* top-level header block */
    struct sx_textbuf pre;	/* preamble of the top-level multipart */
    int     parts_seen;		/* a boundary of ours was ever met */
    int     saw_dsn_part;
    int     text_parts;
    /* the budget */
    size_t  bytes;		/* read so far */
    size_t  work;		/* spent at finish */
    /* findings by recipient (sx_scan_known): index + 1, open addressing */
    uint32_t *known;
    size_t  known_size;
    /* where the findings' recipients are named (sx_scan_named) */
    struct sx_named *named;
    size_t  named_nf;		/* findings it was built for */
    /* Last: not cleared before a delivery-status part starts. */
    struct sx_dsn dsn;
};

extern int sx_reader_add(struct sx_reader *, const struct sx_finding *);
extern int sx_analyse(struct sx_reader *);

#endif
