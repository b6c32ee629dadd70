/*
 * NAME
 *	filters 3
 * SUMMARY
 *	mail security gateways: MailFoundry, MailMarshal
 */
#include "phrases.h"

const struct sx_marked sx_rows_filters[] = {
    SX_ROW("mailfoundry", "unable to deliver message to", SX_SENTENCE, 0),
    SX_ROW("mailmarshal", "the following recipients were affected", SX_COMMON, "could not be delivered because of"),
    SX_ROWS_END,
};
