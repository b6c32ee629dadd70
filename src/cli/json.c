/*
 * NAME
 *	json 3
 * SUMMARY
 *	JSON string output for the CLI
 * DESCRIPTION
 *	cli_json_str() writes a JSON string literal: quotes, backslashes
 *	and control characters escaped, valid UTF-8 passed through and
 *	every byte of an invalid sequence written as U+FFFD, so the output
 *	is valid JSON whatever the remote side sent.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static size_t cli_utf8_len(const unsigned char *s)
{
    size_t  n, i;

    if (s[0] < 0x80)
	return (1);
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
	n = 2;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
	n = 3;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
	n = 4;
    else
	return (0);
    for (i = 1; i < n; i++)
	if ((s[i] & 0xc0) != 0x80)
	    return (0);
    return (n);
}

void    cli_json_str(FILE *fp, const char *s)
{
    const unsigned char *p = (const unsigned char *) s;

    putc('"', fp);
    while (*p) {
	size_t  n;

	if (*p == '"' || *p == '\\') {
	    putc('\\', fp);
	    putc(*p++, fp);
	} else if (*p < 0x20 || *p == 0x7f) {
	    fprintf(fp, "\\u%04x", *p++);
	} else if ((n = cli_utf8_len(p)) == 0) {
	    fputs("\\ufffd", fp);
	    p++;
	} else {
	    fwrite(p, 1, n, fp);
	    p += n;
	}
    }
    putc('"', fp);
}

void    cli_json_field(FILE *fp, const char *key, const char *value, int first)
{
    if (!first)
	putc(',', fp);
    cli_json_str(fp, key);
    putc(':', fp);
    cli_json_str(fp, value ? value : "");
}
