/*
 * NAME
 *	smtp-explain 1
 * SUMMARY
 *	explain SMTP reply codes and the bounces that carry them
 * SYNOPSIS
 *	smtp-explain [-r registry] CODE|REPLY...
 *	smtp-explain parse [--json] [-r registry] FILE...|-
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

#include <smtp-explain/annotate.h>
#include <smtp-explain/config.h>
#include <smtp-explain/report.h>
#include <smtp-explain/explain.h>
#include <smtp-explain/lang.h>
#include <smtp-explain/reader.h>
#include <smtp-explain/registry.h>
#include <smtp-explain/render.h>
#include <smtp-explain/reply.h>
#include <smtp-explain/text.h>

#include "cli.h"

#define CLI_EXIT_IO 1
#define CLI_EXIT_USAGE 2
#define CLI_EXIT_CONFIG 3

static void cli_usage(FILE *fp)
{
    fputs("usage: smtp-explain [-r REGISTRY] CODE|REPLY...\n"
	  "       smtp-explain parse [--json] [--no-headers] [-r REGISTRY] FILE...|-\n"
	  "       smtp-explain parse --annotate [--annotate-signed] [-r REGISTRY] FILE|-\n"
	  "       (each form takes --lang LANG; LANG in the environment is the default)\n"
	  "       smtp-explain stats [-c CONFIG] [-n TOP] [FILE]\n"
	  "       smtp-explain registry --reasons [-r REGISTRY]\n"
	  "       smtp-explain --version | --help\n"
	  "\n"
	  "  smtp-explain 550 5.1.1          explain a reply code\n"
	  "  smtp-explain 5.7.26             explain an enhanced status code\n"
	  "  smtp-explain '452 4.2.2 Mailbox full'\n"
	  "  smtp-explain parse bounce.eml   findings and X-SMTP-Explain headers\n"
	  "  smtp-explain parse --json -     one JSON object per finding\n"
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

static void cli_wrap(const char *label, const char *text)
{
    size_t  col, n, indent = 10;
    const char *p = text;

    printf("%-9s ", label);
    if (strlen(label) > 9)
	indent = strlen(label) + 1;
    col = indent;
    while (*p) {
	const char *sp = strchr(p, ' ');

	n = sp ? (size_t) (sp - p) : strlen(p);
	if (col > indent && col + n + 1 > 78) {
	    printf("\n%*s", (int) indent, "");
	    col = indent;
	} else if (col > indent) {
	    putchar(' ');
	    col++;
	}
	fwrite(p, 1, n, stdout);
	col += n;
	p += n;
	while (*p == ' ')
	    p++;
    }
    putchar('\n');
}

/* The language of the wording printed (--lang, LANG); English by default. */
static struct sx_langs *cli_langs;
static const char *cli_lang;

static void cli_print_explanation(const struct sx_finding *f,
				          const struct sx_explanation *in)
{
    char    code[32] = "";
    struct sx_explanation lx = *in;
    const struct sx_explanation *ex = &lx;

    sx_lang_explain(cli_langs, cli_lang, &lx);
    if (f->replycode)
	snprintf(code, sizeof(code), "%03d", f->replycode);
    if (f->status[0])
	snprintf(code + strlen(code), sizeof(code) - strlen(code), "%s%s",
		 code[0] ? " " : "", f->status);
    printf("%s: %s\n", code[0] ? code : "(no code)", ex->title);
    printf("%-9s %s", "class", sx_class_name(ex->class));
    printf("; reason %s; who acts: %s; retry: %s\n", ex->reason,
	   sx_who_name(ex->who), sx_retry_name(ex->retry));
    if (f->flags & SX_FINDING_CLASS_MISMATCH)
	printf("%-9s the basic code and the enhanced code disagree on the class;"
	       " both are kept as sent\n", "warning");
    cli_wrap("meaning", ex->text);
    cli_wrap("advice", ex->action);
    if (ex->action_admin[0])
	cli_wrap("admin", ex->action_admin);
    if (ex->vendor_name[0])
	printf("%-9s %s\n", "vendor", ex->vendor_name);
    if (ex->ref[0])
	printf("%-9s %s\n", "see", ex->ref);
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
	printf("\n");
	cli_wrap(label, ex.basic->title);
	if (ex.basic->text)
	    cli_wrap("", ex.basic->text);
    }
    return (0);
}

struct cli_parse_opts {
    int     json;
    int     headers;
    int     annotate;		/* write the message with the block */
    int     annotate_signed;	/* even when it carries DKIM-Signature */
    int     lang_given;		/* --lang or LANG named a language */
};

/* The largest message --annotate takes, as the milter's largest setting. */
#define CLI_ANNOTATE_MAX (64 * 1024 * 1024)

static void cli_print_json(const char *file, const struct sx_finding *f,
			           const struct sx_explanation *ex, int cut)
{
    char    code[8] = "";

    if (f->replycode)
	snprintf(code, sizeof(code), "%03d", f->replycode);
    putchar('{');
    cli_json_field(stdout, "file", file, 1);
    cli_json_field(stdout, "kind", sx_kind_name(f->kind), 0);
    cli_json_field(stdout, "recipient", f->recipient, 0);
    cli_json_field(stdout, "original_recipient", f->original_recipient, 0);
    cli_json_field(stdout, "action", sx_action_name(f->action), 0);
    cli_json_field(stdout, "status", f->status, 0);
    cli_json_field(stdout, "replycode", code, 0);
    cli_json_field(stdout, "reason", ex->reason, 0);
    cli_json_field(stdout, "class", sx_class_name(ex->class), 0);
    cli_json_field(stdout, "who", sx_who_name(ex->who), 0);
    cli_json_field(stdout, "retry", sx_retry_name(ex->retry), 0);
    cli_json_field(stdout, "vendor", ex->vendor_name, 0);
    cli_json_field(stdout, "remote_mta", f->remote_mta, 0);
    cli_json_field(stdout, "reporting_mta", f->reporting_mta, 0);
    cli_json_field(stdout, "command", f->command, 0);
    cli_json_field(stdout, "engine", f->engine, 0);
    cli_json_field(stdout, "diagnostic", f->diagnostic, 0);
    cli_json_field(stdout, "title", ex->title, 0);
    cli_json_field(stdout, "mismatch", (f->flags & SX_FINDING_CLASS_MISMATCH)
		   ? "yes" : "", 0);
    /* Only when the budget ended the reading: a rare key. */
    if (cut)
	cli_json_field(stdout, "cut", sx_cut_name(cut), 0);
    puts("}");
}

/* cli_keep - the whole message, for --annotate; -1 past the limit */

static int cli_keep(char **data, size_t *len, size_t *cap, const char *buf,
		            size_t n)
{
    char   *p;
    size_t  want;

    if (n > CLI_ANNOTATE_MAX - *len)
	return (-1);
    if (*len + n > *cap) {
	want = *cap ? *cap * 2 : 65536;
	while (want < *len + n)
	    want *= 2;
	if ((p = realloc(*data, want)) == 0)
	    return (-1);
	*data = p;
	*cap = want;
    }
    memcpy(*data + *len, buf, n);
    *len += n;
    return (0);
}

/*
 * cli_annotate - write the message with the explanation block in its
 * text, as the milter would deliver it; unchanged (and why, on stderr)
 * when the milter would leave it alone.
 */
static int cli_annotate(struct sx_registry *reg, struct sx_reader *r,
			        const char *path, const char *msg, size_t len,
			        const struct cli_parse_opts *o)
{
    struct sx_report rep;
    struct sx_annotate_opts ao = {.max = 0, .signed_ok = o->annotate_signed,
    .langs = cli_langs};
    struct sx_annotate_out out;
    int     status = 0;

    memset(&rep, 0, sizeof(rep));
    /* --lang or LANG, else the returned message's Content-Language. */
    ao.lang = sx_lang_choose(cli_langs, 0, 0, sx_reader_message(r)->orig_language,
			     cli_lang);
    if (o->lang_given)
	ao.lang = cli_lang;
    if (sx_report_build(&rep, reg, r, 0, 0) != SX_OK
	|| sx_annotate(msg ? msg : "", len, &rep, &ao, &out) != SX_OK) {
	fprintf(stderr, "smtp-explain: %s: out of memory\n", path);
	sx_report_free(&rep);
	return (CLI_EXIT_IO);
    }
    if (out.data != 0) {
	if (fwrite(out.data, 1, out.len, stdout) != out.len)
	    status = CLI_EXIT_IO;
    } else {
	fprintf(stderr, "smtp-explain: %s: unchanged: %s\n", path, out.why);
	if (len > 0 && fwrite(msg, 1, len, stdout) != len)
	    status = CLI_EXIT_IO;
    }
    sx_annotate_free(&out);
    sx_report_free(&rep);
    return (status);
}

static int cli_parse_one(struct sx_registry *reg, const char *path,
			         const struct cli_parse_opts *o)
{
    int     fd;
    char    buf[65536];
    ssize_t got;
    struct sx_reader *r;
    struct sx_report rep;
    size_t  i, n;
    int     status = 0;
    char   *whole = 0;
    size_t  wlen = 0, wcap = 0;

    memset(&rep, 0, sizeof(rep));
    if (strcmp(path, "-") == 0)
	fd = 0;
    else if ((fd = open(path, O_RDONLY)) < 0) {
	fprintf(stderr, "smtp-explain: %s: %s\n", path, strerror(errno));
	return (CLI_EXIT_IO);
    }
    if ((r = sx_reader_new(0)) == 0) {
	fprintf(stderr, "smtp-explain: out of memory\n");
	exit(CLI_EXIT_IO);
    }
    while ((got = read(fd, buf, sizeof(buf))) > 0) {
	if (o->annotate && cli_keep(&whole, &wlen, &wcap, buf, (size_t) got) < 0) {
	    fprintf(stderr, "smtp-explain: %s: larger than %d bytes or out of "
		    "memory\n", path, CLI_ANNOTATE_MAX);
	    status = CLI_EXIT_IO;
	    break;
	}
	if (sx_reader_push(r, buf, (size_t) got) != SX_OK)
	    break;
    }
    if (got < 0) {
	fprintf(stderr, "smtp-explain: %s: %s\n", path, strerror(errno));
	status = CLI_EXIT_IO;
    }
    if (fd != 0)
	close(fd);
    if (status == 0 && sx_reader_finish(r) != SX_OK) {
	fprintf(stderr, "smtp-explain: %s: out of memory\n", path);
	status = CLI_EXIT_IO;
    }
    n = status ? 0 : sx_reader_count(r);
    if (o->annotate) {
	if (status == 0)
	    status = cli_annotate(reg, r, path, whole, wlen, o);
	free(whole);
	sx_reader_free(r);
	return (status);
    }
    if (!o->json && status == 0) {
	const struct sx_message *m = sx_reader_message(r);

	printf("==> %s: %zu finding%s", path, n, n == 1 ? "" : "s");
	if (n)
	    printf(" (%s, %s)", sx_kind_name(m->kind), m->engine);
	if (m->findings_dropped)
	    printf(", %zu more not kept", m->findings_dropped);
	if (m->cut)
	    printf(", analysis cut by the %s budget", sx_cut_name(m->cut));
	printf("\n");
    }
    /* Each finding explained once, for every form of output. */
    if (status == 0 && sx_report_build(&rep, reg, r, 0, 0) != SX_OK) {
	fprintf(stderr, "smtp-explain: %s: out of memory\n", path);
	status = CLI_EXIT_IO;
	n = 0;
    }
    for (i = 0; i < n; i++) {
	const struct sx_finding *f = rep.items[i].finding;
	const struct sx_explanation *ex = &rep.items[i].ex;

	if (o->json) {
	    cli_print_json(path, f, ex, rep.msg->cut);
	    continue;
	}
	printf("\n[%zu] %s %s", i + 1, f->recipient[0] ? f->recipient : "(no recipient)",
	       f->action ? sx_action_name(f->action) : sx_kind_name(f->kind));
	if (f->remote_mta[0])
	    printf(" at %s", f->remote_mta);
	printf("\n");
	if (f->diagnostic[0])
	    cli_wrap("reply", f->diagnostic);
	cli_print_explanation(f, ex);
    }
    if (!o->json && o->headers && n) {
	struct sx_render_opts ro;
	char    hdr[SX_RENDER_MIN * 2];

	memset(&ro, 0, sizeof(ro));
	ro.authserv_id = "localhost";
	ro.fold = "\n\t";
	ro.with_text = 1;
	ro.with_diag = 1;
	ro.cut = sx_reader_message(r)->cut;
	printf("\nHeaders the milter would add:\n");
	for (i = 0; i < n; i++) {
	    if (sx_render_header(&ro, rep.items[i].finding, &rep.items[i].ex, i, n,
				 hdr, sizeof(hdr)) > 0)
		printf("%s: %s\n", SX_HEADER_NAME, hdr);
	    if (sx_render_result(&ro, rep.items[i].finding, &rep.items[i].ex, i, n,
				 hdr, sizeof(hdr)) > 0)
		printf("%s: %s\n", SX_RESULT_NAME, hdr);
	}
    }
    sx_report_free(&rep);
    sx_reader_free(r);
    return (status);
}

int     main(int argc, char **argv)
{
    const char *regfile = 0, *lang = 0;
    struct sx_registry *reg;
    struct sx_errors errs;
    char    langbuf[SX_LANG_MAX];
    struct cli_parse_opts po = {.json = 0, .headers = 1};
    int     i, parse = 0, status = 0, nfiles = 0;
    char  **rest;

    if (argc > 1 && strcmp(argv[1], "stats") == 0)
	return (cli_stats(argc - 1, argv + 1));
    if (argc > 1 && strcmp(argv[1], "registry") == 0)
	return (cli_registry_dump(argc - 1, argv + 1));
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
	} else if (strcmp(a, "--json") == 0) {
	    po.json = 1;
	} else if (strcmp(a, "--annotate") == 0) {
	    po.annotate = 1;
	} else if (strcmp(a, "--annotate-signed") == 0) {
	    po.annotate = po.annotate_signed = 1;
	} else if (strcmp(a, "--lang") == 0) {
	    if (++i >= argc) {
		fprintf(stderr, "smtp-explain: %s needs a language\n", a);
		return (CLI_EXIT_USAGE);
	    }
	    lang = argv[i];
	} else if (strcmp(a, "--no-headers") == 0) {
	    po.headers = 0;
	} else if (strcmp(a, "-r") == 0 || strcmp(a, "--registry") == 0) {
	    if (++i >= argc) {
		fprintf(stderr, "smtp-explain: %s needs a file name\n", a);
		return (CLI_EXIT_USAGE);
	    }
	    regfile = argv[i];
	} else if (strcmp(a, "parse") == 0 && nfiles == 0 && !parse) {
	    parse = 1;
	} else if (a[0] == '-' && a[1] != 0 && !(a[1] >= '0' && a[1] <= '9')) {
	    fprintf(stderr, "smtp-explain: unknown option \"%s\"\n", a);
	    cli_usage(stderr);
	    return (CLI_EXIT_USAGE);
	} else {
	    rest[nfiles++] = argv[i];
	}
    }
    if (nfiles == 0) {
	fprintf(stderr, parse ? "smtp-explain: parse needs a file name or -\n"
		: "smtp-explain: nothing to explain\n");
	cli_usage(stderr);
	return (CLI_EXIT_USAGE);
    }
    if ((reg = cli_registry_load(regfile)) == 0)
	return (CLI_EXIT_CONFIG);
    memset(&errs, 0, sizeof(errs));
    if ((cli_langs = sx_langs_embedded(&errs)) == 0) {
	fprintf(stderr, "smtp-explain: %s\n", errs.count ? errs.msg[0] : "out of memory");
	sx_registry_free(reg);
	return (CLI_EXIT_CONFIG);
    }
    if (lang != 0) {
	if (!sx_lang_norm(lang, langbuf, sizeof(langbuf))
	    || !sx_lang_known(cli_langs, langbuf)) {
	    fprintf(stderr, "smtp-explain: no texts in language \"%s\"\n", lang);
	    sx_langs_free(cli_langs);
	    sx_registry_free(reg);
	    return (CLI_EXIT_USAGE);
	}
	po.lang_given = 1;
    } else if (sx_lang_norm(getenv("LANG"), langbuf, sizeof(langbuf))
	       && sx_lang_known(cli_langs, langbuf)) {
	po.lang_given = 1;
    } else {
	(void) strcpy(langbuf, "en");
    }
    cli_lang = langbuf;
    if (!parse) {
	status = cli_explain(reg, nfiles, rest);
    } else {
	for (i = 0; i < nfiles; i++) {
	    int     s = cli_parse_one(reg, rest[i], &po);

	    if (s)
		status = s;
	}
    }
    sx_langs_free(cli_langs);
    sx_registry_free(reg);
    return (status);
}
