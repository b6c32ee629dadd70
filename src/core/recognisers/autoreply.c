/*
 * NAME
 *	autoreply 3
 * SUMMARY
 *	automatic replies and challenge-response notices: not bounces
 * DESCRIPTION
 *	An automatic reply (RFC 3834: vacation, out of office) says that a
 *	message arrived; a challenge-response notice ("please confirm your
 *	message", "your message is held pending verification") says that
 *	it waits for the sender to prove a person sent it. Neither is a
 *	delivery failure. Both are recognised here, after every bounce
 *	shape, and by default reported as nothing at all (SX_SCAN_QUIET:
 *	the search ends, no last-resort reader guesses at them). When the
 *	reader was asked to (sx_reader_autoreplies), each gives one finding
 *	of kind autoreply for the replying address, with no action: it
 *	neither failed nor delivered anything.
 *
 *	An automatic reply is known by its header markers (Auto-Submitted:
 *	auto-replied, X-Autoreply, X-Autorespond, Precedence: auto_reply),
 *	or by a responder's Subject prefix together with a sign that it
 *	answers a message (In-Reply-To, References, X-Auto-Response-
 *	Suppress). A message from a mail system (MAILER-DAEMON, postmaster)
 *	is never an automatic reply, and with a null sender the markers
 *	that bounces carry too are not enough: Exim and others mark their
 *	bounces and delay warnings Auto-Submitted: auto-replied. A
 *	responder's own sign (its Subject prefix on a reply, X-Autoreply)
 *	still counts then: RFC 3834 (section 3.3) asks responders to send
 *	with a null sender, and Exchange's automatic replies do.
 *
 *	A challenge-response notice is known by its words in the notice's
 *	own text (TMDA, Spam Arrest, Boxbe, Qurb, EarthLink's spamBlocker
 *	and the like). Some of these systems send with a null sender, as
 *	bounces do, so the words count whatever the envelope; a mail
 *	system's From still never is one.
 *
 *	Apple Mail's automatic unsubscribe request (X-Apple-Unsubscribe:
 *	true) is feedback instead, and always reported: the recipient opts
 *	out of the mail.
 */
#include <string.h>
#include <strings.h>

#include <smtp-explain/text.h>

#include "scan.h"
#include "snapshot.h"

static int sx_field_is(const char *h, size_t len, const char *name, const char *value)
{
    const char *p = h, *end = h + len;
    size_t  n = strlen(name), v = strlen(value);

    while (p && p < end) {
	if ((size_t) (end - p) > n + 2 + v && p[n] == ':'
	    && strncasecmp(p, name, n) == 0 && strncasecmp(p + n + 2, value, v) == 0)
	    return (1);
	if ((p = memchr(p, '\n', (size_t) (end - p))) != 0)
	    p++;
    }
    return (0);
}

/*
 * sx_autoreply_signs - 0: none; SX_AR_MARKED: only a marker that bounces
 * carry too (Auto-Submitted: auto-replied, Precedence: auto_reply);
 * SX_AR_RESPONDER: a responder's own header (X-Autoreply, X-Autorespond)
 * or Subject prefix on a reply.
 */
#define SX_AR_MARKED	1
#define SX_AR_RESPONDER	2

static int sx_autoreply_signs(const char *h, size_t len, const char *subject)
{
    /* Subjects that vacation responders put in front. */
    static const char *const prefixes[] = {
	"auto reply", "automatic reply", "autoreply", "auto-reply", "auto:",
	"out of office", "out of the office", "abwesenheit",
	"absence", "r\xc3\xa9ponse automatique", "respuesta autom", 0,
    };
    const char *const *pp;

    if (sx_scan_has_field(h, len, "X-Autoreply") || sx_scan_has_field(h, len, "X-Autorespond"))
	return (SX_AR_RESPONDER);
    /* A subject alone is not enough: it must also be a reply. */
    for (pp = prefixes; *pp; pp++)
	if (strncasecmp(subject, *pp, strlen(*pp)) == 0
	    && (sx_scan_has_field(h, len, "In-Reply-To")
		|| sx_scan_has_field(h, len, "References")
		|| sx_scan_has_field(h, len, "X-Auto-Response-Suppress")))
	    return (SX_AR_RESPONDER);
    if (sx_field_is(h, len, "Auto-Submitted", "auto-replied")
	|| sx_field_is(h, len, "Precedence", "auto_reply"))
	return (SX_AR_MARKED);
    return (0);
}

int     sx_autoreply_hint(const char *h, size_t len, const char *subject)
{
    return (sx_autoreply_signs(h, len, subject) != 0);
}

/*
 * What challenge-response systems write (lower case), in the notice's
 * own text: the request to confirm, the hold, and the names of the
 * services that send them.
 */
static const char *const sx_challenge[] = {
    /* TMDA's confirmation request */
    "please confirm your message",
    "to release your message for delivery",
    "junk-mail reduction system",
    /* any system: the sender must show a person wrote */
    "confirm that you are human",
    "confirm you are human",
    "confirm you are a human",
    "prove that you are human",
    "prove you are human",
    "verify that you are human",
    "verify you are human",
    "verify that you are a person",
    "held pending verification",
    "held pending your verification",
    "your message is being held",
    "your message has been held",
    "your message is held",
    "your email is being held",
    "your email has been held",
    "challenge-response",
    "challenge/response",
    "challenge response",
    "sender verification request",
    /* Boxbe: unknown senders wait on a list */
    "waitlisted",
    "boxbe",
    /* EarthLink spamBlocker, Spam Arrest, Qurb, Mailbox Hub */
    "senders i have approved beforehand",
    "list of approved senders",
    "spam arrest",
    "spamarrest",
    "qurb",
    "mailboxhub",
    "mailbox hub",
};

#define SX_CHALLENGES (sizeof(sx_challenge) / sizeof(sx_challenge[0]))

/* Compiled at build time (snapshot.h): sx_sets[SX_SET_CHALLENGE]. */
const struct sx_set_src sx_src_challenge = {
    .name = "challenge phrases", .needles = sx_challenge, .n = SX_CHALLENGES,
};

/* sx_autoreply_challenge - does the notice's own text ask for a challenge? */

static int sx_autoreply_challenge(const struct sx_scan *s)
{
    const char *end = sx_scan_end(s);
    size_t  len = (size_t) (end - s->text);

    if (!sx_scan_charge(s, len))
	return (0);
    return (sx_phrases_first(sx_sets + SX_SET_CHALLENGE, s->text, len, 0) != 0);
}

int     sx_read_autoreply(const struct sx_scan *s)
{
    struct sx_finding f;
    int     challenge, signs;

    /* A delivery report, or a mail system's notice, is never one. */
    if (s->msg->is_report || sx_scan_daemon_from(s->msg->from))
	return (0);
    challenge = sx_autoreply_challenge(s);
    signs = sx_autoreply_signs(s->headers, s->hlen, s->msg->subject);
    /* With a null sender, Auto-Submitted alone is a bounce's marker. */
    if (!challenge && (signs == 0 || (s->msg->null_sender && signs != SX_AR_RESPONDER)))
	return (0);
    memset(&f, 0, sizeof(f));
    sx_text_copy(f.recipient, sizeof(f.recipient), s->msg->from, strlen(s->msg->from));

    /*
     * Apple Mail's "unsubscribe" button answers a list message with an
     * automatic reply marked X-Apple-Unsubscribe: an opt-out request,
     * which is feedback about the mail, not an away message.
     */
    if (!challenge && sx_field_is(s->headers, s->hlen, "X-Apple-Unsubscribe", "true")) {
	f.kind = SX_KIND_FEEDBACK;
	sx_text_copy(f.diagnostic, sizeof(f.diagnostic), "opt-out", 7);
	sx_text_copy(f.engine, sizeof(f.engine), "unsubscribe", 11);
	return (sx_scan_add(s, &f));
    }
    if (!s->autoreplies)
	return (SX_SCAN_QUIET);
    f.kind = SX_KIND_AUTOREPLY;
    f.action = SX_ACTION_NONE;
    sx_text_copy(f.diagnostic, sizeof(f.diagnostic), s->msg->subject,
		 strlen(s->msg->subject));
    if (challenge)
	sx_text_copy(f.engine, sizeof(f.engine), "challenge", 9);
    else
	sx_text_copy(f.engine, sizeof(f.engine), "rfc3834", 7);
    return (sx_scan_add(s, &f));
}
