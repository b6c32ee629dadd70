/*
 * test_negotiate.c - what the milter asks of the MTA (src/milter/
 * negotiate.c), for each kind of configuration and socket: the steps
 * and reply flags, the actions and the macro lists. The miltertest
 * scripts negotiate.lua and negotiate-tcp.lua check the same through
 * libmilter against the running daemon.
 */
#include <string.h>

#include <libmilter/mfapi.h>

#include <smtp-explain/config.h>

#include "../../src/milter/negotiate.h"
#include "unit.h"

/* What Postfix 3.7 offers (milter8.c: every action and step it knows). */
#define PF_ACTIONS	0x1ffUL
#define PF_STEPS	0x1fffffUL

/*
 * The steps on a unix socket: MAIL and headers unanswered; recipients
 * answered (a session Postfix closes after rejecting them all would be
 * dropped unread by libmilter otherwise).
 */
#define UNIX_STEPS (SMFIP_RCPT_REJ | SMFIP_SKIP | SMFIP_HDR_LEADSPC \
		    | SMFIP_NOCONNECT | SMFIP_NOHELO | SMFIP_NODATA \
		    | SMFIP_NOUNKNOWN | SMFIP_NR_MAIL | SMFIP_NR_HDR)

/* On TCP, every step that comes is answered (docs/performance.md). */
#define TCP_STEPS (SMFIP_RCPT_REJ | SMFIP_SKIP | SMFIP_HDR_LEADSPC \
		   | SMFIP_NOHELO | SMFIP_NOUNKNOWN)

/* Events the milter must always get, and replies it must always give. */
#define NEVER (SMFIP_NOMAIL | SMFIP_NORCPT | SMFIP_NOHDRS | SMFIP_NOEOH \
	       | SMFIP_NOBODY | SMFIP_NR_RCPT | SMFIP_NR_EOH | SMFIP_NR_BODY)

static struct sx_config *load(const char *path)
{
    struct sx_errors errs;
    struct sx_config *config;

    errs.count = 0;
    config = sx_config_load(path, &errs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(config);
    return (config);
}

static int has(const char *list, const char *macro)
{
    size_t  len = strlen(macro);
    const char *p;

    for (p = list; p != 0 && (p = strstr(p, macro)) != 0; p += len)
	if ((p == list || p[-1] == ' ') && (p[len] == 0 || p[len] == ' '))
	    return (1);
    return (0);
}

/* What every negotiated set must hold, whatever the config and socket. */
static void check_invariants(const struct sxm_want *w, unsigned long offered)
{
    CU_ASSERT_EQUAL(w->steps & ~offered, 0);
    CU_ASSERT_EQUAL(w->steps & NEVER, 0);
    /* Recipients and the sender are never changed (bodies: explain_body). */
    CU_ASSERT_EQUAL(w->actions & (SMFIF_ADDRCPT | SMFIF_DELRCPT | SMFIF_CHGFROM), 0);
    CU_ASSERT(w->actions & SMFIF_ADDHDRS);
    CU_ASSERT(w->actions & SMFIF_CHGHDRS);
}

/* The client, the queue id and the rejected recipients' macros. */
static void check_macros(const struct sxm_want *w)
{
    CU_ASSERT(has(w->macros[SMFIM_CONNECT], "{client_name}"));
    CU_ASSERT(has(w->macros[SMFIM_CONNECT], "{client_addr}"));
    CU_ASSERT(has(w->macros[SMFIM_CONNECT], "{client_port}"));
    CU_ASSERT(has(w->macros[SMFIM_CONNECT], "j"));
    CU_ASSERT(has(w->macros[SMFIM_ENVRCPT], "{rcpt_mailer}"));
    CU_ASSERT(has(w->macros[SMFIM_ENVRCPT], "{rcpt_host}"));
    CU_ASSERT(has(w->macros[SMFIM_ENVRCPT], "{rcpt_addr}"));
    CU_ASSERT(has(w->macros[SMFIM_EOH], "i"));
    CU_ASSERT(has(w->macros[SMFIM_EOM], "i"));
    CU_ASSERT_PTR_NULL(w->macros[SMFIM_HELO]);
}

static void test_default_unix(void)
{
    struct sx_config *config = load(0);
    struct sxm_want w;

    sxm_negotiate_steps(config, 0, PF_ACTIONS, PF_STEPS, &w);
    CU_ASSERT_EQUAL(w.steps, UNIX_STEPS);
    CU_ASSERT_EQUAL(w.actions, SMFIF_ADDHDRS | SMFIF_CHGHDRS
		    | SMFIF_QUARANTINE | SMFIF_SETSYMLIST);
    check_invariants(&w, PF_STEPS);
    check_macros(&w);
    sx_config_unref(config);
}

static void test_default_tcp(void)
{
    struct sx_config *config = load(0);
    struct sxm_want w;

    sxm_negotiate_steps(config, 1, PF_ACTIONS, PF_STEPS, &w);
    CU_ASSERT_EQUAL(w.steps, TCP_STEPS);
    CU_ASSERT_EQUAL(w.actions & SMFIF_SETSYMLIST, 0);
    CU_ASSERT_PTR_NULL(w.macros[SMFIM_CONNECT]);
    check_invariants(&w, PF_STEPS);
    sx_config_unref(config);
}

/*
 * Session rules and annotate_session_rejects use the recipients Postfix
 * rejected: RCPT events with SMFIP_RCPT_REJ. The policy decides at the
 * end of the message only, so the set is the default's.
 */
static void test_session_policy(void)
{
    struct sx_config *deflt = load(0);
    struct sx_config *config = load("fixtures/config/policy.conf");
    struct sxm_want w;
    struct sxm_want d;
    int     tcp;

    CU_ASSERT(config->settings.annotate_session_rejects);
    for (tcp = 0; tcp <= 1; tcp++) {
	sxm_negotiate_steps(config, tcp, PF_ACTIONS, PF_STEPS, &w);
	sxm_negotiate_steps(deflt, tcp, PF_ACTIONS, PF_STEPS, &d);
	CU_ASSERT(w.steps & SMFIP_RCPT_REJ);
	CU_ASSERT_EQUAL(w.steps & SMFIP_NORCPT, 0);
	CU_ASSERT_EQUAL(w.steps, tcp ? TCP_STEPS : UNIX_STEPS);
	CU_ASSERT_EQUAL(w.steps, d.steps);
	CU_ASSERT_EQUAL(w.actions, d.actions);
	CU_ASSERT_EQUAL(w.steps & (SMFIP_NR_MAIL | SMFIP_NR_RCPT), tcp ? 0 :
			SMFIP_NR_MAIL);
	check_invariants(&w, PF_STEPS);
    }
    sx_config_unref(config);
    sx_config_unref(deflt);
}

/*
 * The right to change bodies is asked for only when the explanation
 * block is on (explain_body); the steps do not change.
 */
static void test_body_right(void)
{
    struct sx_config *deflt = load(0);
    struct sx_config *config = load("fixtures/config/explain-body.conf");
    struct sxm_want w;
    struct sxm_want d;
    int     tcp;

    CU_ASSERT(config->settings.explain_body);
    for (tcp = 0; tcp <= 1; tcp++) {
	sxm_negotiate_steps(config, tcp, PF_ACTIONS, PF_STEPS, &w);
	sxm_negotiate_steps(deflt, tcp, PF_ACTIONS, PF_STEPS, &d);
	CU_ASSERT(w.actions & SMFIF_CHGBODY);
	CU_ASSERT_EQUAL(d.actions & SMFIF_CHGBODY, 0);
	CU_ASSERT_EQUAL(w.actions & ~SMFIF_CHGBODY, d.actions);
	CU_ASSERT_EQUAL(w.steps, d.steps);
	check_invariants(&w, PF_STEPS);
    }
    sx_config_unref(config);
    sx_config_unref(deflt);
}

/* An MTA that takes no macro lists: the connect event, unanswered. */
static void test_no_symlist(void)
{
    struct sxm_want w;
    int     i;

    sxm_negotiate_steps(0, 0, PF_ACTIONS & ~SMFIF_SETSYMLIST, PF_STEPS, &w);
    CU_ASSERT_EQUAL(w.steps & SMFIP_NOCONNECT, 0);
    CU_ASSERT(w.steps & SMFIP_NR_CONN);
    CU_ASSERT_EQUAL(w.actions & SMFIF_SETSYMLIST, 0);
    for (i = 0; i < SXM_MACRO_STAGES; i++)
	CU_ASSERT_PTR_NULL(w.macros[i]);
    check_invariants(&w, PF_STEPS);
}

/* An MTA that offers little: never ask for more than it offered. */
static void test_old_mta(void)
{
    unsigned long offered = SMFIP_NOHELO | SMFIP_NOCONNECT | SMFIP_RCPT_REJ;
    struct sxm_want w;

    sxm_negotiate_steps(0, 0, SMFIF_ADDHDRS | SMFIF_CHGHDRS, offered, &w);
    CU_ASSERT_EQUAL(w.steps, SMFIP_NOHELO | SMFIP_RCPT_REJ);
    CU_ASSERT_EQUAL(w.actions, SMFIF_ADDHDRS | SMFIF_CHGHDRS);
    check_invariants(&w, offered);
}

static CU_TestInfo negotiate_tests[] = {
    {"default config, unix socket", test_default_unix},
    {"default config, inet socket", test_default_tcp},
    {"session rules: rejected recipients, same replies", test_session_policy},
    {"explain_body: the right to change bodies, nothing else", test_body_right},
    {"MTA without macro lists: connect unanswered", test_no_symlist},
    {"never more than the MTA offers", test_old_mta},
    CU_TEST_INFO_NULL,
};

SX_SUITE(negotiate, negotiate_tests, NULL, NULL)
