/*
 * NAME
 *	annotate 3
 * SUMMARY
 *	smtp-explain parse --annotate, and the language of the output
 * SYNOPSIS
 *	#include "cli.h"
 *
 *	int	cli_lang_setup(const char *arg, int *given, int all);
 *	void	cli_lang_free(void);
 *	int	cli_annotate(struct sx_registry *reg, char **paths, int n,
 *				int signed_ok, int lang_given);
 * DESCRIPTION
 *	cli_lang_setup() picks the output's language: arg (--lang), else
 *	LANG from the environment when it names a language with texts,
 *	else English; *given tells whether one was named. It loads that
 *	language's texts only (each costs a parse at start), or every
 *	compiled-in language when all is set and none was named (the
 *	annotator then chooses per message). cli_print_explanation()
 *	writes in it (cli_lang).
 *
 *	cli_annotate() writes the one message of paths[0] ("-": standard
 *	input) as the milter delivers it with explain_body on; unchanged,
 *	and why on standard error, when the milter would leave it alone.
 *	Without a language named, the returned message's Content-Language
 *	chooses before English.
 * DIAGNOSTICS
 *	The command's exit codes (CLI_EXIT_*).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <smtp-explain/annotate.h>
#include <smtp-explain/config.h>
#include <smtp-explain/lang.h>
#include <smtp-explain/reader.h>
#include <smtp-explain/report.h>

#include "cli.h"

/* The largest message --annotate takes, as the milter's largest setting. */
#define CLI_ANNOTATE_MAX (64 * 1024 * 1024)

struct sx_langs *cli_langs;
const char *cli_lang = "en";
static char cli_lang_buf[SX_LANG_MAX];

int     cli_lang_setup(const char *arg, int *given, int all)
{
    struct sx_errors errs;

    *given = 0;
    if (arg != 0) {
	if (!sx_lang_norm(arg, cli_lang_buf, sizeof(cli_lang_buf))
	    || !sx_lang_compiled(cli_lang_buf)) {
	    fprintf(stderr, "smtp-explain: no texts in language \"%s\"\n", arg);
	    return (CLI_EXIT_USAGE);
	}
	*given = 1;
    } else if (sx_lang_norm(getenv("LANG"), cli_lang_buf, sizeof(cli_lang_buf))
	       && sx_lang_compiled(cli_lang_buf)) {
	*given = 1;
    } else {
	(void) strcpy(cli_lang_buf, "en");
    }
    cli_lang = cli_lang_buf;
    /* Every language only when each message may choose its own. */
    memset(&errs, 0, sizeof(errs));
    if ((cli_langs = sx_langs_embedded(all && !*given ? 0 : cli_lang, &errs)) == 0) {
	fprintf(stderr, "smtp-explain: %s\n", errs.count ? errs.msg[0] : "out of memory");
	return (CLI_EXIT_CONFIG);
    }
    return (0);
}

void    cli_lang_free(void)
{
    sx_langs_free(cli_langs);
    cli_langs = 0;
}

/* cli_slurp - a whole message, at most CLI_ANNOTATE_MAX bytes */

static char *cli_slurp(const char *path, size_t *lenp)
{
    char   *data = 0, *p;
    size_t  len = 0, cap = 0;
    ssize_t got;
    int     fd;

    if (strcmp(path, "-") == 0)
	fd = 0;
    else if ((fd = open(path, O_RDONLY)) < 0) {
	fprintf(stderr, "smtp-explain: %s: %s\n", path, strerror(errno));
	return (0);
    }
    for (;;) {
	if (len == cap) {
	    cap = cap ? cap * 2 : 65536;
	    if (cap > CLI_ANNOTATE_MAX + 1 || (p = realloc(data, cap)) == 0) {
		fprintf(stderr, "smtp-explain: %s: larger than %d bytes or out "
			"of memory\n", path, CLI_ANNOTATE_MAX);
		break;
	    }
	    data = p;
	}
	if ((got = read(fd, data + len, cap - len)) <= 0) {
	    if (got < 0)
		fprintf(stderr, "smtp-explain: %s: %s\n", path, strerror(errno));
	    else {
		if (fd != 0)
		    close(fd);
		*lenp = len;
		return (data ? data : strdup(""));
	    }
	    break;
	}
	len += (size_t) got;
    }
    if (fd != 0)
	close(fd);
    free(data);
    return (0);
}

int     cli_annotate(struct sx_registry *reg, char **paths, int n, int signed_ok,
		             int lang_given, const char *lifetime)
{
    struct sx_annotate_opts ao = {.signed_ok = signed_ok, .langs = cli_langs,
	.reg = reg};
    struct sx_annotate_out out;
    struct sx_reader *r;
    struct sx_report rep;
    size_t  len;
    char   *msg;
    int     status = 0;

    if (n != 1) {
	fprintf(stderr, "smtp-explain: --annotate takes one message\n");
	return (CLI_EXIT_USAGE);
    }
    if ((msg = cli_slurp(paths[0], &len)) == 0)
	return (CLI_EXIT_IO);
    memset(&rep, 0, sizeof(rep));
    memset(&out, 0, sizeof(out));
    if ((r = sx_reader_new(0)) == 0 || sx_reader_push(r, msg, len) != SX_OK
	|| sx_reader_finish(r) != SX_OK
	|| sx_report_build(&rep, reg, r, 0, 0) != SX_OK) {
	status = CLI_EXIT_IO;
    } else {
	if (lifetime)
	    (void) sx_report_lifetime(&rep, lifetime);
	ao.lang = lang_given ? cli_lang
	    : sx_lang_choose(cli_langs, 0, 0, sx_reader_message(r)->orig_language,
			     cli_lang);
	if (sx_annotate(msg, len, &rep, &ao, &out) != SX_OK)
	    status = CLI_EXIT_IO;
    }
    if (status != 0) {
	fprintf(stderr, "smtp-explain: %s: out of memory\n", paths[0]);
    } else if (out.data != 0) {
	if (fwrite(out.data, 1, out.len, stdout) != out.len)
	    status = CLI_EXIT_IO;
    } else {
	fprintf(stderr, "smtp-explain: %s: unchanged: %s\n", paths[0], out.why);
	if (len > 0 && fwrite(msg, 1, len, stdout) != len)
	    status = CLI_EXIT_IO;
    }
    if (fflush(stdout) != 0)
	status = CLI_EXIT_IO;
    sx_annotate_free(&out);
    sx_report_free(&rep);
    sx_reader_free(r);
    free(msg);
    return (status);
}
