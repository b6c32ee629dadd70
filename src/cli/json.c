/*
 * NAME
 *	json 3
 * SUMMARY
 *	JSON string output for the CLI
 * DESCRIPTION
 *	cli_json_str() writes a JSON string literal: quotes, backslashes
 *	and control characters escaped, well-formed UTF-8 passed through,
 *	and each maximal subpart of an ill-formed sequence written as one
 *	U+FFFD (as "\ufffd"), so that the output is valid UTF-8 and valid
 *	JSON whatever the remote side sent. What is well-formed is decided
 *	by the core's sx_text_utf8_char(), the one UTF-8 validator.
 */
#include <stdio.h>
#include <string.h>

#include <smtp-explain/text.h>

#include "cli.h"

void    cli_json_str(FILE *fp, const char *s)
{
    const unsigned char *p = (const unsigned char *) s;
    size_t  left = strlen(s), n;
    int     ok;

    putc('"', fp);
    while (left > 0) {
	if (*p == '"' || *p == '\\') {
	    putc('\\', fp);
	    putc(*p, fp);
	    n = 1;
	} else if (*p < 0x20 || *p == 0x7f) {
	    fprintf(fp, "\\u%04x", *p);
	    n = 1;
	} else if (*p < 0x80) {
	    putc(*p, fp);
	    n = 1;
	} else if ((n = sx_text_utf8_char((const char *) p, left, &ok)) && ok) {
	    fwrite(p, 1, n, fp);
	} else {
	    fputs("\\ufffd", fp);
	}
	p += n;
	left -= n;
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
