/*
 * NAME
 *	textbuf 3
 * SUMMARY
 *	growable text buffers with a cap
 * DESCRIPTION
 *	See textbuf.h. Storage doubles up to the cap; the common case of a
 *	line or field that fits is one copy.
 */
#include <stdlib.h>
#include <string.h>

#include "textbuf.h"

int     sx_textbuf_append(struct sx_textbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->max) {
	if (b->len + 1 >= b->max)
	    return (0);
	n = b->max - b->len - 1;
    }
    if (b->len + n + 1 > b->cap) {
	size_t  ncap = b->cap ? b->cap : 4096;
	char   *nd;

	while (ncap < b->len + n + 1)
	    ncap *= 2;
	if (ncap > b->max)
	    ncap = b->max;
	if ((nd = realloc(b->data, ncap)) == 0)
	    return (-1);
	b->data = nd;
	b->cap = ncap;
    }
    if (b->data == 0)
	return (0);			/* nothing kept: max was 1 */
    if (n)
	memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
    return (0);
}

/*
 * sx_textbuf_field - "name: value" and its LF, as four appends would: the
 * value stops at a NUL, like the string it is; what passes the cap is
 * cut.
 */
int     sx_textbuf_field(struct sx_textbuf *b, const char *name, size_t nlen,
			         const char *value, size_t vmax)
{
    const char *nul = memchr(value, 0, vmax);
    size_t  vlen = nul ? (size_t) (nul - value) : vmax;

    if (b->len + nlen + vlen + 4 <= b->cap) {
	memcpy(b->data + b->len, name, nlen);
	b->len += nlen;
	b->data[b->len++] = ':';
	b->data[b->len++] = ' ';
	memcpy(b->data + b->len, value, vlen);
	b->len += vlen;
	b->data[b->len++] = '\n';
	b->data[b->len] = 0;
	return (0);
    }
    if (sx_textbuf_append(b, name, nlen) < 0 || sx_textbuf_append(b, ": ", 2) < 0
	|| sx_textbuf_append(b, value, vlen) < 0 || sx_textbuf_append(b, "\n", 1) < 0)
	return (-1);
    return (0);
}

/* sx_textbuf_line - a line and its LF, in one append */

int     sx_textbuf_line(struct sx_textbuf *b, const char *s, size_t n)
{
    if (b->len + n + 2 <= b->cap) {
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len++] = '\n';
	b->data[b->len] = 0;
	return (0);
    }
    if (sx_textbuf_append(b, s, n) < 0)
	return (-1);
    return (sx_textbuf_append(b, "\n", 1));
}

