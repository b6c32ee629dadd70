/*
 * test_output.c - the edges of what goes out: text for machines is
 * well-formed UTF-8, with each maximal ill-formed subpart replaced by
 * one U+FFFD.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/text.h>

#include "unit.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------- UTF-8 */

#define R "\xef\xbf\xbd"		/* U+FFFD */

static void test_utf8(void)
{
    static const struct {
	const char *in;
	size_t  len;
	const char *out;
	size_t  outlen;
	int     valid;
    }       t[] = {
#define T(in, out, valid) {in, sizeof(in) - 1, out, sizeof(out) - 1, valid}
	T("plain ASCII", "plain ASCII", 1),
	T("", "", 1),
	T("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 1),
	/* the edges that are allowed */
	T("\xc2\x80\xdf\xbf", "\xc2\x80\xdf\xbf", 1),
	T("\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf", "\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf", 1),
	T("\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf", 1),
	T("a\0b", "a\0b", 1),
	/* overlong */
	T("\xc0\x80", R R, 0),
	T("\xc1\xbf", R R, 0),
	T("\xe0\x80\x80", R R R, 0),
	T("\xe0\x9f\xbf", R R R, 0),
	T("\xf0\x80\x80\x80", R R R R, 0),
	T("\xf0\x8f\xbf\xbf", R R R R, 0),
	/* surrogates */
	T("\xed\xa0\x80", R R R, 0),
	T("\xed\xbf\xbf", R R R, 0),
	/* past U+10FFFF */
	T("\xf4\x90\x80\x80", R R R R, 0),
	T("\xf5", R, 0),
	T("\xf5\x80\x80\x80", R R R R, 0),
	T("\xff", R, 0),
	T("\xfe\xff", R R, 0),
	/* stray continuation bytes */
	T("\x80", R, 0),
	T("a\x80" "b\xbf\xbf", "a" R "b" R R, 0),
	/* truncated: at the end, and in the middle (one U+FFFD each) */
	T("\xe2\x82", R, 0),
	T("x\xe2\x82", "x" R, 0),
	T("\xe2\x82" "A", R "A", 0),
	T("\xe2\x82\xe2\x82\xac", R "\xe2\x82\xac", 0),
	T("\xf0\x9f\x98" "x", R "x", 0),
	T("\xf0\x9f\x98", R, 0),
	T("\xe0\xa0", R, 0),
	T("\xc3", R, 0),
	T("\xc3\xc3\xa9", R "\xc3\xa9", 0),
	/* Unicode's example of maximal subparts (chapter 3, U+FFFD) */
	T("a\xf1\x80\x80\xe1\x80\xc2" "b\x80" "c\x80\xbf" "d",
	  "a" R R R "b" R "c" R R "d", 0),
#undef T
    };
    char    out[64];
    size_t  i, n;

    for (i = 0; i < COUNT(t); i++) {
	CU_ASSERT_EQUAL(sx_text_utf8_valid(t[i].in, t[i].len), t[i].valid);
	n = sx_text_utf8_fix(out, sizeof(out), t[i].in, t[i].len);
	CU_ASSERT_EQUAL(n, t[i].outlen);
	CU_ASSERT(n == t[i].outlen && memcmp(out, t[i].out, n) == 0);
	CU_ASSERT_EQUAL(out[n], 0);
	if (n != t[i].outlen || memcmp(out, t[i].out, n) != 0)
	    fprintf(stderr, "\n  utf8 case %zu wrong\n", i);
	/* What comes out is well-formed. */
	CU_ASSERT(sx_text_utf8_valid(out, n));
    }
}

/* sx_text_utf8_char(): lengths and verdicts, and bounds by len. */
static void test_utf8_char(void)
{
    int     ok;

    CU_ASSERT_EQUAL(sx_text_utf8_char("\xf0\x9f\x98\x80", 4, &ok), 4);
    CU_ASSERT(ok);
    CU_ASSERT_EQUAL(sx_text_utf8_char("\xf0\x9f\x98\x80", 3, &ok), 3);
    CU_ASSERT(!ok);
    CU_ASSERT_EQUAL(sx_text_utf8_char("\xe2\x82\xac", 1, &ok), 1);
    CU_ASSERT(!ok);
    CU_ASSERT_EQUAL(sx_text_utf8_char("\xed\xa0\x80", 3, &ok), 1);
    CU_ASSERT(!ok);
    CU_ASSERT_EQUAL(sx_text_utf8_char("A", 1, &ok), 1);
    CU_ASSERT(ok);
}

/* A small buffer: cut before a character or a U+FFFD, never inside. */
static void test_utf8_cut(void)
{
    char    out[8];

    CU_ASSERT_EQUAL(sx_text_utf8_fix(out, 4, "a\x80", 2), 1);
    CU_ASSERT_STRING_EQUAL(out, "a");
    CU_ASSERT_EQUAL(sx_text_utf8_fix(out, 5, "a\x80", 2), 4);
    CU_ASSERT_STRING_EQUAL(out, "a" R);
    CU_ASSERT_EQUAL(sx_text_utf8_fix(out, 4, "a\xe2\x82\xac", 4), 1);
    CU_ASSERT_STRING_EQUAL(out, "a");
    CU_ASSERT_EQUAL(sx_text_utf8_fix(out, 0, "a", 1), 0);
    CU_ASSERT_EQUAL(sx_text_utf8_fix(out, 1, "a", 1), 0);
    CU_ASSERT_STRING_EQUAL(out, "");
}

static CU_TestInfo tests[] = {
    {"utf8: maximal subparts become U+FFFD", test_utf8},
    {"utf8: one character", test_utf8_char},
    {"utf8: cut whole", test_utf8_cut},
    CU_TEST_INFO_NULL,
};

SX_SUITE(output, tests, 0, 0)
