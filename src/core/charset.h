/*
 * NAME
 *	charset 3h
 * SUMMARY
 *	text parts in other charsets, made UTF-8
 * SYNOPSIS
 *	#include "charset.h"
 *
 *	int	sx_charset_open(struct sx_charset *cs, const char *name);
 *	size_t	sx_charset_line(struct sx_charset *cs, const char *in,
 *				size_t len, char *out, size_t size);
 *	void	sx_charset_close(struct sx_charset *cs);
 * DESCRIPTION
 *	Bounces written in ISO-2022-JP, Shift_JIS, ISO-8859-x, windows-125x
 *	and the like are read as UTF-8, so that their words reach the
 *	recognisers and the headers as text rather than escape bytes.
 *
 *	sx_charset_open() prepares a conversion from the named charset of
 *	a MIME part. It returns 1 when the part needs one, 0 when it is
 *	already ASCII or UTF-8, or the charset is unknown (the bytes are
 *	then kept as they are).
 *
 *	sx_charset_line() converts one line into out, at most size - 1
 *	bytes plus a null, and returns the length. Each line starts in the
 *	charset's initial state (mail in ISO-2022-JP returns to ASCII
 *	before every line end). A byte that is not valid in the charset
 *	becomes "?"; output that does not fit is cut.
 *
 *	sx_charset_plain_line() tells whether a line can be taken as it is:
 *	the charset writes ASCII as ASCII (ISO-8859-x, windows-125x,
 *	ISO-2022-JP, EUC, GB, Big5, KOI8) and the line has no 8-bit byte
 *	and no escape.
 *
 *	sx_charset_close() ends the conversion; closing an unopened or
 *	closed one is a no-op. Descriptors are kept for reuse (up to 16,
 *	shared by all threads), so that the C library does not unload and
 *	load the charset's module for every message.
 *
 *	Opening a charset that is not in the pool loads its module, which
 *	costs far more than reading a part. One struct sx_charset serves
 *	all the parts of a message and counts those loads: after
 *	SX_CS_OPENS of them (a message that cycles through dozens of
 *	charsets is not a real bounce), further parts in charsets that are
 *	not waiting in the pool are read as bytes.
 */
#ifndef SX_CHARSET_H
#define SX_CHARSET_H

#include <stddef.h>
#include <iconv.h>

struct sx_charset {
    iconv_t cd;
    int     open;
    int     ascii_same;		/* its bytes below 0x80 are ASCII */
    char    name[33];		/* the charset, for the idle pool */
    unsigned opens;		/* modules loaded for this message */
};

#define SX_CS_OPENS	8		/* loads a message may cause */

extern int sx_charset_open(struct sx_charset *, const char *);
extern size_t sx_charset_line(struct sx_charset *, const char *, size_t, char *, size_t);
extern void sx_charset_close(struct sx_charset *);
extern int sx_charset_plain_line(const struct sx_charset *, const char *, size_t);

#endif
