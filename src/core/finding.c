/*
 * NAME
 *	finding 3
 * SUMMARY
 *	names of finding actions and kinds
 */
#include <string.h>
#include <strings.h>

#include <smtp-explain/finding.h>

static const char *const sx_action_names[] = {
    "", "failed", "delayed", "delivered", "relayed", "expanded",
};

static const char *const sx_kind_names[] = {
    "dsn", "bounce", "session", "autoreply", "feedback", "reply",
};

const char *sx_action_name(enum sx_action a)
{
    if ((unsigned) a >= sizeof(sx_action_names) / sizeof(sx_action_names[0]))
	return ("");
    return (sx_action_names[a]);
}

enum sx_action sx_action_parse(const char *s, size_t len)
{
    size_t  i;

    /* RFC 3464 allows comments after the value: compare the first word. */
    while (len > 0 && (*s == ' ' || *s == '\t'))
	s++, len--;
    for (i = 1; i < sizeof(sx_action_names) / sizeof(sx_action_names[0]); i++) {
	size_t  n = strlen(sx_action_names[i]);

	if (len >= n && strncasecmp(s, sx_action_names[i], n) == 0
	    && (len == n || s[n] == ' ' || s[n] == '\t' || s[n] == '('
		|| s[n] == ';'))
	    return ((enum sx_action) i);
    }
    return (SX_ACTION_NONE);
}

const char *sx_kind_name(enum sx_kind k)
{
    if ((unsigned) k >= sizeof(sx_kind_names) / sizeof(sx_kind_names[0]))
	return ("");
    return (sx_kind_names[k]);
}
