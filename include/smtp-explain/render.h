/*
 * NAME
 *	render 3h
 * SUMMARY
 *	the X-SMTP-Explain header: structured items and plain advice
 * SYNOPSIS
 *	#include <smtp-explain/render.h>
 *
 *	int	sx_render_header(const struct sx_render_opts *opts,
 *				const struct sx_finding *f,
 *				const struct sx_explanation *ex,
 *				size_t index, size_t total,
 *				char *buf, size_t size);
 *
 *	int	sx_render_result(const struct sx_render_opts *opts,
 *				const struct sx_finding *f,
 *				const struct sx_explanation *ex,
 *				size_t index, size_t total,
 *				char *buf, size_t size);
 * DESCRIPTION
 *	sx_render_header() writes the value (not the name) of one
 *	X-SMTP-Explain header for finding f into buf: the producing host's
 *	identifier, then key=value items (see docs/header-format.md), then
 *	the title, meaning and advice as quoted strings. The value is folded
 *	so that no line exceeds 78 columns where a break is possible (and
 *	never 998), with opts->fold ("\n\t" for a milter, "\r\n\t" for a
 *	file) between lines. It is 7-bit ASCII: text from the remote side
 *	is stripped of control characters, and words with 8-bit bytes are
 *	written as RFC 2047 encoded-words. Remote text is cut at
 *	opts->diag_max bytes.
 *
 *	The first line's length assumes the header name "X-SMTP-Explain: ".
 *	Counted with that name, no line is longer than SX_HEADER_LINE_MAX
 *	(RFC 5322's 998, without the line end), whatever the input and the
 *	options: a token or word that cannot fold is cut.
 *
 *	sx_render_result() writes the value of the X-SMTP-Explain-Result
 *	header that goes with it: the same identifier and items, and
 *	nothing the remote side could have written to look like one. No
 *	title, meaning, advice or diagnostic; a recipient, host or code
 *	from the report stands only when it has no character outside an
 *	address, host name or status code (no "=", ";", quote or space),
 *	else it is left out. A filter that tests "reason=userunknown" on
 *	this header tests what smtp-explain found, never what a stranger
 *	wrote.
 * DIAGNOSTICS
 *	Returns the length written (excluding the NUL), or SX_ERR_LIMIT when
 *	buf is too small for even a cut-down header (buf then holds "").
 *	SX_RENDER_MIN bytes always suffice.
 */
#ifndef SMTP_EXPLAIN_RENDER_H
#define SMTP_EXPLAIN_RENDER_H

#include <stddef.h>
#include <smtp-explain/finding.h>
#include <smtp-explain/explain.h>

#define SX_HEADER_NAME "X-SMTP-Explain"
#define SX_RESULT_NAME "X-SMTP-Explain-Result"
#define SX_RENDER_MIN 4096
#define SX_HEADER_LINE_MAX 998	/* RFC 5322 2.1.1, without CRLF */

struct sx_render_opts {
    const char *authserv_id;	/* our host name; "localhost" if NULL */
    const char *fold;		/* line break + WSP; "\n\t" if NULL */
    size_t  diag_max;		/* remote text kept; 0 means 200 */
    int     with_text;		/* include meaning and advice */
    int     with_diag;		/* include the remote diagnostic */
    int     cut;		/* SX_CUT_*: the message was read in part */
    const char *lang;		/* language of the text's explanation, or NULL */
    const char *help_url;	/* the site's help page template, or NULL */
};

extern int sx_render_header(const struct sx_render_opts *,
			            const struct sx_finding *,
			            const struct sx_explanation *,
			            size_t, size_t, char *, size_t);
extern int sx_render_result(const struct sx_render_opts *,
			            const struct sx_finding *,
			            const struct sx_explanation *,
			            size_t, size_t, char *, size_t);

#endif
