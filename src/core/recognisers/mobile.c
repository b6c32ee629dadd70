/*
 * NAME
 *	mobile 3
 * SUMMARY
 *	mobile carriers and SMS gateways (au/EZweb, KDDI, Verizon)
 */
#include "phrases.h"

const struct sx_marked sx_rows_mobile[] = {
    SX_ROW("ezweb", "recipient: <", SX_SENTENCE, 0),
    SX_ROW("kddi", "could not be delivered to: <", SX_SENTENCE, 0),
    SX_ROW("verizon", "error message below:", SX_ALONE, 0),
    SX_ROWS_END,
};
