/*
 * fuzz.h - what the fuzz targets share: the built-in registry, loaded
 * once on first use (a target runs in one thread).
 */
#ifndef SX_FUZZ_H
#define SX_FUZZ_H

#include <string.h>

#include <smtp-explain/config.h>

static struct sx_registry *fuzz_reg;

static struct sx_registry *fuzz_registry(void)
{
    struct sx_errors errs;

    if (fuzz_reg == 0) {
	memset(&errs, 0, sizeof(errs));
	fuzz_reg = sx_config_registry_default(&errs);
    }
    return (fuzz_reg);
}

#endif
