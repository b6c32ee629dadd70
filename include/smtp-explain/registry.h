/*
 * NAME
 *	registry 3h
 * SUMMARY
 *	what SMTP reply codes mean, who must act, what to do
 * SYNOPSIS
 *	#include <smtp-explain/registry.h>
 *
 *	struct sx_registry *sx_registry_new(void);
 *	void	sx_registry_free(struct sx_registry *);
 *	int	sx_registry_add(struct sx_registry *, enum sx_entry_table,
 *				const struct sx_entry *);
 *	int	sx_registry_add_texts(struct sx_registry *,
 *				enum sx_entry_table, const struct sx_entry *);
 *	int	sx_registry_has_texts(const struct sx_registry *,
 *				enum sx_entry_table, const struct sx_entry *);
 *	const struct sx_entry *sx_registry_texts_of(
 *				const struct sx_registry *, enum sx_entry_table,
 *				const struct sx_entry *key);
 *	int	sx_registry_key_valid(enum sx_entry_table,
 *				const struct sx_entry *);
 *	int	sx_registry_seal(struct sx_registry *);
 *
 *	size_t	sx_registry_count(const struct sx_registry *,
 *				enum sx_entry_table);
 *	const struct sx_entry *sx_registry_at(const struct sx_registry *,
 *				enum sx_entry_table, size_t i);
 *	size_t	sx_registry_unused_texts(const struct sx_registry *);
 *
 *	const struct sx_entry *sx_registry_basic(const struct sx_registry *,
 *				int code);
 *	const struct sx_entry *sx_registry_enhanced(const struct sx_registry *,
 *				const char *status, int *exact);
 *	const struct sx_entry *sx_registry_vendor(const struct sx_registry *,
 *				const char *status, int replycode,
 *				const char *text, const char *host);
 *	const struct sx_entry *sx_registry_fallback(const struct sx_registry *,
 *				const char *name);
 *	const char *sx_registry_reason_by_text(const struct sx_registry *,
 *				const char *text);
 *
 *	void	sx_registry_text_hits(const struct sx_registry *,
 *				const char *text, struct sx_text_hits *hits);
 *	const struct sx_entry *sx_registry_vendor_hits(
 *				const struct sx_registry *, const char *status,
 *				int replycode, const char *text, const char *host,
 *				const struct sx_text_hits *hits);
 *	const char *sx_registry_reason_hits(const struct sx_registry *,
 *				const char *text, const struct sx_text_hits *hits);
 *
 *	int	sx_reason_valid(const char *name);
 *	unsigned sx_reason_attrs(const char *name);
 *
 *	extern const struct sx_word_def sx_words[SX_WORDS];
 *	int	sx_word_find(const char *name);
 *	const char *sx_word_check(enum sx_word w, const char *text);
 *	size_t	sx_word_subst(char *out, size_t size, const char *text,
 *				const char *arg);
 * DESCRIPTION
 *	A registry holds five tables of facts, all loaded from data (see
 *	config(3h)): basic reply codes ("550"), enhanced status codes
 *	("X.1.1", "5.7.26", with subject "X.7.*" and class "5.*.*"
 *	fallbacks), vendor entries (a status or basic code, plus a text
 *	pattern and remote host globs, such as Gmail's 5.7.26 or
 *	Microsoft's 5.7.500-5.7.750 range), reason patterns (text fragments
 *	that name a bounce reason), and fallbacks (named by a finding kind,
 *	a class or "*": what is said when no code says more).
 *
 *	Facts and wording are kept apart. The facts of an entry (class,
 *	who, retry, reason, reference, ...) are in its table; its wording
 *	(title, text, action) is a text record filed under the same key in
 *	a table of texts, so that a language file or an admin can replace
 *	either without the other. sx_registry_add() files the facts of an
 *	entry, and its wording too when the entry carries any;
 *	sx_registry_add_texts() files wording alone (only the key fields
 *	and the wording of its argument are read). A text record replaces
 *	the earlier one of its key as a whole. sx_registry_has_texts()
 *	tells whether a key has wording yet. Reason patterns have none.
 *	sx_registry_texts_of() returns the text record of key's key in a
 *	sealed registry (its title, text and action; any may be NULL), or
 *	NULL: how another language's wording is looked up (lang(3h)).
 *	sx_registry_key_valid() tells whether an entry's key is well formed
 *	for a table (what the add functions check first).
 *
 *	Both copy the strings they keep. sx_registry_seal() sorts and
 *	indexes the tables and gives each entry the wording of its key (an
 *	entry without any keeps NULL title, text and action); lookups are
 *	valid only after it, and adding after sealing is a programmer
 *	error. An entry or text record added later with the key of an
 *	earlier one replaces it, so an admin's file overrides the embedded
 *	default. The key is the code for basic, enhanced and fallback
 *	entries, code, vendor and pattern together for vendor entries, and
 *	the pattern for reason patterns.
 *
 *	sx_registry_enhanced() falls back from an unknown detail to its
 *	subject and from an unknown subject to its class; *exact (optional)
 *	tells which level matched: 3 detail, 2 subject, 1 class.
 *	sx_registry_vendor() returns the first vendor entry whose code or
 *	range matches and whose host globs (if any) match host and whose
 *	pattern (if any) occurs in text, case-insensitively; only entries
 *	filed under the same code are scanned.
 *	sx_registry_fallback() is the fallback entry of that name (a finding
 *	kind such as "feedback", a class such as "permanent", or "*"), or
 *	NULL.
 *	sx_registry_reason_by_text() returns the reason of the first reason
 *	pattern found in text, or NULL.
 *
 *	sx_registry_count() and sx_registry_at() walk a sealed table (NULL
 *	past its end). sx_registry_unused_texts() is the number of text
 *	records whose key no entry has: wording that a changed key left
 *	behind, or a language file out of step with the facts.
 *
 *	The _hits forms give the same answers for a text that is asked
 *	about both ways: sx_registry_text_hits() reads the text once for
 *	the reason and the vendor patterns together, and the two lookups
 *	then use what it found (text must be the same).
 *
 *	The block table (SX_TABLE_BLOCK) is wording alone: the explanation
 *	block's own words (annotate(3h)), text records keyed by a name of
 *	sx_words[] (in the code member; the file calls it "name"), with a
 *	text and no facts. sx_registry_add() refuses it; a registry file's
 *	"texts" group fills it (list "block"); sx_registry_texts_of() reads
 *	it. sx_words[] names the words by enum sx_word, with the placeholder
 *	each has; sx_word_find() is the enum sx_word of a name, or -1.
 *	sx_word_check() tells whether text may be word w: exactly w's one
 *	"%s" or "%zu" (or none), and no other '%' than "%%" (NULL), or why
 *	not (a static phrase). sx_registry_add_texts() and the loader refuse
 *	a word that fails it, so no text from a file becomes a format.
 *	sx_word_subst() writes a word into out (size bytes, NUL-terminated,
 *	cut to fit) with arg in place of its placeholder and '%' for "%%",
 *	and returns the length written.
 *
 *	sx_reason_valid() tells whether a name is one of the reason
 *	taxonomy (userunknown, mailboxfull, ...; see docs/registry.md), and
 *	sx_reason_attrs() what the explanation rules know of it (SX_REASON_*
 *	bits; 0 for a name that is not one). The reasons the registry
 *	returns are the taxonomy's own strings.
 *
 *	Lookups return pointers into the registry (borrowed; valid until
 *	sx_registry_free()). A sealed registry is read-only and may be shared
 *	by threads.
 * DIAGNOSTICS
 *	sx_registry_add() and sx_registry_add_texts() return SX_OK, or
 *	SX_ERR_NOMEM, or SX_ERR_INVALID for an entry with a malformed key,
 *	a reason that is not of the taxonomy, a block word whose
 *	placeholders are not its name's, or an entry of the block table.
 *	sx_registry_seal() returns
 *	SX_OK or SX_ERR_NOMEM; after a failure the registry is not sealed
 *	and can only be freed (an unsorted table would let an override lose
 *	to the default it replaces).
 */
#ifndef SMTP_EXPLAIN_REGISTRY_H
#define SMTP_EXPLAIN_REGISTRY_H

#include <stddef.h>
#include <smtp-explain/names.h>
#include <smtp-explain/status.h>

enum sx_class {
    SX_CLASS_UNKNOWN = 0,
    SX_CLASS_SUCCESS,		/* 2xx, 2.x.x */
    SX_CLASS_INTERMEDIATE,	/* 3xx */
    SX_CLASS_TRANSIENT,		/* 4xx, 4.x.x */
    SX_CLASS_PERMANENT,		/* 5xx, 5.x.x */
    SX_CLASS_LOCAL,		/* 1xx client-side codes, never on the wire */
};

enum sx_who {
    SX_WHO_NONE = 0,		/* nobody needs to act */
    SX_WHO_SENDER,		/* the person who sent the message */
    SX_WHO_SENDER_ADMIN,	/* the sending site's postmaster */
    SX_WHO_RECIPIENT,		/* the recipient or the receiving site */
    SX_WHO_RECIPIENT_ADMIN,	/* the receiving site's postmaster */
};

enum sx_retry {
    SX_RETRY_UNKNOWN = 0,
    SX_RETRY_NO,		/* the same message will fail again */
    SX_RETRY_YES,		/* a later try can succeed unchanged */
    SX_RETRY_AFTER_FIX,		/* resend after the fix in "action" */
};

/* The names of the enums, as data files and output write them. */
extern const struct sx_name_code sx_class_names[];
extern const struct sx_name_code sx_who_names[];
extern const struct sx_name_code sx_retry_names[];

enum sx_entry_table {
    SX_TABLE_BASIC = 0,
    SX_TABLE_ENHANCED,
    SX_TABLE_VENDOR,
    SX_TABLE_REASON,
    SX_TABLE_FALLBACK,
    SX_TABLE_BLOCK,		/* wording alone: the block's own words */
};

#define SX_TABLES 6

/*
 * The explanation block's own words (annotate(3h)): each is a text
 * record of the block table, keyed by its name (sx_words[]), in English
 * and in every other language.
 */
enum sx_word {
    SX_WORD_INTRO = 0,		/* the first line, after SX_ANNOTATE_MARK */
    SX_WORD_ARRIVED,		/* %s: the Arrival-Date */
    SX_WORD_WHO_LABEL,
    SX_WORD_WHAT_LABEL,
    SX_WORD_WHO,		/* + enum sx_who: who must act */
    SX_WORD_UNTIL = SX_WORD_WHO + SX_WHO_RECIPIENT_ADMIN + 1,	/* %s */
    SX_WORD_UNTIL_ABOUT,	/* %s: Arrival-Date + queue_lifetime */
    SX_WORD_OPEN,		/* still trying, no date */
    SX_WORD_STOPPED_AT,		/* %s: the Last-Attempt-Date */
    SX_WORD_STOPPED,
    SX_WORD_MORE,		/* %zu: recipients the block leaves out */
    SX_WORD_UNNAMED,		/* in place of a missing address */
    SX_WORD_HELP_LABEL,		/* before the help link */
    SX_WORDS,
};

/* What a word's one placeholder stands for. */
enum sx_word_arg {
    SX_WORD_ARG_NONE = 0,	/* no placeholder */
    SX_WORD_ARG_TEXT,		/* "%s": a date */
    SX_WORD_ARG_COUNT,		/* "%zu": a number */
};

struct sx_word_def {
    const char *name;		/* its key in a file: "intro", "who_sender" */
    enum sx_word_arg arg;
};

extern const struct sx_word_def sx_words[SX_WORDS];

struct sx_entry {
    const char *code;		/* "550", "X.1.1", "5.7.26", "5.7.500-5.7.750" */
    const char *vendor;		/* vendor entries: "gmail", "microsoft" ... */
    const char *title;		/* wording: short title, a few words */
    const char *text;		/* wording: what it means */
    const char *action;		/* wording: what to do (the sender) */
    const char *action_admin;	/* wording: what a mail admin does, if other */
    const char *reason;		/* taxonomy name: userunknown, ... */
    const char *reason_transient;	/* reason for the 4.x form, if other */
    const char *ref;		/* "RFC 3463", vendor document */
    const char *pattern;	/* vendor and reason tables: text fragment */
    const char *const *hosts;	/* vendor: NULL-terminated host globs */
    enum sx_class class;	/* from the code; UNKNOWN means "by code" */
    enum sx_who who;
    enum sx_retry retry;
};

/*
 * What the explanation rules know of a reason (sx_reason_attrs()); see
 * docs/registry.md, "How the reason is chosen".
 */
#define SX_REASON_PRECISE	0x01	/* names a cause: kept at any stage */
#define SX_REASON_CODE_FIRM	0x02	/* from an exact code, outweighs text */
#define SX_REASON_LOCAL		0x04	/* a local program's own failure */
#define SX_REASON_HOST_AT_HELLO	0x08	/* at CONN/HELO, the host is blocked */
#define SX_REASON_FILTER_AT_DATA 0x10	/* at DATA, a filter's refusal */
#define SX_REASON_SUCCESS	0x20	/* describes a success */

struct sx_registry;

extern struct sx_registry *sx_registry_new(void);
extern void sx_registry_free(struct sx_registry *);
extern int sx_registry_add(struct sx_registry *, enum sx_entry_table,
			           const struct sx_entry *);
extern int sx_registry_add_texts(struct sx_registry *, enum sx_entry_table,
				         const struct sx_entry *);
extern int sx_registry_has_texts(const struct sx_registry *, enum sx_entry_table,
				         const struct sx_entry *);
extern int sx_registry_key_valid(enum sx_entry_table, const struct sx_entry *);
extern const struct sx_entry *sx_registry_texts_of(const struct sx_registry *,
				          enum sx_entry_table,
				          const struct sx_entry *);
extern int sx_registry_seal(struct sx_registry *);
extern size_t sx_registry_count(const struct sx_registry *, enum sx_entry_table);
extern const struct sx_entry *sx_registry_at(const struct sx_registry *,
				              enum sx_entry_table, size_t);
extern size_t sx_registry_unused_texts(const struct sx_registry *);

extern const struct sx_entry *sx_registry_basic(const struct sx_registry *, int);
extern const struct sx_entry *sx_registry_enhanced(const struct sx_registry *,
					           const char *, int *);
extern const struct sx_entry *sx_registry_vendor(const struct sx_registry *,
				         const char *, int, const char *,
					         const char *);
extern const struct sx_entry *sx_registry_fallback(const struct sx_registry *,
					           const char *);

/* What one pass over a text found: see sx_registry_text_hits(). */
#define SX_VENDOR_BITS 8192		/* vendor entries one lookup can mark */

struct sx_text_hits {
    int     scanned;		/* 0: the lookups scan for themselves */
    long    reason;		/* reason pattern index, or -1 */
    unsigned char bits[SX_VENDOR_BITS / 8];	/* vendor patterns found */
};

extern void sx_registry_text_hits(const struct sx_registry *, const char *,
				          struct sx_text_hits *);
extern const struct sx_entry *sx_registry_vendor_hits(const struct sx_registry *,
			               const char *, int, const char *, const char *,
					             const struct sx_text_hits *);
extern const char *sx_registry_reason_hits(const struct sx_registry *, const char *,
					           const struct sx_text_hits *);
extern const char *sx_registry_reason_by_text(const struct sx_registry *,
					              const char *);

extern int sx_word_find(const char *);
extern const char *sx_word_check(enum sx_word, const char *);
extern size_t sx_word_subst(char *, size_t, const char *, const char *);

extern int sx_reason_valid(const char *);
extern unsigned sx_reason_attrs(const char *);
extern enum sx_class sx_class_of_code(int);
extern enum sx_class sx_class_of_status(const char *);
extern const char *sx_class_name(enum sx_class);
extern const char *sx_who_name(enum sx_who);
extern const char *sx_retry_name(enum sx_retry);
extern int sx_class_parse(const char *, enum sx_class *);
extern int sx_who_parse(const char *, enum sx_who *);
extern int sx_retry_parse(const char *, enum sx_retry *);

#endif
