/*
 * NAME
 *	charset 3
 * SUMMARY
 *	text parts in other charsets, made UTF-8
 * DESCRIPTION
 *	See charset.h. The conversion is iconv(3) from the C library; no
 *	table of our own.
 *
 *	A conversion descriptor that is closed lets the C library unload
 *	the charset's module, and the next message loads it again (a
 *	dlopen() and several mmap() calls). Closed descriptors therefore
 *	wait in a small pool, shared by all threads under a lock; one is
 *	handed to a single reader at a time, reset to its initial state.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include "charset.h"

#define SX_CS_POOL	16		/* idle descriptors kept */
#define SX_CS_NAME	33

static struct sx_cs_idle {
    char    name[SX_CS_NAME];
    iconv_t cd;
}       sx_cs_pool[SX_CS_POOL];
static int sx_cs_idle_n;
static pthread_mutex_t sx_cs_lock = PTHREAD_MUTEX_INITIALIZER;

/* sx_cs_take - an idle descriptor for the charset, if one waits */

static int sx_cs_take(const char *name, iconv_t *cd)
{
    int     i, found = 0;

    pthread_mutex_lock(&sx_cs_lock);
    for (i = 0; i < sx_cs_idle_n; i++) {
	if (strcasecmp(sx_cs_pool[i].name, name) == 0) {
	    *cd = sx_cs_pool[i].cd;
	    sx_cs_pool[i] = sx_cs_pool[--sx_cs_idle_n];
	    found = 1;
	    break;
	}
    }
    pthread_mutex_unlock(&sx_cs_lock);
    return (found);
}

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

/* sx_charset_ascii - charsets that write every ASCII character as ASCII */

static int sx_charset_ascii(const char *name)
{
    static const char *const prefixes[] = {
	"iso-8859-", "iso8859-", "windows-125", "cp125", "iso-2022-jp", "euc-",
	"gb2312", "gbk", "gb18030", "big5", "koi8-", "latin", 0,
    };
    const char *const *p;

    for (p = prefixes; *p; p++)
	if (strncasecmp(name, *p, strlen(*p)) == 0)
	    return (1);
    return (0);
}

int     sx_charset_plain_line(const struct sx_charset *cs, const char *line, size_t len)
{
    size_t  i;

    if (!cs->ascii_same)
	return (0);
    for (i = 0; i < len; i++)
	if ((line[i] & 0x80) || line[i] == 0x1b)
	    return (0);
    return (1);
}

int     sx_charset_open(struct sx_charset *cs, const char *name)
{
    cs->open = 0;
    if (name == 0 || sx_charset_plain(name) || strlen(name) >= SX_CS_NAME)
	return (0);
    if (sx_cs_take(name, &cs->cd))
	(void) iconv(cs->cd, 0, 0, 0, 0);	/* initial state */
    else if (cs->opens >= SX_CS_OPENS || (cs->opens++,
		      (cs->cd = iconv_open("UTF-8", name)) == (iconv_t) -1))
	return (0);
    memcpy(cs->name, name, strlen(name) + 1);
    cs->ascii_same = sx_charset_ascii(name);
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
    int     kept = 0;

    if (!cs->open)
	return;
    cs->open = 0;
    pthread_mutex_lock(&sx_cs_lock);
    if (sx_cs_idle_n < SX_CS_POOL) {
	memcpy(sx_cs_pool[sx_cs_idle_n].name, cs->name, sizeof(cs->name));
	sx_cs_pool[sx_cs_idle_n++].cd = cs->cd;
	kept = 1;
    }
    pthread_mutex_unlock(&sx_cs_lock);
    if (!kept)
	iconv_close(cs->cd);
}
