/*
 * test_settings.c - the table of settings (config_settings.c): its rows
 * are sane; the embedded default, the shipped file and an empty file
 * agree; docs/configuration.md and smtp-explain.conf(5) document every
 * row as the table has it; printed settings read back the same; a value
 * given as an option is judged exactly as in the file; and the milter's
 * start-up check accepts every file the loader accepts, while the files
 * of fixtures/config/check/ are accepted (ok-*) or refused (bad-*, with
 * every line marked "# refused" reported as file:line) as named.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <CUnit/CUnit.h>

#include <smtp-explain/config.h>
#include <smtp-explain/names.h>
#include <smtp-explain/status.h>
#include "unit.h"
#include "../../src/milter/check.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define FIX "fixtures/config/"
#define CHECK_DIR FIX "check/"
#define SHIPPED "../etc/smtp-explain.conf"

static struct sx_config *load(const char *path, struct sx_errors *errs)
{
    memset(errs, 0, sizeof(*errs));
    return (sx_config_load(path, errs));
}

static void print_errors(const char *what, const struct sx_errors *errs)
{
    size_t  i;

    for (i = 0; i < errs->count && i < SX_ERRORS_MAX; i++)
	fprintf(stderr, "\n%s: %s", what, errs->msg[i]);
}

/* A value as the file spells it; asserts that it fits. */
static const char *value_of(const struct sx_config *conf,
			            const struct sx_setting *row, char *buf,
			            size_t size)
{
    int     n = sx_config_setting_format(&conf->settings, row, buf, size);

    CU_ASSERT((size_t) n < size);
    return (buf);
}

static void test_rows(void)
{
    const struct sx_setting *row, *other;
    const struct sx_name_code *nc;
    struct sx_errors errs;
    int     code;

    for (row = sx_config_settings; row->name; row++) {
	CU_ASSERT(row->name[0] != 0);
	CU_ASSERT(strspn(row->name, "abcdefghijklmnopqrstuvwxyz_")
		  == strlen(row->name));
	CU_ASSERT_PTR_EQUAL(sx_config_setting(row->name), row);
	for (other = sx_config_settings; other < row; other++)
	    CU_ASSERT(strcmp(other->name, row->name) != 0);
	switch (row->type) {
	case SX_SETTING_STRING:
	    CU_ASSERT_PTR_NOT_NULL_FATAL(row->def);
	    CU_ASSERT_PTR_NOT_NULL(row->check);
	    memset(&errs, 0, sizeof(errs));
	    /* Every default passes its own check. */
	    CU_ASSERT_EQUAL(sx_config_setting_check(row->name, row->def,
						    "default", &errs), SX_OK);
	    print_errors(row->name, &errs);
	    break;
	case SX_SETTING_LIST:
	    CU_ASSERT_PTR_NOT_NULL(row->check);
	    break;
	case SX_SETTING_BOOL:
	    CU_ASSERT(row->num <= 1);
	    break;
	case SX_SETTING_UINT:
	    CU_ASSERT(row->min <= row->num && row->num <= row->max);
	    break;
	case SX_SETTING_MODE:
	    CU_ASSERT(row->num <= 07777);
	    break;
	case SX_SETTING_NAME:
	    CU_ASSERT_PTR_NOT_NULL_FATAL(row->names);
	    CU_ASSERT(sx_code_name(row->names, (int) row->num)[0] != 0);
	    /* One name a code: what is written is what was read. */
	    for (nc = row->names; nc->name; nc++) {
		CU_ASSERT(sx_name_code(row->names, nc->name, strlen(nc->name),
				       &code));
		CU_ASSERT_STRING_EQUAL(sx_code_name(row->names, code),
				       nc->name);
	    }
	    break;
	}
    }
    CU_ASSERT_PTR_NULL(sx_config_setting("nope"));
}

/* Embedded default, shipped file, empty file: the table's defaults. */
static void test_defaults_agree(void)
{
    const char *paths[] = {NULL, SHIPPED, FIX "empty.conf"};
    struct sx_config *conf[COUNT(paths)];
    const struct sx_setting *row;
    struct sx_errors errs;
    char    a[1024], b[1024], key[1200];
    char   *shipped;
    size_t  i;

    for (i = 0; i < COUNT(paths); i++) {
	conf[i] = load(paths[i], &errs);
	print_errors(paths[i] ? paths[i] : "(default)", &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(conf[i]);
    }
    shipped = sx_unit_slurp(SHIPPED, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(shipped);
    for (row = sx_config_settings; row->name; row++) {
	value_of(conf[2], row, a, sizeof(a));
	for (i = 0; i < 2; i++) {
	    value_of(conf[i], row, b, sizeof(b));
	    if (strcmp(a, b) != 0)
		fprintf(stderr, "\n%s: %s, default %s", row->name, b, a);
	    CU_ASSERT_STRING_EQUAL(a, b);
	}
	/* The shipped file writes every setting out, at its default. */
	snprintf(key, sizeof(key), "\n    %s = %s;", row->name, a);
	if (strstr(shipped, key) == 0)
	    fprintf(stderr, "\n" SHIPPED ": no \"%s\"", key + 5);
	CU_ASSERT_PTR_NOT_NULL(strstr(shipped, key));
    }
    free(shipped);
    for (i = 0; i < COUNT(paths); i++)
	sx_config_unref(conf[i]);
}

/* The words of docs/configuration.md's Type column. */
static const char *doc_type(const struct sx_setting *row)
{
    switch (row->type) {
    case SX_SETTING_BOOL:
	return ("boolean");
    case SX_SETTING_UINT:
	return ("integer");
    case SX_SETTING_LIST:
	return ("string or list");
    default:
	return ("string");
    }
}

/* The part of text from the line that starts with from to the next to. */
static char *section(const char *text, const char *from, const char *to)
{
    const char *start = strstr(text, from);
    const char *end;

    if (start == 0)
	return (0);
    end = strstr(start + strlen(from), to);
    return (strndup(start, end ? (size_t) (end - start) : strlen(start)));
}

/* word occurs in text, not as part of a longer name */
static int has_word(const char *text, const char *word)
{
    const char *p;
    size_t  len = strlen(word);

    for (p = text; (p = strstr(p, word)) != 0; p++) {
	if ((p == text || strchr("abcdefghijklmnopqrstuvwxyz0123456789_", p[-1]) == 0)
	    && (p[len] == 0 || strchr("abcdefghijklmnopqrstuvwxyz0123456789_", p[len]) == 0))
	    return (1);
    }
    return (0);
}

/* What a row's documentation must say besides its default. */
static void check_values(const char *doc, const struct sx_setting *row,
			         const char *text)
{
    const struct sx_name_code *nc;
    char    want[128];

    if (row->type == SX_SETTING_UINT) {
	snprintf(want, sizeof(want), "%u to %u", row->min, row->max);
	if (strstr(text, want) == 0)
	    fprintf(stderr, "\n%s: %s: no \"%s\"", doc, row->name, want);
	CU_ASSERT_PTR_NOT_NULL(strstr(text, want));
    }
    if (row->type == SX_SETTING_NAME) {
	for (nc = row->names; nc->name; nc++) {
	    if (!has_word(text, nc->name))
		fprintf(stderr, "\n%s: %s: no %s", doc, row->name, nc->name);
	    CU_ASSERT(has_word(text, nc->name));
	}
    }
}

static void test_documented_md(void)
{
    const char *doc = "../docs/configuration.md";
    const struct sx_setting *row;
    struct sx_config *conf;
    struct sx_errors errs;
    char   *text = sx_unit_slurp(doc, 0);
    char   *table;
    char    want[1024], value[512];
    const char *line, *end;
    size_t  rows = 0, documented = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    table = section(text, "\n## Settings\n", "\n## ");
    CU_ASSERT_PTR_NOT_NULL_FATAL(table);
    conf = load(FIX "empty.conf", &errs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(conf);
    for (row = sx_config_settings; row->name; row++, rows++) {
	snprintf(want, sizeof(want), "\n| `%s` | %s | `%s` | ", row->name,
		 doc_type(row), value_of(conf, row, value, sizeof(value)));
	line = strstr(table, want);
	if (line == 0) {
	    fprintf(stderr, "\n%s: no line \"%s\"", doc, want + 1);
	    CU_FAIL("setting not documented as in the table");
	    continue;
	}
	end = strchr(line + 1, '\n');
	snprintf(want, sizeof(want), "%.*s", (int) (end ? end - line : 1000),
		 line);
	check_values(doc, row, want);
    }
    /* And nothing documented that the table does not have. */
    for (line = table; (line = strstr(line, "\n| `")) != 0; line++)
	documented++;
    CU_ASSERT_EQUAL(documented, rows);
    sx_config_unref(conf);
    free(table);
    free(text);
}

/* The man page's spelling of a default: .It Ic name Pq ... */
static const char *man_default(const struct sx_config *conf,
			               const struct sx_setting *row, char *buf,
			               size_t size)
{
    char    value[512];
    size_t  len;

    value_of(conf, row, value, sizeof(value));
    len = strlen(value);
    if (value[0] == '"')		/* "x" -> Qq x, "" -> Qq */
	snprintf(buf, size, "Qq%s%.*s", len > 2 ? " " : "", (int) len - 2,
		 value + 1);
    else
	snprintf(buf, size, "%s", value);
    return (buf);
}

static void test_documented_man(void)
{
    const char *doc = "../docs/man/smtp-explain.conf.5";
    const struct sx_setting *row;
    struct sx_config *conf;
    struct sx_errors errs;
    char   *text = sx_unit_slurp(doc, 0);
    char   *list;
    char    want[1024], def[512];
    const char *item, *end, *next;
    size_t  rows = 0, documented = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    list = section(text, "\n.Sh SETTINGS\n", "\n.El\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(list);
    conf = load(FIX "empty.conf", &errs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(conf);
    for (row = sx_config_settings; row->name; row++, rows++) {
	snprintf(want, sizeof(want), "\n.It Ic %s Pq %s\n", row->name,
		 man_default(conf, row, def, sizeof(def)));
	if ((item = strstr(list, want)) == 0) {
	    fprintf(stderr, "\n%s: no line \"%.*s\"", doc,
		    (int) strlen(want) - 2, want + 1);
	    CU_FAIL("setting not documented as in the table");
	    continue;
	}
	next = strstr(item + 1, "\n.It ");
	end = next ? next : item + strlen(item);
	snprintf(want, sizeof(want), "%.*s", (int) (end - item), item);
	check_values(doc, row, want);
    }
    for (item = list; (item = strstr(item, "\n.It Ic ")) != 0; item++)
	documented++;
    CU_ASSERT_EQUAL(documented, rows);
    sx_config_unref(conf);
    free(list);
    free(text);
}

/* Write text to a new temporary file; its name goes to path. */
static int write_temp(char *path, size_t size, const char *text)
{
    FILE   *fp;
    int     fd;

    snprintf(path, size, "/tmp/sx-unit-settings.XXXXXX");
    if ((fd = mkstemp(path)) < 0 || (fp = fdopen(fd, "w")) == 0)
	return (-1);
    fputs(text, fp);
    return (fclose(fp) == 0 ? 0 : -1);
}

/* Printed settings, read back, are the same settings. */
static void test_print_read_back(void)
{
    const char *paths[] = {NULL, FIX "full.conf", CHECK_DIR "ok-names-any-case.conf",
    CHECK_DIR "ok-socket-inet6.conf"};
    const struct sx_setting *row;
    struct sx_config *conf, *again;
    struct sx_errors errs;
    char    text[8192], path[64], a[1024], b[1024];
    size_t  i, n;

    for (i = 0; i < COUNT(paths); i++) {
	conf = load(paths[i], &errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(conf);
	n = (size_t) snprintf(text, sizeof(text), "settings = {\n");
	for (row = sx_config_settings; row->name; row++)
	    n += (size_t) snprintf(text + n, sizeof(text) - n, "    %s = %s;\n",
				   row->name, value_of(conf, row, a, sizeof(a)));
	snprintf(text + n, sizeof(text) - n, "};\n");
	CU_ASSERT_FATAL(write_temp(path, sizeof(path), text) == 0);
	again = load(path, &errs);
	print_errors(path, &errs);
	CU_ASSERT_PTR_NOT_NULL(again);
	for (row = sx_config_settings; again && row->name; row++)
	    CU_ASSERT_STRING_EQUAL(value_of(conf, row, a, sizeof(a)),
				   value_of(again, row, b, sizeof(b)));
	sx_config_unref(again);
	sx_config_unref(conf);
	unlink(path);
    }
}

/*
 * A value given as an option (sx_config_setting_check) and the same
 * value in a file: both accepted, or both refused with the same words.
 */
static const struct {
    const char *name;
    const char *value;
    int     bare;			/* not quoted in the file */
    int     good;
} option_cases[] = {
    {"socket", "unix:/run/x.sock", 0, 1},
    {"socket", "local:/run/x.sock", 0, 1},
    {"socket", "inet:8894@127.0.0.1", 0, 1},
    {"socket", "inet6:8894@::1", 0, 1},
    {"socket", "inet:127.0.0.1:8894", 0, 0},
    {"socket", "inet:8894", 0, 0},
    {"socket", "inet:@127.0.0.1", 0, 0},
    {"socket", "inet:0@127.0.0.1", 0, 0},
    {"socket", "inet:65536@127.0.0.1", 0, 0},
    {"socket", "inet:88x4@127.0.0.1", 0, 0},
    {"socket", "inet:8894@", 0, 0},
    {"socket", "unix:run/x.sock", 0, 0},
    {"socket", "/run/x.sock", 0, 0},
    {"socket", "tcp:8894@127.0.0.1", 0, 0},
    {"user", "", 0, 1},
    {"user", "smtpx", 0, 1},
    {"user", "smtp x", 0, 0},
    {"user", "a\tb", 0, 0},
    {"pidfile", "", 0, 1},
    {"pidfile", "/run/x.pid", 0, 1},
    {"pidfile", "x.pid", 0, 0},
    {"socket_mode", "0660", 0, 1},
    {"socket_mode", "660", 0, 1},
    {"socket_mode", "0999", 0, 0},
    {"socket_mode", "06600", 0, 0},
    {"socket_mode", "", 0, 0},
    {"socket_group", "postfix", 0, 1},
    {"socket_group", "post fix", 0, 0},
    {"syslog_facility", "auth", 0, 1},
    {"syslog_facility", "local7", 0, 1},
    {"syslog_facility", "LOCAL7", 0, 1},
    {"syslog_facility", "kern", 0, 0},
    {"syslog_facility", "mial", 0, 0},
    {"syslog_facility", "", 0, 0},
    {"authserv_id", "mx.example.org", 0, 1},
    {"authserv_id", "mx;example", 0, 0},
    {"on_error", "accept", 0, 1},
    {"on_error", "tempfail", 0, 1},
    {"on_error", "reject", 0, 0},
    {"max_headers", "0", 1, 1},
    {"max_headers", "1000", 1, 1},
    {"max_headers", "1001", 1, 0},
    {"max_headers", "-1", 1, 0},
    {"strip_foreign", "true", 1, 1},
    {"strip_foreign", "false", 1, 1},
    {"local_domains", "example.org", 0, 1},
    {"local_domains", "*.example.org", 0, 1},
    {"local_domains", "user@example.org", 0, 0},
    {"local_domains", "", 0, 0},
    {"stats_file", "/var/lib/x", 0, 1},
    {"stats_file", "x", 0, 0},
    {"stats_interval", "0", 1, 0},
    {"stats_interval", "86400", 1, 1},
    {"stats_interval", "86401", 1, 0},
    {"analysis_bytes", "2147483647", 1, 1},
    {"analysis_bytes", "0", 1, 1},
    {"queue_lifetime", "", 0, 1},
    {"queue_lifetime", "5d", 0, 1},
    {"queue_lifetime", "120h", 0, 1},
    {"queue_lifetime", "100d", 0, 1},
    {"queue_lifetime", "101d", 0, 0},
    {"queue_lifetime", "5 days", 0, 0},
    {"queue_lifetime", "-5d", 0, 0},
    {"nope", "x", 0, 0},
};

static void test_option_as_file(void)
{
    struct sx_config *conf;
    struct sx_errors ferrs, oerrs;
    char    text[512], path[64], prefix[128];
    char    value[256];
    const char *cp;
    size_t  i, n;
    int     status;

    for (i = 0; i < COUNT(option_cases); i++) {
	/* libconfig's escapes for what the cases hold */
	for (n = 0, cp = option_cases[i].value; *cp && n + 3 < sizeof(value); cp++) {
	    if (*cp == '\t') {
		value[n++] = '\\';
		value[n++] = 't';
	    } else
		value[n++] = *cp;
	}
	value[n] = 0;
	snprintf(text, sizeof(text), "settings = {\n    %s = %s%s%s;\n};\n",
		 option_cases[i].name, option_cases[i].bare ? "" : "\"",
		 value, option_cases[i].bare ? "" : "\"");
	CU_ASSERT_FATAL(write_temp(path, sizeof(path), text) == 0);
	conf = load(path, &ferrs);
	memset(&oerrs, 0, sizeof(oerrs));
	status = sx_config_setting_check(option_cases[i].name,
					 option_cases[i].value, "-o", &oerrs);
	if ((conf != 0) != option_cases[i].good
	    || (status == SX_OK) != option_cases[i].good)
	    fprintf(stderr, "\n%s = \"%s\": file %s, option %s, want %s",
		    option_cases[i].name, option_cases[i].value,
		    conf ? "accepts" : "refuses", status == SX_OK ? "accepts" :
		    "refuses", option_cases[i].good ? "good" : "bad");
	CU_ASSERT_EQUAL(conf != 0, option_cases[i].good);
	CU_ASSERT_EQUAL(status == SX_OK, option_cases[i].good);
	if (!option_cases[i].good && ferrs.count == 1 && oerrs.count == 1) {
	    snprintf(prefix, sizeof(prefix), "%s:2: ", path);
	    CU_ASSERT_EQUAL(strncmp(ferrs.msg[0], prefix, strlen(prefix)), 0);
	    CU_ASSERT_EQUAL(strncmp(oerrs.msg[0], "-o: ", 4), 0);
	    if (strcmp(ferrs.msg[0] + strlen(prefix), oerrs.msg[0] + 4) != 0)
		fprintf(stderr, "\nfile:   %s\noption: %s", ferrs.msg[0],
			oerrs.msg[0]);
	    CU_ASSERT_STRING_EQUAL(ferrs.msg[0] + strlen(prefix),
				   oerrs.msg[0] + 4);
	} else if (!option_cases[i].good) {
	    CU_FAIL("one error each expected");
	}
	sx_config_unref(conf);
	unlink(path);
    }
}

/* The lines of a file that hold "# refused", in order; how many. */
static size_t refused_lines(const char *path, int *lines, size_t max)
{
    char   *text = sx_unit_slurp(path, 0);
    const char *p;
    size_t  n = 0;
    int     line = 1;

    if (text == 0)
	return (0);
    for (p = text; *p; p++) {
	if (*p == '\n')
	    line++;
	else if (strncmp(p, "# refused", 9) == 0 && n < max)
	    lines[n++] = line;
    }
    free(text);
    return (n);
}

/* The milter's start-up check takes every file the loader takes. */
static void start_accepts(const char *path, const struct sx_config *conf)
{
    struct sx_errors errs;

    memset(&errs, 0, sizeof(errs));
    CU_ASSERT_EQUAL(sxm_check_start(conf, NULL, NULL, &errs), 0);
    /* Its own values, given again as -p and -P: the same verdict. */
    CU_ASSERT_EQUAL(sxm_check_start(conf, conf->settings.socket,
				    conf->settings.pidfile, &errs), 0);
    print_errors(path, &errs);
    CU_ASSERT_EQUAL(errs.count, 0);
}

static void test_check_fixtures(void)
{
    struct sx_config *conf;
    struct sx_errors errs;
    struct dirent *d;
    DIR    *dir;
    char    path[512], want[600];
    int     lines[SX_ERRORS_MAX];
    size_t  n, i, ok = 0, bad = 0;

    dir = opendir(CHECK_DIR);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    while ((d = readdir(dir)) != 0) {
	n = strlen(d->d_name);
	if (n < 5 || strcmp(d->d_name + n - 5, ".conf") != 0)
	    continue;
	snprintf(path, sizeof(path), CHECK_DIR "%s", d->d_name);
	conf = load(path, &errs);
	if (strncmp(d->d_name, "ok-", 3) == 0) {
	    print_errors(path, &errs);
	    CU_ASSERT_PTR_NOT_NULL(conf);
	    if (conf)
		start_accepts(path, conf);
	    ok++;
	} else {
	    CU_ASSERT_EQUAL(strncmp(d->d_name, "bad-", 4), 0);
	    CU_ASSERT_PTR_NULL(conf);
	    n = refused_lines(path, lines, COUNT(lines));
	    CU_ASSERT(n > 0);
	    if (errs.count != n) {
		fprintf(stderr, "\n%s: %zu errors, %zu lines marked", path,
			errs.count, n);
		print_errors(path, &errs);
	    }
	    CU_ASSERT_EQUAL(errs.count, n);
	    for (i = 0; i < n && i < errs.count; i++) {
		snprintf(want, sizeof(want), "%s:%d: ", path, lines[i]);
		if (strncmp(errs.msg[i], want, strlen(want)) != 0)
		    fprintf(stderr, "\nwant %s...\n got %s", want, errs.msg[i]);
		CU_ASSERT_EQUAL(strncmp(errs.msg[i], want, strlen(want)), 0);
	    }
	    bad++;
	}
	sx_config_unref(conf);
    }
    closedir(dir);
    CU_ASSERT(ok >= 3);
    CU_ASSERT(bad >= 3);
}

/* Every file of fixtures/config the loader accepts, the milter starts on. */
static void test_start_accepts_all(void)
{
    struct sx_config *conf;
    struct sx_errors errs;
    struct dirent *d;
    DIR    *dir;
    char    path[512];
    size_t  n, accepted = 0;

    dir = opendir(FIX);
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    while ((d = readdir(dir)) != 0) {
	n = strlen(d->d_name);
	if (n < 5 || strcmp(d->d_name + n - 5, ".conf") != 0)
	    continue;
	snprintf(path, sizeof(path), FIX "%s", d->d_name);
	if ((conf = load(path, &errs)) == 0)
	    continue;
	start_accepts(path, conf);
	sx_config_unref(conf);
	accepted++;
    }
    closedir(dir);
    CU_ASSERT(accepted >= 5);
    if ((conf = load(SHIPPED, &errs)) != 0)
	start_accepts(SHIPPED, conf);
    CU_ASSERT_PTR_NOT_NULL(conf);
    sx_config_unref(conf);
}

/* Options are judged by the rows of the settings they override. */
static void test_start_options(void)
{
    struct sx_config *conf;
    struct sx_errors errs;

    conf = load(FIX "empty.conf", &errs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(conf);
    memset(&errs, 0, sizeof(errs));
    CU_ASSERT_EQUAL(sxm_check_start(conf, "inet:8894@127.0.0.1",
				    "/run/x.pid", &errs), 0);
    CU_ASSERT_EQUAL(sxm_check_start(conf, "inet:127.0.0.1:25", "x.pid",
				    &errs), -1);
    CU_ASSERT_EQUAL_FATAL(errs.count, 2);
    /* The hint is for the port and host written. */
    CU_ASSERT_STRING_EQUAL(errs.msg[0], "-p: bad socket "
			   "\"inet:127.0.0.1:25\": this is Postfix's "
			   "notation; the milter listens on inet:PORT@HOST: "
			   "inet:25@127.0.0.1");
    CU_ASSERT_STRING_EQUAL(errs.msg[1], "-P: \"pidfile\" must be an "
			   "absolute path or \"\"");
    memset(&errs, 0, sizeof(errs));
    CU_ASSERT_EQUAL(sxm_check_start(conf, "inet:[::1]:10025", "", &errs), -1);
    CU_ASSERT_EQUAL_FATAL(errs.count, 1);
    CU_ASSERT_STRING_EQUAL(errs.msg[0], "-p: bad socket "
			   "\"inet:[::1]:10025\": this is Postfix's "
			   "notation; the milter listens on inet6:PORT@HOST: "
			   "inet6:10025@::1");
    sx_config_unref(conf);
}

static CU_TestInfo settings_tests[] = {
    {"rows are sane", test_rows},
    {"embedded, shipped and empty agree", test_defaults_agree},
    {"configuration.md documents every row", test_documented_md},
    {"smtp-explain.conf(5) documents every row", test_documented_man},
    {"printed settings read back", test_print_read_back},
    {"an option is judged as in the file", test_option_as_file},
    {"check fixtures: verdicts and file:line", test_check_fixtures},
    {"the milter starts on every accepted file", test_start_accepts_all},
    {"the milter judges -p and -P", test_start_options},
    CU_TEST_INFO_NULL,
};

SX_SUITE(settings, settings_tests, NULL, NULL)
