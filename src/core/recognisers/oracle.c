/*
 * NAME
 *	oracle 3
 * SUMMARY
 *	Sun/Oracle Communications Messaging Server's text report
 */
#include "phrases.h"

const struct sx_marked sx_rows_oracle[] = {
    SX_ROW("messagingserver", "recipient address:", SX_SENTENCE, 0),
    SX_ROWS_END,
};
