/*
 * NAME
 *	snapshot_none 3
 * SUMMARY
 *	the empty snapshot the generator is linked with
 * DESCRIPTION
 *	sx-snapshot writes the snapshot (snapshot.h), so it cannot be
 *	linked with it: it has this one instead, in which there is no
 *	built-in registry (the library then parses it, as the generator
 *	wants) and no compiled pattern set (they find nothing; the
 *	generator reads no message).
 */
#include <stddef.h>

#include "registry_int.h"
#include "scan.h"
#include "snapshot.h"
#include "recognisers/phrases.h"

const struct sx_registry *const sx_snapshot_registry = 0;
const struct sx_snapshot_lang sx_snapshot_langs[] = {{.lang = 0}};
const struct sx_phrases sx_sets[SX_SETS] = {{.n = 0}};
const struct sx_tier sx_phrase_tiers[SX_TIERS] = {{.n = 0}};
