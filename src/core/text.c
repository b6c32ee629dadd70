/*
 * NAME
 *	text 3
 * SUMMARY
 *	small text helpers for hostile input
 * DESCRIPTION
 *	See text.h. None of these allocate; all are bounded by the size
 *	the caller passes.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/text.h>
#include <smtp-explain/status.h>

size_t  sx_text_clean(char *dst, size_t size, const char *src, size_t len)
{
    size_t  n = 0;
    int     space = 0;
    const unsigned char *s = (const unsigned char *) src;
    const unsigned char *end = s + len;

    if (size == 0)
	return (0);
    for (; s < end && n + 1 < size; s++) {
	/* Control characters and white space become one space. */
	if (*s <= 0x20 || *s == 0x7f) {
	    space = (n > 0);
	    continue;
	}
	if (space) {
	    if (n + 2 >= size)
		break;
	    dst[n++] = ' ';
	    space = 0;
	}
	dst[n++] = (char) *s;
    }
    /* A cut inside a UTF-8 sequence drops the partial character. */
    if (s < end && n > 0 && ((unsigned char) dst[n - 1] & 0x80)) {
	size_t  k = n, need;
	unsigned char lead;

	while (k > 0 && n - k < 4 && ((unsigned char) dst[k - 1] & 0xc0) == 0x80)
	    k--;
	if (k > 0 && ((lead = (unsigned char) dst[k - 1]) & 0xc0) == 0xc0) {
	    need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
	    if (n - (k - 1) < need)
		n = k - 1;
	}
    }
    dst[n] = 0;
    return (n);
}

size_t  sx_text_copy(char *dst, size_t size, const char *src, size_t len)
{
    const char *nul;

    if (size == 0)
	return (0);
    if ((nul = memchr(src, 0, len)) != 0)
	len = (size_t) (nul - src);
    if (len >= size)
	len = size - 1;
    memcpy(dst, src, len);
    dst[len] = 0;
    return (len);
}

void    sx_strv_free(char **list)
{
    char  **cp;

    if (list == 0)
	return;
    for (cp = list; *cp; cp++)
	free(*cp);
    free(list);
}

int     sx_glob_match(const char *pat, const char *text)
{
    const char *star_p = 0, *star_t = 0;

    /* Iterative matcher with one backtrack point: linear enough. */
    while (*text) {
	if (*pat == '*') {
	    star_p = ++pat;
	    star_t = text;
	    continue;
	}
	if (*pat && (*pat == '?'
		     || tolower((unsigned char) *pat) == tolower((unsigned char) *text))) {
	    pat++;
	    text++;
	    continue;
	}
	if (star_p == 0)
	    return (0);
	pat = star_p;
	text = ++star_t;
    }
    while (*pat == '*')
	pat++;
    return (*pat == 0);
}

const char *sx_text_find(const char *hay, size_t len, const char *needle)
{
    const unsigned char *h = (const unsigned char *) hay;
    const unsigned char *n = (const unsigned char *) needle;
    size_t  nlen = strlen(needle), i, k;
    unsigned char a, b;

    if (nlen == 0)
	return (hay);
    if (nlen > len)
	return (0);
    a = sx_lower(n[0]);
    b = (unsigned char) (a >= 'a' && a <= 'z' ? a - 32 : a);
    for (i = 0; i + nlen <= len; i++) {
	if (h[i] != a && h[i] != b)
	    continue;
	for (k = 1; k < nlen && sx_lower(h[i + k]) == sx_lower(n[k]); k++)
	     /* void */ ;
	if (k == nlen)
	    return (hay + i);
    }
    return (0);
}

const char *sx_strerror(int status)
{
    switch (status) {
    case SX_OK:
	return ("success");
    case SX_ERR_NOMEM:
	return ("out of memory");
    case SX_ERR_INVALID:
	return ("invalid argument");
    case SX_ERR_IO:
	return ("input/output error");
    case SX_ERR_CONFIG:
	return ("configuration error");
    case SX_ERR_LIMIT:
	return ("limit reached");
    default:
	return ("unknown error");
    }
}
