/*
 * NAME
 *	microsoft 3
 * SUMMARY
 *	Exchange and Microsoft 365 non-delivery reports (NDR)
 */
#include "phrases.h"

const struct sx_marked sx_rows_microsoft[] = {
    SX_ROW("exchange", "delivery to the following recipients failed", SX_LIST, 0),
    SX_ROW("exchange", "could not be reached", SX_LIST, 0),
    SX_ROW("exchange", "diagnostic information for administrators", SX_LIST, 0),
    /* The same section in German and Spanish NDRs (Exchange 2013 help,
     * "DSNs und NDRs", "DSN y NDR": the reply itself stays in English). */
    SX_ROW("exchange", "diagnoseinformationen f\xc3\xbcr administratoren", SX_LIST, 0),
    SX_ROW("exchange", "informaci\xc3\xb3n de diagn\xc3\xb3stico para administradores", SX_LIST, 0),
    /*
     * Microsoft 365's enhanced NDR: "Your message to a@b couldn't be
     * delivered.", the reply under "Reported error:" (Error Details),
     * else "Status code:" (More Info for Email Admins).
     */
    {.engine = "office365", .start = "your message to ", .how = SX_AROUND | SX_LABEL_LINE,
    .reason = " couldn", .labels = {"reported error:", "status code:"}},
    /*
     * Exchange 2000/2003 and the Windows SMTP service, when the
     * delivery-status part is gone: the addresses alone, nothing after.
     */
    SX_ROW("exchange", "delivery to the following recipients failed.", SX_BARE, 0),
    SX_ROW("exchange", "delivery to the following recipients has been delayed.",
	   SX_BARE | SX_DELAYED, 0),
    SX_ROWS_END,
};
