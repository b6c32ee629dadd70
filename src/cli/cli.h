/*
 * NAME
 *	cli 3h
 * SUMMARY
 *	the smtp-explain command's own helpers (private)
 */
#ifndef SX_CLI_H
#define SX_CLI_H

#include <stdio.h>
#include <time.h>

#include <smtp-explain/explain.h>
#include <smtp-explain/finding.h>
#include <smtp-explain/report.h>

#define CLI_EXIT_IO 1
#define CLI_EXIT_USAGE 2
#define CLI_EXIT_CONFIG 3

struct sx_registry;

extern void cli_json_str(FILE *, const char *);
extern void cli_json_field(FILE *, const char *, const char *, int);
extern int cli_stats(int, char **);
extern int cli_registry_dump(int, char **);
extern struct sx_registry *cli_registry_load(const char *);
extern const char *cli_authserv_id(void);

/* out.c: buffered output */
struct cli_out {
    int     fd;
    int     err;			/* errno of a failed write, else 0 */
    size_t  len;
    char    buf[65536];
};

extern struct cli_out cli_stdout;
extern void cli_out_mem(struct cli_out *, const char *, size_t);
extern void cli_out_str(struct cli_out *, const char *);
extern void cli_out_ch(struct cli_out *, int);
extern void cli_out_fmt(struct cli_out *, const char *,...)
	__attribute__((format(printf, 2, 3)));
extern void cli_out_json(struct cli_out *, const char *);
extern void cli_out_csv(struct cli_out *, const char *);
extern int cli_out_flush(struct cli_out *);

/* source.c: messages from files, mboxes, Maildirs, directories, stdin */
struct cli_msgref {
    const char *file;			/* path, "-" for standard input */
    size_t  number;			/* in an mbox, from 1; else 0 */
    const char *name;			/* Maildir file name, or NULL */
    time_t  from_time;			/* date of the From_ line, or 0 */
    time_t  file_time;			/* Maildir name's time, else mtime */
};

struct cli_sink {
    int     (*begin) (void *, const struct cli_msgref *);
    int     (*data) (void *, const char *, size_t);
    int     (*end) (void *, const struct cli_msgref *);
};

struct cli_source_opts {
    int     recursive;			/* follow subdirectories */
};

extern void cli_source_release(void);
extern int cli_source_path(const char *, const struct cli_source_opts *,
			           const struct cli_sink *, void *);
extern int cli_month_index(const char *);

/* pipeline.c: every message read, explained, handed to a consumer */
struct cli_msginfo {
    const struct cli_msgref *ref;
    const struct sx_report *rep;	/* rep->msg, rep->items[0..count) */
    size_t  bytes;			/* of the message */
    time_t  date;			/* of the bounce, 0 when unknown */
    int     tzoff;			/* of its Date:, minutes east of UTC */
};

struct cli_run_opts {
    const struct sx_registry *reg;
    struct cli_source_opts src;
    int     progress;			/* a progress line on stderr */
    int     autoreplies;		/* report automatic replies too */
    const char *lifetime;	/* --queue-lifetime: dates delay reports */
    int     (*fn) (void *, const struct cli_msginfo *);
    void   *ctx;
};

extern int cli_run(const struct cli_run_opts *, char **, int);
extern size_t cli_hash(const char *);
extern int cli_common_arg(const char *, int, char **, int *, struct cli_run_opts *,
			          const char **, char **, int *);
extern int cli_common_end(const char *, int);
extern time_t cli_date_parse(const char *, int *);

/* format.c: parse's output formats */
enum cli_format {
    CLI_FORMAT_TEXT = 0,
    CLI_FORMAT_JSON,
    CLI_FORMAT_CSV,
    CLI_FORMAT_SISIMAI,
};

struct cli_format_ctx {
    enum cli_format format;
    int     headers;			/* text: the headers the milter adds */
    int     delivered;			/* sisimai: keep delivered findings */
    size_t  written;			/* findings written */
    size_t  messages;			/* messages read */
    size_t  mbox_files;			/* text: mbox summary lines */
};

extern int cli_format_name(const char *, enum cli_format *);
extern void cli_format_begin(struct cli_format_ctx *);
extern int cli_format_message(void *, const struct cli_msginfo *);
extern void cli_format_end(struct cli_format_ctx *);
extern void cli_wrap(const char *, const char *);
extern void cli_print_explanation(const struct sx_finding *,
				          const struct sx_explanation *);
extern const char *cli_domain(const char *);
extern int cli_hard_reason(const char *);

/* report.c and suppress.c: the commands */
extern int cli_report(int, char **);

/* annotate.c: parse --annotate, and the language of the output. */
struct sx_langs;
extern struct sx_langs *cli_langs;
extern const char *cli_lang;
extern int cli_lang_setup(const char *, int *, int);
extern void cli_lang_free(void);
extern int cli_annotate(struct sx_registry *, char **, int, int, int,
			        const char *);
extern int cli_suppress(int, char **);

#endif
