/*
 * NAME
 *	charset 3
 * SUMMARY
 *	text parts in other charsets, made UTF-8
 * DESCRIPTION
 *	See charset.h. The conversion is iconv(3) from the C library; no
 *	table of our own.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "charset.h"

/* sx_charset_plain - charsets whose bytes are read as they are */

static int sx_charset_plain(const char *name)
{
    static const char *const same[] = {
	"", "us-ascii", "ascii", "utf-8", "utf8", "ansi_x3.4-1968",
	"unknown-8bit", "x-unknown", 0,
    };
    const char *const *p;

    for (p = same; *p; p++)
	if (strcasecmp(name, *p) == 0)
	    return (1);
    return (0);
}

int     sx_charset_open(struct sx_charset *cs, const char *name)
{
    cs->open = 0;
    if (name == 0 || sx_charset_plain(name) || strlen(name) > 32)
	return (0);
    if ((cs->cd = iconv_open("UTF-8", name)) == (iconv_t) -1)
	return (0);
    cs->open = 1;
    return (1);
}

size_t  sx_charset_line(struct sx_charset *cs, const char *in, size_t len,
			        char *out, size_t size)
{
    char   *ip = (char *) in, *op = out;
    size_t  il = len, ol = size - 1;

    if (size == 0)
	return (0);
    while (il > 0 && ol > 0) {
	if (iconv(cs->cd, &ip, &il, &op, &ol) != (size_t) -1)
	    break;
	if (errno == EILSEQ || errno == EINVAL) {
	    /* A byte the charset does not allow, or a cut sequence. */
	    *op++ = '?';
	    ol--;
	    ip++;
	    il--;
	    continue;
	}
	break;					/* E2BIG: out is full */
    }
    /* Back to the initial shift state for the next line's sake. */
    if (ol > 0)
	(void) iconv(cs->cd, 0, 0, &op, &ol);
    *op = 0;
    return ((size_t) (op - out));
}

void    sx_charset_close(struct sx_charset *cs)
{
    if (cs->open)
	iconv_close(cs->cd);
    cs->open = 0;
}
