/*
 * NAME
 *	out 3
 * SUMMARY
 *	buffered output of the smtp-explain command
 * SYNOPSIS
 *	#include "cli.h"
 *
 *	extern struct cli_out cli_stdout;
 *
 *	void	cli_out_mem(struct cli_out *o, const char *p, size_t n);
 *	void	cli_out_str(struct cli_out *o, const char *s);
 *	void	cli_out_ch(struct cli_out *o, int c);
 *	void	cli_out_fmt(struct cli_out *o, const char *fmt, ...);
 *	void	cli_out_json(struct cli_out *o, const char *s);
 *	void	cli_out_csv(struct cli_out *o, const char *s);
 *	int	cli_out_flush(struct cli_out *o);
 * DESCRIPTION
 *	One buffer per output file descriptor, written with write(2) when
 *	full and at cli_out_flush(): no stdio and no per-character calls
 *	on the path that writes a finding. cli_stdout writes to fd 1.
 *
 *	cli_out_json() writes a JSON string literal: quotes, backslashes
 *	and control characters escaped, well-formed UTF-8 passed through,
 *	each maximal ill-formed subpart written as "\ufffd", so the output
 *	is valid UTF-8 and valid JSON whatever a remote server wrote (the
 *	same rules as cli_json_str(), which writes to a FILE). Runs of
 *	plain ASCII are copied at once.
 *
 *	cli_out_csv() writes one CSV field (RFC 4180): quoted, with quotes
 *	doubled, when it holds a comma, a quote or a line end, else as it
 *	is. Finding texts hold no line ends (finding(3h)).
 * DIAGNOSTICS
 *	A write error is remembered: later output is dropped, and
 *	cli_out_flush() returns -1 (with errno) from then on.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <smtp-explain/text.h>

#include "cli.h"

struct cli_out cli_stdout = {.fd = 1};

/* cli_out_drain - write what the buffer holds */

static void cli_out_drain(struct cli_out *o)
{
    size_t  off = 0;
    ssize_t w;

    while (off < o->len && o->err == 0) {
	if ((w = write(o->fd, o->buf + off, o->len - off)) < 0) {
	    if (errno == EINTR)
		continue;
	    o->err = errno;
	    break;
	}
	off += (size_t) w;
    }
    o->len = 0;
}

void    cli_out_mem(struct cli_out *o, const char *p, size_t n)
{
    size_t  room;

    while (n > 0) {
	if (o->len == sizeof(o->buf))
	    cli_out_drain(o);
	room = sizeof(o->buf) - o->len;
	if (room > n)
	    room = n;
	memcpy(o->buf + o->len, p, room);
	o->len += room;
	p += room;
	n -= room;
    }
}

void    cli_out_str(struct cli_out *o, const char *s)
{
    cli_out_mem(o, s, strlen(s));
}

void    cli_out_ch(struct cli_out *o, int c)
{
    if (o->len == sizeof(o->buf))
	cli_out_drain(o);
    o->buf[o->len++] = (char) c;
}

void    cli_out_fmt(struct cli_out *o, const char *fmt,...)
{
    va_list ap;
    char    small[1024];
    int     n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0)
	return;
    /* Callers format short things; a longer result is cut. */
    cli_out_mem(o, small, (size_t) n < sizeof(small) ? (size_t) n
		: sizeof(small) - 1);
}

/* cli_out_plain - length of the leading run that needs no escaping */

static size_t cli_out_plain(const unsigned char *p, size_t left)
{
    size_t  i;

    for (i = 0; i < left; i++)
	if (p[i] < 0x20 || p[i] >= 0x7f || p[i] == '"' || p[i] == '\\')
	    break;
    return (i);
}

void    cli_out_json(struct cli_out *o, const char *s)
{
    const unsigned char *p = (const unsigned char *) s;
    size_t  left = strlen(s), n;
    char    esc[8];
    int     ok;

    cli_out_ch(o, '"');
    while (left > 0) {
	if ((n = cli_out_plain(p, left)) > 0) {
	    cli_out_mem(o, (const char *) p, n);
	} else if (*p == '"' || *p == '\\') {
	    cli_out_ch(o, '\\');
	    cli_out_ch(o, *p);
	    n = 1;
	} else if (*p < 0x20 || *p == 0x7f) {
	    snprintf(esc, sizeof(esc), "\\u%04x", *p);
	    cli_out_mem(o, esc, 6);
	    n = 1;
	} else if ((n = sx_text_utf8_char((const char *) p, left, &ok)) && ok) {
	    cli_out_mem(o, (const char *) p, n);
	} else {
	    if (n == 0)
		n = 1;
	    cli_out_mem(o, "\\ufffd", 6);
	}
	p += n;
	left -= n;
    }
    cli_out_ch(o, '"');
}

void    cli_out_csv(struct cli_out *o, const char *s)
{
    const char *q;

    if (strpbrk(s, ",\"\r\n") == 0) {
	cli_out_str(o, s);
	return;
    }
    cli_out_ch(o, '"');
    while ((q = strchr(s, '"')) != 0) {
	cli_out_mem(o, s, (size_t) (q - s) + 1);
	cli_out_ch(o, '"');
	s = q + 1;
    }
    cli_out_str(o, s);
    cli_out_ch(o, '"');
}

int     cli_out_flush(struct cli_out *o)
{
    cli_out_drain(o);
    if (o->err) {
	errno = o->err;
	return (-1);
    }
    return (0);
}
