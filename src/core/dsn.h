/*
 * NAME
 *	dsn 3h
 * SUMMARY
 *	RFC 3464 delivery-status fields to findings (private)
 * SYNOPSIS
 *	#include "dsn.h"
 *
 *	void	sx_dsn_init(struct sx_dsn *d);
 *	void	sx_dsn_line(struct sx_dsn *d, const char *line, size_t len,
 *				struct sx_reader *r);
 *	void	sx_dsn_end(struct sx_dsn *d, struct sx_reader *r);
 * DESCRIPTION
 *	Takes the decoded lines of a message/delivery-status part. Fields
 *	are unfolded (continuation lines joined with one space, each field
 *	cut at its buffer); groups end at blank lines, and also where a
 *	second Final-Recipient shows that a sender forgot the blank line.
 *	Recipients are read by sx_addr_usable() (address.h); a Final-
 *	Recipient that is no Internet address as the sender wrote it gives
 *	way to a usable Original-Recipient.
 *	Per-message fields go to the reader's message, each recipient
 *	group becomes a finding through sx_reader_add_dsn().
 */
#ifndef SX_DSN_H
#define SX_DSN_H

#include <stddef.h>
#include <smtp-explain/finding.h>
#include <smtp-explain/reader.h>

#define SX_DSN_FIELD_MAX 4096

struct sx_dsn {
    size_t  flen;
    int     in_recipient;	/* a recipient group has started */
    int     has_final, has_orig, has_diag, has_status;
    int     final_kind, orig_kind;	/* sx_addr_usable() of each */
    struct sx_finding cur;
    char    reporting_mta[SX_HOST_MAX];
    char    diag_type[16];	/* "smtp", "x-unix", ... */
    char    field[SX_DSN_FIELD_MAX];	/* last: only [0, flen) is used */
};

extern void sx_dsn_init(struct sx_dsn *);
extern void sx_dsn_line(struct sx_dsn *, const char *, size_t, struct sx_reader *);
extern void sx_dsn_end(struct sx_dsn *, struct sx_reader *);

/* reader.c: a finding from a DSN group, message fields. */
extern void sx_reader_add_dsn(struct sx_reader *, const struct sx_finding *);
extern struct sx_message *sx_reader_message_rw(struct sx_reader *);

#endif
