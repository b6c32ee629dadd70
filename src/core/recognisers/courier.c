/*
 * NAME
 *	courier 3
 * SUMMARY
 *	Courier-MTA's courierdsn text ("Your message to the following recipients cannot be delivered")
 */
#include "phrases.h"

const struct sx_marked sx_rows_courier[] = {
    {"courier", "your message to the following recipients cannot be delivered", SX_LIST, 0},
    SX_ROWS_END,
};
