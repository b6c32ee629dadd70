/*
 * NAME
 *	reply 3
 * SUMMARY
 *	find SMTP reply codes in replies, diagnostics and prose
 * DESCRIPTION
 *	See reply.h. The scanners look at bytes, never assume NUL
 *	termination inside the range, and allocate nothing.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/reply.h>
#include <smtp-explain/text.h>

#include "named.h"
#include "scan.h"
#include "snapshot.h"

#define ISDIGIT(c) ((c) >= '0' && (c) <= '9')

/* sx_status_at - parse "c.sss.ddd" at s, return its length or 0 */

static size_t sx_status_at(const char *s, size_t len)
{
    size_t  i = 0, n;
    int     part;

    if (len < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.')
	return (0);
    i = 2;
    for (part = 0; part < 2; part++) {
	for (n = 0; i < len && ISDIGIT(s[i]) && n < 4; i++, n++)
	     /* void */ ;
	if (n == 0 || n > 3)
	    return (0);
	if (part == 0) {
	    if (i >= len || s[i] != '.')
		return (0);
	    i++;
	}
    }
    return (i);
}

int     sx_status_summary(const char *s)
{
    return (s[0] != 0 && strcmp(s + 1, ".0.0") == 0);
}

int     sx_status_valid(const char *s, size_t len)
{
    return (len > 0 && sx_status_at(s, len) == len);
}

/* sx_status_standalone - is there a status code at text[i] on its own? */

static size_t sx_status_standalone(const char *text, size_t len, size_t i)
{
    size_t  n;
    unsigned char prev;

    if ((n = sx_status_at(text + i, len - i)) == 0)
	return (0);
    if (i > 0) {
	prev = (unsigned char) text[i - 1];
	/* Not the tail of an IP address, version or longer number. */
	if (ISDIGIT(prev) || prev == '.' || isalpha(prev) || prev == '-'
	    || prev == '/' || prev == '_')
	    return (0);
    }
    if (i + n < len) {
	unsigned char next = (unsigned char) text[i + n];

	if (ISDIGIT(next) || isalpha(next) || next == '_' || next == '-'
	    || (next == '.' && i + n + 1 < len && ISDIGIT(text[i + n + 1])))
	    return (0);
    }
    return (n);
}

int     sx_status_find(const char *text, size_t len, char *out, size_t *where)
{
    size_t  i, n, two_at = 0, two_len = 0;

    /* A 2.x.x is taken only when no 4.x.x or 5.x.x is written. */
    for (i = 0; i < len; i++) {
	if (text[i] != '2' && text[i] != '4' && text[i] != '5')
	    continue;
	if ((n = sx_status_standalone(text, len, i)) == 0)
	    continue;
	if (text[i] == '2') {
	    if (two_len == 0)
		two_at = i, two_len = n;
	    continue;
	}
	if (out)
	    sx_text_copy(out, SX_STATUS_MAX, text + i, n);
	if (where)
	    *where = i;
	return (1);
    }
    if (two_len) {
	if (out)
	    sx_text_copy(out, SX_STATUS_MAX, text + two_at, two_len);
	if (where)
	    *where = two_at;
	return (1);
    }
    return (0);
}

/* sx_code_at - a three-digit reply code at text[i], standing alone */

static int sx_code_at(const char *text, size_t len, size_t i)
{
    unsigned char c;

    if (i + 3 > len || !ISDIGIT(text[i]) || !ISDIGIT(text[i + 1])
	|| !ISDIGIT(text[i + 2]))
	return (0);
    if (text[i] < '2' || text[i] > '5' || text[i + 1] > '5')
	return (0);
    if (i > 0) {
	c = (unsigned char) text[i - 1];
	if (isalnum(c) || c == '.' || c == '-' || c == '/' || c == '_'
	    || c == ',' || c == '+' || c == '=')
	    return (0);
	/* "[550 5.1.1 ..." quotes a reply; "[192..." is an address. */
	if (c == '[' && !(i + 4 < len && text[i + 3] == ' '
			  && text[i + 4] == text[i]
			  && sx_status_at(text + i + 4, len - i - 4)))
	    return (0);
    }
    if (i + 3 < len) {
	c = (unsigned char) text[i + 3];
	if (c != ' ' && c != '-' && c != '\t' && c != '\r' && c != '\n'
	    && c != '"' && c != ')' && c != ']' && c != ':')
	    return (0);
	/* "550-" must continue with text, not be a date or range. */
	if (c == '-' && i + 4 < len && ISDIGIT(text[i + 4])
	    && !sx_status_at(text + i + 4, len - i - 4))
	    return (0);
    }
    return ((text[i] - '0') * 100 + (text[i + 1] - '0') * 10 + (text[i + 2] - '0'));
}

/* sx_after_word - does text before position i end with word (+ spaces)? */

static int sx_after_word(const char *text, size_t i, const char *word)
{
    size_t  n = strlen(word);

    while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t'))
	i--;
    return (i >= n && strncasecmp(text + i - n, word, n) == 0);
}

int     sx_replycode_find(const char *text, size_t len, size_t *where)
{
    static const char *const cues[] = {
	"said:", "said", "error:", "response:", "reply:", "replied:",
	"response was:", "responsecode", "response code", "smtp;", "returned", "answered", "says:", ":", ";",
	"(", "\"", "<<<", ">>>", "---", 0,
    };
    size_t  i, j, weak_at = 0;
    int     code, weak = 0;

    for (i = 0; i < len; i++) {
	/* Every reply code starts with 2, 3, 4 or 5. */
	if ((unsigned char) (text[i] - '2') > 3)
	    continue;
	if ((code = sx_code_at(text, len, i)) == 0) {
	    /* "ERROR_CODE :421," "ResponseCode 421,": labelled, any end. */
	    if (i + 3 <= len && text[i] >= '2' && text[i] <= '5'
		&& ISDIGIT(text[i + 1]) && ISDIGIT(text[i + 2])
		&& (i + 3 == len || !ISDIGIT(text[i + 3]))
		&& (i == 0 || !ISDIGIT(text[i - 1]))
		&& (sx_after_word(text, i, "code :") || sx_after_word(text, i, "code:")
		    || sx_after_word(text, i, "code=") || sx_after_word(text, i, "code"))) {
		if (where)
		    *where = i;
		return ((text[i] - '0') * 100 + (text[i + 1] - '0') * 10 + (text[i + 2] - '0'));
	    }
	    continue;
	}
	/* At the start of the text: a reply as sent. */
	j = i;
	while (j > 0 && (text[j - 1] == ' ' || text[j - 1] == '\t'
			 || text[j - 1] == '\r' || text[j - 1] == '\n'))
	    j--;
	if (j == 0)
	    goto found;
	/* Followed by an enhanced code of the same class: a reply. */
	if (i + 4 < len && (text[i + 3] == ' ' || text[i + 3] == '-')
	    && sx_status_at(text + i + 4, len - i - 4) && text[i + 4] == text[i])
	    goto found;
	if (text[i + 3 < len ? i + 3 : i] == '-' && i + 3 < len)
	    goto found;
	{
	    const char *const *cue;

	    for (cue = cues; *cue; cue++)
		if (sx_after_word(text, i, *cue))
		    goto found;
	}
	if (!weak && (text[i] == '4' || text[i] == '5') && j > 0
	    && (text[j - 1] == '\n' || text[j - 1] == '\r'))
	    weak = code, weak_at = i;
	continue;
found:
	if (where)
	    *where = i;
	return (code);
    }
    if (weak && where)
	*where = weak_at;
    return (weak);
}

/* sx_failure_after - a 4xx/5xx reply with its enhanced code after from */

static size_t sx_failure_after(const char *text, size_t len, size_t from)
{
    size_t  i;

    for (i = from; i + 9 <= len; i++) {
	if (text[i] != '4' && text[i] != '5')
	    continue;
	if (sx_code_at(text, len, i) == 0 || text[i + 3] != ' ')
	    continue;
	if (text[i + 4] == text[i] && sx_status_at(text + i + 4, len - i - 4))
	    return (i);
    }
    return (0);
}

/* sx_reply_command - which SMTP command the text says the reply answered */

static const struct sx_cmd_cue {
    const char *cue;
    const char *cmd;
}       sx_cmd_cues[] = {
    {"end of data", "DATA"},
    {"initial connection", "CONN"},
    {"greeting", "CONN"},
    {"rcpt to", "RCPT"},
    {"rcpt command", "RCPT"},
    {"mail from", "MAIL"},
    {"data command", "DATA"},
    {"after data", "DATA"},
    {"helo", "HELO"},
    {"ehlo", "HELO"},
    {"starttls", "STARTTLS"},
    {"auth ", "AUTH"},
    {0, 0},
};

/* What a transcript line ">>> WORD" sent: the word is the command. */

static const struct sx_cmd_cue sx_sent_cues[] = {
    {"rcpt", "RCPT"},
    {"mail", "MAIL"},
    {"data", "DATA"},
    {".", "DATA"},
    {"helo", "HELO"},
    {"ehlo", "HELO"},
    {"lhlo", "HELO"},
    {"starttls", "STARTTLS"},
    {"auth", "AUTH"},
    {"bdat", "DATA"},
    {0, 0},
};

static int sx_sent_command(const char *p, size_t n, char *out, size_t size)
{
    const struct sx_cmd_cue *c;
    size_t  clen;

    for (c = sx_sent_cues; c->cue; c++) {
	clen = strlen(c->cue);
	if (n >= clen && strncasecmp(p, c->cue, clen) == 0) {
	    sx_text_copy(out, size, c->cmd, strlen(c->cmd));
	    return (1);
	}
    }
    return (0);
}

static int sx_cue_at(const char *p, size_t len, const struct sx_cmd_cue *tab,
		             char *out, size_t size)
{
    int     i;

    for (i = 0; tab[i].cue; i++)
	if (sx_text_find(p, len, tab[i].cue)) {
	    sx_text_copy(out, size, tab[i].cmd, strlen(tab[i].cmd));
	    return (1);
	}
    return (0);
}

/* Cues of the stage in prose (sx_reply_command). */

static const char *const sx_stage_phrases[] = {
    /* Introductions: the command follows within 40 bytes. */
    "in reply to", "after ", "response to ",
    /* Phrases that name the stage themselves. */
    "rcpt to response", "[rcpt_to]", "does not like recipient",
    "error following rcpt", "my name was rejected", "does not like sender",
    "[mail_from]", "[data]", "smtp command data", "smtp command rcpt",
    "smtp command mail",
};
#define SX_INTRO_N 3

static const char *const sx_stage_cmds[] = {
    0, 0, 0,
    "RCPT", "RCPT", "RCPT", "RCPT", "HELO", "MAIL", "MAIL", "DATA", "DATA",
    "RCPT", "MAIL",
};

#define SX_STAGE_N (sizeof(sx_stage_phrases) / sizeof(sx_stage_phrases[0]))

/* Compiled at build time (snapshot.h): sx_sets[SX_SET_STAGE]. */
const struct sx_set_src sx_src_stage = {
    .name = "stage phrases", .needles = sx_stage_phrases, .n = SX_STAGE_N,
};

static void sx_reply_command(const char *text, size_t len, char *out, size_t size)
{
    const char *p, *last = 0, *from = text;
    size_t  n, which, stage = 0;

    out[0] = 0;
    /*
     * One pass: "(in reply to RCPT TO command)", "after RCPT TO:<...>"
     * answer at once; the first phrase that names the stage by itself
     * is kept for when no transcript says more.
     */
    while ((p = sx_phrases_first(sx_sets + SX_SET_STAGE, from, len - (size_t) (from - text),
				 &which)) != 0) {
	if (which >= SX_INTRO_N) {
	    if (stage == 0)
		stage = which;
	} else {
	    n = len - (size_t) (p - text);
	    if (sx_cue_at(p, n > 40 ? 40 : n, sx_cmd_cues, out, size))
		return;
	}
	from = p + 1;
    }
    /* A session transcript: the last command sent (">>> RCPT TO:<x>"). */
    for (p = text; (p = memmem(p, len - (size_t) (p - text), ">>> ", 4)) != 0; p += 4)
	last = p;
    if (last) {
	n = len - (size_t) (last + 4 - text);
	if (sx_sent_command(last + 4, n, out, size))
	    return;
    }
    /* Phrases that name the stage without "after" or "in reply to". */
    if (stage)
	sx_text_copy(out, size, sx_stage_cmds[stage], strlen(sx_stage_cmds[stage]));
}

/* sx_skip_prefix - drop "550-5.1.1 " / "550 5.1.1 " continuation prefixes */

static size_t sx_skip_prefix(const char *s, size_t len, int code)
{
    size_t  i = 0, n;

    if (code && len >= 4 && sx_code_at(s, len, 0) == code
	&& (s[3] == '-' || s[3] == ' '))
	i = 4;
    else if (code)
	return (0);
    while (i < len && s[i] == ' ')
	i++;
    if ((n = sx_status_at(s + i, len - i)) != 0
	&& (i + n == len || s[i + n] == ' '))
	i += n;
    while (i < len && s[i] == ' ')
	i++;
    return (i);
}

int     sx_reply_parse(const char *text, size_t len, struct sx_reply *out)
{
    char    buf[SX_DIAG_MAX];
    size_t  blen, i, pos, o;
    int     code;

    memset(out, 0, sizeof(*out));
    blen = sx_text_clean(buf, sizeof(buf), text, len);
    i = 0;

    /* A Diagnostic-Code type: "smtp;", "X-Postfix;", "X-Unix;". */
    for (pos = 0; pos < blen && pos < 24; pos++) {
	unsigned char c = (unsigned char) buf[pos];

	if (c == ';') {
	    i = pos + 1;
	    while (i < blen && buf[i] == ' ')
		i++;
	    break;
	}
	if (!isalnum(c) && c != '-' && c != '_' && c != '.')
	    break;
    }
    code = sx_replycode_find(buf + i, blen - i, &pos);
    if (code && code < 400) {
	/* A greeting or "OK" before the failure that ends the text. */
	size_t  later = sx_failure_after(buf, blen, i + pos + 3);

	if (later)
	    pos = later - i, code = sx_code_at(buf, blen, later);
    }
    if (code) {
	size_t  at, n;

	out->replycode = code;
	pos += i;
	/* The enhanced code right after the basic one belongs to it. */
	at = pos + 4;
	if (at < blen && (buf[at] == '\'' || buf[at] == '"' || buf[at] == '#'))
	    at++;
	if (at < blen && (n = sx_status_at(buf + at, blen - at)) != 0)
	    sx_text_copy(out->status, sizeof(out->status), buf + at, n);
    }
    if (out->status[0] == 0)
	sx_status_find(buf + i, blen - i, out->status, (size_t *) 0);
    if (out->replycode && out->status[0]
	&& out->status[0] != '0' + out->replycode / 100)
	out->flags |= SX_FINDING_CLASS_MISMATCH;
    sx_reply_command(buf, blen, out->command, sizeof(out->command));

    /* The human text: the reply without its code prefixes. */
    if (code && pos == i) {
	o = 0;
	i = pos;
	while (i < blen) {
	    size_t  skip = sx_skip_prefix(buf + i, blen - i, code);
	    const char *next;
	    size_t  end;

	    i += skip;
	    /* Copy up to the next " 550-" or " 550 " continuation. */
	    for (end = i; end < blen; end++) {
		if (buf[end] == ' ' && end + 5 <= blen
		    && sx_code_at(buf, blen, end + 1) == code
		    && (buf[end + 4] == '-' || buf[end + 4] == ' ')
		    && sx_skip_prefix(buf + end + 1, blen - end - 1, code) > 4)
		    break;
	    }
	    if (o && o + 1 < sizeof(out->text))
		out->text[o++] = ' ';
	    next = buf + i;
	    while (i < end && o + 1 < sizeof(out->text))
		out->text[o++] = *next++, i++;
	    i = end + (end < blen);
	}
	out->text[o] = 0;
    } else {
	sx_text_copy(out->text, sizeof(out->text), buf, blen);
    }
    return (out->replycode != 0 || out->status[0] != 0);
}

/*
 * sx_reply_transcripts - in a session transcript (">>> sent", "<<<
 * received"), the command whose answer mentions each recipient or
 * repeats its diagnostic: the last ">>> " line before that "<<< " line,
 * or a ">>> RCPT TO:" line that names the recipient and was refused.
 * One walk over the lines answers for every recipient: where each is
 * named comes from the index nx, a quoted reply is found by a hash of
 * its first 8 to 24 bytes. Recipients whose out[i] is set are skipped.
 */
#define SX_QUOTE_MIN	8
#define SX_QUOTE_MAX	24

struct sx_quote {
    uint64_t key;
    size_t  len;
    long    next;
};

static uint64_t sx_quote_key(uint64_t h, size_t len)
{
    return (h ^ (len * 0x9e3779b97f4a7c15ULL));
}

void    sx_reply_transcripts(const char *text, size_t len,
			             const struct sx_named *nx, size_t n,
			             const char *const *replies, char (*out)[16])
{
    const char *p = text, *end = text + len, *eol, *sent = 0;
    struct sx_quote *q = calloc(n ? n : 1, sizeof(*q));
    long   *bucket = 0, *chain = calloc(n ? n : 1, sizeof(*chain));
    long   *canon_head = 0, *named = calloc(n ? n : 1, sizeof(*named));
    unsigned *stamp = calloc(n ? n : 1, sizeof(*stamp));
    unsigned char *done = calloc(n ? n : 1, 1);
    size_t  nb = 16, i, k, nnamed = 0, oc = 0, nocc = sx_named_count(nx);
    long    c;
    int     lines = 0;

    while (nb < 2 * n)
	nb *= 2;
    bucket = malloc(nb * sizeof(*bucket));
    canon_head = malloc((n ? n : 1) * sizeof(*canon_head));
    if (q == 0 || chain == 0 || named == 0 || stamp == 0 || done == 0 || bucket == 0
	|| canon_head == 0)
	goto out;
    memset(bucket, 0xff, nb * sizeof(*bucket));
    memset(canon_head, 0xff, (n ? n : 1) * sizeof(*canon_head));
    for (i = n; i-- > 0;) {
	uint64_t h = 1469598103934665603ULL;
	size_t  dlen = strlen(replies[i]);

	done[i] = (out[i][0] != 0);
	q[i].next = -1;
	/* Recipients that are the same address, first to last. */
	if (!done[i] && (c = sx_named_first(nx, i)) >= 0) {
	    size_t  a = (size_t) sx_named_occ(nx, c)->addr;

	    chain[i] = canon_head[a];
	    canon_head[a] = (long) i;
	}
	if (done[i] || (dlen = dlen > SX_QUOTE_MAX ? SX_QUOTE_MAX : dlen) < SX_QUOTE_MIN)
	    continue;
	for (k = 0; k < dlen; k++)
	    h = (h ^ sx_lower((unsigned char) replies[i][k])) * 1099511628211ULL;
	q[i].key = sx_quote_key(h, dlen);
	q[i].len = dlen;
	q[i].next = bucket[q[i].key & (nb - 1)];
	bucket[q[i].key & (nb - 1)] = (long) i;
    }

#define SX_RESOLVE(i) do { \
	if (!done[i]) { \
	    done[i] = 1; \
	    (void) sx_sent_command(sent, (size_t) (eol - sent), out[i], sizeof(out[i])); \
	} \
    } while (0)

    for (; p < end && lines < 2000; p = eol + 1, lines++) {
	size_t  bol = (size_t) (p - text), o0;

	if ((eol = memchr(p, '\n', (size_t) (end - p))) == 0)
	    eol = end;
	/* The recipients named on this line. */
	while (oc < nocc && sx_named_occ(nx, (long) oc)->bol < bol)
	    oc++;
	o0 = oc;
	while (oc < nocc && sx_named_occ(nx, (long) oc)->bol == bol)
	    oc++;
	if (eol - p < 5 || p[1] != p[0] || p[2] != p[0] || p[3] != ' ') {
	    if (eol == p)
		sent = 0;			/* a blank line ends a session */
	    continue;
	}
	if (p[0] == '>') {
	    /* A command sent: the recipients it names, and only those. */
	    sent = p + 4;
	    nnamed = 0;
	    for (k = o0; k < oc; k++)
		for (c = canon_head[sx_named_occ(nx, (long) k)->addr]; c >= 0; c = chain[c])
		    if (!done[c] && stamp[c] != (unsigned) lines + 1) {
			stamp[c] = (unsigned) lines + 1;
			named[nnamed++] = c;
		    }
	    continue;
	}
	if (p[0] == '<' && sent) {
	    uint64_t h = 1469598103934665603ULL;
	    size_t  have = (size_t) (eol - p - 4);

	    /* A refusal of a command that named them. */
	    if (p[4] == '4' || p[4] == '5')
		for (k = 0; k < nnamed; k++)
		    SX_RESOLVE(named[k]);
	    /* The answer names them. */
	    for (k = o0; k < oc; k++)
		for (c = canon_head[sx_named_occ(nx, (long) k)->addr]; c >= 0; c = chain[c])
		    SX_RESOLVE(c);
	    /* The answer is their diagnostic, as quoted. */
	    for (k = 0; k < SX_QUOTE_MAX && k < have; k++) {
		long   *link;
		uint64_t key;

		h = (h ^ sx_lower((unsigned char) p[4 + k])) * 1099511628211ULL;
		if (k + 1 < SX_QUOTE_MIN)
		    continue;
		key = sx_quote_key(h, k + 1);
		for (link = bucket + (key & (nb - 1)); *link >= 0;) {
		    struct sx_quote *e = q + *link;

		    if (done[*link]) {
			*link = e->next;		/* answered: unlinked */
			continue;
		    }
		    if (e->key == key && e->len == k + 1
			&& strncasecmp(p + 4, replies[*link], k + 1) == 0) {
			SX_RESOLVE(*link);
			*link = e->next;
			continue;
		    }
		    link = &e->next;
		}
	    }
	}
	nnamed = 0;				/* no longer the last command */
    }
#undef SX_RESOLVE

out:
    free(q);
    free(bucket);
    free(chain);
    free(canon_head);
    free(named);
    free(stamp);
    free(done);
}

int     sx_reply_transcript_command(const char *text, size_t len,
				            const char *recipient, const char *reply,
					            char *out, size_t size)
{
    struct sx_named *nx;
    char    cmd[1][16];

    cmd[0][0] = 0;
    if ((nx = sx_named_new(text, len, len, &recipient, 1)) == 0)
	return (0);
    sx_reply_transcripts(text, len, nx, 1, &reply, cmd);
    sx_named_free(nx);
    sx_text_copy(out, size, cmd[0], strlen(cmd[0]));
    return (cmd[0][0] != 0);
}
