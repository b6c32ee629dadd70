/*
 * NAME
 *	negotiate 3h
 * SUMMARY
 *	what the milter asks of the MTA: actions, protocol steps, macros
 * SYNOPSIS
 *	#include "negotiate.h"
 *
 *	unsigned long sxm_negotiate_actions(const struct sx_config *config);
 *	void	sxm_negotiate_steps(const struct sx_config *config, int tcp,
 *				unsigned long offered_actions,
 *				unsigned long offered_steps,
 *				struct sxm_want *want);
 * DESCRIPTION
 *	Every protocol step the MTA waits for is a round trip on every
 *	message the MTA receives, report or not; the work done in it is
 *	small beside that. This module decides, from the configuration
 *	snapshot and the kind of socket, the smallest set the features
 *	need. It has no libmilter code, only its constants, so that the
 *	unit tests call it as callbacks.c does.
 *
 *	sxm_negotiate_actions() returns the SMFIF_* actions the
 *	configuration may use (one line per feature: a feature that needs
 *	another action adds its line there).
 *
 *	sxm_negotiate_steps() fills in want: the actions (those of
 *	sxm_negotiate_actions() that the MTA offers), the SMFIP_* steps to
 *	ask for (only bits the MTA offered, or asks-not-to-send bits), and
 *	the macro list to ask for at each SMFIM_* stage (NULL: leave the
 *	MTA's own list). tcp is non-zero for an inet: or inet6: socket.
 *	config may be NULL (no snapshot: the defaults' needs).
 * SEE ALSO
 *	docs/performance.md, "What the milter asks of Postfix".
 */
#ifndef SXM_NEGOTIATE_H
#define SXM_NEGOTIATE_H

#include <smtp-explain/config.h>

#define SXM_MACRO_STAGES	7	/* SMFIM_CONNECT .. SMFIM_EOH */

struct sxm_want {
    unsigned long actions;		/* SMFIF_* */
    unsigned long steps;		/* SMFIP_* */
    const char *macros[SXM_MACRO_STAGES];	/* by SMFIM_*, or NULL */
};

extern unsigned long sxm_negotiate_actions(const struct sx_config *);
extern void sxm_negotiate_steps(const struct sx_config *, int, unsigned long,
				        unsigned long, struct sxm_want *);

#endif
