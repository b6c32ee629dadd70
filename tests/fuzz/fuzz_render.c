/*
 * fuzz_render.c - the header renderer on findings whose every text
 * field comes from the input, with buffer sizes from the input too.
 * The output must stay ASCII, folded, and free of bare line breaks,
 * and no line (the field name counted) may pass RFC 5322's 998, for
 * any diag_max the configuration takes and diagnostics up to its size.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/config.h>
#include <smtp-explain/explain.h>
#include <smtp-explain/render.h>

#include "fuzz.h"

static struct sx_registry *reg;	/* fuzz_registry(), fuzz.h */

/* A field of the input: a length byte (times scale), then the bytes. */
static size_t take(char *dst, size_t cap, const uint8_t **p, size_t *left,
		           size_t scale)
{
    size_t  n = *left ? (size_t) (**p) * scale : 0;

    if (*left)
	(*p)++, (*left)--;
    if (n > *left)
	n = *left;
    if (n >= cap)
	n = cap - 1;
    memcpy(dst, *p, n);
    dst[n] = 0;
    *p += n;
    *left -= n;
    return (n);
}

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sx_finding f;
    struct sx_explanation ex;
    struct sx_render_opts o = {"fuzz.example", "\n\t", 0, 1, 1, 0, 0, 0};
    size_t  bufsize, i, col;
    char   *buf;

    reg = fuzz_registry();
    if (size < 5)
	return (0);
    memset(&f, 0, sizeof(f));
    f.replycode = data[0] + 300;
    f.action = (enum sx_action) (data[1] % 6);
    f.kind = (enum sx_kind) (data[2] % 6);
    bufsize = (size_t) data[3] * 16 + 1;
    o.diag_max = (size_t) data[4] * 4 > 1000 ? 1000 : (size_t) data[4] * 4;
    data += 5;
    size -= 5;
    take(f.status, sizeof(f.status), &data, &size, 1);
    take(f.recipient, sizeof(f.recipient), &data, &size, 1);
    take(f.remote_mta, sizeof(f.remote_mta), &data, &size, 1);
    take(f.diagnostic, sizeof(f.diagnostic), &data, &size, 4);
    sx_explain(reg, &f, &ex);
    if ((buf = malloc(bufsize)) == 0)
	return (0);
    if (sx_render_header(&o, &f, &ex, 0, 1, buf, bufsize) > 0) {
	col = strlen(SX_HEADER_NAME) + 2;
	for (i = 0; buf[i]; i++) {
	    unsigned char c = (unsigned char) buf[i];

	    if (c >= 0x7f || c == '\r' || (c == '\n' && buf[i + 1] != ' '
					   && buf[i + 1] != '\t'))
		__builtin_trap();
	    col = c == '\n' ? 0 : col + 1;
	    if (col > SX_HEADER_LINE_MAX)
		__builtin_trap();
	}
    }
    free(buf);
    return (0);
}
