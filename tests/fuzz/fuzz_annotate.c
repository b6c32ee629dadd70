/*
 * fuzz_annotate.c - the explanation written into arbitrary messages:
 * read, explain, annotate. Whatever the input, the header comes out
 * byte for byte, and a second pass over the output changes nothing.
 * The first byte picks the options and the block's language.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <smtp-explain/annotate.h>
#include <smtp-explain/config.h>
#include <smtp-explain/reader.h>
#include <smtp-explain/report.h>

#include "fuzz.h"

static struct sx_registry *reg;	/* fuzz_registry(), fuzz.h */

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read msg and annotate it; 0 when out of memory. */
static int fuzz_one(const char *msg, size_t len, const struct sx_annotate_opts *o,
		            struct sx_annotate_out *out)
{
    struct sx_reader *r;
    struct sx_report rep;
    int     ok = 0;

    memset(&rep, 0, sizeof(rep));
    memset(out, 0, sizeof(*out));
    if ((r = sx_reader_new(0)) == 0)
	return (0);
    (void) sx_reader_push(r, msg, len);
    if (sx_reader_finish(r) == SX_OK
	&& sx_report_build(&rep, reg, r, 0, 0) == SX_OK
	&& sx_annotate(msg, len, &rep, o, out) == SX_OK)
	ok = 1;
    sx_report_free(&rep);
    sx_reader_free(r);
    return (ok);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const langs[] = {"en", "de", "fr", "es"};
    struct sx_annotate_opts o = {.max = 0};
    struct sx_annotate_out out, again;

    reg = fuzz_registry();
    if (size == 0)
	return (0);
    o.signed_ok = data[0] & 1;
    o.max = (data[0] & 2) ? size / 2 : 0;
    o.lang = langs[(data[0] >> 2) & 3];	/* the block's own words */
    if (!fuzz_one((const char *) data + 1, size - 1, &o, &out))
	return (0);
    if (out.data != 0) {
	if (out.body > size - 1 || memcmp(out.data, data + 1, out.body) != 0)
	    __builtin_trap();		/* the header must not change */
	o.max = 0;
	if (fuzz_one(out.data, out.len, &o, &again) && again.data != 0)
	    __builtin_trap();		/* annotated twice */
	sx_annotate_free(&again);
    }
    sx_annotate_free(&out);
    return (0);
}
