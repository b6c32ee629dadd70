/*
 * fuzz_reader.c - the streaming reader on arbitrary bytes, fed in
 * chunk sizes taken from the input itself, then explained and rendered
 * as the milter would. The first byte picks the chunk size.
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
    struct sx_limits lim = sx_limits_default;
    struct sx_reader *r;
    size_t  step, at, i;
    char    hdr[SX_RENDER_MIN];

    reg = fuzz_registry();
    if (size == 0)
	return (0);
    step = (size_t) data[0] % 97 + 1;
    lim.findings_max = 50;
    lim.line_max = 2048;
    lim.text_max = 65536;
    lim.depth_max = 8;
    r = sx_reader_new(&lim);
    if (r == 0)
	return (0);
    for (at = 1; at < size; at += step)
	sx_reader_push(r, (const char *) data + at, size - at < step ? size - at : step);
    sx_reader_finish(r);
    for (i = 0; i < sx_reader_count(r); i++) {
	struct sx_explanation ex;
	struct sx_render_opts o = {"fuzz.example", "\n\t", 200, 1, 1, 0, 0, 0};

	sx_explain(reg, sx_reader_finding(r, i), &ex);
	if (sx_render_header(&o, sx_reader_finding(r, i), &ex, i, sx_reader_count(r),
			     hdr, sizeof(hdr)) > 0 && strchr(hdr, '\r'))
	    __builtin_trap();		/* the milter form never has CR */
    }
    sx_reader_free(r);
    return (0);
}
