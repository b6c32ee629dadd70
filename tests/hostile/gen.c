/*
 * NAME
 *	gen 3
 * SUMMARY
 *	hostile bounces that make a naive reader slow (test support)
 * DESCRIPTION
 *	See gen.h. One function per class writes headers and then repeats
 *	its unit (a recipient group, an address line, a phrase line, a MIME
 *	part) until the next one would pass the size asked for; a class
 *	whose cost is the product of two things (recipients times text)
 *	gives each half of the bytes, so that both grow with the size.
 *	The table at the end names the classes; a new class is one
 *	function and one row.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

/* ---------------------------------------------------------------- buffer */

void    sxh_add(struct sxh_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
	size_t  cap = b->cap ? b->cap : 65536;

	while (cap < b->len + n + 1)
	    cap *= 2;
	if ((b->p = realloc(b->p, cap)) == 0)
	    abort();
	b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

void    sxh_puts(struct sxh_buf *b, const char *s)
{
    sxh_add(b, s, strlen(s));
}

void    sxh_printf(struct sxh_buf *b, const char *fmt,...)
{
    char    tmp[2048];
    va_list ap;
    int     n;

    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t) n >= sizeof(tmp))
	abort();
    sxh_add(b, tmp, (size_t) n);
}

void    sxh_repeat(struct sxh_buf *b, char c, size_t n)
{
    char    tmp[1024];

    memset(tmp, c, sizeof(tmp));
    while (n > 0) {
	size_t  k = n > sizeof(tmp) ? sizeof(tmp) : n;

	sxh_add(b, tmp, k);
	n -= k;
    }
}

/* sxh_fits - may a unit of n more bytes go in before the size asked? */

static int sxh_fits(const struct sxh_buf *b, size_t bytes, size_t n)
{
    return (b->len + n <= bytes);
}

/* ---------------------------------------------------------------- parts */

#define SXH_BND "=_hostile_0001"
#define SXH_LINE 998			/* RFC 5322's longest line */

/* The top-level headers of a bounce; ctype NULL: a message without MIME. */

static void sxh_bounce_headers(struct sxh_buf *b, const char *subject,
			               const char *ctype)
{
    sxh_puts(b, "Return-Path: <>\n"
	     "Received: by mx.example.net (Postfix)\n"
	     "\tid 4ABC123DEF; Mon, 23 Nov 2026 10:00:00 +0000 (UTC)\n"
	     "Date: Mon, 23 Nov 2026 10:00:00 +0000 (UTC)\n"
	     "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n"
	     "To: alice@example.net\n"
	     "Message-Id: <20261123100000.4ABC123DEF@mx.example.net>\n"
	     "Auto-Submitted: auto-replied\n");
    sxh_printf(b, "Subject: %s\n", subject);
    if (ctype)
	sxh_printf(b, "MIME-Version: 1.0\nContent-Type: %s\n", ctype);
    sxh_puts(b, "\n");
}

/* A multipart/report: headers, the preamble, the text part's headers. */

static void sxh_report_start(struct sxh_buf *b, const char *subject)
{
    sxh_bounce_headers(b, subject, "multipart/report; report-type=delivery-status;\n"
		       "\tboundary=\"" SXH_BND "\"");
    sxh_puts(b, "This is a MIME-encapsulated message.\n\n--" SXH_BND "\n"
	     "Content-Description: Notification\n"
	     "Content-Type: text/plain; charset=us-ascii\n\n"
	     "This is the mail system at host mx.example.net.\n\n"
	     "I'm sorry to have to inform you that your message could not\n"
	     "be delivered to one or more recipients.\n\n");
}

/* The delivery-status part's own header and per-message fields. */

static void sxh_report_status(struct sxh_buf *b)
{
    sxh_puts(b, "\n--" SXH_BND "\n"
	     "Content-Description: Delivery report\n"
	     "Content-Type: message/delivery-status\n\n"
	     "Reporting-MTA: dns; mx.example.net\n"
	     "X-Postfix-Queue-ID: 4ABC123DEF\n"
	     "X-Postfix-Sender: rfc822; alice@example.net\n"
	     "Arrival-Date: Mon, 23 Nov 2026 09:59:58 +0000 (UTC)\n");
}

static void sxh_report_end(struct sxh_buf *b)
{
    sxh_puts(b, "\n--" SXH_BND "--\n");
}

/*
 * The reader keeps 512 KB of text (sx_limits_default.text_max) and
 * drops the rest: a class without MIME keeps what drives it within
 * SXH_KEPT bytes, and fills the rest of the size asked with a copy of
 * the original message, after the line that says so, as bounces do
 * (cr-lines excepted: its cost is in the reading of every line).
 */
#define SXH_KEPT (500 * 1024)

static size_t sxh_kept(size_t bytes)
{
    return (bytes < SXH_KEPT ? bytes : SXH_KEPT);
}

static void sxh_original(struct sxh_buf *b, size_t bytes)
{
    size_t  i;

    if (!sxh_fits(b, bytes, 400))
	return;
    sxh_puts(b, "\n------ This is a copy of the message, including all the headers. ------\n\n"
	     "From: alice@example.net\nTo: list@example.org\nSubject: Quarterly report\n\n");
    for (i = 0; sxh_fits(b, bytes, 80); i++)
	sxh_printf(b, "Line %06zu of the quarterly report, as it was sent to the list.\n", i);
}

/* Lines of one letter, RFC-long, until the text has its share. */

static void sxh_letter_lines(struct sxh_buf *b, size_t upto, char c)
{
    while (b->len + SXH_LINE + 1 <= upto) {
	sxh_repeat(b, c, SXH_LINE);
	sxh_puts(b, "\n");
    }
}

/*
 * A recipient whose local part is a run of the letter of the text:
 * every position of the text matches the address for as long as the
 * run lasts, so a naive search costs text x local part.
 */
static void sxh_letter_rcpt(struct sxh_buf *b, size_t i, char c)
{
    sxh_repeat(b, c, 160 + i % 64);
    sxh_printf(b, "@h%zu.example.org", i);
}

/* ---------------------------------------------------------------- classes */

/*
 * Each class writes its message of about bytes bytes; with control set,
 * the same message with its hostile part made harmless (same size, same
 * recipients), for the classes whose cost is a large factor per unit
 * rather than a power of the size (the table says which).
 */

/*
 * dsn-letter: a DSN that leaves out Diagnostic-Code, so that the reader
 * looks for each recipient in the human text (for a reply quoted there,
 * and for the code behind the vague status 5.0.0).
 */
static void sxh_dsn_letter(struct sxh_buf *b, size_t bytes, int control)
{
    size_t  i;

    sxh_report_start(b, "Undelivered Mail Returned to Sender");
    sxh_letter_lines(b, bytes / 2, 'a');
    sxh_report_status(b);
    for (i = 0; sxh_fits(b, bytes, 330); i++) {
	sxh_puts(b, "\nFinal-Recipient: rfc822; ");
	sxh_letter_rcpt(b, i, 'a');
	sxh_puts(b, "\nAction: failed\nStatus: 5.0.0\n");
    }
    sxh_report_end(b);
}

/*
 * list-bare: sendmail's list of failed addresses, one bare address a
 * line, with the reason after the list: the end of the list is looked
 * for again from every address.
 */
static void sxh_list_bare(struct sxh_buf *b, size_t bytes, int control)
{
    size_t  i;

    sxh_bounce_headers(b, "Returned mail: see transcript for details", 0);
    sxh_puts(b, "The original message was received at Mon, 23 Nov 2026 10:00:00\n"
	     "from localhost [127.0.0.1]\n\n"
	     "   ----- The following addresses had permanent fatal errors -----\n");
    for (i = 0; sxh_fits(b, sxh_kept(bytes), 100); i++)
	sxh_printf(b, "<user%06zu@example.org>\n", i);
    sxh_puts(b, "    (reason: 550 5.1.1 User unknown)\n");
    sxh_original(b, bytes);
}

/*
 * phrase-list: a phrase that opens a list of recipients ("could not be
 * reached"), on every line, with no address after it: each occurrence
 * reads the rest of the text as that list.
 */
static void sxh_phrase_list(struct sxh_buf *b, size_t bytes, int control)
{
    sxh_bounce_headers(b, "Undeliverable: Quarterly report", 0);
    sxh_puts(b, "Delivery has failed to these recipients or groups:\n\n");
    while (sxh_fits(b, sxh_kept(bytes), 80))
	sxh_puts(b, "The recipient could not be reached. Try again later.\n");
    sxh_original(b, bytes);
}

/*
 * phrase-sentence: a phrase that names the recipient in its sentence
 * ("rejected recipient"), on every line, with no address: each
 * occurrence sends the reader over all occurrences again.
 */
static void sxh_phrase_sentence(struct sxh_buf *b, size_t bytes, int control)
{
    sxh_bounce_headers(b, "Mail delivery failed", 0);
    sxh_puts(b, "Your message was not delivered.\n\n");
    while (sxh_fits(b, sxh_kept(bytes), 80))
	sxh_puts(b, "The remote server rejected recipient x, see the log.\n");
    sxh_original(b, bytes);
}

/*
 * phrase-common: the MailMarshal phrase that introduces recipients with
 * a reply in common, on every line, and never the reply's own phrase
 * (each line comes close to it): each occurrence looks for it in all
 * the text before.
 */
static void sxh_phrase_common(struct sxh_buf *b, size_t bytes, int control)
{
    sxh_bounce_headers(b, "Undeliverable Mail", 0);
    sxh_puts(b, "Your message was not delivered.\n\n");
    while (sxh_fits(b, sxh_kept(bytes), 100))
	sxh_puts(b, "Message could not be delivered becaus: the following "
		 "recipients were affected\n");
    sxh_original(b, bytes);
}

/*
 * phrase-record: the Zoho phrase of one-line records, on every line,
 * with no blank line between: each occurrence reads up to a thousand
 * lines after it looking for "Address:". Capped, so the cost is a
 * factor of a thousand, not a square. Control: the phrase once, then
 * lines that differ from it.
 */
static void sxh_phrase_record(struct sxh_buf *b, size_t bytes, int control)
{
    sxh_bounce_headers(b, "Undelivered Mail", 0);
    sxh_puts(b, "This message was created automatically by mail delivery software.\n\n");
    if (control)
	sxh_puts(b, "The following addresses had fatal errors (see below)\n");
    while (sxh_fits(b, sxh_kept(bytes), 80))
	sxh_puts(b, control ? "The following addresses had other errors (see below)\n"
		 : "The following addresses had fatal errors (see below)\n");
    sxh_original(b, bytes);
}

/*
 * charset-cycle: thousands of small text parts whose charsets cycle
 * through more names (40) than the reader keeps converters for: one is
 * opened, and one closed, for every part. Control: the same parts in
 * four charsets.
 */
static void sxh_charset_cycle(struct sxh_buf *b, size_t bytes, int control)
{
    static const char *const cs[] = {
	"iso-8859-1", "iso-8859-2", "iso-8859-3", "iso-8859-4", "iso-8859-5",
	"iso-8859-6", "iso-8859-7", "iso-8859-8", "iso-8859-9", "iso-8859-10",
	"iso-8859-11", "iso-8859-13", "iso-8859-14", "iso-8859-15",
	"iso-8859-16", "windows-1250", "windows-1251", "windows-1252",
	"windows-1253", "windows-1254", "windows-1255", "windows-1256",
	"windows-1257", "windows-1258", "koi8-r", "koi8-u", "big5", "gbk",
	"gb18030", "euc-jp", "euc-kr", "euc-tw", "iso-2022-jp", "iso-2022-kr",
	"shift_jis", "tis-620", "ibm437", "ibm850", "ibm852", "ibm866",
    };
    size_t  i, n = control ? 4 : sizeof(cs) / sizeof(cs[0]);

    sxh_bounce_headers(b, "Undelivered Mail Returned to Sender",
		       "multipart/report; report-type=delivery-status;\n"
		       "\tboundary=\"" SXH_BND "\"");
    sxh_puts(b, "--" SXH_BND "\nContent-Type: message/delivery-status\n\n"
	     "Reporting-MTA: dns; mx.example.net\n\n"
	     "Final-Recipient: rfc822; bob@example.org\nAction: failed\n"
	     "Status: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n");
    for (i = 0; sxh_fits(b, bytes, 80); i++)
	sxh_printf(b, "\n--" SXH_BND "\nContent-Type: text/plain; charset=%s\n\nx\n",
		   cs[i % n]);
    sxh_puts(b, "\n--" SXH_BND "--\n");
}

/*
 * failed-recipients: X-Failed-Recipients with as many addresses as the
 * reader keeps of it (about 200), and a text full of "htt" (nearly a
 * link): the whole text is read for help links once per address.
 * Control: the same message naming one address.
 */
static void sxh_failed_rcpts(struct sxh_buf *b, size_t bytes, int control)
{
    size_t  i, n = control ? 1 : 400, col = 21;

    sxh_puts(b, "Return-Path: <>\n"
	     "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
	     "Subject: Delivery Status Notification (Failure)\n"
	     "X-Failed-Recipients:");
    for (i = 0; i < n; i++) {
	char    a[32];
	int     w = snprintf(a, sizeof(a), " a%zu@b.cc%s", i, i + 1 < n ? "," : "");

	if (col + (size_t) w > 76) {
	    sxh_puts(b, "\n");
	    col = 0;
	}
	sxh_puts(b, a);
	col += (size_t) w;
    }
    sxh_puts(b, "\n\nThe message could not be delivered to the groups below.\n");
    while (sxh_fits(b, sxh_kept(bytes), 80))
	sxh_puts(b, "htt: htt: htt: htt: htt: htt: htt: htt: htt: htt: htt: htt: htt:\n");
    sxh_original(b, bytes);
}

/*
 * dsn-expired: each recipient gave up with 4.4.7 and the diagnostic has
 * no second code, so the cause is looked for after the recipient's name
 * in the text (of the recipient's letter).
 */
static void sxh_dsn_expired(struct sxh_buf *b, size_t bytes, int control)
{
    size_t  i;

    sxh_report_start(b, "Delivery Status Notification (Failure)");
    sxh_letter_lines(b, bytes / 2, 'e');
    sxh_report_status(b);
    for (i = 0; sxh_fits(b, bytes, 420); i++) {
	sxh_puts(b, "\nFinal-Recipient: rfc822; ");
	sxh_letter_rcpt(b, i, 'e');
	sxh_puts(b, "\nAction: failed\nStatus: 4.4.7\n"
		 "Diagnostic-Code: smtp; 421 4.4.7 Message expired, delivery\n"
		 "    attempts timed out (in reply to end of DATA command)\n");
    }
    sxh_report_end(b);
}

/*
 * embedded-letter: the fields of a delivery report pasted into a plain
 * text (no MIME) together with text of one letter: as dsn-letter, the
 * recipients are looked for in that text. Past the text the reader
 * keeps, a copy of the original.
 */
static void sxh_embedded_letter(struct sxh_buf *b, size_t bytes, int control)
{
    size_t  i;

    sxh_bounce_headers(b, "Undelivered Mail Returned to Sender", 0);
    sxh_puts(b, "This is the mail system at host mx.example.net.\n\n");
    sxh_letter_lines(b, sxh_kept(bytes) / 2, 'a');
    sxh_puts(b, "\nReporting-MTA: dns; mx.example.net\n");
    for (i = 0; sxh_fits(b, sxh_kept(bytes), 330); i++) {
	sxh_puts(b, "\nFinal-Recipient: rfc822; ");
	sxh_letter_rcpt(b, i, 'a');
	sxh_puts(b, "\nAction: failed\nStatus: 5.0.0\n");
    }
    sxh_original(b, bytes);
}

/*
 * dsn-transcript: a DSN whose diagnostics do not say which command they
 * answered, and whose text is a long session transcript (">>> " lines)
 * that names the same users at another domain, never the recipients:
 * for each recipient the text is searched, and the transcript walked
 * (up to 2000 lines).
 */
static void sxh_dsn_transcript(struct sxh_buf *b, size_t bytes, int control)
{
    size_t  i;

    sxh_report_start(b, "Returned mail: see transcript for details");
    sxh_puts(b, "   ----- Transcript of session follows -----\n"
	     "... while talking to mx.example.net.:\n");
    for (i = 0; b->len + 300 < bytes / 2; i++)
	sxh_printf(b, ">>> RCPT To:<user%06zu@example.net> NOTIFY=FAILURE,DELAY"
		   " ORCPT=rfc822;user%06zu@example.net\n"
		   "<<< 250 2.1.5 <user%06zu@example.net>... Recipient ok,"
		   " will queue for delivery to the users of the list\n", i, i, i);
    sxh_report_status(b);
    for (i = 0; sxh_fits(b, bytes, 300); i++)
	sxh_printf(b, "\nFinal-Recipient: rfc822; user%06zu@example.org\n"
		   "Original-Recipient: rfc822;user%06zu@example.org\n"
		   "Action: failed\nStatus: 5.1.1\nRemote-MTA: dns; mx%zu.example.org\n"
		   "Diagnostic-Code: smtp; 550 5.1.1 <user%06zu@example.org>:\n"
		   "    Recipient address rejected: User unknown in local recipient table\n",
		   i, i, i % 100, i);
    sxh_report_end(b);
}

/*
 * common-diag: one MailMarshal reply in common, long, whose lines look
 * like the start of a reply ("5xx-") without being one, then the
 * recipients (as many as the reader takes, a thousand): the whole reply
 * is parsed again, line by line, for each of them. Control: the same
 * reply without the "5xx-" at the start of its lines. Past the text
 * the reader keeps, a copy of the original.
 */
static void sxh_common_diag(struct sxh_buf *b, size_t bytes, int control)
{
    size_t  i, n = bytes / 2 / 40;

    if (n > 990)
	n = 990;
    sxh_bounce_headers(b, "Undeliverable Mail", 0);
    sxh_puts(b, "Your message could not be delivered because of the following:\n");
    while (sxh_fits(b, sxh_kept(bytes), 22 * n + 200))
	sxh_puts(b, control ? "Remote host said: mailbox unavailable, sorry\n"
		 : "5xx-Remote host said: mailbox unavailable\n");
    sxh_puts(b, "The following recipients were affected:\n");
    for (i = 0; i < n; i++)
	sxh_printf(b, "user%06zu@example.org\n", i);
    sxh_original(b, bytes);
}

/*
 * cr-lines: an old Mac-style bounce with CR alone as line end: each
 * line end is found after looking for LF over the rest of the chunk.
 * Quadratic in the chunk: a factor of its size with the 64 KB chunks
 * of the command and the milter, a square when a caller pushes the
 * whole message at once. Control: the same with LF.
 */
static void sxh_cr_lines(struct sxh_buf *b, size_t bytes, int control)
{
    const char *text = "Return-Path: <>\r"
	"From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\r"
	"Subject: Undelivered Mail Returned to Sender\r\r"
	"This is the mail system at host mx.example.net.\r\r"
	"<bob@example.org>: host mx.example.org[192.0.2.10] said: 550 5.1.1\r"
	"    User unknown (in reply to RCPT TO command)\r\r" "-- \r";
    size_t  at = b->len, i;

    sxh_puts(b, text);
    while (sxh_fits(b, bytes, 4))
	sxh_puts(b, "x\r");
    if (control)
	for (i = at; i < b->len; i++)
	    if (b->p[i] == '\r')
		b->p[i] = '\n';
}

/*
 * The reference: an ordinary Postfix report, each recipient with its
 * reply in the text and in the delivery-status fields.
 */
static void sxh_reference_write(struct sxh_buf *b, size_t bytes)
{
    size_t  i, n;

    sxh_report_start(b, "Undelivered Mail Returned to Sender");
    for (n = 0; b->len + 200 < bytes / 2; n++)
	sxh_printf(b, "<user%06zu@example.org>: host mx%zu.example.org[192.0.2.10] said:\n"
		   "    550 5.1.1 <user%06zu@example.org>: Recipient address rejected:\n"
		   "    User unknown (in reply to RCPT TO command)\n\n", n, n % 100, n);
    sxh_report_status(b);
    for (i = 0; sxh_fits(b, bytes, 330); i++)
	sxh_printf(b, "\nFinal-Recipient: rfc822; user%06zu@example.org\n"
		   "Original-Recipient: rfc822;user%06zu@example.org\n"
		   "Action: failed\nStatus: 5.1.1\nRemote-MTA: dns; mx%zu.example.org\n"
		   "Diagnostic-Code: smtp; 550 5.1.1 <user%06zu@example.org>:\n"
		   "    Recipient address rejected: User unknown (in reply to RCPT TO\n"
		   "    command)\n", i % (n ? n : 1), i % (n ? n : 1), i % 100,
		   i % (n ? n : 1));
    sxh_report_end(b);
}

/*
 * notice-sentence: Microsoft 365's sentence ("Your message to a@b
 * couldn't be delivered.") on every line, and never the label of its
 * reply: each sentence's reply is looked for up to the next one.
 */
static void sxh_notice_sentence(struct sxh_buf *b, size_t bytes, int control)
{
    size_t  i;

    sxh_bounce_headers(b, "Undeliverable: report", 0);
    for (i = 0; sxh_fits(b, sxh_kept(bytes), 80); i++)
	sxh_printf(b, "Your message to u%zu@example.org couldn't be delivered.\n", i);
    sxh_original(b, bytes);
}

/*
 * notice-bare: a bare-list phrase, then one address, on alternate
 * lines: each phrase's list is walked until it is more than a list.
 */
static void sxh_notice_bare(struct sxh_buf *b, size_t bytes, int control)
{
    size_t  i;

    sxh_bounce_headers(b, "Delivery Status Notification (Failure)", 0);
    for (i = 0; sxh_fits(b, sxh_kept(bytes), 80); i++)
	sxh_printf(b, "Delivery to the following recipients failed.\n"
		   "       u%zu@example.org\n", i);
    sxh_original(b, bytes);
}

/*
 * sentence-words: a server's own words (vpopmail's over-quota
 * sentence) after a long run of tokens on one line, again and again:
 * each line is read once.
 */
static void sxh_sentence_words(struct sxh_buf *b, size_t bytes, int control)
{
    size_t  i;

    sxh_bounce_headers(b, "failure notice", 0);
    for (i = 0; sxh_fits(b, sxh_kept(bytes), 200); i++)
	sxh_printf(b, "x%zu y z w v u t s r q p o n m l k j i h g f e d c b a "
		   "was rejected due to the user exceeding its mailbox quota "
		   "x y z w v u t s r q p o n m l k j i h g f e d c b a ", i);
    sxh_puts(b, "\n");
    sxh_original(b, bytes);
}

/*
 * last-resort: a report no shape claims, whose lines each name an
 * address and failure words, with the words of other lines between:
 * only the last-resort reader reads it, line by line.
 */
static void sxh_last_resort(struct sxh_buf *b, size_t bytes, int control)
{
    size_t  i;

    sxh_bounce_headers(b, "Undeliverable message", 0);
    for (i = 0; sxh_fits(b, sxh_kept(bytes), 120); i++)
	sxh_printf(b, "u%zu@example.org user unknown, mailbox full, 550 5.1.1 "
		   "does not exist; u%zu@example.org\n", i, i + 1);
    sxh_original(b, bytes);
}

/* ---------------------------------------------------------------- table */

static const struct sxh_class {
    const char *name;
    const char *what;
    void    (*make) (struct sxh_buf *, size_t, int);
    int     control;			/* make(..., 1) is a control */
}       sxh_classes[] = {
    {"dsn-letter", "DSN without replies: recipients of one letter searched "
    "in a text of that letter", sxh_dsn_letter, 0},
    {"list-bare", "a bare list of thousands of addresses after a list phrase",
    sxh_list_bare, 0},
    {"phrase-list", "a list phrase (\"could not be reached\") on every line",
    sxh_phrase_list, 0},
    {"phrase-sentence", "a sentence phrase (\"rejected recipient\") on every line",
    sxh_phrase_sentence, 0},
    {"phrase-common", "the common-reply phrase on every line, its reply never",
    sxh_phrase_common, 0},
    {"phrase-record", "the one-line-record phrase on every line",
    sxh_phrase_record, 1},
    {"charset-cycle", "thousands of text parts cycling through 40 charsets",
    sxh_charset_cycle, 1},
    {"failed-recipients", "X-Failed-Recipients full, a text full of \"htt\"",
    sxh_failed_rcpts, 1},
    {"dsn-expired", "DSN of 4.4.7 recipients: the cause searched in the text "
    "for each", sxh_dsn_expired, 0},
    {"embedded-letter", "delivery-status fields pasted into text of one letter",
    sxh_embedded_letter, 0},
    {"dsn-transcript", "DSN without stage: text and transcript walked for each "
    "recipient", sxh_dsn_transcript, 0},
    {"common-diag", "a long common reply of \"5xx-\" lines, then a thousand "
    "recipients", sxh_common_diag, 1},
    {"cr-lines", "CR alone as line end, short lines", sxh_cr_lines, 1},
    {"notice-sentence", "Microsoft 365's sentence on every line, no reply label",
    sxh_notice_sentence, 0},
    {"notice-bare", "a bare-list phrase and one address on alternate lines",
    sxh_notice_bare, 0},
    {"sentence-words", "a server's own words in a long line, again and again",
    sxh_sentence_words, 0},
    {"last-resort", "lines of addresses and failure words no shape claims",
    sxh_last_resort, 0},
};

#define SXH_N ((int) (sizeof(sxh_classes) / sizeof(sxh_classes[0])))

int     sxh_count(void)
{
    return (SXH_N);
}

const char *sxh_name(int cls)
{
    return (cls >= 0 && cls < SXH_N ? sxh_classes[cls].name : 0);
}

const char *sxh_what(int cls)
{
    return (cls >= 0 && cls < SXH_N ? sxh_classes[cls].what : 0);
}

int     sxh_find(const char *name)
{
    int     i;

    for (i = 0; i < SXH_N; i++)
	if (strcmp(sxh_classes[i].name, name) == 0)
	    return (i);
    return (-1);
}

static char *sxh_write(int cls, size_t bytes, size_t *len, int control)
{
    struct sxh_buf b = {0, 0, 0};

    sxh_classes[cls].make(&b, bytes, control);
    if (len)
	*len = b.len;
    return (b.p);
}

char   *sxh_make(int cls, size_t bytes, size_t *len)
{
    if (cls < 0 || cls >= SXH_N)
	return (0);
    return (sxh_write(cls, bytes, len, 0));
}

char   *sxh_reference(size_t bytes, size_t *len)
{
    struct sxh_buf b = {0, 0, 0};

    sxh_reference_write(&b, bytes);
    if (len)
	*len = b.len;
    return (b.p);
}

char   *sxh_control(int cls, size_t bytes, size_t *len)
{
    if (cls < 0 || cls >= SXH_N || !sxh_classes[cls].control)
	return (0);
    return (sxh_write(cls, bytes, len, 1));
}
