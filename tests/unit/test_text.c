/*
 * test_text.c - cleaning, globbing and searching text.
 */
#include <string.h>

#include <smtp-explain/text.h>

#include "unit.h"

static void test_clean(void)
{
    static const struct {
	const char *in;
	size_t  len;
	size_t  size;
	const char *out;
    }       t[] = {
	{"  a\r\n\tb  ", 9, 64, "a b"},
	{"x\0y", 3, 64, "x y"},
	{"abcdef", 6, 4, "abc"},
	{"a \x7f\x01 b", 6, 64, "a b"},
	{"\xc3\xa9t\xc3\xa9", 6, 64, "\xc3\xa9t\xc3\xa9"},
	{"", 0, 8, ""},
	/* cut inside a two- and a three-byte character: dropped whole */
	{"ab\xc3\xa9", 4, 4, "ab"},
	{"a\xe2\x82\xac", 4, 4, "a"},
	{"a\xe2\x82\xac" "b", 5, 5, "a\xe2\x82\xac"},
    };
    size_t  i;
    char    buf[64];

    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
	sx_text_clean(buf, t[i].size, t[i].in, t[i].len);
	CU_ASSERT_STRING_EQUAL(buf, t[i].out);
    }
}

static void test_glob(void)
{
    CU_ASSERT_TRUE(sx_glob_match("*.google.com", "mx.l.google.com"));
    CU_ASSERT_TRUE(sx_glob_match("*.GOOGLE.com", "Mx.Google.COM"));
    CU_ASSERT_FALSE(sx_glob_match("*.google.com", "google.com.evil.example"));
    CU_ASSERT_TRUE(sx_glob_match("mx?.example.org", "mx1.example.org"));
    CU_ASSERT_TRUE(sx_glob_match("*", ""));
    CU_ASSERT_FALSE(sx_glob_match("a*b*c", "aXbY"));
    CU_ASSERT_TRUE(sx_glob_match("a*b*c", "aXbYc"));
}

static void test_find(void)
{
    const char *h = "Host said: USER Unknown here";

    CU_ASSERT_PTR_EQUAL(sx_text_find(h, strlen(h), "user unknown"), h + 11);
    CU_ASSERT_PTR_NULL(sx_text_find(h, 10, "user unknown"));
    CU_ASSERT_PTR_NULL(sx_text_find(h, strlen(h), "mailbox full"));
}

/* Encoded-words: at most 75 characters, whole characters, ASCII kept. */

static void test_encode(void)
{
    char    src[600], out[4096], word[128];
    const char *p, *q;
    size_t  i, n;

    n = sx_text_encode(out, sizeof(out), "Caf\xc3\xa9 ok", 8, 0);
    CU_ASSERT_STRING_EQUAL(out, "=?utf-8?q?Caf=C3=A9?= ok");
    CU_ASSERT_EQUAL(n, strlen(out));
    sx_text_encode(out, sizeof(out), "a_b=c?d", 7, 1);
    CU_ASSERT_STRING_EQUAL(out, "=?utf-8?q?a=5Fb=3Dc=3Fd?=");
    sx_text_encode(out, sizeof(out), "=?utf-8?b?SGk=?= plain", 22, 0);
    CU_ASSERT_STRING_EQUAL(out, "=?utf-8?b?SGk=?= plain");
    /* 200 three-byte characters: many words, none split, none too long. */
    for (i = 0; i < 200; i++)
	memcpy(src + 3 * i, "\xe5\xae\x9b", 3);
    sx_text_encode(out, sizeof(out), src, 600, 1);
    for (p = out; *p; p = q + (*q != 0)) {
	q = strchr(p, ' ');
	if (q == 0)
	    q = p + strlen(p);
	CU_ASSERT((size_t) (q - p) <= 75);
	snprintf(word, sizeof(word), "%.*s", (int) (q - p), p);
	CU_ASSERT_EQUAL((strlen(word) - 12) % 9, 0);	/* =E5=AE=9B each */
    }
    for (p = out; *p; p++)
	CU_ASSERT((unsigned char) *p < 0x7f && *p != '\n');
    /* Too small: cut between words, never inside one. */
    n = sx_text_encode(out, 40, src, 600, 1);
    CU_ASSERT(n < 40);
    CU_ASSERT(n == 0 || strcmp(out + n - 2, "?=") == 0);
}

static CU_TestInfo tests[] = {
    {"encoded-words", test_encode},
    {"clean", test_clean},
    {"glob", test_glob},
    {"find", test_find},
    CU_TEST_INFO_NULL,
};

SX_SUITE(text, tests, 0, 0)
