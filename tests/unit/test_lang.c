/*
 * test_lang.c - the registry's wording in other languages: every
 * language file is complete, the fallbacks, the choice of language,
 * the block in another language.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <smtp-explain/annotate.h>
#include <smtp-explain/config.h>
#include <smtp-explain/explain.h>
#include <smtp-explain/lang.h>

#include "unit.h"

#define TEXTS_DIR "../etc/texts"

static struct sx_registry *reg;
static struct sx_langs *langs;

/* A small language of our own: two codes and a class. */
static const char zz_texts[] =
"texts: {\n"
"  basic = ( { code = \"550\"; title = \"Zz basic 550\"; text = \"zz 550 text\";\n"
"              action = \"zz 550 action\"; } );\n"
"  enhanced = (\n"
"    { code = \"X.1.1\"; title = \"Zz X.1.1 \xc3\xbc\"; text = \"zz 511 text\";\n"
"      action = \"zz 511 action\"; },\n"
"    { code = \"X.7.26\"; title = \"Zz X.7.26\"; text = \"zz 5726 text\";\n"
"      action = \"zz 5726 action\"; } );\n"
"  fallback = ( { code = \"permanent\"; title = \"Zz permanent\";\n"
"                 text = \"zz perm\"; action = \"zz perm action\"; } );\n"
"};\n";

static int init(void)
{
    struct sx_errors errs;

    memset(&errs, 0, sizeof(errs));
    if ((reg = sx_config_registry_default(&errs)) == 0)
	return (1);
    if ((langs = sx_langs_new()) == 0)
	return (1);
    if (sx_langs_add(langs, "zz", "zz.conf", zz_texts, &errs) != SX_OK) {
	fprintf(stderr, "%s\n", errs.msg[0]);
	return (1);
    }
    return (0);
}

static int fini(void)
{
    sx_langs_free(langs);
    sx_registry_free(reg);
    return (0);
}

/*
 * One language file: every basic and enhanced entry has its wording,
 * and the block every word.
 */
static void check_complete(const char *path)
{
    struct sx_registry *t = sx_registry_new();
    struct sx_errors errs;
    enum sx_entry_table tabs[] = {SX_TABLE_BASIC, SX_TABLE_ENHANCED};
    const struct sx_entry *e, *rec;
    struct sx_entry key;
    size_t  k, i, missing = 0;

    memset(&errs, 0, sizeof(errs));
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_FATAL(sx_config_registry_file(t, path, &errs) == SX_OK);
    CU_ASSERT_FATAL(sx_registry_seal(t) == SX_OK);
    for (k = 0; k < 2; k++) {
	for (i = 0; (e = sx_registry_at(reg, tabs[k], i)) != 0; i++) {
	    rec = sx_registry_texts_of(t, tabs[k], e);
	    if (rec != 0 && rec->title && rec->text && rec->action)
		continue;
	    if (missing++ < 10)
		fprintf(stderr, "\n  %s: no wording for %s", path, e->code);
	}
    }
    memset(&key, 0, sizeof(key));
    for (i = 0; i < SX_WORDS; i++) {
	key.code = sx_words[i].name;
	rec = sx_registry_texts_of(t, SX_TABLE_BLOCK, &key);
	if (rec != 0 && rec->text)
	    continue;
	if (missing++ < 10)
	    fprintf(stderr, "\n  %s: no block word \"%s\"", path, key.code);
    }
    if (missing > 10)
	fprintf(stderr, "\n  %s: %zu entries without wording in all", path, missing);
    CU_ASSERT_EQUAL(missing, 0);
    sx_registry_free(t);
}

static void test_complete(void)
{
    DIR    *d = opendir(TEXTS_DIR);
    struct dirent *de;
    char    path[512];
    size_t  n, files = 0;

    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    while ((de = readdir(d)) != 0) {
	n = strlen(de->d_name);
	if (n < 6 || strcmp(de->d_name + n - 5, ".conf") != 0)
	    continue;
	(void) snprintf(path, sizeof(path), "%s/%s", TEXTS_DIR, de->d_name);
	check_complete(path);
	files++;
    }
    closedir(d);
    CU_ASSERT(files >= 1);			/* en.conf at least */
}

/* Every language file found is compiled in, and loads. */
static void test_embedded(void)
{
    struct sx_errors errs;
    struct sx_langs *all;
    DIR    *d = opendir(TEXTS_DIR);
    struct dirent *de;
    char    lang[8];
    size_t  n;

    memset(&errs, 0, sizeof(errs));
    all = sx_langs_embedded(0, &errs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(all);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    while ((de = readdir(d)) != 0) {
	n = strlen(de->d_name);
	if (n < 7 || n > 9 || strcmp(de->d_name + n - 5, ".conf") != 0)
	    continue;
	memcpy(lang, de->d_name, n - 5);
	lang[n - 5] = 0;
	CU_ASSERT(sx_lang_compiled(lang));
	CU_ASSERT(sx_lang_known(all, lang));
    }
    closedir(d);
    CU_ASSERT(sx_lang_known(all, "en"));
    CU_ASSERT(!sx_lang_known(all, "xx"));
    sx_langs_free(all);
}

static int starts(const char *s, const char *prefix)
{
    return (strncmp(s, prefix, strlen(prefix)) == 0);
}

static void finding(struct sx_finding *f, int code, const char *status,
		            const char *diag, const char *host)
{
    memset(f, 0, sizeof(*f));
    f->kind = SX_KIND_DSN;
    f->action = SX_ACTION_FAILED;
    f->replycode = code;
    strcpy(f->status, status);
    strcpy(f->recipient, "bob@example.org");
    strcpy(f->diagnostic, diag);
    strcpy(f->remote_mta, host);
}

static void test_explain(void)
{
    struct sx_finding f;
    struct sx_explanation ex, en;

    /* The enhanced code's wording comes first, then the basic one's. */
    finding(&f, 550, "5.1.1", "550 5.1.1 no such user", "mx.example.org");
    sx_explain(reg, &f, &ex);
    en = ex;
    sx_lang_explain(langs, "zz", &ex);
    CU_ASSERT_STRING_EQUAL(ex.title, "Zz X.1.1 \xc3\xbc");
    CU_ASSERT_STRING_EQUAL(ex.text, "zz 511 text");
    CU_ASSERT_STRING_EQUAL(ex.action, "zz 511 action");
    CU_ASSERT_STRING_EQUAL(ex.reason, en.reason);	/* facts stay */
    CU_ASSERT_EQUAL(ex.who, en.who);

    finding(&f, 550, "", "550 no such user", "mx.example.org");
    sx_explain(reg, &f, &ex);
    sx_lang_explain(langs, "zz", &ex);
    CU_ASSERT_STRING_EQUAL(ex.title, "Zz basic 550");

    /* English, unknown and NULL change nothing. */
    finding(&f, 550, "5.1.1", "550 5.1.1 no such user", "mx.example.org");
    sx_explain(reg, &f, &ex);
    en = ex;
    sx_lang_explain(langs, "en", &ex);
    sx_lang_explain(langs, "xx", &ex);
    sx_lang_explain(langs, 0, &ex);
    sx_lang_explain(0, "zz", &ex);
    CU_ASSERT_PTR_EQUAL(ex.title, en.title);
    CU_ASSERT_PTR_EQUAL(ex.text, en.text);

    /* A code the language does not have keeps its class's wording. */
    finding(&f, 554, "5.3.0", "554 5.3.0 other", "mx.example.org");
    sx_explain(reg, &f, &ex);
    sx_lang_explain(langs, "zz", &ex);
    CU_ASSERT_STRING_EQUAL(ex.title, "Zz permanent");
}

static void test_vendor(void)
{
    struct sx_finding f;
    struct sx_explanation ex;
    const char *vendor;

    finding(&f, 550, "5.7.26", "550 5.7.26 Unauthenticated email from "
	    "example.com is not accepted due to domain's DMARC policy. gsmtp",
	    "gmail-smtp-in.l.google.com");
    sx_explain(reg, &f, &ex);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ex.vendor);
    vendor = ex.vendor_name;
    /* No vendor record in zz: the code's, and the vendor still named. */
    sx_lang_explain(langs, "zz", &ex);
    CU_ASSERT_STRING_EQUAL(ex.title, "Zz X.7.26");
    CU_ASSERT_STRING_EQUAL(ex.vendor_name, vendor);
    CU_ASSERT(ex.vendor_name[0] != 0);
}

static void test_choose(void)
{
    char   *map[] = {"bob@example.org=zz", "*.example.net=zz", "example.com=en",
	"bad", "x@y=xx", 0};
    char    l[SX_LANG_MAX];

    CU_ASSERT_STRING_EQUAL(sx_lang_choose(langs, map, "bob@example.org", 0, "en"), "zz");
    CU_ASSERT_STRING_EQUAL(sx_lang_choose(langs, map, "BOB@example.org", 0, "en"), "zz");
    CU_ASSERT_STRING_EQUAL(sx_lang_choose(langs, map, "amy@example.org", 0, "en"), "en");
    CU_ASSERT_STRING_EQUAL(sx_lang_choose(langs, map, "amy@mx.example.net", 0, "en"), "zz");
    /* The map beats Content-Language; that beats the default. */
    CU_ASSERT_STRING_EQUAL(sx_lang_choose(langs, map, "amy@example.com", "zz", "zz"), "en");
    CU_ASSERT_STRING_EQUAL(sx_lang_choose(langs, map, "amy@other.test", "zz-CH, en", "en"), "zz");
    CU_ASSERT_STRING_EQUAL(sx_lang_choose(langs, map, "amy@other.test", "xx", "zz"), "zz");
    CU_ASSERT_STRING_EQUAL(sx_lang_choose(langs, 0, 0, 0, "qq"), "en");
    CU_ASSERT_STRING_EQUAL(sx_lang_choose(0, map, "bob@example.org", 0, 0), "en");

    CU_ASSERT(sx_lang_norm("de_DE.UTF-8", l, sizeof(l)) && strcmp(l, "de") == 0);
    CU_ASSERT(sx_lang_norm("FR-ca", l, sizeof(l)) && strcmp(l, "fr") == 0);
    CU_ASSERT(sx_lang_norm("es", l, sizeof(l)) && strcmp(l, "es") == 0);
    CU_ASSERT(!sx_lang_norm("C", l, sizeof(l)));
    CU_ASSERT(!sx_lang_norm("C.UTF-8", l, sizeof(l)));
    CU_ASSERT(!sx_lang_norm("POSIX", l, sizeof(l)));
    CU_ASSERT(!sx_lang_norm(0, l, sizeof(l)));
}

/* The block in zz wording with German words, in a US-ASCII part. */
static void test_block_lang(void)
{
    static const char msg[] =
    "From: MAILER-DAEMON@x\r\nContent-Type: multipart/report; boundary=B\r\n\r\n"
    "--B\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nfailed\r\n"
    "--B\r\nContent-Type: message/delivery-status\r\n\r\nx\r\n--B--\r\n";
    struct sx_finding f;
    struct sx_report_item item;
    struct sx_report rep;
    struct sx_annotate_out out;
    struct sx_annotate_opts o = {.lang = "de", .langs = 0};
    char    buf[SX_ANNOTATE_BLOCK_MAX];

    finding(&f, 550, "5.1.1", "550 5.1.1 no such user", "mx.example.org");
    sx_unit_report_one(reg, &f, &item, &rep);
    CU_ASSERT(sx_annotate_block(&rep, &o, "\n", buf, sizeof(buf)) > 0);
    CU_ASSERT(strstr(buf, "Wer handeln muss: Sie, der Absender.") != 0);
    CU_ASSERT(strstr(buf, item.ex.title) != 0);	/* no de texts: English */
    o.lang = "zz";
    o.langs = langs;
    CU_ASSERT(sx_annotate_block(&rep, &o, "\n", buf, sizeof(buf)) > 0);
    CU_ASSERT(strstr(buf, "Who must act: ") != 0);	/* no zz words */
    CU_ASSERT(starts(buf, SX_ANNOTATE_MARK " Why this message came back"));
    CU_ASSERT(strstr(buf, "* bob@example.org: Zz X.1.1 \xc3\xbc\n") != 0);
    /* The title's UTF-8 makes the part UTF-8, quoted-printable. */
    CU_ASSERT(sx_annotate(msg, sizeof(msg) - 1, &rep, &o, &out) == SX_OK);
    CU_ASSERT_FATAL(out.data != 0);
    CU_ASSERT(strstr(out.data, "Content-Type: text/plain; charset=utf-8\r\n"
		     "Content-Transfer-Encoding: quoted-printable\r\n\r\n") != 0);
    CU_ASSERT(strstr(out.data, "Zz X.1.1 =C3=BC") != 0);
    sx_annotate_free(&out);
}

/* A language with some of the block's words: each other one is English. */
static void test_block_partial(void)
{
    static const char yy[] =
    "texts: {\n"
    "  block = ( { name = \"intro\"; text = \"Yy, 100%% kurz:\"; },\n"
    "            { name = \"who_label\"; text = \"Yy wer:\"; },\n"
    "            { name = \"who_sender\"; text = \"yy du.\"; },\n"
    "            { name = \"stopped\"; text = \"Yy %% aus.\"; } );\n"
    "};\n";
    struct sx_errors errs;
    struct sx_langs *l = sx_langs_new();
    struct sx_finding f;
    struct sx_report_item item;
    struct sx_report rep;
    struct sx_annotate_opts o = {.lang = "yy"};
    char    buf[SX_ANNOTATE_BLOCK_MAX];
    const char *w[SX_WORDS];
    size_t  i;

    memset(&errs, 0, sizeof(errs));
    CU_ASSERT_FATAL(l != 0);
    CU_ASSERT_FATAL(sx_langs_add(l, "yy", "yy.conf", yy, &errs) == SX_OK);
    o.langs = l;
    finding(&f, 550, "5.1.1", "550 5.1.1 no such user", "mx.example.org");
    sx_unit_report_one(reg, &f, &item, &rep);
    CU_ASSERT(sx_annotate_block(&rep, &o, "\n", buf, sizeof(buf)) > 0);
    CU_ASSERT(starts(buf, SX_ANNOTATE_MARK " Yy, 100% kurz:\n"));
    CU_ASSERT(strstr(buf, "\n  Yy wer: yy du.\n") != 0);
    CU_ASSERT(strstr(buf, "\n  What to do: ") != 0);		/* English */
    CU_ASSERT(strstr(buf, "\n  Yy % aus.\n") != 0);
    /* Each word: the language's, else English; never NULL. */
    sx_lang_words(l, "yy", 0, w);
    CU_ASSERT_STRING_EQUAL(w[SX_WORD_WHO + SX_WHO_SENDER], "yy du.");
    CU_ASSERT_STRING_EQUAL(w[SX_WORD_WHO + SX_WHO_NONE],
			   "nobody: nothing needs to be done.");
    CU_ASSERT_STRING_EQUAL(w[SX_WORD_WHAT_LABEL], "What to do:");
    /* Every word has a name, its own. */
    for (i = 0; i < SX_WORDS; i++) {
	CU_ASSERT_PTR_NOT_NULL_FATAL(sx_words[i].name);
	CU_ASSERT_EQUAL(sx_word_find(sx_words[i].name), (int) i);
    }
    CU_ASSERT_EQUAL(sx_word_find("who"), -1);
    /* A compiled-in language has its words without a set. */
    sx_lang_words(0, "de", 0, w);
    CU_ASSERT_STRING_EQUAL(w[SX_WORD_HELP_LABEL], "Mehr Hilfe:");
    sx_langs_free(l);
}

/*
 * The block's words are filled in, never formats: a word whose
 * placeholders are not its name's (one "%s", one "%zu" or none; "%%" for
 * a percent sign) is refused with its file and line, and the whole file
 * with it.
 */
static void test_block_placeholders(void)
{
    static const struct {
	const char *rec;		/* the record, on line 2 */
	const char *msg;		/* what the loader says */
    }       bad[] = {
	{"{ name = \"arrived\"; text = \"am %d\"; }",
	"texts.block \"arrived\": a '%' that is neither \"%s\", \"%zu\" nor \"%%\""},
	{"{ name = \"arrived\"; text = \"am\"; }",
	"texts.block \"arrived\": needs one \"%s\" (a date) and no other placeholder"},
	{"{ name = \"arrived\"; text = \"am %s und %s\"; }",
	"texts.block \"arrived\": needs one \"%s\" (a date) and no other placeholder"},
	{"{ name = \"until\"; text = \"bis %zu\"; }",
	"texts.block \"until\": needs one \"%s\" (a date) and no other placeholder"},
	{"{ name = \"more\"; text = \"(%s mehr)\"; }",
	"texts.block \"more\": needs one \"%zu\" (a number) and no other placeholder"},
	{"{ name = \"intro\"; text = \"Warum %s:\"; }",
	"texts.block \"intro\": has no placeholder (write a percent sign as \"%%\")"},
	{"{ name = \"intro\"; text = \"100%\"; }",
	"texts.block \"intro\": a '%' that is neither \"%s\", \"%zu\" nor \"%%\""},
	{"{ name = \"stopped_at\"; text = \"%n%s\"; }",
	"texts.block \"stopped_at\": a '%' that is neither \"%s\", \"%zu\" nor \"%%\""},
	{"{ name = \"intros\"; text = \"Warum:\"; }",
	"malformed name \"intros\" for texts.block entry"},
	{"{ name = \"intro\"; }", "texts.block entry without \"text\""},
	{"{ code = \"intro\"; text = \"Warum:\"; }",
	"unknown key \"code\" in texts.block entry"},
    };
    struct sx_errors errs;
    struct sx_langs *l = sx_langs_new();
    struct sx_registry *r;
    struct sx_entry e;
    char    text[512], want[SX_ERROR_LEN];
    size_t  i, j;
    int     found;

    CU_ASSERT_FATAL(l != 0);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
	(void) snprintf(text, sizeof(text), "texts: {\n  block = ( %s,\n"
			"  { name = \"open\"; text = \"offen\"; } );\n};\n", bad[i].rec);
	(void) snprintf(want, sizeof(want), "qq.conf:2: %s", bad[i].msg);
	memset(&errs, 0, sizeof(errs));
	CU_ASSERT_EQUAL(sx_langs_add(l, "qq", "qq.conf", text, &errs), SX_ERR_CONFIG);
	for (found = 0, j = 0; j < errs.count && j < SX_ERRORS_MAX; j++)
	    found |= strcmp(errs.msg[j], want) == 0;
	if (!found)
	    fprintf(stderr, "\n  missing error: %s (got %s)", want,
		    errs.count ? errs.msg[0] : "none");
	CU_ASSERT(found);
	CU_ASSERT_EQUAL(sx_langs_count(l), 0);	/* nothing added */
    }
    sx_langs_free(l);

    /* The registry's own functions refuse them too. */
    r = sx_registry_new();
    CU_ASSERT_FATAL(r != 0);
    memset(&e, 0, sizeof(e));
    e.code = "arrived";
    e.text = "am %d";
    CU_ASSERT_EQUAL(sx_registry_add_texts(r, SX_TABLE_BLOCK, &e), SX_ERR_INVALID);
    e.text = "am %s.";
    CU_ASSERT_EQUAL(sx_registry_add(r, SX_TABLE_BLOCK, &e), SX_ERR_INVALID);
    CU_ASSERT_EQUAL(sx_registry_add_texts(r, SX_TABLE_BLOCK, &e), SX_OK);
    CU_ASSERT_PTR_NULL(sx_word_check(SX_WORD_ARRIVED, "am %s, 100%%."));
    CU_ASSERT_PTR_NOT_NULL(sx_word_check(SX_WORD_ARRIVED, "am %s, 100%."));
    sx_registry_free(r);

    /* Filled in: the argument once, "%%" a percent sign, cut to fit. */
    CU_ASSERT_EQUAL(sx_word_subst(text, sizeof(text), "am %s, 100%%.", "Mo"), 12);
    CU_ASSERT_STRING_EQUAL(text, "am Mo, 100%.");
    CU_ASSERT_EQUAL(sx_word_subst(text, 6, "am %s, 100%%.", "Mo"), 5);
    CU_ASSERT_STRING_EQUAL(text, "am Mo");
    CU_ASSERT_EQUAL(sx_word_subst(text, sizeof(text), "(%zu mehr)", "12"), 9);
    CU_ASSERT_STRING_EQUAL(text, "(12 mehr)");
}

/* The English words are the registry's: an admin's file may reword them. */
static void test_block_registry(void)
{
    static const char own[] =
    "texts: { block = ( { name = \"intro\"; text = \"In short:\"; },\n"
    "  { name = \"who_label\"; text = \"To act:\"; } ); };\n";
    struct sx_errors errs;
    struct sx_registry *r;
    struct sx_finding f;
    struct sx_report_item item;
    struct sx_report rep;
    struct sx_annotate_opts o = {.lang = "en"};
    char    buf[SX_ANNOTATE_BLOCK_MAX];

    memset(&errs, 0, sizeof(errs));
    r = sx_registry_new();
    CU_ASSERT_FATAL(r != 0);
    CU_ASSERT_FATAL(sx_config_registry_text(r, "own.conf", own, &errs) == SX_OK);
    CU_ASSERT_FATAL(sx_registry_seal(r) == SX_OK);
    CU_ASSERT_EQUAL(sx_registry_unused_texts(r), 0);	/* words are no entry's */
    finding(&f, 550, "5.1.1", "550 5.1.1 no such user", "mx.example.org");
    sx_unit_report_one(reg, &f, &item, &rep);
    o.reg = r;
    CU_ASSERT(sx_annotate_block(&rep, &o, "\n", buf, sizeof(buf)) > 0);
    CU_ASSERT(starts(buf, SX_ANNOTATE_MARK " In short:\n"));
    CU_ASSERT(strstr(buf, "\n  To act: you, the sender.\n") == 0);	/* only r */
    CU_ASSERT(strstr(buf, "\n  To act: \n") != 0);
    sx_registry_free(r);
}

static CU_TestInfo tests[] = {
    {"every basic and enhanced entry in every language file", test_complete},
    {"every language file compiled in", test_embedded},
    {"wording by language, facts unchanged", test_explain},
    {"vendor without wording: its code's", test_vendor},
    {"choice of language", test_choose},
    {"the block in another language", test_block_lang},
    {"the block's words: each the language's, else English", test_block_partial},
    {"the block's words: placeholders checked at load", test_block_placeholders},
    {"the block's English words: the registry's", test_block_registry},
    CU_TEST_INFO_NULL,
};

SX_SUITE(lang, tests, init, fini)
