/*
 * NAME
 *	gateways 3
 * SUMMARY
 *	unbranded gateways and appliances whose MTA does not name itself
 */
#include "phrases.h"

const struct sx_marked sx_rows_gateways[] = {
    SX_ROW("x4", "to the following address(es) could not be delivered", SX_LIST, 0),
    SX_ROW("x1", "the following addresses had delivery errors", SX_LIST, 0),
    SX_ROW("x6", "rejected recipient", SX_SENTENCE, 0),
    SX_ROW("x3", "to the following recipients was aborted after", SX_LEAD, 0),
    SX_ROWS_END,
};
