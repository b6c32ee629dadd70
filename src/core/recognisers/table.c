/*
 * NAME
 *	table 3
 * SUMMARY
 *	the table of bounce recognisers, in the order they are tried
 * DESCRIPTION
 *	One row per recogniser: its name (given as the message's engine),
 *	what the message must show before it is tried, what the completion
 *	pass should add, and the function that reads. The reader tries the
 *	rows in order; the first that adds a finding ends the search, and
 *	one completion pass follows (scan.h, sx_scan_complete). A new
 *	recogniser is a file in this folder and a row here.
 *
 *	The order matters, and why:
 *	- rfc3464 first: a standard report says what it means; nothing
 *	  should guess over it.
 *	- feedback before the rest: a complaint (ARF, JMRP) returns the
 *	  message complained of, and that message's text could look like a
 *	  bounce to the readers below.
 *	- mdn: a disposition notification's own report type says what it
 *	  is (most are read receipts, which it leaves alone); the refusals
 *	  of a recipient's filter (Sieve "reject") carry the returned
 *	  message and a reason that the readers below would guess at.
 *	- amazonses: SES notices are JSON, whose keys would otherwise be
 *	  read as phrases or labels.
 *	- embedded: delivery-status fields pasted into a text part are more
 *	  exact than any phrase around them.
 *	- notice: hosted services' sentences with the address between
 *	  fixed words ("Your message to a@b couldn't be delivered."), and
 *	  lists of bare addresses with nothing after them; exact enough to
 *	  go before the phrase rows, one of which may start inside the
 *	  same notice and read less of it.
 *	- marked (phrases.c): the words a known MTA opens its list with; a
 *	  transcript often follows them, which that row reads better than
 *	  the transcript reader.
 *	- sentences: servers that write one line per recipient in their
 *	  own words, the address inside them (IMail's "label: a@b",
 *	  vpopmail's "Your message to a@b was rejected ..."); after
 *	  marked, since such a line may also stand in a known MTA's list
 *	  (vpopmail's notice inside qmail-send's bounce).
 *	- sendmail (session transcripts): "550 <a@b>... User unknown"
 *	  lines, for reports that have no phrase of a row.
 *	- failed-recipients: the X-Failed-Recipients header names the
 *	  recipients but not their replies: only when nothing above read
 *	  the text.
 *	- autoreply: after every bounce reader, since some bounces carry
 *	  Auto-Submitted or a vacation-like Subject; before the guessing
 *	  readers, since an auto-reply or a challenge-response notice may
 *	  name addresses next to words such as "not delivered". It ends
 *	  the search with nothing (SX_SCAN_QUIET) unless auto-replies are
 *	  reported.
 *	- generic, labelled: guesses, only for a message that presents
 *	  itself as a bounce.
 *	- lastresort: any address next to a reply code or failure words;
 *	  it checks its own, stricter condition (a report by its envelope
 *	  and headers, not by its Subject alone).
 *
 *	Every row but rfc3464 and mdn (whose report types are signs
 *	enough) needs a message with some sign of being a
 *	report (SX_NEED_REPORT: a null sender, a report content type, a
 *	mail-system From, ...); generic and labelled need a bounce
 *	(SX_NEED_BOUNCE); lastresort judges the headers itself.
 */
#include "scan.h"

const struct sx_recogniser sx_recognisers[] = {
    {"rfc3464", 0, SX_RC_FILL_TEXT, sx_read_rfc3464},
    {"feedback", SX_NEED_REPORT, 0, sx_read_feedback},
    {"mdn", 0, 0, sx_read_mdn},
    {"amazonses", SX_NEED_REPORT, 0, sx_read_amazonses},
    {"embedded", SX_NEED_REPORT, 0, sx_read_embedded},
    {"notice", SX_NEED_REPORT, 0, sx_read_notice},
    {"marked", SX_NEED_REPORT, 0, sx_read_phrases},
    {"sentences", SX_NEED_REPORT, 0, sx_read_sentences},
    {"sendmail", SX_NEED_REPORT, 0, sx_read_transcript},
    {"failed-recipients", SX_NEED_REPORT, 0, sx_read_xfailed},
    {"autoreply", SX_NEED_REPORT, 0, sx_read_autoreply},
    {"generic", SX_NEED_REPORT | SX_NEED_BOUNCE, 0, sx_read_generic},
    {"labelled", SX_NEED_REPORT | SX_NEED_BOUNCE, 0, sx_read_labelled},
    {"lastresort", SX_NEED_REPORT, 0, sx_read_lastresort},
    {0, 0, 0, 0},
};
