/*
 * NAME
 *	reply 3h
 * SUMMARY
 *	find the SMTP reply codes in reply text, diagnostics and prose
 * SYNOPSIS
 *	#include <smtp-explain/reply.h>
 *
 *	int	sx_reply_parse(const char *text, size_t len,
 *				struct sx_reply *out);
 *	int	sx_status_valid(const char *s, size_t len);
 *	int	sx_status_summary(const char *s);
 *	int	sx_status_find(const char *text, size_t len,
 *				char out[SX_STATUS_MAX], size_t *where);
 *	int	sx_reply_transcript_command(const char *text, size_t len,
 *				const char *recipient, const char *reply,
 *				char *out, size_t size);
 * DESCRIPTION
 *	sx_reply_parse() reads one SMTP reply in any of the forms it is
 *	met in: a single or multi-line reply ("550-5.1.1 ..."/"550 5.1.1
 *	..."), a Diagnostic-Code value ("smtp; 550 ...", "X-Postfix; ..."),
 *	or prose that quotes a reply ("host x said: 550 5.1.1 ... (in reply
 *	to RCPT TO command)", "#5.1.1", "SMTP error from remote mail server
 *	after RCPT TO:<a@b>: 550 ..."). It fills out->replycode (0 when none),
 *	out->status ("" when none), out->command (the SMTP command the reply
 *	answered, when the text names it), and out->text, the human part
 *	with codes and continuation prefixes removed, made safe.
 *	A basic code whose class differs from the enhanced one is kept as
 *	sent and SX_FINDING_CLASS_MISMATCH is set in out->flags.
 *
 *	sx_status_valid() tells whether s is an enhanced status code
 *	"c.sss.ddd" with c in 2, 4, 5.
 *
 *	sx_status_summary() tells whether s is a status "c.0.0", which says
 *	no more than its class: often the reporting MTA's summary ("5.0.0"
 *	for every failure), not the remote's own code.
 *
 *	sx_status_find() finds the first enhanced status code in text that
 *	stands on its own (not part of an IP address, version or date).
 *
 *	sx_reply_transcript_command() reads a session transcript in text
 *	(">>> " lines sent, "<<< " lines received) and names the command
 *	that the reply for recipient answered: a ">>> RCPT TO:" line
 *	that names the address and was refused (4xx or 5xx), or the last
 *	">>> " line before the "<<< "
 *	line that names it or starts with reply (the reply as the report
 *	quotes it, codes included). It returns 1 and fills out when it
 *	found one.
 * DIAGNOSTICS
 *	sx_reply_parse() returns 1 when it found a basic or an enhanced
 *	code, 0 otherwise; the input is never rejected. All functions are
 *	reentrant and allocate nothing.
 */
#ifndef SMTP_EXPLAIN_REPLY_H
#define SMTP_EXPLAIN_REPLY_H

#include <stddef.h>
#include <smtp-explain/finding.h>

struct sx_reply {
    int     replycode;
    unsigned flags;
    char    status[SX_STATUS_MAX];
    char    command[16];
    char    text[SX_DIAG_MAX];
};

extern int sx_reply_parse(const char *, size_t, struct sx_reply *);
extern int sx_status_valid(const char *, size_t);
extern int sx_status_summary(const char *);
extern int sx_status_find(const char *, size_t, char *, size_t *);
extern int sx_replycode_find(const char *, size_t, size_t *);
extern int sx_reply_transcript_command(const char *, size_t, const char *,
				               const char *, char *, size_t);

#endif
