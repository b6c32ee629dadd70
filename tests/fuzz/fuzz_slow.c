/*
 * fuzz_slow.c - the reader as the milter and the command run it: the
 * default limits, the body in 64 KB chunks, every finding explained
 * and rendered. Its findings are slow units: tests/fuzz/run.sh gives
 * each input a second, and fuzz_reader's small limits (50 findings,
 * 64 KB of text) would hide work that grows with the findings and the
 * text kept. An input is a whole message, as in tests/fixtures/slow.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <smtp-explain/config.h>
#include <smtp-explain/explain.h>
#include <smtp-explain/reader.h>
#include <smtp-explain/render.h>

#include "fuzz.h"

static struct sx_registry *reg;	/* fuzz_registry(), fuzz.h */

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sx_render_opts o = {"fuzz.example", "\n\t", 0, 1, 1, 0, 0, 0};
    struct sx_explanation ex;
    struct sx_reader *r;
    char    hdr[SX_RENDER_MIN * 2];
    size_t  at, n, i;

    reg = fuzz_registry();
    if ((r = sx_reader_new(0)) == 0)
	return (0);
    for (at = 0; at < size; at += n) {
	n = size - at < 65536 ? size - at : 65536;
	sx_reader_push(r, (const char *) data + at, n);
    }
    sx_reader_finish(r);
    for (i = 0; i < sx_reader_count(r); i++) {
	sx_explain(reg, sx_reader_finding(r, i), &ex);
	(void) sx_render_header(&o, sx_reader_finding(r, i), &ex, i,
				sx_reader_count(r), hdr, sizeof(hdr));
    }
    sx_reader_free(r);
    return (0);
}
