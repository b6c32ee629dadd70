/*
 * NAME
 *	mime 3h
 * SUMMARY
 *	MIME header values and streaming content decoders (private)
 * SYNOPSIS
 *	#include "mime.h"
 *
 *	void	sx_mime_ctype(const char *value, struct sx_ctype *out);
 *	int	sx_mime_cte(const char *value);
 *	void	sx_decoder_init(struct sx_decoder *d, int cte,
 *				char *buf, size_t size);
 *	void	sx_decoder_line(struct sx_decoder *d, const char *line,
 *				size_t len, sx_line_fn fn, void *ctx);
 *	void	sx_decoder_flush(struct sx_decoder *d, sx_line_fn fn, void *ctx);
 *	int	sx_mime_qp_line(const char *line, size_t len,
 *				sx_bytes_fn fn, void *ctx);
 *	void	sx_mime_b64_feed(struct sx_b64 *st, const char *p, size_t n,
 *				sx_bytes_fn fn, void *ctx);
 *	size_t	sx_mime_addr(const char *value, char *out, size_t size);
 *	int	sx_mime_hex(int c);
 *	int	sx_mime_b64(int c);
 * DESCRIPTION
 *	sx_mime_ctype() splits a Content-Type value into lower-case type,
 *	and the boundary, report-type and charset parameters (quoted or
 *	not), each cut to fit its field.
 *
 *	The decoder takes raw body lines of one part and hands decoded
 *	logical lines to fn: quoted-printable soft breaks are joined,
 *	base64 is decoded across lines and split at its own line ends.
 *	Decoded lines longer than the buffer are split. Broken encodings
 *	decode as far as they make sense; bad bytes are dropped.
 *
 *	sx_mime_qp_line() and sx_mime_b64_feed() are the decoders of both
 *	the line decoder here and the annotator (which decodes a whole
 *	part and writes it again): one quoted-printable line without its
 *	line end (1 when it ends in a soft break), and base64 text in any
 *	pieces, the state in *st (zeroed to start), the bytes to fn.
 *
 *	sx_mime_addr() extracts the first mail address from a header value
 *	("Name <a@b>", "rfc822; a@b", "<a@b>"), without brackets.
 *
 *	sx_mime_hex() and sx_mime_b64() give the value of one hex digit or
 *	base64 character, -1 for any other byte.
 */
#ifndef SX_MIME_H
#define SX_MIME_H

#include <stddef.h>

#define SX_CTE_PLAIN 0
#define SX_CTE_QP 1
#define SX_CTE_BASE64 2

struct sx_ctype {
    char    type[80];		/* "multipart/report" */
    char    boundary[128];
    char    report_type[40];
    char    charset[40];
};

typedef void (*sx_line_fn) (void *ctx, const char *line, size_t len);
typedef void (*sx_bytes_fn) (void *ctx, const char *p, size_t n);

struct sx_b64 {
    unsigned bits;		/* accumulator */
    int     nbits;
};

struct sx_decoder {
    int     cte;
    char   *buf;		/* decoded line being built, caller's */
    size_t  size;
    size_t  len;
    struct sx_b64 b64;
    int     last_cr;		/* base64: decoded CR seen */
};

extern void sx_mime_ctype(const char *, struct sx_ctype *);
extern int sx_mime_cte(const char *);
extern void sx_decoder_init(struct sx_decoder *, int, char *, size_t);
extern void sx_decoder_line(struct sx_decoder *, const char *, size_t,
			            sx_line_fn, void *);
extern void sx_decoder_flush(struct sx_decoder *, sx_line_fn, void *);
extern int sx_mime_qp_line(const char *, size_t, sx_bytes_fn, void *);
extern void sx_mime_b64_feed(struct sx_b64 *, const char *, size_t, sx_bytes_fn, void *);
extern size_t sx_mime_addr(const char *, char *, size_t);
extern int sx_mime_hex(int);
extern int sx_mime_b64(int);

#endif
