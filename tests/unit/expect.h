/*
 * expect.h - the shared fixture format of the reading suites (expect.c).
 */
#ifndef SX_UNIT_EXPECT_H
#define SX_UNIT_EXPECT_H

#include <stddef.h>
#include <smtp-explain/explain.h>
#include <smtp-explain/reader.h>

/* Called for each finding as it is written (may be null). */
typedef void (*sx_unit_note) (const struct sx_finding *,
			              const struct sx_explanation *, void *);

/* Called for each NAME.eml of a folder with its .expect text. */
typedef void (*sx_unit_fixture) (const char *name, const char *msg, size_t len,
				         const char *want, void *ctx);

extern size_t sx_unit_expect(const struct sx_registry *, const struct sx_reader *,
			             char *, size_t, sx_unit_note, void *);
extern int sx_unit_fixtures(const char *, sx_unit_fixture, void *);

#endif
