/*
 * NAME
 *	names 3
 * SUMMARY
 *	one mapping between the names and the codes of every enum
 * DESCRIPTION
 *	See names.h. Tables are short (a dozen rows at most): a walk is as
 *	fast as anything cleverer, and needs no set-up.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/names.h>

int     sx_name_code(const struct sx_name_code *t, const char *name, size_t len,
		             int *code)
{
    for (; t->name; t++)
	if (strlen(t->name) == len && strncasecmp(t->name, name, len) == 0) {
	    *code = t->code;
	    return (1);
	}
    return (0);
}

const char *sx_code_name(const struct sx_name_code *t, int code)
{
    for (; t->name; t++)
	if (t->code == code)
	    return (t->name);
    return ("");
}

size_t  sx_names_list(const struct sx_name_code *t, char *buf, size_t size)
{
    const struct sx_name_code *p;
    size_t  n = 0, count = 0, i;
    int     w;

    if (size == 0)
	return (0);
    buf[0] = 0;
    for (p = t; p->name; p++)
	count++;
    for (i = 0, p = t; p->name; p++, i++) {
	w = snprintf(buf + n, size - n, "%s\"%s\"", i == 0 ? "" : i + 1 == count
		     ? " or " : ", ", p->name);
	if (w < 0 || (size_t) w >= size - n) {
	    buf[n] = 0;
	    break;
	}
	n += (size_t) w;
    }
    return (n);
}
