/*
 * NAME
 *	annotate 3h
 * SUMMARY
 *	the explanation, written into the report's own text
 * SYNOPSIS
 *	#include <smtp-explain/annotate.h>
 *
 *	int	sx_annotate(const char *msg, size_t len,
 *				const struct sx_report *rep,
 *				const struct sx_annotate_opts *opts,
 *				struct sx_annotate_out *out);
 *	void	sx_annotate_free(struct sx_annotate_out *out);
 *	size_t	sx_annotate_block(const struct sx_report *rep,
 *				const struct sx_annotate_opts *opts,
 *				const char *eol, char *buf, size_t size);
 * DESCRIPTION
 *	Most mail clients hide headers; the person who needs the
 *	explanation reads the report's text. sx_annotate() takes a whole
 *	message (headers and body, as bytes) and the report made of it,
 *	and writes a short block of plain lines per failed or delayed
 *	recipient (what happened, who must act, what to do, whether the
 *	sending server keeps trying) at the top of the report's first
 *	text/plain part, and of the text/html alternative when there is
 *	one (HTML-escaped, after the <body> tag).
 *
 *	Everything else stays byte for byte: the message's header, the
 *	MIME structure, the delivery-status part and the returned message.
 *	Only the text part changes. Its transfer encoding is kept: the
 *	block is written raw into a 7bit or 8bit part, encoded into a
 *	quoted-printable one, and a base64 part is decoded and encoded
 *	again. A block with 8-bit text (an address in UTF-8) needs a UTF-8
 *	part: a US-ASCII part of a multipart report gets charset utf-8
 *	(and quoted-printable when it was 7bit) in its own header; a part
 *	in another charset, or a single-part message whose own header
 *	would have to change, is left alone.
 *
 *	A single-part report (not multipart) gets the block above its
 *	text, when that text is text/plain.
 *
 *	The result is out->data (malloc'd, out->len bytes and a NUL that
 *	is not counted; the first
 *	out->body bytes are the message's header, unchanged, so a milter
 *	replaces the body with the rest), or out->data NULL and out->why,
 *	a static phrase, when the message stays as it is: too large
 *	(opts->max), signed (a DKIM-Signature field, unless
 *	opts->signed_ok), nothing failed, no text part, an encoding or
 *	charset it does not write, already annotated.
 *
 *	The block is in opts->lang (English when NULL): its own words
 *	(the labels and sentences around the registry's wording, the
 *	"block" records of the language's text file) and the registry's
 *	wording in that language, both from opts->langs (see lang(3h)).
 *	A word the language lacks is the English one of opts->reg (the
 *	registry the report was explained with; NULL: the built-in one).
 *	A block with 8-bit text needs a UTF-8 part, as said above.
 *
 *	sx_annotate_block() writes the plain text block alone, each line
 *	ended by eol, into buf (always NUL-terminated), and returns its
 *	length (0: nothing to say). The block names at most
 *	SX_ANNOTATE_FINDINGS recipients and counts the others.
 *
 *	Time and memory are linear in len: the message is walked once,
 *	the text part decoded and encoded once.
 * DIAGNOSTICS
 *	sx_annotate() returns SX_OK (changed or not) or SX_ERR_NOMEM.
 */
#ifndef SMTP_EXPLAIN_ANNOTATE_H
#define SMTP_EXPLAIN_ANNOTATE_H

#include <stddef.h>
#include <smtp-explain/lang.h>
#include <smtp-explain/report.h>

#define SX_ANNOTATE_FINDINGS 10		/* recipients named in the block */
#define SX_ANNOTATE_BLOCK_MAX 16384	/* bytes of the block, at most */
#define SX_ANNOTATE_MARK "[smtp-explain]"	/* the block's first word */

struct sx_annotate_opts {
    size_t  max;		/* largest message rewritten; 0: no limit */
    int     signed_ok;		/* rewrite a message with DKIM-Signature */
    const char *lang;		/* the block's language; NULL: "en" */
    const struct sx_langs *langs;	/* wording of other languages, or NULL */
    const struct sx_registry *reg;	/* English words; NULL: the built-in */
    const char *help_url;	/* the site's help page template, or NULL */
};

struct sx_annotate_out {
    char   *data;		/* the new message, or NULL: unchanged */
    size_t  len;
    size_t  body;		/* where its body starts */
    const char *why;		/* unchanged: why, static; changed: NULL */
};

extern int sx_annotate(const char *, size_t, const struct sx_report *,
		               const struct sx_annotate_opts *,
		               struct sx_annotate_out *);
extern void sx_annotate_free(struct sx_annotate_out *);
extern size_t sx_annotate_block(const struct sx_report *,
				        const struct sx_annotate_opts *,
				        const char *, char *, size_t);

#endif
