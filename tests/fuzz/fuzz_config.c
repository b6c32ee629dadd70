/*
 * fuzz_config.c - the configuration loader (settings, policy and
 * registry sections) and the registry loader on arbitrary text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <smtp-explain/config.h>
#include <smtp-explain/registry.h>

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int     LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char   *text = malloc(size + 1);
    char    path[64];
    struct sx_errors errs;
    struct sx_registry *reg;
    struct sx_config *conf;
    FILE   *fp;

    if (text == 0)
	return (0);
    memcpy(text, data, size);
    text[size] = 0;
    memset(&errs, 0, sizeof(errs));
    if ((reg = sx_registry_new()) != 0) {
	if (sx_config_registry_text(reg, "fuzz", text, &errs) == SX_OK
	    && sx_registry_seal(reg) == SX_OK) {
	    sx_registry_enhanced(reg, "5.7.26", 0);
	    sx_registry_vendor(reg, "5.7.26", 550, "unauthenticated", "mx.google.com");
	    sx_registry_reason_by_text(reg, "user unknown mailbox full");
	}
	sx_registry_free(reg);
    }
    snprintf(path, sizeof(path), "/tmp/sx-fuzz-config.%ld", (long) getpid());
    if ((fp = fopen(path, "w")) != 0) {
	fwrite(data, 1, size, fp);
	fclose(fp);
	memset(&errs, 0, sizeof(errs));
	conf = sx_config_load(path, &errs);
	if (conf == 0 && errs.count == 0)
	    __builtin_trap();		/* a failure must say why */
	sx_config_unref(conf);
	unlink(path);
    }
    free(text);
    return (0);
}
