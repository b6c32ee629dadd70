/*
 * fuzz_reply.c - the reply parser and the status finder on arbitrary
 * bytes (not NUL-terminated: ASan catches any read past the end).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/reply.h>

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sx_reply r;
    char   *copy = malloc(size ? size : 1);
    char    st[SX_STATUS_MAX];
    size_t  where;

    if (copy == 0)
	return (0);
    memcpy(copy, data, size);
    sx_reply_parse(copy, size, &r);
    if (strchr(r.text, '\n') || strchr(r.text, '\r'))
	__builtin_trap();
    if (r.status[0] && !sx_status_valid(r.status, strlen(r.status)))
	__builtin_trap();
    sx_status_find(copy, size, st, &where);
    sx_replycode_find(copy, size, &where);
    free(copy);
    return (0);
}
