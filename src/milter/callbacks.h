/*
 * NAME
 *	callbacks 3h
 * SUMMARY
 *	the libmilter glue: the only module that calls smfi_*
 * SYNOPSIS
 *	#include "callbacks.h"
 *
 *	int	sxm_milter_open(const char *spec, int backlog,
 *				struct sx_stats *stats);
 *	int	sxm_milter_run(void);
 *	void	sxm_milter_stop(void);
 *	const char *sxm_milter_version(char *buf, size_t size);
 * DESCRIPTION
 *	sxm_milter_open() registers the filter, sets the socket spec
 *	(libmilter syntax: unix:/path, inet:port@host, inet6:port@host)
 *	and creates the listening socket. It removes nothing: whatever is
 *	at a unix path makes it fail (listen.c decides what may be
 *	replaced). stats (may be NULL) are the counters every session adds
 *	to; the pointer is kept (not a copy) and set before any session
 *	exists, never changed after. sxm_milter_run() serves the MTA
 *	until a stop signal (SIGHUP, SIGTERM, SIGINT are libmilter's) or
 *	sxm_milter_stop().
 *
 *	Each callback takes its session state from the private data,
 *	passes what the MTA said to the pipeline in filter.c and turns the
 *	pipeline's result into a libmilter status. The state is created at
 *	negotiation (or connect) and freed in close, which may come
 *	without either.
 * DIAGNOSTICS
 *	sxm_milter_open() and sxm_milter_run() return 0, or -1 after
 *	logging why.
 */
#ifndef SXM_CALLBACKS_H
#define SXM_CALLBACKS_H

#include <stddef.h>

#include <smtp-explain/stats.h>

extern int sxm_milter_open(const char *, int, struct sx_stats *);
extern int sxm_milter_run(void);
extern void sxm_milter_stop(void);
extern const char *sxm_milter_version(char *, size_t);

#endif
