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
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/text.h>
#include <smtp-explain/status.h>

/*
 * Word-wide byte tests for sx_text_clean(): each gives, exactly, the
 * high bit of every byte of x that is below c (c <= 0x80), or equal
 * to c. No carry crosses a byte.
 */
#define SX_ONES  0x0101010101010101ULL
#define SX_LOW7  0x7f7f7f7f7f7f7f7fULL
#define SX_HIGH  0x8080808080808080ULL

static uint64_t sx_bytes_below(uint64_t x, unsigned c)
{
    return (~(((x & SX_LOW7) + SX_ONES * (0x80 - c)) | x) & SX_HIGH);
}

static uint64_t sx_bytes_equal(uint64_t x, unsigned c)
{
    uint64_t d = x ^ (SX_ONES * c);

    return (~(((d & SX_LOW7) + SX_LOW7) | d) & SX_HIGH);
}

/*
 * sx_text_plain8 - do the eight bytes at s come out of sx_text_clean()
 * as they are, after a kept byte? That is: no control character or
 * DEL, and each space is single and followed by a kept byte (s[8]
 * must be readable).
 */
static int sx_text_plain8(const unsigned char *s)
{
    uint64_t x, y;

    memcpy(&x, s, sizeof(x));
    memcpy(&y, s + 1, sizeof(y));
    return ((sx_bytes_below(x, 0x20) | sx_bytes_equal(x, 0x7f)
	     | (sx_bytes_equal(x, 0x20)
		& (sx_bytes_below(y, 0x21) | sx_bytes_equal(y, 0x7f)))) == 0);
}

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
	/* What follows as it is, eight bytes at a time, while it fits. */
	while (end - s >= 10 && n + 9 < size && sx_text_plain8(s + 1)) {
	    memcpy(dst + n, s + 1, 8);
	    n += 8;
	    s += 8;
	}
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

/*
 * sx_text_at - does needle (n bytes) start at h, ignoring ASCII case?
 * *work counts the bytes compared.
 */
static int sx_text_at(const unsigned char *h, const unsigned char *n, size_t nlen,
		              size_t *work)
{
    size_t  k;

    for (k = 0; k < nlen && sx_lower(h[k]) == sx_lower(n[k]); k++)
	 /* void */ ;
    *work += k + 1;
    return (k == nlen);
}

/*
 * sx_fold_mask - how a needle byte is compared eight at a time: a
 * letter with 0x20 set in the text byte (both cases), any other byte
 * as it is.
 */
static uint64_t sx_fold_mask(unsigned char c)
{
    return (c >= 'a' && c <= 'z' ? SX_ONES * 0x20 : 0);
}

/*
 * sx_text_kmp - Knuth-Morris-Pratt from hay + i: never looks at a text
 * byte twice. The fast search below falls back to it when comparing
 * candidates has cost more than a few passes over the text (a text of
 * "aaaa..." and a needle "aaa...ab" make every position a candidate).
 */
#define SX_KMP_STACK 512

static const char *sx_text_kmp(const char *hay, size_t len, size_t i,
			               const unsigned char *n, size_t nlen)
{
    const unsigned char *h = (const unsigned char *) hay;
    unsigned short stack[SX_KMP_STACK];
    size_t *heap = 0, k, q;
    const char *found = 0;

#define SX_FAIL(x) (heap ? heap[x] : (size_t) stack[x])
    if (nlen > SX_KMP_STACK && (heap = malloc(nlen * sizeof(*heap))) == 0)
	return ((const char *) -1);		/* caller goes on as before */
    /* fail[k]: the longest proper border of needle[0..k]. */
    if (heap)
	heap[0] = 0;
    else
	stack[0] = 0;
    for (k = 1, q = 0; k < nlen; k++) {
	while (q > 0 && sx_lower(n[k]) != sx_lower(n[q]))
	    q = SX_FAIL(q - 1);
	if (sx_lower(n[k]) == sx_lower(n[q]))
	    q++;
	if (heap)
	    heap[k] = q;
	else
	    stack[k] = (unsigned short) q;
    }
    for (q = 0; i < len; i++) {
	while (q > 0 && sx_lower(h[i]) != sx_lower(n[q]))
	    q = SX_FAIL(q - 1);
	if (sx_lower(h[i]) == sx_lower(n[q]) && ++q == nlen) {
	    found = hay + i + 1 - nlen;
	    break;
	}
    }
#undef SX_FAIL
    free(heap);
    return (found);
}

const char *sx_text_find(const char *hay, size_t len, const char *needle)
{
    const unsigned char *h = (const unsigned char *) hay;
    const unsigned char *n = (const unsigned char *) needle;
    size_t  nlen = strlen(needle), i = 0, k, work = 0, allow;
    unsigned char a, b;
    const char *r;

    if (nlen == 0)
	return (hay);
    if (nlen > len)
	return (0);
    /* Comparing candidates may cost this much before KMP takes over. */
    allow = 2 * len + 64;
    a = sx_lower(n[0]);
    if (nlen >= 2) {
	/* Where the first two bytes match, eight positions at a time. */
	unsigned char c = sx_lower(n[1]);
	uint64_t ma = sx_fold_mask(a), mc = sx_fold_mask(c), x, y;

	for (; i + 9 <= len && i + nlen <= len; i += 8) {
	    memcpy(&x, h + i, sizeof(x));
	    memcpy(&y, h + i + 1, sizeof(y));
	    if ((sx_bytes_equal(x | ma, a) & sx_bytes_equal(y | mc, c)) == 0)
		continue;
	    if (work > allow && (r = sx_text_kmp(hay, len, i, n, nlen)) != (const char *) -1)
		return (r);
	    for (k = i; k < i + 8 && k + nlen <= len; k++)
		if (sx_text_at(h + k, n, nlen, &work))
		    return (hay + k);
	}
    }
    b = (unsigned char) (a >= 'a' && a <= 'z' ? a - 32 : a);
    for (; i + nlen <= len; i++) {
	if (h[i] != a && h[i] != b)
	    continue;
	if (work > allow && (r = sx_text_kmp(hay, len, i, n, nlen)) != (const char *) -1)
	    return (r);
	if (sx_text_at(h + i, n, nlen, &work))
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

/* sx_ew_special - a byte that a "Q" encoded-word writes as =XX */

static int sx_ew_special(unsigned char b)
{
    return (b > 0x7e || b < 0x20 || b == '=' || b == '?' || b == '_' || b == '"'
	    || b == '\\' || b == '(' || b == ')');
}

/*
 * sx_encode_run - [s, s + n) as encoded-words of at most 75 characters,
 * cut only between UTF-8 characters, appended at dst + *o after a space.
 * 0 when it does not all fit: *o is then after the last whole word.
 */
#define SX_EW_MAX 75

static int sx_encode_run(char *dst, size_t size, size_t *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t  at = *o, i = 0, w, clen, k, need;

    while (i < n) {
	*o = at;				/* all whole words so far */
	if (at > 0 && dst[at - 1] != ' ')
	    dst[at++] = ' ';
	if (at + 13 >= size)
	    return (0);
	/* The bounds were checked above; the NUL comes at the end. */
	at += sx_text_copy(dst + at, size - at, "=?utf-8?q?", 10);
	w = 12;					/* "=?utf-8?q?" and "?=" */
	while (i < n) {
	    unsigned char c = (unsigned char) s[i];

	    /* One whole character: its lead byte says how long. */
	    clen = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	    if (i + clen > n)
		clen = n - i;
	    for (need = 0, k = 0; k < clen; k++)
		need += sx_ew_special((unsigned char) s[i + k]) ? 3 : 1;
	    if (w + need > SX_EW_MAX && w > 12)
		break;
	    if (at + need + 3 >= size)
		return (0);
	    for (k = 0; k < clen; k++) {
		unsigned char b = (unsigned char) s[i + k];

		if (b == ' ') {
		    dst[at++] = '_';
		} else if (sx_ew_special(b)) {
		    dst[at++] = '=';
		    dst[at++] = hex[b >> 4];
		    dst[at++] = hex[b & 15];
		} else {
		    dst[at++] = (char) b;
		}
	    }
	    w += need;
	    i += clen;
	}
	at += sx_text_copy(dst + at, size - at, "?=", 2);
    }
    *o = at;
    return (1);
}

size_t  sx_text_encode(char *dst, size_t size, const char *src, size_t len, int whole)
{
    size_t  o = 0, i = 0, j, k, run, end;

    if (size == 0)
	return (0);
    if (whole) {
	(void) sx_encode_run(dst, size, &o, src, len);
	dst[o] = 0;
	return (o);
    }
    while (i < len) {
	int     high = 0;

	/* The next word, and whether it holds 8-bit bytes. */
	for (j = i; j < len && src[j] != ' '; j++)
	    high |= (src[j] & 0x80) != 0;
	if (!high) {
	    if (o + (j - i) + 2 >= size)
		break;
	    if (o > 0)
		dst[o++] = ' ';
	    memcpy(dst + o, src + i, j - i);
	    o += j - i;
	    i = j + (j < len);
	    continue;
	}
	/* A run of 8-bit words, with the spaces between them. */
	for (end = j, k = j; k < len;) {
	    size_t  e;
	    int     h = 0;

	    for (e = k + 1; e < len && src[e] != ' '; e++)
		h |= (src[e] & 0x80) != 0;
	    if (!h)
		break;
	    end = e;
	    k = e;
	}
	run = end - i;
	if (!sx_encode_run(dst, size, &o, src + i, run))
	    break;
	i = end + (end < len);
    }
    dst[o] = 0;
    return (o);
}

/*
 * UTF-8 checking for output that machines read (JSON). The well-formed
 * sequences are those of Unicode's table 3-7: no overlong forms, no
 * surrogates (ED A0..BF), nothing above U+10FFFF (F4 90.., F5..FF).
 */

size_t  sx_text_utf8_char(const char *s, size_t len, int *ok)
{
    const unsigned char *p = (const unsigned char *) s;
    unsigned char c = p[0], lo = 0x80, hi = 0xbf;
    size_t  need, i;

    *ok = 1;
    if (c < 0x80)
	return (1);
    if (c >= 0xc2 && c <= 0xdf) {
	need = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
	need = 3;
	if (c == 0xe0)
	    lo = 0xa0;			/* below: overlong */
	else if (c == 0xed)
	    hi = 0x9f;			/* above: surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
	need = 4;
	if (c == 0xf0)
	    lo = 0x90;			/* below: overlong */
	else if (c == 0xf4)
	    hi = 0x8f;			/* above: past U+10FFFF */
    } else {
	/* A continuation byte, C0, C1 or F5..FF: nothing can follow. */
	*ok = 0;
	return (1);
    }
    /* Only the second byte has a narrowed range. */
    for (i = 1; i < need; i++, lo = 0x80, hi = 0xbf) {
	if (i >= len || p[i] < lo || p[i] > hi) {
	    *ok = 0;
	    return (i);
	}
    }
    return (need);
}

int     sx_text_utf8_valid(const char *s, size_t len)
{
    size_t  i = 0;
    int     ok = 1;

    while (i < len && ok) {
	if ((unsigned char) s[i] < 0x80)
	    i++;
	else
	    i += sx_text_utf8_char(s + i, len - i, &ok);
    }
    return (ok);
}

size_t  sx_text_utf8_fix(char *dst, size_t size, const char *src, size_t len)
{
    static const char repl[] = "\xef\xbf\xbd";	/* U+FFFD */
    size_t  i = 0, o = 0, n;
    int     ok;

    if (size == 0)
	return (0);
    while (i < len) {
	n = sx_text_utf8_char(src + i, len - i, &ok);
	if (o + (ok ? n : 3) >= size)
	    break;			/* never half a character */
	if (ok)
	    memcpy(dst + o, src + i, n);
	else
	    memcpy(dst + o, repl, 3);
	o += ok ? n : 3;
	i += n;
    }
    dst[o] = 0;
    return (o);
}
