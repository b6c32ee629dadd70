/*
 * NAME
 *	lang 3h
 * SUMMARY
 *	the registry's wording in other languages
 * SYNOPSIS
 *	#include <smtp-explain/lang.h>
 *
 *	struct sx_langs *sx_langs_new(void);
 *	struct sx_langs *sx_langs_embedded(const char *only,
 *				struct sx_errors *errs);
 *	int	sx_langs_add(struct sx_langs *langs, const char *lang,
 *				const char *name, const char *text,
 *				struct sx_errors *errs);
 *	void	sx_langs_free(struct sx_langs *langs);
 *	size_t	sx_langs_count(const struct sx_langs *langs);
 *	const char *sx_langs_name(const struct sx_langs *langs, size_t i);
 *	const struct sx_registry *sx_langs_texts(const struct sx_langs *langs,
 *				size_t i);
 *	int	sx_lang_known(const struct sx_langs *langs, const char *lang);
 *	int	sx_lang_compiled(const char *lang);
 *	void	sx_lang_explain(const struct sx_langs *langs, const char *lang,
 *				struct sx_explanation *ex);
 *	void	sx_lang_words(const struct sx_langs *langs, const char *lang,
 *				const struct sx_registry *reg,
 *				const char *words[SX_WORDS]);
 *	const char *sx_lang_choose(const struct sx_langs *langs,
 *				char *const *map, const char *rcpt,
 *				const char *content_language,
 *				const char *dflt);
 *	int	sx_lang_norm(const char *in, char *out, size_t size);
 * DESCRIPTION
 *	English is the registry's own wording (etc/texts/en.conf, part of
 *	the registry). Every other language is a file of the same layout,
 *	etc/texts/LANG.conf, compiled into the library; its records are
 *	keyed like the English ones, and UTF-8 is allowed in them.
 *
 *	sx_langs_embedded() loads the compiled-in languages (only that
 *	one when only is not NULL), sealed at build time;
 *	sx_langs_add() adds one from text (name is for messages), into a
 *	set made by sx_langs_new(). A language's names are two or three
 *	lower-case letters; "en" is never added (it is the registry).
 *
 *	sx_lang_known() tells whether lang is English, compiled in, or
 *	in the set; sx_lang_compiled() whether it is English or compiled
 *	in: the languages a setting may name.
 *
 *	sx_lang_explain() turns the wording of an explanation (made with
 *	the registry, in English) into lang: the vendor entry's record
 *	when the language has one, else the record of the code the vendor
 *	entry stands for (enhanced, then basic) -- the explanation still
 *	names the vendor -- else the enhanced code's, the basic code's, the
 *	class's fallback and the "*" fallback, in that order. A field a
 *	record leaves out, or a language without any record for the
 *	finding, keeps the English. "en", an unknown language or NULL
 *	change nothing. The strings are borrowed from langs.
 *
 *	sx_lang_words() fills words[] with the explanation block's own
 *	words (registry(3h), enum sx_word) in lang: each the language's
 *	record of that name (from langs, else the compiled-in texts of
 *	lang), else the English one of reg (the registry the report was
 *	explained with; NULL: the built-in one), else "". The strings are
 *	borrowed from langs, reg or the library; each has been checked to
 *	have the placeholder of its name (sx_word_check()) and is filled in
 *	with sx_word_subst(), never used as a format.
 *
 *	sx_lang_choose() picks the language of the person a report goes
 *	to: the map (entries "ADDRESS=LANG" or "DOMAIN=LANG", a domain may
 *	be a glob; the address is tried first, then the domain, in the
 *	order of the map), then the returned message's Content-Language
 *	(its first tag, "de-CH" read as "de"), then dflt; only known
 *	languages count (sx_lang_known()). The result is a static string
 *	or one of the set.
 *
 *	sx_lang_norm() writes the language of a locale or language tag
 *	("de_DE.UTF-8", "fr-CA", "ES") as two or three lower-case letters,
 *	and returns 1; "C", "POSIX" and what is not a language return 0.
 * DIAGNOSTICS
 *	sx_langs_embedded() returns NULL (errors in errs) when a compiled-in
 *	file does not load, or when out of memory. sx_langs_add() returns
 *	SX_OK, SX_ERR_CONFIG or SX_ERR_NOMEM.
 */
#ifndef SMTP_EXPLAIN_LANG_H
#define SMTP_EXPLAIN_LANG_H

#include <stddef.h>
#include <smtp-explain/config.h>
#include <smtp-explain/explain.h>
#include <smtp-explain/registry.h>

#define SX_LANG_MAX 4			/* "de", "fra" and NUL */

struct sx_langs;

extern struct sx_langs *sx_langs_new(void);
extern struct sx_langs *sx_langs_embedded(const char *, struct sx_errors *);
extern int sx_langs_add(struct sx_langs *, const char *, const char *,
			        const char *, struct sx_errors *);
extern void sx_langs_free(struct sx_langs *);
extern size_t sx_langs_count(const struct sx_langs *);
extern const char *sx_langs_name(const struct sx_langs *, size_t);
extern const struct sx_registry *sx_langs_texts(const struct sx_langs *, size_t);
extern int sx_lang_known(const struct sx_langs *, const char *);
extern int sx_lang_compiled(const char *);
extern void sx_lang_explain(const struct sx_langs *, const char *,
			            struct sx_explanation *);
extern void sx_lang_words(const struct sx_langs *, const char *,
			          const struct sx_registry *, const char *[SX_WORDS]);
extern const char *sx_lang_choose(const struct sx_langs *, char *const *,
				          const char *, const char *,
				          const char *);
extern int sx_lang_norm(const char *, char *, size_t);

#endif
