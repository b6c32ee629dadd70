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

static CU_TestInfo tests[] = {
    {"clean", test_clean},
    {"glob", test_glob},
    {"find", test_find},
    CU_TEST_INFO_NULL,
};

SX_SUITE(text, tests, 0, 0)
