/*
 * NAME
 *	negotiate 3
 * SUMMARY
 *	what the milter asks of the MTA: actions, protocol steps, macros
 * DESCRIPTION
 *	See negotiate.h. What each feature needs, and where it is decided:
 *
 *	client, internal mail (log lines, the never-reject-our-own-bounces
 *		rule): {client_name}, {client_addr}, {client_port} and {j},
 *		sent with the connect macros, read at MAIL. The connect and
 *		HELO events themselves are not needed (SMFIP_NOCONNECT,
 *		SMFIP_NOHELO) when the MTA takes a macro list
 *		(SMFIF_SETSYMLIST); without one, the connect event stays,
 *		unanswered.
 *	MAIL	the envelope sender (null sender, internal mail); nothing is
 *		decided there: SMFIP_NR_MAIL. Trouble at MAIL (no memory)
 *		waits for the next answered step (callbacks.c).
 *	RCPT	the recipients the MTA rejected (SMFIP_RCPT_REJ): session
 *		rules, annotate_session_rejects, and the log line of every
 *		message. Nothing is decided per recipient, but each is
 *		answered: when Postfix rejected them all, it sends MAIL,
 *		RCPT, abort and quit at once as it closes, and libmilter
 *		(8.17, worker pool) drops a session whose peer has hung up
 *		before reading what is left: unanswered, the recipients of
 *		such a session would never be seen, nor logged.
 *	DATA	nothing: SMFIP_NODATA; the queue id ({i}) comes with the
 *		end-of-headers and end-of-message macros.
 *	headers	read, never answered: SMFIP_NR_HDR.
 *	EOH	answered: mail that cannot be a report is accepted there,
 *		so that its body is never sent.
 *	body	answered: SMFIS_SKIP once the reader is done (SMFIP_SKIP).
 *	EOM	answered: the verdict.
 *
 *	The policy decides only at the end of the message (session rules
 *	too), so no setting needs a reply before the end of the headers
 *	today. A feature that decides earlier adds its reply here.
 *
 *	TCP (inet: sockets). Measured through Postfix (bench/e2e.sh, one
 *	session at a time): every milter that leaves steps unanswered or
 *	skipped there, this one with NR_MAIL and no connect or DATA event,
 *	or the floor milter, waits about 40-60 ms a message, the delayed-ACK
 *	time, while a milter that answers every step that comes does not.
 *	Postfix (milter8.c) writes through a double-buffered VSTREAM of 4 KB
 *	that it flushes only when it reads a reply or the buffer is full,
 *	with Nagle's algorithm on; what it sends unanswered is held until
 *	the milter's kernel ACKs, late, because the milter sends nothing.
 *	So on TCP every step that comes is answered, as before; only HELO
 *	and unknown commands are left out. Use a unix socket.
 */
#include <libmilter/mfapi.h>

#include "negotiate.h"

/* sxm_negotiate_actions - the actions the configuration may use */

unsigned long sxm_negotiate_actions(const struct sx_config *config)
{
    unsigned long actions = 0;

    actions |= SMFIF_ADDHDRS;		/* explanations, a missing Subject */
    actions |= SMFIF_CHGHDRS;		/* strip_foreign, rewrite rules */
    actions |= SMFIF_QUARANTINE;	/* quarantine rules */
    if (config != 0 && config->settings.explain_body)
	actions |= SMFIF_CHGBODY;	/* the explanation block */
    return (actions);
}

/*
 * The macros each stage must bring (SMFIM_* order). Connect: who the
 * client is, read at MAIL; MAIL: the queue id when it is known; RCPT:
 * the rejected recipient's status and text; EOH and EOM: the queue id.
 */
static const char *const sxm_negotiate_macros[SXM_MACRO_STAGES] = {
    [SMFIM_CONNECT] = "j {client_name} {client_addr} {client_port}",
    [SMFIM_ENVFROM] = "i",
    [SMFIM_ENVRCPT] = "{rcpt_mailer} {rcpt_host} {rcpt_addr}",
    [SMFIM_EOH] = "i",
    [SMFIM_EOM] = "i",
};

/* sxm_negotiate_steps - the smallest set of steps the features need */

void    sxm_negotiate_steps(const struct sx_config *config, int tcp,
			            unsigned long offered_actions,
			            unsigned long offered_steps,
			            struct sxm_want *want)
{
    unsigned long quiet;
    int     i;

    want->actions = sxm_negotiate_actions(config) & offered_actions;
    for (i = 0; i < SXM_MACRO_STAGES; i++)
	want->macros[i] = 0;

    /* Events never used. */
    want->steps = SMFIP_NOHELO | SMFIP_NOUNKNOWN;
    if (!tcp)
	want->steps |= SMFIP_NODATA;

    /* What the MTA can do for us. */
    want->steps |= SMFIP_RCPT_REJ | SMFIP_SKIP | SMFIP_HDR_LEADSPC;

    /*
     * On TCP every step that comes is answered (see above); on a unix
     * socket the client comes from macros, unanswered steps are free.
     */
    if (!tcp) {
	if ((offered_actions & SMFIF_SETSYMLIST)
	    && (offered_steps & SMFIP_NOCONNECT)) {
	    want->actions |= SMFIF_SETSYMLIST;
	    want->steps |= SMFIP_NOCONNECT;
	    for (i = 0; i < SXM_MACRO_STAGES; i++)
		want->macros[i] = sxm_negotiate_macros[i];
	}
	quiet = SMFIP_NR_MAIL | SMFIP_NR_HDR;
	if ((want->steps & SMFIP_NOCONNECT) == 0)
	    quiet |= SMFIP_NR_CONN;
	want->steps |= quiet;
    }

    /* Only what was offered: libmilter refuses the rest. */
    want->steps &= offered_steps;
}
