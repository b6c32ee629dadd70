/*
 * NAME
 *	snapshot 3h
 * SUMMARY
 *	the built-in registry and the fixed pattern sets, compiled at build
 *	time (private)
 * SYNOPSIS
 *	#include "snapshot.h"
 *
 *	extern const struct sx_registry *const sx_snapshot_registry;
 *	extern const struct sx_snapshot_lang sx_snapshot_langs[];
 *	extern const struct sx_phrases sx_sets[SX_SETS];
 *
 *	extern const struct sx_set_src *const sx_set_srcs[SX_SETS];
 *
 *	struct sx_registry *sx_config_registry_parse(const char *path,
 *				struct sx_errors *errs);
 *	struct sx_langs *sx_langs_parse(const char *only,
 *				struct sx_errors *errs);
 *
 *	int	sx_snapshot_write(FILE *fp, struct sx_errors *errs);
 *
 *	void	sx_snapshot_str(FILE *fp, const char *s);
 *	int	sx_phrases_emit(FILE *fp, const struct sx_phrases *ph,
 *				const char *name);
 *	void	sx_phrases_ref(FILE *fp, const struct sx_phrases *ph,
 *				const char *name);
 * DESCRIPTION
 *	What every process would otherwise build the same way at start
 *	(the built-in registry parsed, checked and sealed, each compiled-in
 *	language's texts, the automata of the fixed phrase lists) is built
 *	once, by the build, into a generated C file of static const data
 *	(build/gen/registry_snapshot.c). The library reads it in place.
 *
 *	sx_snapshot_registry is the built-in registry (etc/registry.conf
 *	and the English texts), sealed: sx_config_registry_with() with no
 *	file, and a configuration without registry_file or an inline
 *	registry, return a registry that reads it (registry_int.h,
 *	sx_registry_image()). It is NULL in the generator itself, which
 *	links an empty snapshot and builds everything at run time.
 *	sx_snapshot_langs[] holds each compiled-in language's texts, ended
 *	by a NULL lang.
 *
 *	sx_sets[] are the fixed pattern sets, compiled: sx_sets[id] is the
 *	list sx_set_srcs[id] names, with its automaton. The phrase tiers
 *	(phrases.h) are compiled with them.
 *
 *	sx_config_registry_parse() and sx_langs_parse() are the run-time
 *	loaders that the snapshot replaces (same checks, same result):
 *	what sx_config_registry_with() does with a file of extras, and
 *	what the generator and the tests use.
 *
 *	sx_snapshot_write() builds all of it at run time and writes the C
 *	file to fp: what the generator (src/tools/snapshot.c) runs.
 *
 *	The modules write their own structures (sx_registry_emit(),
 *	sx_match_emit(), sx_tiers_emit()) with what they share here:
 *	sx_snapshot_str() writes s as a C string literal;
 *	sx_phrases_emit() writes a phrase set's needles and automaton as
 *	static arrays whose names start with name, and sx_phrases_ref()
 *	the initialiser of a struct sx_phrases that points at them.
 *
 *	A new fixed pattern set is a list in the module that reads it, an
 *	struct sx_set_src naming it there, an SX_SET_ id below and its row
 *	in sx_set_srcs[] (snapshot.c); the module reads sx_sets + id.
 * DIAGNOSTICS
 *	sx_snapshot_write() returns 0, or -1 with what went wrong in errs.
 *	sx_phrases_emit() returns 0, or -1 on a write error.
 */
#ifndef SX_SNAPSHOT_H
#define SX_SNAPSHOT_H

#include <stddef.h>
#include <stdio.h>

#include <smtp-explain/config.h>
#include <smtp-explain/lang.h>
#include <smtp-explain/registry.h>

#include "scan.h"

/* The fixed pattern sets, by the module that reads them. */
enum sx_set_id {
    SX_SET_MARKS,		/* scan.c: cut and end marks */
    SX_SET_MARKS_CUT,		/* scan.c: cut marks */
    SX_SET_MARKS_END,		/* scan.c: end marks */
    SX_SET_STAGE,		/* reply.c: the stage in prose */
    SX_SET_CHALLENGE,		/* autoreply.c: challenge-response notices */
    SX_SET_FAILURE,		/* generic.c: words that say something failed */
    SX_SETS
};

struct sx_set_src {
    const char *name;		/* for messages */
    const char *const *needles;
    size_t  n;
};

extern const struct sx_set_src sx_src_marks;
extern const struct sx_set_src sx_src_marks_cut;
extern const struct sx_set_src sx_src_marks_end;
extern const struct sx_set_src sx_src_stage;
extern const struct sx_set_src sx_src_challenge;
extern const struct sx_set_src sx_src_failure;

extern const struct sx_set_src *const sx_set_srcs[SX_SETS];

struct sx_snapshot_lang {
    const char *lang;
    const struct sx_registry *texts;
};

/* The generated data (or the generator's empty stand-in). */
extern const struct sx_registry *const sx_snapshot_registry;
extern const struct sx_snapshot_lang sx_snapshot_langs[];
extern const struct sx_phrases sx_sets[SX_SETS];

extern struct sx_registry *sx_config_registry_parse(const char *,
						            struct sx_errors *);
extern struct sx_langs *sx_langs_parse(const char *, struct sx_errors *);
extern int sx_snapshot_write(FILE *, struct sx_errors *);

/* Writers the modules share (snapshot.c). */
extern void sx_snapshot_str(FILE *, const char *);
extern int sx_phrases_emit(FILE *, const struct sx_phrases *, const char *);
extern void sx_phrases_ref(FILE *, const struct sx_phrases *, const char *);

#endif
