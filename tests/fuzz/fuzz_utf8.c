/*
 * fuzz_utf8.c - the UTF-8 validator and repairer on any bytes: what
 * sx_text_utf8_fix() writes is well-formed, well-formed input comes out
 * unchanged, each replacement (3 bytes out) stands for 1 to 3 input
 * bytes and every other byte is copied, and a small output buffer is
 * cut between characters.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/text.h>

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *in = (const char *) data;
    char   *out, *small;
    size_t  n, m, i, k, want = 0;
    int     ok;

    if ((out = malloc(3 * size + 1)) == 0)
	return (0);
    n = sx_text_utf8_fix(out, 3 * size + 1, in, size);
    if (!sx_text_utf8_valid(out, n) || out[n] != 0)
	__builtin_trap();
    if (sx_text_utf8_valid(in, size) != (n == size && memcmp(out, in, size) == 0))
	__builtin_trap();
    for (i = 0; i < size; i += k) {
	k = sx_text_utf8_char(in + i, size - i, &ok);
	if (k < 1 || k > 4 || (!ok && k > 3) || i + k > size)
	    __builtin_trap();
	want += ok ? k : 3;
    }
    if (n != want)
	__builtin_trap();
    /* A cut copy is a prefix of the whole one, and well-formed. */
    m = size % 17;
    if ((small = malloc(m + 1)) != 0) {
	k = sx_text_utf8_fix(small, m + 1, in, size);
	if (k > m || memcmp(small, out, k) != 0 || !sx_text_utf8_valid(small, k))
	    __builtin_trap();
	free(small);
    }
    free(out);
    return (0);
}
