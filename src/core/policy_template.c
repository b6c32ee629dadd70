/*
 * NAME
 *	policy_template 3
 * SUMMARY
 *	policy templates and safe reply text
 * SYNOPSIS
 *	#include "policy_int.h"
 *
 *	int	sx_policy_template_check(const char *tmpl, char *why,
 *				size_t size);
 *	size_t	sx_policy_expand(char *dst, size_t size, const char *tmpl,
 *				const struct sx_policy_vars *vars);
 *	size_t	sx_policy_reply_safe(char *dst, size_t size,
 *				const char *src);
 * DESCRIPTION
 *	Templates are the admin's text with "%{name}" variables and "%%"
 *	for a percent sign. They are checked once when the configuration
 *	is loaded, so expansion never fails: an unknown variable or a lone
 *	'%' is a configuration error, not something to guess about.
 *
 *	Every value substituted comes from a hostile message or a remote
 *	server, so each is cleaned (no control characters, white space
 *	runs folded) before it is copied: a Subject or reply text cannot be
 *	made to carry a second header line or a second reply line.
 *
 *	sx_policy_reply_safe() applies the rules of the MTA to a reply
 *	text; see policy(3h).
 * DIAGNOSTICS
 *	None; output is cut to fit, at a character boundary.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <smtp-explain/finding.h>
#include <smtp-explain/text.h>
#include "policy_int.h"

static const struct sx_policy_var {
    const char *name;
    size_t  offset;
} sx_policy_var_table[] = {
    {"title", offsetof(struct sx_policy_vars, title)},
    {"subject", offsetof(struct sx_policy_vars, subject)},
    {"code", offsetof(struct sx_policy_vars, code)},
    {"status", offsetof(struct sx_policy_vars, status)},
    {"reason", offsetof(struct sx_policy_vars, reason)},
    {"rcpt", offsetof(struct sx_policy_vars, rcpt)},
    {"class", offsetof(struct sx_policy_vars, class)},
    {"vendor", offsetof(struct sx_policy_vars, vendor)},
    {"remote", offsetof(struct sx_policy_vars, remote)},
    {"diag", offsetof(struct sx_policy_vars, diag)},
    {"action", offsetof(struct sx_policy_vars, action)},
    {"kind", offsetof(struct sx_policy_vars, kind)},
    {"count", offsetof(struct sx_policy_vars, count)},
    {"rule", offsetof(struct sx_policy_vars, rule)},
};

#define SX_POLICY_VAR_COUNT \
    (sizeof(sx_policy_var_table) / sizeof(sx_policy_var_table[0]))

/* sx_policy_var_find - look up "name}" at s, length of the name in len */

static const struct sx_policy_var *sx_policy_var_find(const char *s, size_t len)
{
    size_t  i;

    for (i = 0; i < SX_POLICY_VAR_COUNT; i++)
	if (strlen(sx_policy_var_table[i].name) == len
	    && strncmp(sx_policy_var_table[i].name, s, len) == 0)
	    return (&sx_policy_var_table[i]);
    return (0);
}

/* sx_policy_template_check - validate a template once, at load time */

int     sx_policy_template_check(const char *tmpl, char *why, size_t size)
{
    const char *cp;
    const char *end;

    for (cp = tmpl; *cp; cp++) {
	if ((unsigned char) *cp < 0x20 || *cp == 0x7f) {
	    snprintf(why, size, "control character in template");
	    return (0);
	}
	if (*cp != '%')
	    continue;
	if (cp[1] == '%') {
	    cp++;
	    continue;
	}
	if (cp[1] != '{') {
	    snprintf(why, size, "lone '%%' in template (write %%%% for a "
		     "percent sign, %%{name} for a variable)");
	    return (0);
	}
	end = strchr(cp + 2, '}');
	if (end == 0) {
	    snprintf(why, size, "unterminated %%{ in template");
	    return (0);
	}
	if (sx_policy_var_find(cp + 2, (size_t) (end - cp - 2)) == 0) {
	    snprintf(why, size, "unknown template variable %%{%.*s}",
		     (int) (end - cp - 2 > 40 ? 40 : end - cp - 2), cp + 2);
	    return (0);
	}
	cp = end;
    }
    return (1);
}

/* sx_policy_utf8_cut - longest prefix of s no longer than max bytes */

static size_t sx_policy_utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
	return (len);
    /* Back off over continuation bytes so no character is split. */
    while (max > 0 && ((unsigned char) s[max] & 0xc0) == 0x80)
	max--;
    return (max);
}

/* sx_policy_append - add len bytes of s to dst at *pos, bounded */

static void sx_policy_append_text(char *dst, size_t size, size_t *pos,
				          const char *s, size_t len)
{
    size_t  room = size - 1 - *pos;

    len = sx_policy_utf8_cut(s, len, room);
    memcpy(dst + *pos, s, len);
    *pos += len;
}

/* sx_policy_expand - fill in a checked template */

size_t  sx_policy_expand(char *dst, size_t size, const char *tmpl,
			         const struct sx_policy_vars *vars)
{
    char    clean[SX_DIAG_MAX];
    const struct sx_policy_var *var;
    const char *cp;
    const char *end;
    const char *value;
    size_t  pos = 0;
    size_t  len;

    if (size == 0)
	return (0);
    for (cp = tmpl; *cp && pos < size - 1; cp++) {
	if (*cp != '%') {
	    len = strcspn(cp, "%");
	    sx_policy_append_text(dst, size, &pos, cp, len);
	    cp += len - 1;
	    continue;
	}
	if (cp[1] == '%') {
	    sx_policy_append_text(dst, size, &pos, "%", 1);
	    cp++;
	    continue;
	}
	/* Checked at load; stay safe with an unchecked template anyway. */
	if (cp[1] != '{' || (end = strchr(cp + 2, '}')) == 0
	  || (var = sx_policy_var_find(cp + 2, (size_t) (end - cp - 2))) == 0) {
	    sx_policy_append_text(dst, size, &pos, "%", 1);
	    continue;
	}
	value = *(const char *const *) ((const char *) vars + var->offset);
	if (value != 0 && *value != 0) {
	    len = sx_text_clean(clean, sizeof(clean), value, strlen(value));
	    sx_policy_append_text(dst, size, &pos, clean, len);
	}
	cp = end;
    }
    dst[pos] = 0;
    return (pos);
}

/* sx_policy_reply_safe - make text fit for an SMTP reply */

size_t  sx_policy_reply_safe(char *dst, size_t size, const char *src)
{
    size_t  max;
    size_t  pos = 0;
    int     space = 0;
    unsigned char ch;

    if (size == 0)
	return (0);
    max = size - 1 < SX_REPLY_TEXT_MAX ? size - 1 : SX_REPLY_TEXT_MAX;
    for (; (ch = (unsigned char) *src) != 0; src++) {
	if (ch <= 0x20 || ch == 0x7f) {
	    space = (pos > 0);
	    continue;
	}
	if (space) {
	    if (pos + 1 > max)
		break;
	    dst[pos++] = ' ';
	    space = 0;
	}
	if (ch == '%') {
	    /* Postfix drops a lone '%': write it twice, or not at all. */
	    if (pos + 2 > max)
		break;
	    dst[pos++] = '%';
	    dst[pos++] = '%';
	    continue;
	}
	if (pos + 1 > max)
	    break;
	dst[pos++] = (ch & 0x80) ? '?' : (char) ch;
    }
    /* A space written just before the text was cut off goes again. */
    while (pos > 0 && dst[pos - 1] == ' ')
	pos--;
    dst[pos] = 0;
    return (pos);
}
