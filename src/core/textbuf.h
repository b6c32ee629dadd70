/*
 * NAME
 *	textbuf 3h
 * SUMMARY
 *	growable text buffers with a cap (private)
 * SYNOPSIS
 *	#include "textbuf.h"
 *
 *	int	sx_textbuf_append(struct sx_textbuf *b, const char *s,
 *				size_t n);
 *	int	sx_textbuf_line(struct sx_textbuf *b, const char *s,
 *				size_t n);
 *	int	sx_textbuf_field(struct sx_textbuf *b, const char *name,
 *				size_t nlen, const char *value, size_t vmax);
 * DESCRIPTION
 *	What the reader keeps of a message for its analysis (the human
 *	text, the top-level headers) grows in these buffers, each with a
 *	cap (b->max, which counts the NUL): what would pass it is dropped,
 *	so hostile input cannot make one grow without bound. The data is
 *	always NUL-terminated once anything was appended.
 *
 *	sx_textbuf_append() adds n bytes; sx_textbuf_line() a line and its
 *	LF; sx_textbuf_field() "name: value" and its LF, the value ending
 *	at a NUL or after vmax bytes.
 *
 *	A zeroed struct with max set is an empty buffer; the owner frees
 *	b->data.
 * DIAGNOSTICS
 *	0, or -1 when out of memory (the buffer is then unchanged).
 */
#ifndef SX_TEXTBUF_H
#define SX_TEXTBUF_H

#include <stddef.h>

struct sx_textbuf {
    char   *data;
    size_t  len;
    size_t  cap;
    size_t  max;
};

extern int sx_textbuf_append(struct sx_textbuf *, const char *, size_t);
extern int sx_textbuf_line(struct sx_textbuf *, const char *, size_t);
extern int sx_textbuf_field(struct sx_textbuf *, const char *, size_t,
			            const char *, size_t);

#endif
