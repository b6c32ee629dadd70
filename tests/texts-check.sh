#!/bin/sh
# texts-check.sh - check a translated text file against the English one.
#
# Usage: tests/texts-check.sh [-r REFERENCE] FILE...
#
# For each FILE (for example etc/texts/de.conf) this checks that
#  - the file parses as libconfig and has a "texts" group;
#  - every record's key (code; vendor, code and pattern for vendor
#    records) is a key of the reference file (default etc/texts/en.conf),
#    with no key given twice;
#  - every record has the same fields (title, text, action, action_admin)
#    as the reference record of its key
#    (a record replaces the English one as a whole, so a field left out
#    would be lost);
#  - the texts are valid UTF-8 and within the limits, counted in
#    characters: title <= 60, text <= 300, action and action_admin <= 250;
#  - every entry of the "basic" and "enhanced" lists of the reference has
#    a record. Fallback and vendor records may be left out (they keep
#    the wording of their code, or the English one); their number is
#    reported;
#  - the "block" list (the explanation block's own words, keyed by name,
#    one field "text", <= 250 characters) has every record of the
#    reference, and each record the same placeholders as the reference's
#    ("%s" and "%zu", in count and kind; "%%" is a percent sign, any other
#    '%' an error).
# It prints one line of counts per file and exits non-zero on any error.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
ref=$top/etc/texts/en.conf
if [ "${1:-}" = "-r" ]; then
	ref=$2
	shift 2
fi
if [ $# -eq 0 ]; then
	echo "usage: $0 [-r REFERENCE] FILE..." >&2
	exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

cat > "$tmp/check.c" <<'CEOF'
#include <stdio.h>
#include <string.h>
#include <libconfig.h>

static const char *lists[] = {"basic", "enhanced", "fallback", "vendor", "block"};
static const int complete[] = {1, 1, 0, 0, 1};	/* every record needed */
static const char *fields[] = {"title", "text", "action", "action_admin"};
static const int limits[] = {60, 300, 250, 250};
#define BLOCK_LIMIT 250

#define NLISTS	(sizeof(lists) / sizeof(lists[0]))
#define NFIELDS	(sizeof(fields) / sizeof(fields[0]))

static const char *get(const config_setting_t *rec, const char *name)
{
    const char *val = NULL;

    if (config_setting_lookup_string(rec, name, &val) != CONFIG_TRUE)
	return (NULL);
    return (val);
}

/* The key of a record, written into buf; 0 when it has none. */
static int key_of(const config_setting_t *rec, int vendor, char *buf,
		          size_t len)
{
    const char *code = get(rec, vendor < 0 ? "name" : "code");
    const char *ven = get(rec, "vendor");
    const char *pat = get(rec, "pattern");

    if (code == NULL || (vendor > 0 && ven == NULL))
	return (0);
    if (vendor > 0)
	snprintf(buf, len, "%s/%s/%s", ven, code, pat ? pat : "");
    else
	snprintf(buf, len, "%s", code);
    return (1);
}

/* Characters in a UTF-8 string, or -1 if it is not valid UTF-8. */
static long utf8_len(const char *s)
{
    const unsigned char *p = (const unsigned char *) s;
    long    n = 0;
    int     more;

    while (*p) {
	if (*p < 0x80)
	    more = 0;
	else if ((*p & 0xE0) == 0xC0 && *p >= 0xC2)
	    more = 1;
	else if ((*p & 0xF0) == 0xE0)
	    more = 2;
	else if ((*p & 0xF8) == 0xF0 && *p <= 0xF4)
	    more = 3;
	else
	    return (-1);
	p++;
	while (more-- > 0) {
	    if ((*p & 0xC0) != 0x80)
		return (-1);
	    p++;
	}
	n++;
    }
    return (n);
}

static config_setting_t *find(const config_setting_t *list, int vendor,
			              const char *key)
{
    char    buf[1024];
    int     i;

    for (i = 0; list != NULL && i < config_setting_length(list); i++) {
	config_setting_t *rec = config_setting_get_elem(list, i);

	if (key_of(rec, vendor, buf, sizeof(buf)) && strcmp(buf, key) == 0)
	    return (rec);
    }
    return (NULL);
}

static int load(config_t *cf, const char *path)
{
    config_init(cf);
    if (config_read_file(cf, path) != CONFIG_TRUE) {
	fprintf(stderr, "%s:%d: %s\n", config_error_file(cf) ?
		config_error_file(cf) : path, config_error_line(cf),
		config_error_text(cf));
	return (0);
    }
    if (config_lookup(cf, "texts") == NULL) {
	fprintf(stderr, "%s: no \"texts\" group\n", path);
	return (0);
    }
    return (1);
}

/*
 * The placeholders of a block word, as a string of letters ("s" for %s,
 * "z" for %zu) into sig; -1 for a '%' that starts neither nor "%%".
 */
static int placeholders(const char *s, char *sig, size_t len)
{
    size_t  n = 0;

    for (; *s; s++) {
	if (*s != '%')
	    continue;
	if (s[1] == '%') {
	    s++;
	    continue;
	}
	if (s[1] == 's' || (s[1] == 'z' && s[2] == 'u')) {
	    if (n + 1 < len)
		sig[n++] = s[1];
	    s += s[1] == 's' ? 1 : 2;
	    continue;
	}
	return (-1);
    }
    sig[n] = 0;
    return (0);
}

/* Check one block word of a translation; returns the number of errors. */
static int check_word(const char *path, const char *key,
		              const config_setting_t *rec,
		              const config_setting_t *orig)
{
    const char *val = get(rec, "text"), *eng = get(orig, "text");
    char    a[16], b[16];
    int     err = 0, i;
    long    n;

    for (i = 0; i < config_setting_length(rec); i++) {
	const char *name = config_setting_name(config_setting_get_elem(rec, i));

	if (strcmp(name, "name") && strcmp(name, "text")) {
	    fprintf(stderr, "%s:%d: block %s: unknown field \"%s\"\n", path,
		    config_setting_source_line(rec), key, name);
	    err++;
	}
    }
    if (val == NULL || eng == NULL) {
	fprintf(stderr, "%s:%d: block %s: no text\n", path,
		config_setting_source_line(rec), key);
	return (err + 1);
    }
    if ((n = utf8_len(val)) < 0 || n == 0 || n > BLOCK_LIMIT) {
	fprintf(stderr, "%s:%d: block %s: text is not valid UTF-8 of 1 to %d "
		"characters\n", path, config_setting_source_line(rec), key,
		BLOCK_LIMIT);
	err++;
    }
    if (placeholders(val, a, sizeof(a)) < 0 || placeholders(eng, b, sizeof(b)) < 0
	|| strcmp(a, b) != 0) {
	fprintf(stderr, "%s:%d: block %s: placeholders differ from the "
		"reference's\n", path, config_setting_source_line(rec), key);
	err++;
    }
    return (err);
}

/* Check one record of a translation; returns the number of errors. */
static int check_rec(const char *path, const char *list, const char *key,
		             const config_setting_t *rec,
		             const config_setting_t *orig)
{
    int     err = 0;
    size_t  f;
    int     i;

    for (i = 0; i < config_setting_length(rec); i++) {
	const char *name = config_setting_name(config_setting_get_elem(rec, i));

	if (strcmp(name, "code") && strcmp(name, "vendor")
	    && strcmp(name, "pattern") && strcmp(name, "title")
	    && strcmp(name, "text") && strcmp(name, "action")
	    && strcmp(name, "action_admin")) {
	    fprintf(stderr, "%s: %s %s: unknown field \"%s\"\n", path, list,
		    key, name);
	    err++;
	}
    }
    for (f = 0; f < NFIELDS; f++) {
	const char *val = get(rec, fields[f]);
	const char *eng = get(orig, fields[f]);
	long    n;

	if ((val == NULL) != (eng == NULL)) {
	    fprintf(stderr, "%s: %s %s: field \"%s\" %s\n", path, list, key,
		    fields[f], val ? "not in the reference" : "missing");
	    err++;
	}
	if (val == NULL)
	    continue;
	if ((n = utf8_len(val)) < 0) {
	    fprintf(stderr, "%s: %s %s: %s is not valid UTF-8\n", path, list,
		    key, fields[f]);
	    err++;
	} else if (n == 0 || n > limits[f]) {
	    fprintf(stderr, "%s: %s %s: %s has %ld characters (limit %d)\n",
		    path, list, key, fields[f], n, limits[f]);
	    err++;
	}
    }
    return (err);
}

static int check_file(const config_t *ref, const char *path)
{
    config_t cf;
    int     err = 0;
    size_t  l;
    int     i;
    char    buf[1024];

    if (!load(&cf, path))
	return (1);
    printf("%s:", path);
    for (l = 0; l < NLISTS; l++) {
	char    name[64];
	/* 1: keyed by vendor, code and pattern; -1: by name */
	int     vendor = strcmp(lists[l], "vendor") == 0 ? 1
	    : strcmp(lists[l], "block") == 0 ? -1 : 0;
	const config_setting_t *rl, *tl;
	int     have = 0, total;

	snprintf(name, sizeof(name), "texts.%s", lists[l]);
	rl = config_lookup(ref, name);
	tl = config_lookup(&cf, name);
	total = rl ? config_setting_length(rl) : 0;
	for (i = 0; tl != NULL && i < config_setting_length(tl); i++) {
	    config_setting_t *rec = config_setting_get_elem(tl, i);
	    config_setting_t *orig;
	    int     j;

	    if (!key_of(rec, vendor, buf, sizeof(buf))) {
		fprintf(stderr, "%s:%d: %s record without its key\n", path,
			config_setting_source_line(rec), lists[l]);
		err++;
		continue;
	    }
	    for (j = 0; j < i; j++) {
		char    other[1024];

		if (key_of(config_setting_get_elem(tl, j), vendor, other,
			   sizeof(other)) && strcmp(other, buf) == 0) {
		    fprintf(stderr, "%s:%d: %s %s given twice\n", path,
			    config_setting_source_line(rec), lists[l], buf);
		    err++;
		}
	    }
	    if ((orig = find(rl, vendor, buf)) == NULL) {
		fprintf(stderr, "%s:%d: %s %s is not in the reference\n", path,
			config_setting_source_line(rec), lists[l], buf);
		err++;
		continue;
	    }
	    err += vendor < 0 ? check_word(path, buf, rec, orig)
		: check_rec(path, lists[l], buf, rec, orig);
	    have++;
	}
	if (complete[l]) {
	    for (i = 0; i < total; i++) {
		if (key_of(config_setting_get_elem(rl, i), vendor, buf,
			   sizeof(buf)) && find(tl, vendor, buf) == NULL) {
		    fprintf(stderr, "%s: %s %s has no record\n", path,
			    lists[l], buf);
		    err++;
		}
	    }
	}
	printf(" %s %d/%d", lists[l], have, total);
    }
    printf("%s\n", err ? " FAILED" : " ok");
    config_destroy(&cf);
    return (err != 0);
}

int     main(int argc, char **argv)
{
    config_t ref;
    int     status = 0;
    int     i;

    if (argc < 3 || !load(&ref, argv[1]))
	return (2);
    for (i = 2; i < argc; i++)
	status |= check_file(&ref, argv[i]);
    config_destroy(&ref);
    return (status);
}
CEOF

${CC:-cc} -Wall -Wextra -Werror -o "$tmp/check" "$tmp/check.c" \
    $(pkg-config --cflags --libs libconfig 2>/dev/null || echo -lconfig)
"$tmp/check" "$ref" "$@"
