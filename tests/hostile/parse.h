/*
 * NAME
 *	parse 3h
 * SUMMARY
 *	the pipeline of "smtp-explain parse", in-process (test support)
 * SYNOPSIS
 *	#include "parse.h"
 *
 *	struct sx_reader *sxh_read(const char *msg, size_t len,
 *				size_t chunk, const struct sx_limits *lim);
 *	size_t	sxh_explain_all(const struct sx_registry *reg,
 *				const struct sx_reader *r);
 *	double	sxh_cpu(void);
 * DESCRIPTION
 *	sxh_read() reads a whole message (headers and body) the way the
 *	command does: a reader with the limits lim (NULL: the defaults,
 *	as the command has), the bytes pushed in chunks of chunk bytes
 *	(SXH_CHUNK is the command's and the milter's; 0 pushes the
 *	message at once), then finished. The
 *	caller frees the reader with sx_reader_free(); it is returned
 *	so that a test can look at it before.
 *
 *	sxh_explain_all() explains every finding with reg and renders its
 *	X-SMTP-Explain header with the command's options, as
 *	"smtp-explain parse" prints them; it returns the number of
 *	findings.
 *
 *	sxh_cpu() is the CPU time of the calling thread, in seconds.
 * DIAGNOSTICS
 *	sxh_read() aborts when the reader runs out of memory (test code).
 */
#ifndef SXH_PARSE_H
#define SXH_PARSE_H

#include <stddef.h>

#include <smtp-explain/reader.h>
#include <smtp-explain/registry.h>

#define SXH_CHUNK 65536

extern struct sx_reader *sxh_read(const char *, size_t, size_t,
				          const struct sx_limits *);
extern size_t sxh_explain_all(const struct sx_registry *, const struct sx_reader *);
extern double sxh_cpu(void);

#endif
