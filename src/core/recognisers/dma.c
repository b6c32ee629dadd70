/*
 * NAME
 *	dma 3
 * SUMMARY
 *	the DragonFly Mail Agent (dma) bounce ("There was an error delivering your mail to")
 */
#include "phrases.h"

const struct sx_marked sx_rows_dma[] = {
    SX_ROW("dragonfly", "there was an error delivering your mail to", SX_SENTENCE, 0),
    SX_ROWS_END,
};
