/*
 * test_links.c - the help link of an explanation (sx_explain_url) and
 * the help_url setting that may replace it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <smtp-explain/config.h>
#include <smtp-explain/explain.h>

#include "unit.h"

static size_t link_of(const char *ref, const char *site, char *out, size_t size)
{
    struct sx_explanation ex;
    struct sx_finding f;

    memset(&ex, 0, sizeof(ex));
    memset(&f, 0, sizeof(f));
    ex.ref = ref;
    ex.reason = "userunknown";
    f.replycode = 550;
    strcpy(f.status, "5.1.1");
    return (sx_explain_url(&ex, &f, site, out, size));
}

static void test_refs(void)
{
    char    out[512];

    CU_ASSERT(link_of("RFC 3463 3.2", 0, out, sizeof(out)) > 0);
    CU_ASSERT_STRING_EQUAL(out, "https://www.rfc-editor.org/rfc/rfc3463#section-3.2");
    CU_ASSERT(link_of("RFC 7372; RFC 7208", 0, out, sizeof(out)) > 0);
    CU_ASSERT_STRING_EQUAL(out, "https://www.rfc-editor.org/rfc/rfc7372");
    CU_ASSERT(link_of("Google: Gmail SMTP errors and codes", 0, out, sizeof(out)) > 0);
    CU_ASSERT_STRING_EQUAL(out, "https://support.google.com/a/answer/3726730");
    /* A source with no page we know, no ref, too small a buffer: none. */
    CU_ASSERT_EQUAL(link_of("Cox: email error codes", 0, out, sizeof(out)), 0);
    CU_ASSERT_STRING_EQUAL(out, "");
    CU_ASSERT_EQUAL(link_of("", 0, out, sizeof(out)), 0);
    CU_ASSERT_EQUAL(link_of("RFC 3463 3.2", 0, out, 10), 0);
}

static void test_site(void)
{
    char    out[512];

    CU_ASSERT(link_of("RFC 3463 3.2", "https://help.example.net/%{reason}?s=%{status}&c=%{code}",
		      out, sizeof(out)) > 0);
    CU_ASSERT_STRING_EQUAL(out, "https://help.example.net/userunknown?s=5.1.1&c=550");
    /* Never half a link: too long for the buffer, the registry's... */
    CU_ASSERT(link_of("Google: Gmail SMTP errors and codes",
		      "https://help.example.net/a-very-long-path/%{reason}", out, 50) > 0);
    CU_ASSERT_STRING_EQUAL(out, "https://support.google.com/a/answer/3726730");
    /* ... and when that does not fit either, none. */
    CU_ASSERT_EQUAL(link_of("RFC 3463 3.2", "https://help.example.net/a-long-path/%{reason}",
			    out, 30), 0);
    CU_ASSERT_STRING_EQUAL(out, "");
}

static void test_setting(void)
{
    static const char *bad[] = {
	"ftp://help.example.net/",
	"https://help.example.net/%{recipient}",
	"https://help.example.net/a b",
	"https://help.example.net/\"x\"",
    };
    char    path[] = "/tmp/sx-links-XXXXXX";
    struct sx_errors errs;
    struct sx_config *c;
    size_t  i;
    FILE   *fp;
    int     fd;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
	CU_ASSERT_FATAL((fd = mkstemp(path)) >= 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp = fdopen(fd, "w"));
	fprintf(fp, "settings = { help_url = \"%s\"; };\n", bad[i]);
	fclose(fp);
	memset(&errs, 0, sizeof(errs));
	c = sx_config_load(path, &errs);
	CU_ASSERT_PTR_NULL(c);
	CU_ASSERT(errs.count > 0);
	if (c)
	    sx_config_unref(c);
	unlink(path);
	strcpy(path, "/tmp/sx-links-XXXXXX");
    }
}

static CU_TestInfo tests[] = {
    {"links from the registry's references", test_refs},
    {"the site's template", test_site},
    {"help_url: only a URL with known fields", test_setting},
    CU_TEST_INFO_NULL,
};

SX_SUITE(links, tests, 0, 0)
