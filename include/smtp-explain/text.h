/*
 * NAME
 *	text 3h
 * SUMMARY
 *	small text helpers for hostile input
 * SYNOPSIS
 *	#include <smtp-explain/text.h>
 *
 *	size_t	sx_text_clean(char *dst, size_t size, const char *src,
 *				size_t len);
 *	size_t	sx_text_copy(char *dst, size_t size, const char *src,
 *				size_t len);
 *	int	sx_glob_match(const char *pattern, const char *text);
 *	const char *sx_text_find(const char *hay, size_t len,
 *				const char *needle);
 *	size_t	sx_text_encode(char *dst, size_t size, const char *src,
 *				size_t len, int whole);
 * DESCRIPTION
 *	sx_text_clean() copies at most size-1 bytes of src into dst, turning
 *	each run of white space and control characters (CR, LF, NUL, DEL,
 *	C0) into one space and trimming both ends; 8-bit bytes are kept.
 *	It returns the length written; dst is always NUL-terminated.
 *
 *	sx_text_copy() copies a bounded string without cleaning (for text
 *	that is already clean).
 *
 *	sx_glob_match() matches text against a shell-style pattern with *
 *	and ?, case-insensitively (for host names and addresses).
 *
 *	sx_strv_free() frees a NULL-terminated list of strings and the
 *	strings in it (NULL is fine).
 *
 *	sx_text_find() finds needle (already lower case) in hay, ignoring
 *	the case of ASCII letters; NULL when absent. sx_lower() folds one
 *	ASCII letter to lower case, whatever the locale.
 *
 *	sx_text_encode() writes clean (one-line) UTF-8 text as RFC 2047
 *	encoded-words ("=?utf-8?q?...?="), each at most 75 characters and
 *	never splitting a character, separated by spaces. With whole set
 *	all of src is encoded; otherwise only the runs of words that hold
 *	8-bit bytes, and ASCII words are written as they are (an existing
 *	encoded-word stays one). Output that does not fit in size is cut
 *	between words. It returns the length written, NUL-terminated.
 */
#ifndef SMTP_EXPLAIN_TEXT_H
#define SMTP_EXPLAIN_TEXT_H

#include <stddef.h>

/* ASCII case folding without locale lookups: hot in every scan. */
static inline unsigned char sx_lower(unsigned char c)
{
    return ((unsigned) (c - 'A') < 26u ? (unsigned char) (c + 32) : c);
}

extern size_t sx_text_clean(char *, size_t, const char *, size_t);
extern size_t sx_text_copy(char *, size_t, const char *, size_t);
extern int sx_glob_match(const char *, const char *);
extern void sx_strv_free(char **);
extern const char *sx_text_find(const char *, size_t, const char *);
extern size_t sx_text_encode(char *, size_t, const char *, size_t, int);

/*
 * UTF-8 for text that machines read (the CLI's JSON):
 *
 *	size_t	sx_text_utf8_char(const char *s, size_t len, int *ok);
 *	int	sx_text_utf8_valid(const char *s, size_t len);
 *	size_t	sx_text_utf8_fix(char *dst, size_t size, const char *src,
 *				size_t len);
 *
 *	Text is judged by Unicode's well-formed byte sequences (table 3-7
 *	of the standard): overlong forms (C0 80, E0 80 80), surrogates
 *	(ED A0 80 .. ED BF BF), code points past U+10FFFF (F4 90 ..,
 *	F5 .. FF), stray continuation bytes and truncated sequences are
 *	ill-formed.
 *
 *	sx_text_utf8_char() looks at the len (at least 1) bytes at s: it
 *	returns the length of the character there and sets *ok, or clears
 *	*ok and returns the length of the maximal subpart of an ill-formed
 *	sequence (1 to 3 bytes: the longest start of a well-formed
 *	sequence, else one byte). It is the one validator: the functions
 *	below and every writer of text for machines walk text with it.
 *
 *	sx_text_utf8_valid() says whether all len bytes are well-formed.
 *
 *	sx_text_utf8_fix() copies len bytes of src into dst with each
 *	maximal subpart of an ill-formed sequence replaced by one U+FFFD
 *	(EF BF BD), as Unicode and the WHATWG encoding standard do:
 *	E0 80 80 becomes three U+FFFD, E2 82 before "A" one U+FFFD and
 *	"A". NUL bytes are copied like other ASCII. Output that does not
 *	fit in size is cut before a character or a replacement, never in
 *	one; dst takes all of src with 3 * len + 1 bytes. It returns the
 *	length written, NUL-terminated.
 */
extern size_t sx_text_utf8_char(const char *, size_t, int *);
extern int sx_text_utf8_valid(const char *, size_t);
extern size_t sx_text_utf8_fix(char *, size_t, const char *, size_t);

#endif
