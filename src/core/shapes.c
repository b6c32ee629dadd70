/*
 * NAME
 *	shapes 3
 * SUMMARY
 *	the table of bounce-shape recognisers, most specific first
 * DESCRIPTION
 *	Most non-standard bounces differ only in the words that open the
 *	list of failed recipients and in what follows it: such shapes are
 *	rows of sx_marked[] and share one block reader. Shapes that need
 *	more have their own file (lhost_NAME.c) and a row in sx_shapes[].
 */
#include <stddef.h>
#include <string.h>

#include "scan.h"

/* Marked shapes: the text after "start" (up to "stop") lists recipients. */
static const struct {
    const char *engine;
    const char *start;
    const char *stop;
}       sx_marked[] = {
    {"qmail", "this is the qmail-send program", 0},
    {"postfix", "this is the mail system at host", 0},
    {"exim", "could not be delivered to one or more of its", 0},
    {"exim", "delivery to the following recipients failed", 0},
    {"sendmail", "the following addresses had permanent fatal errors", 0},
    {"sendmail", "the following addresses had transient non-fatal errors", 0},
    {"gmail", "delivery to the following recipient failed permanently", 0},
    {"gmail", "delivery to the following recipient has been delayed", 0},
    {"exchange", "could not be reached", 0},
    {"exchange", "diagnostic information for administrators", 0},
    {"courier", "courier mail server at", 0},
    {0, 0, 0},
};

int     sx_lhost_marked(const struct sx_scan *s)
{
    int     i, n;

    for (i = 0; sx_marked[i].engine; i++)
	if (sx_scan_find(s, sx_marked[i].start)
	    && (n = sx_scan_blocks(s, sx_marked[i].start, sx_marked[i].stop,
				   sx_marked[i].engine)) > 0)
	    return (n);
    return (0);
}

int     sx_lhost_generic(const struct sx_scan *s)
{
    return (sx_scan_blocks(s, 0, 0, "generic"));
}

const struct sx_shape sx_shapes[] = {
    {"feedback", sx_lhost_feedback},
    {"autoreply", sx_lhost_autoreply},
    {"marked", sx_lhost_marked},
    {"generic", sx_lhost_generic},
    {0, 0},
};
