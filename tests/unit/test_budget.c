/*
 * test_budget.c - the searches that keep reading linear, and the work
 * budget that stops a reading when something is not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/reader.h>
#include <smtp-explain/text.h>

#include "match.h"
#include "named.h"
#include "unit.h"

/* The plain definition of a case-blind search, to compare against. */

static const char *naive_find(const char *h, size_t len, const char *n)
{
    size_t  nl = strlen(n), i, k;

    for (i = 0; i + nl <= len; i++) {
	for (k = 0; k < nl && sx_lower((unsigned char) h[i + k])
	     == sx_lower((unsigned char) n[k]); k++)
	     /* void */ ;
	if (k == nl)
	    return (h + i);
    }
    return (0);
}

/*
 * sx_text_find() against the definition on texts and needles drawn
 * from a small alphabet (many near misses), and on the "aaaa...ab"
 * case that makes every position a candidate and forces the fallback.
 */
static void test_find_random(void)
{
    static const char alpha[] = "aAb@.";
    char    hay[600], needle[80];
    unsigned seed = 12345;
    int     round, bad = 0;

    for (round = 0; round < 20000; round++) {
	size_t  hl = (size_t) (seed % sizeof(hay)), nl, i;

	seed = seed * 1103515245 + 12345;
	nl = 1 + (seed >> 8) % (round % 7 == 0 ? 70 : 6);
	for (i = 0; i < hl; i++) {
	    seed = seed * 1103515245 + 12345;
	    hay[i] = alpha[(seed >> 16) % (round % 3 ? 2 : 5)];
	}
	for (i = 0; i < nl; i++) {
	    seed = seed * 1103515245 + 12345;
	    needle[i] = alpha[(seed >> 16) % (round % 3 ? 2 : 5)];
	}
	needle[nl] = 0;
	if (sx_text_find(hay, hl, needle) != naive_find(hay, hl, needle))
	    bad++;
    }
    CU_ASSERT_EQUAL(bad, 0);
}

static void test_find_worst(void)
{
    size_t  len = 1 << 20, nl = 600;
    char   *hay = malloc(len), *needle = malloc(nl + 1);

    CU_ASSERT_FATAL(hay != 0 && needle != 0);
    memset(hay, 'a', len);
    memset(needle, 'a', nl);
    needle[nl - 1] = 'b';
    needle[nl] = 0;
    /* Absent, at the very end, and a longer needle (heap table). */
    CU_ASSERT_PTR_NULL(sx_text_find(hay, len, needle));
    hay[len - 1] = 'B';
    CU_ASSERT_PTR_EQUAL(sx_text_find(hay, len, needle), hay + len - nl);
    needle[200] = 0;
    needle[199] = 'b';
    CU_ASSERT_PTR_NULL(sx_text_find(hay, len - 1, needle));
    free(hay);
    free(needle);
}

/* sx_match_first(): the leftmost start, the lowest index there. */

static void test_match_first(void)
{
    static const char *const pats[] = {"bcd", "abcdef", "cd", "ABC"};
    struct sx_match *m = sx_match_new(pats, 4);
    const char *t = "xxabcdefg";
    size_t  which = 99;

    CU_ASSERT_FATAL(m != 0);
    /* "abcdef" (1) and "abc" (3) start at 2; 1 is lower. */
    CU_ASSERT_PTR_EQUAL(sx_match_first(m, t, strlen(t), &which), t + 2);
    CU_ASSERT_EQUAL(which, 1);
    /* Cut before "abcdef" ends: "abc" is the leftmost left. */
    CU_ASSERT_PTR_EQUAL(sx_match_first(m, t, 5, &which), t + 2);
    CU_ASSERT_EQUAL(which, 3);
    CU_ASSERT_PTR_NULL(sx_match_first(m, t, 3, &which));
    sx_match_free(m);
}

/*
 * sx_match_first() against its definition, with patterns long enough
 * for the skip table and texts made of their prefixes (the fallback).
 */
static void test_match_first_random(void)
{
    static const char alpha[] = "abAB c";
    char    pat[8][8], text[400];
    const char *pats[8];
    unsigned seed = 777;
    int     round, bad = 0;

    for (round = 0; round < 3000; round++) {
	size_t  np = 1 + round % 8, tl, i, j, k, best = (size_t) -1, bestk = 0, which = 0;
	struct sx_match *m;
	const char *got;

	for (i = 0; i < np; i++) {
	    size_t  pl = 3 + (seed >> 4) % 5;

	    for (j = 0; j < pl; j++) {
		seed = seed * 1103515245 + 12345;
		pat[i][j] = alpha[(seed >> 16) % (round % 2 ? 2 : 6)];
	    }
	    pat[i][pl] = 0;
	    pats[i] = pat[i];
	}
	seed = seed * 1103515245 + 12345;
	tl = (seed >> 8) % sizeof(text);
	for (i = 0; i < tl; i++) {
	    seed = seed * 1103515245 + 12345;
	    text[i] = alpha[(seed >> 16) % (round % 2 ? 2 : 6)];
	}
	/* The definition: the leftmost start, the lowest index there. */
	for (i = 0; i < tl && best == (size_t) -1; i++)
	    for (k = 0; k < np; k++)
		if (naive_find(text + i, tl - i, pats[k]) == text + i) {
		    best = i;
		    bestk = k;
		    break;
		}
	if ((m = sx_match_new(pats, np)) == 0) {
	    bad++;
	    continue;
	}
	got = sx_match_first(m, text, tl, &which);
	if (best == (size_t) -1 ? got != 0 : got != text + best || which != bestk)
	    bad++;
	sx_match_free(m);
    }
    CU_ASSERT_EQUAL(bad, 0);
}

/* The recipient index: every occurrence, its line, equal addresses folded. */

static void test_named(void)
{
    static const char text[] =
	"to A@x.org and b@x.org\n"
	"\n"
	"a@X.ORG again; ba@x.org\n"
	"tail a@x.or";
    const char *addr[] = {"a@x.org", "b@x.org", "A@x.Org", "", "zz@x.org"};
    struct sx_named *nx = sx_named_new(text, sizeof(text) - 1, sizeof(text) - 1,
				       addr, 5);
    const struct sx_occ *o;
    long    k;
    int     n = 0;

    CU_ASSERT_FATAL(nx != 0);
    for (k = sx_named_first(nx, 0); k >= 0; k = o->next, n++) {
	o = sx_named_occ(nx, k);
	CU_ASSERT_EQUAL(text[o->start], n == 0 ? 'A' : n == 1 ? 'a' : 'a');
	CU_ASSERT_EQUAL(o->eol == sizeof(text) - 1 || text[o->eol] == '\n', 1);
	CU_ASSERT_TRUE(o->bol == 0 || text[o->bol - 1] == '\n');
	CU_ASSERT_TRUE(o->bol <= o->start && o->start < o->eol);
    }
    /* "A@x.org", "a@X.ORG" and the one inside "ba@x.org". */
    CU_ASSERT_EQUAL(n, 3);
    /* Address 2 is address 0 in other case: the same occurrences. */
    CU_ASSERT_EQUAL(sx_named_first(nx, 2), sx_named_first(nx, 0));
    k = sx_named_first(nx, 1);
    CU_ASSERT_FATAL(k >= 0);
    CU_ASSERT_EQUAL(sx_named_occ(nx, k)->start, 15);
    CU_ASSERT_EQUAL(sx_named_occ(nx, k)->line, 0);
    CU_ASSERT_EQUAL(sx_named_occ(nx, k)->next, -1);
    CU_ASSERT_EQUAL(sx_named_first(nx, 3), -1);
    CU_ASSERT_EQUAL(sx_named_first(nx, 4), -1);
    /* Lines holding occurrences: the first and the third. */
    CU_ASSERT_EQUAL(sx_named_lines(nx), 2);
    sx_named_free(nx);
}

/* A report with many recipients, each named in the text. */

static char *many_rcpt_report(size_t nrcpt, size_t *len)
{
    size_t  cap = 4096 + nrcpt * 400, n = 0, i;
    char   *s = malloc(cap);

    if (s == 0)
	return (0);
    n += (size_t) snprintf(s + n, cap - n,
			   "From: MAILER-DAEMON@example.net\n"
			   "Subject: Undelivered Mail Returned to Sender\n"
			   "MIME-Version: 1.0\n"
			   "Content-Type: multipart/report; "
			   "report-type=delivery-status; boundary=\"B\"\n\n"
			   "--B\nContent-Type: text/plain\n\n");
    for (i = 0; i < nrcpt; i++)
	n += (size_t) snprintf(s + n, cap - n, "<user%zu@example.org>: host "
			       "mx.example.org said: 550 5.1.1 no such user%zu\n",
			       i, i);
    n += (size_t) snprintf(s + n, cap - n,
			   "\n--B\nContent-Type: message/delivery-status\n\n"
			   "Reporting-MTA: dns; mx.example.net\n\n");
    for (i = 0; i < nrcpt; i++)
	n += (size_t) snprintf(s + n, cap - n, "Final-Recipient: rfc822; "
			       "user%zu@example.org\nAction: failed\n"
			       "Status: 5.0.0\n\n", i);
    n += (size_t) snprintf(s + n, cap - n, "--B--\n");
    *len = n;
    return (s);
}

static struct sx_reader *read_with(const char *msg, size_t len, size_t bytes_max,
				           size_t work_max)
{
    struct sx_limits lim = sx_limits_default;
    struct sx_reader *r;

    lim.bytes_max = bytes_max;
    lim.work_max = work_max;
    r = sx_reader_new(&lim);
    CU_ASSERT_FATAL(r != 0);
    CU_ASSERT_EQUAL(sx_reader_push(r, msg, len), SX_OK);
    CU_ASSERT_EQUAL(sx_reader_finish(r), SX_OK);
    return (r);
}

static void test_budget_work(void)
{
    size_t  len, full_work, i;
    char   *msg = many_rcpt_report(200, &len);
    struct sx_reader *r;

    CU_ASSERT_FATAL(msg != 0);
    /* No limit: every recipient, its code from the text, no cut. */
    r = read_with(msg, len, 0, 0);
    CU_ASSERT_EQUAL(sx_reader_count(r), 200);
    CU_ASSERT_EQUAL(sx_reader_message(r)->cut, SX_CUT_NONE);
    CU_ASSERT_EQUAL(sx_reader_finding(r, 199)->replycode, 550);
    CU_ASSERT_STRING_EQUAL(sx_reader_finding(r, 199)->status, "5.1.1");
    full_work = sx_reader_work(r);
    CU_ASSERT_TRUE(full_work > 0);
    sx_reader_free(r);

    /* A budget of a tenth: cut, but what the DSN fields said is kept. */
    r = read_with(msg, len, 0, full_work / 10);
    CU_ASSERT_EQUAL(sx_reader_message(r)->cut, SX_CUT_WORK);
    CU_ASSERT_STRING_EQUAL(sx_cut_name(SX_CUT_WORK), "work");
    CU_ASSERT_EQUAL(sx_reader_count(r), 200);
    for (i = 0; i < sx_reader_count(r); i++)
	CU_ASSERT_EQUAL(sx_reader_finding(r, i)->status[0], '5');
    /* The reading stopped at the first step past the budget. */
    CU_ASSERT_TRUE(sx_reader_work(r) < full_work / 10 + 2 * len);
    CU_ASSERT_EQUAL(sx_reader_finding(r, 199)->replycode, 0);
    sx_reader_free(r);

    /* Enough budget: the same answer as no limit. */
    r = read_with(msg, len, 0, full_work);
    CU_ASSERT_EQUAL(sx_reader_message(r)->cut, SX_CUT_NONE);
    CU_ASSERT_EQUAL(sx_reader_finding(r, 199)->replycode, 550);
    sx_reader_free(r);
    free(msg);
}

static void test_budget_bytes(void)
{
    size_t  len;
    char   *msg = many_rcpt_report(50, &len);
    struct sx_reader *r;
    size_t  i;

    CU_ASSERT_FATAL(msg != 0);
    /* Cut before the delivery-status part: the text alone is read. */
    r = read_with(msg, len, (size_t) (strstr(msg, "--B\nContent-Type: message") - msg),
		  0);
    CU_ASSERT_EQUAL(sx_reader_message(r)->cut, SX_CUT_BYTES);
    CU_ASSERT_STRING_EQUAL(sx_cut_name(SX_CUT_BYTES), "bytes");
    sx_reader_free(r);
    /* Pushed in small pieces: the same cut at the same byte. */
    {
	struct sx_limits lim = sx_limits_default;

	lim.bytes_max = 100;
	r = sx_reader_new(&lim);
	CU_ASSERT_FATAL(r != 0);
	for (i = 0; i < len; i += 7)
	    (void) sx_reader_push(r, msg + i, len - i < 7 ? len - i : 7);
	CU_ASSERT_EQUAL(sx_reader_finish(r), SX_OK);
	CU_ASSERT_EQUAL(sx_reader_message(r)->cut, SX_CUT_BYTES);
	CU_ASSERT_EQUAL(sx_reader_count(r), 0);
	sx_reader_free(r);
    }
    free(msg);
}

/* Twice the recipients, about twice the work: nothing is read per pair. */

static void test_budget_linear(void)
{
    size_t  len1, len4, w1, w4;
    char   *m1 = many_rcpt_report(250, &len1), *m4 = many_rcpt_report(1000, &len4);
    struct sx_reader *r;

    CU_ASSERT_FATAL(m1 != 0 && m4 != 0);
    r = read_with(m1, len1, 0, 0);
    w1 = sx_reader_work(r);
    CU_ASSERT_EQUAL(sx_reader_count(r), 250);
    sx_reader_free(r);
    r = read_with(m4, len4, 0, 0);
    w4 = sx_reader_work(r);
    CU_ASSERT_EQUAL(sx_reader_count(r), 1000);
    sx_reader_free(r);
    /* Four times the input; linear work is about four times too. */
    CU_ASSERT_TRUE(w4 <= 5 * w1);
    CU_ASSERT_TRUE(w4 >= 3 * w1);
    free(m1);
    free(m4);
}

static CU_TestInfo tests[] = {
    {"sx_text_find against its definition", test_find_random},
    {"sx_text_find worst case", test_find_worst},
    {"automaton: leftmost occurrence", test_match_first},
    {"automaton against its definition", test_match_first_random},
    {"recipient index", test_named},
    {"work budget cuts and keeps", test_budget_work},
    {"byte budget", test_budget_bytes},
    {"work grows linearly with recipients", test_budget_linear},
    CU_TEST_INFO_NULL,
};

SX_SUITE(budget, tests, 0, 0)
