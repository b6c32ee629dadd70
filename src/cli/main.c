/*
 * NAME
 *	smtp-explain 1
 * SUMMARY
 *	explain SMTP reply codes and the bounces that carry them
 * SYNOPSIS
 *	smtp-explain [-r registry] CODE|REPLY...
 *	smtp-explain parse [--json] [--autoreplies] [-r registry] FILE...|-
 *	smtp-explain parse --annotate [--annotate-signed] FILE|-
 *	smtp-explain registry --reasons [-r registry]
 *	smtp-explain --version | --help
 * DESCRIPTION
 *	The first form explains a reply given on the command line:
 *	"550 5.1.1", "5.7.26", or a whole reply text. The parse form reads
 *	messages and prints what the milter would find and add. Both run
 *	the same library as the milter.
 * DIAGNOSTICS
 *	Exit 0 on success, 1 when an input file could not be read, 2 on a
 *	usage error, 3 when the registry could not be loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <smtp-explain/config.h>
#include <smtp-explain/date.h>
#include <smtp-explain/report.h>
#include <smtp-explain/explain.h>
#include <smtp-explain/reader.h>
#include <smtp-explain/registry.h>
#include <smtp-explain/render.h>
#include <smtp-explain/reply.h>
#include <smtp-explain/text.h>

#include "cli.h"

static void cli_usage(FILE *fp)
{
    fputs("usage: smtp-explain [-r REGISTRY] CODE|REPLY...\n"
	  "       smtp-explain parse [--format text|json|csv|sisimai] [--json]\n"
	  "                 [--no-headers] [--delivered] [--autoreplies] [-R]\n"
	  "                 [--queue-lifetime DURATION]\n"
	  "                 [-r REGISTRY] PATH...|-\n"
	  "       smtp-explain report [--json] [-n TOP] [-R] [-r REGISTRY] PATH...|-\n"
	  "       smtp-explain suppress [--format map|csv|json] [--merge LIST]\n"
	  "                 [--soft-count N] [--soft-days D] [-R] [-r REGISTRY] PATH...|-\n"
	  "       smtp-explain parse --annotate [--annotate-signed] [-r REGISTRY] FILE|-\n"
	  "       (explain and parse take --lang LANG; LANG in the environment is the default)\n"
	  "       smtp-explain stats [-c CONFIG] [-n TOP] [FILE]\n"
	  "       smtp-explain registry --reasons [-r REGISTRY]\n"
	  "       smtp-explain --version | --help\n"
	  "\n"
	  "  smtp-explain 550 5.1.1          explain a reply code\n"
	  "  smtp-explain 5.7.26             explain an enhanced status code\n"
	  "  smtp-explain '452 4.2.2 Mailbox full'\n"
	  "  smtp-explain parse bounce.eml   findings and X-SMTP-Explain headers\n"
	  "  smtp-explain parse --json -     one JSON object per finding\n"
	  "  smtp-explain parse ~/Maildir    every message of a Maildir, an mbox,\n"
	  "                                  a directory or a .gz file\n"
	  "  smtp-explain parse --autoreplies vacation.eml\n"
	  "                                  also report automatic replies and\n"
	  "                                  challenge-response notices\n"
	  "  smtp-explain report /var/mail/bounces\n"
	  "  smtp-explain suppress --merge suppressed /var/mail/bounces\n"
	  "  smtp-explain parse --annotate bounce.eml\n"
	  "                                  the message with the explanation in its text\n", fp);
}

struct sx_registry *cli_registry_load(const char *extra)
{
    struct sx_errors errs;
    struct sx_registry *reg;
    size_t  i;

    memset(&errs, 0, sizeof(errs));
    if ((reg = sx_config_registry_with(extra, &errs)) == 0) {
	for (i = 0; i < errs.count && i < SX_ERRORS_MAX; i++)
	    fprintf(stderr, "smtp-explain: %s\n", errs.msg[i]);
	if (errs.count == 0)
	    fprintf(stderr, "smtp-explain: out of memory\n");
    }
    return (reg);
}

/* cli_explain - explain a code or reply given as arguments */

static int cli_explain(struct sx_registry *reg, int argc, char **argv)
{
    char    text[SX_DIAG_MAX];
    size_t  n = 0;
    int     i;
    struct sx_reply rep;
    struct sx_finding f;
    struct sx_explanation ex;

    text[0] = 0;
    for (i = 0; i < argc; i++) {
	int     w = snprintf(text + n, sizeof(text) - n, "%s%s", n ? " " : "", argv[i]);

	if (w < 0 || (size_t) w >= sizeof(text) - n)
	    break;
	n += (size_t) w;
    }
    if (!sx_reply_parse(text, n, &rep)) {
	fprintf(stderr, "smtp-explain: no reply code in \"%s\"\n", text);
	fprintf(stderr, "smtp-explain: give a basic code (550), an enhanced code "
		"(5.1.1) or a reply text; see --help\n");
	return (CLI_EXIT_USAGE);
    }
    memset(&f, 0, sizeof(f));
    f.kind = SX_KIND_REPLY;
    f.replycode = rep.replycode;
    f.flags = rep.flags;
    memcpy(f.status, rep.status, sizeof(f.status));
    sx_text_copy(f.diagnostic, sizeof(f.diagnostic), text, n);
    sx_explain(reg, &f, &ex);
    if (ex.from == SX_FROM_NONE) {
	fprintf(stderr, "smtp-explain: %s is not a known reply code\n", text);
	return (CLI_EXIT_USAGE);
    }
    cli_print_explanation(&f, &ex);
    if (ex.basic && ex.enhanced && ex.from != SX_FROM_BASIC) {
	char    label[32];

	/* The basic code on its own: what a client without the enhanced
	 * code would have to go by. */
	snprintf(label, sizeof(label), "%03d alone", f.replycode);
	cli_out_ch(&cli_stdout, '\n');
	cli_wrap(label, ex.basic->title);
	if (ex.basic->text)
	    cli_wrap("", ex.basic->text);
    }
    return (0);
}

/* cli_parse - the parse command */

static int cli_parse(int argc, char **argv, const char *regfile)
{
    struct sx_registry *reg;
    struct cli_format_ctx fc = {.format = CLI_FORMAT_TEXT, .headers = 1};
    struct cli_run_opts ro = {.fn = cli_format_message, .ctx = &fc};
    int     i, k, status, nfiles = 0, annotate = 0, signed_ok = 0, given;
    const char *lang = 0;
    char  **rest = argv;

    for (i = 1; i < argc; i++) {
	const char *a = argv[i];

	if (strcmp(a, "--annotate") == 0) {
	    annotate = 1;
	} else if (strcmp(a, "--annotate-signed") == 0) {
	    annotate = signed_ok = 1;
	} else if (strcmp(a, "--lang") == 0) {
	    if (++i >= argc) {
		fprintf(stderr, "smtp-explain: %s needs a language\n", a);
		return (CLI_EXIT_USAGE);
	    }
	    lang = argv[i];
	} else if (strcmp(a, "--json") == 0) {
	    fc.format = CLI_FORMAT_JSON;
	} else if (strcmp(a, "--format") == 0 || strcmp(a, "-f") == 0) {
	    if (++i >= argc || !cli_format_name(argv[i], &fc.format)) {
		fprintf(stderr, "smtp-explain: %s needs text, json, csv or sisimai\n", a);
		return (CLI_EXIT_USAGE);
	    }
	} else if (strcmp(a, "--no-headers") == 0) {
	    fc.headers = 0;
	} else if (strcmp(a, "--delivered") == 0) {
	    fc.delivered = 1;
	} else if (strcmp(a, "--autoreplies") == 0) {
	    ro.autoreplies = 1;
	} else if (strcmp(a, "--queue-lifetime") == 0) {
	    unsigned secs;

	    if (++i >= argc || !sx_date_duration(argv[i], &secs) || secs == 0) {
		fprintf(stderr, "smtp-explain: %s needs a duration such as 5d "
			"(s, m, h, d or w; at most 100d)\n", a);
		return (CLI_EXIT_USAGE);
	    }
	    ro.lifetime = argv[i];
	} else if ((k = cli_common_arg("parse", argc, argv, &i, &ro, &regfile, rest,
				       &nfiles)) != 0) {
	    if (k < 0)
		return (CLI_EXIT_USAGE);
	} else {
	    fprintf(stderr, "smtp-explain: unknown option \"%s\"\n", a);
	    cli_usage(stderr);
	    return (CLI_EXIT_USAGE);
	}
    }
    if (cli_common_end("parse", nfiles) < 0) {
	cli_usage(stderr);
	return (CLI_EXIT_USAGE);
    }
    if ((reg = cli_registry_load(regfile)) == 0)
	return (CLI_EXIT_CONFIG);
    if ((status = cli_lang_setup(lang, &given, annotate)) != 0) {
	cli_lang_free();
	sx_registry_free(reg);
	return (status);
    }
    if (annotate) {
	status = cli_annotate(reg, rest, nfiles, signed_ok, given, ro.lifetime);
	cli_lang_free();
	sx_registry_free(reg);
	return (status);
    }
    ro.reg = reg;
    cli_format_begin(&fc);
    status = cli_run(&ro, rest, nfiles);
    cli_format_end(&fc);
    cli_lang_free();
    sx_registry_free(reg);
    if (cli_out_flush(&cli_stdout) < 0) {
	fprintf(stderr, "smtp-explain: standard output: %s\n", strerror(errno));
	return (CLI_EXIT_IO);
    }
    return (status);
}

int     main(int argc, char **argv)
{
    const char *regfile = 0, *lang = 0;
    struct sx_registry *reg;
    int     i, status = 0, nfiles = 0, given;
    char  **rest;

    if (argc > 1 && strcmp(argv[1], "stats") == 0)
	return (cli_stats(argc - 1, argv + 1));
    if (argc > 1 && strcmp(argv[1], "registry") == 0)
	return (cli_registry_dump(argc - 1, argv + 1));
    if (argc > 1 && strcmp(argv[1], "parse") == 0)
	return (cli_parse(argc - 1, argv + 1, 0));
    if (argc > 1 && strcmp(argv[1], "report") == 0)
	return (cli_report(argc - 1, argv + 1));
    if (argc > 1 && strcmp(argv[1], "suppress") == 0)
	return (cli_suppress(argc - 1, argv + 1));
    /* Operands are gathered at the front of argv: no allocation. */
    rest = argv;
    for (i = 1; i < argc; i++) {
	const char *a = argv[i];

	if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
	    cli_usage(stdout);
	    return (0);
	} else if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
	    printf("smtp-explain %s\n", SX_VERSION);
	    return (0);
	} else if (strcmp(a, "-r") == 0 || strcmp(a, "--registry") == 0) {
	    if (++i >= argc) {
		fprintf(stderr, "smtp-explain: %s needs a file name\n", a);
		return (CLI_EXIT_USAGE);
	    }
	    regfile = argv[i];
	} else if (strcmp(a, "--lang") == 0) {
	    if (++i >= argc) {
		fprintf(stderr, "smtp-explain: %s needs a language\n", a);
		return (CLI_EXIT_USAGE);
	    }
	    lang = argv[i];
	} else if (strcmp(a, "parse") == 0 && nfiles == 0) {
	    /* "smtp-explain -r FILE parse ...": the options before parse. */
	    argv[i] = argv[0];
	    status = cli_parse(argc - i, argv + i, regfile);
	    return (status);
	} else if (a[0] == '-' && a[1] != 0 && !(a[1] >= '0' && a[1] <= '9')) {
	    fprintf(stderr, "smtp-explain: unknown option \"%s\"\n", a);
	    cli_usage(stderr);
	    return (CLI_EXIT_USAGE);
	} else {
	    rest[nfiles++] = argv[i];
	}
    }
    if (nfiles == 0) {
	fprintf(stderr, "smtp-explain: nothing to explain\n");
	cli_usage(stderr);
	return (CLI_EXIT_USAGE);
    }
    if ((reg = cli_registry_load(regfile)) == 0)
	return (CLI_EXIT_CONFIG);
    if ((status = cli_lang_setup(lang, &given, 0)) == 0)
	status = cli_explain(reg, nfiles, rest);
    cli_lang_free();
    sx_registry_free(reg);
    if (cli_out_flush(&cli_stdout) < 0)
	return (CLI_EXIT_IO);
    return (status);
}
