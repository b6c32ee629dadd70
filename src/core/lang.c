/*
 * NAME
 *	lang 3
 * SUMMARY
 *	the registry's wording in other languages
 * DESCRIPTION
 *	See lang.h. Each language is a registry that holds text records
 *	only (no entries, hence no patterns and no automata): a sealed
 *	table of wording by key, asked with sx_registry_texts_of(). The
 *	compiled-in ones are sealed at build time (snapshot.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <smtp-explain/lang.h>
#include <smtp-explain/status.h>
#include <smtp-explain/text.h>

#include "registry_int.h"
#include "snapshot.h"

#define SX_LANGS_MAX 32

/* The compiled-in languages (build/gen/texts_data.c, from etc/texts). */
struct sx_lang_text {
    const char *lang;
    const char *text;
};
extern const struct sx_lang_text sx_texts_langs[];

struct sx_langs {
    size_t  count;
    char    name[SX_LANGS_MAX][SX_LANG_MAX];
    struct sx_registry *texts[SX_LANGS_MAX];
};

struct sx_langs *sx_langs_new(void)
{
    return (calloc(1, sizeof(struct sx_langs)));
}

void    sx_langs_free(struct sx_langs *langs)
{
    size_t  i;

    if (langs == 0)
	return;
    for (i = 0; i < langs->count; i++)
	sx_registry_free(langs->texts[i]);
    free(langs);
}

/* sx_lang_name_ok - two or three lower-case letters */

static int sx_lang_name_ok(const char *s)
{
    size_t  n;

    for (n = 0; s[n] >= 'a' && s[n] <= 'z'; n++)
	 /* void */ ;
    return (s[n] == 0 && n >= 2 && n <= 3);
}

static const struct sx_registry *sx_lang_find(const struct sx_langs *langs,
					              const char *lang)
{
    size_t  i;

    if (langs == 0 || lang == 0)
	return (0);
    for (i = 0; i < langs->count; i++)
	if (strcmp(langs->name[i], lang) == 0)
	    return (langs->texts[i]);
    return (0);
}

/* sx_langs_put - file a sealed registry of texts under lang */

static void sx_langs_put(struct sx_langs *langs, const char *lang,
			         struct sx_registry *reg)
{
    (void) sx_text_copy(langs->name[langs->count], SX_LANG_MAX, lang,
			strlen(lang));
    langs->texts[langs->count++] = reg;
}

static int sx_langs_addable(const struct sx_langs *langs, const char *lang,
			            const char *name, struct sx_errors *errs)
{
    if (!sx_lang_name_ok(lang) || strcmp(lang, "en") == 0
	|| sx_lang_find(langs, lang) != 0 || langs->count == SX_LANGS_MAX) {
	sx_errors_add(errs, name, 0, "\"%s\" is not a language that can be "
		      "added", lang);
	return (0);
    }
    return (1);
}

int     sx_langs_add(struct sx_langs *langs, const char *lang, const char *name,
		             const char *text, struct sx_errors *errs)
{
    struct sx_registry *reg;
    int     status;

    if (!sx_langs_addable(langs, lang, name, errs))
	return (SX_ERR_CONFIG);
    if ((reg = sx_registry_new()) == 0)
	return (SX_ERR_NOMEM);
    if ((status = sx_config_registry_text(reg, name, text, errs)) == SX_OK
	&& (status = sx_registry_seal(reg)) != SX_OK)
	sx_errors_add(errs, name, 0, "%s", sx_strerror(status));
    if (status != SX_OK) {
	sx_registry_free(reg);
	return (status);
    }
    sx_langs_put(langs, lang, reg);
    return (SX_OK);
}

struct sx_langs *sx_langs_parse(const char *only, struct sx_errors *errs)
{
    struct sx_langs *langs = sx_langs_new();
    const struct sx_lang_text *t;
    char    name[64];

    if (langs == 0)
	return (0);
    for (t = sx_texts_langs; t->lang; t++) {
	/* Each costs a parse of its file: only what will be used. */
	if (only != 0 && strcmp(only, t->lang) != 0)
	    continue;
	(void) snprintf(name, sizeof(name), "(embedded texts/%s.conf)", t->lang);
	if (sx_langs_add(langs, t->lang, name, t->text, errs) != SX_OK) {
	    sx_langs_free(langs);
	    return (0);
	}
    }
    return (langs);
}

/*
 * sx_langs_embedded - the compiled-in languages, read in place from the
 * snapshot (snapshot.h); parsed only where there is none (the generator).
 */
struct sx_langs *sx_langs_embedded(const char *only, struct sx_errors *errs)
{
    const struct sx_snapshot_lang *l;
    struct sx_langs *langs;
    struct sx_registry *reg;

    if (sx_snapshot_registry == 0)
	return (sx_langs_parse(only, errs));
    if ((langs = sx_langs_new()) == 0)
	return (0);
    for (l = sx_snapshot_langs; l->lang && langs->count < SX_LANGS_MAX; l++) {
	if (only != 0 && strcmp(only, l->lang) != 0)
	    continue;
	if ((reg = sx_registry_image(l->texts)) == 0) {
	    sx_langs_free(langs);
	    return (0);
	}
	sx_langs_put(langs, l->lang, reg);
    }
    return (langs);
}

size_t  sx_langs_count(const struct sx_langs *langs)
{
    return (langs ? langs->count : 0);
}

const char *sx_langs_name(const struct sx_langs *langs, size_t i)
{
    return (langs && i < langs->count ? langs->name[i] : 0);
}

const struct sx_registry *sx_langs_texts(const struct sx_langs *langs, size_t i)
{
    return (langs && i < langs->count ? langs->texts[i] : 0);
}


/* sx_lang_builtin - the library's own (static) name of lang: "en" or compiled in */

static const char *sx_lang_builtin(const char *lang)
{
    static const char en[] = "en";
    const struct sx_lang_text *t;

    if (lang == 0)
	return (0);
    if (strcmp(lang, en) == 0)
	return (en);
    for (t = sx_texts_langs; t->lang; t++)
	if (strcmp(t->lang, lang) == 0)
	    return (t->lang);
    return (0);
}

/*
 * sx_lang_name - a stable copy of a language's name, when the library
 * has texts in it (English and the compiled-in ones; a set may hold
 * only some of them) or the set has.
 */
static const char *sx_lang_name(const struct sx_langs *langs, const char *lang)
{
    const char *w;
    size_t  i;

    if (lang == 0)
	return (0);
    if ((w = sx_lang_builtin(lang)) != 0)
	return (w);
    for (i = 0; langs != 0 && i < langs->count; i++)
	if (strcmp(langs->name[i], lang) == 0)
	    return (langs->name[i]);
    return (0);
}

int     sx_lang_compiled(const char *lang)
{
    return (sx_lang_builtin(lang) != 0);
}

int     sx_lang_known(const struct sx_langs *langs, const char *lang)
{
    return (sx_lang_name(langs, lang) != 0);
}

/* Take what a record says; the fields it leaves out stay. */
static int sx_lang_take(struct sx_explanation *ex, const struct sx_entry *rec)
{
    if (rec == 0 || rec->title == 0)
	return (0);
    ex->title = rec->title;
    if (rec->text)
	ex->text = rec->text;
    if (rec->action)
	ex->action = rec->action;
    if (rec->action_admin)
	ex->action_admin = rec->action_admin;
    return (1);
}

void    sx_lang_explain(const struct sx_langs *langs, const char *lang,
			        struct sx_explanation *ex)
{
    const struct sx_registry *t = sx_lang_find(langs, lang);
    struct sx_entry key;

    if (t == 0)
	return;
    /* A vendor's own record, else its code's (enhanced, basic). */
    if (ex->vendor != 0 && sx_lang_take(ex, sx_registry_texts_of(t, SX_TABLE_VENDOR,
								  ex->vendor)))
	return;
    if (ex->enhanced != 0
	&& sx_lang_take(ex, sx_registry_texts_of(t, SX_TABLE_ENHANCED, ex->enhanced)))
	return;
    if (ex->basic != 0
	&& sx_lang_take(ex, sx_registry_texts_of(t, SX_TABLE_BASIC, ex->basic)))
	return;
    memset(&key, 0, sizeof(key));
    key.code = sx_class_name(ex->class);
    if (sx_lang_take(ex, sx_registry_texts_of(t, SX_TABLE_FALLBACK, &key)))
	return;
    key.code = "*";
    (void) sx_lang_take(ex, sx_registry_texts_of(t, SX_TABLE_FALLBACK, &key));
}

/* sx_lang_word - the text of a block word in a registry of texts, or NULL */

static const char *sx_lang_word(const struct sx_registry *t, enum sx_word w)
{
    struct sx_entry key;
    const struct sx_entry *rec;

    if (t == 0)
	return (0);
    memset(&key, 0, sizeof(key));
    key.code = sx_words[w].name;
    rec = sx_registry_texts_of(t, SX_TABLE_BLOCK, &key);
    return (rec ? rec->text : 0);
}

/*
 * sx_lang_snapshot - a compiled-in language's texts, read in place: the
 * words of a language the set was not loaded with (a set may hold only
 * some; see sx_lang_known()). NULL in the generator.
 */
static const struct sx_registry *sx_lang_snapshot(const char *lang)
{
    const struct sx_snapshot_lang *l;

    if (lang == 0 || sx_snapshot_registry == 0)
	return (0);
    for (l = sx_snapshot_langs; l->lang; l++)
	if (strcmp(l->lang, lang) == 0)
	    return (l->texts);
    return (0);
}

void    sx_lang_words(const struct sx_langs *langs, const char *lang,
		              const struct sx_registry *reg,
		              const char *words[SX_WORDS])
{
    const struct sx_registry *t = sx_lang_find(langs, lang);
    size_t  w;

    if (t == 0)
	t = sx_lang_snapshot(lang);
    if (reg == 0)
	reg = sx_snapshot_registry;
    for (w = 0; w < SX_WORDS; w++)
	if ((words[w] = sx_lang_word(t, (enum sx_word) w)) == 0
	    && (words[w] = sx_lang_word(reg, (enum sx_word) w)) == 0)
	    words[w] = "";
}

int     sx_lang_norm(const char *in, char *out, size_t size)
{
    size_t  n;

    if (size < SX_LANG_MAX || in == 0)
	return (0);
    while (*in == ' ' || *in == '\t')
	in++;
    for (n = 0; n < 3 && ((in[n] >= 'a' && in[n] <= 'z')
			  || (in[n] >= 'A' && in[n] <= 'Z')); n++)
	out[n] = (char) (in[n] | 0x20);
    out[n] = 0;
    if (n < 2 || (in[n] != 0 && strchr("_-.@ ,;", in[n]) == 0))
	return (0);
    return (1);
}

/* sx_lang_map - the map's language for key (an address or a domain) */

static const char *sx_lang_map(const struct sx_langs *langs, char *const *map,
			               const char *key, int domain)
{
    char   *const *m;
    const char *eq;
    char    pat[SX_ADDR_MAX];
    size_t  n;

    for (m = map; m && *m; m++) {
	if ((eq = strrchr(*m, '=')) == 0 || !sx_lang_known(langs, eq + 1))
	    continue;
	n = (size_t) (eq - *m);
	if (n == 0 || n >= sizeof(pat))
	    continue;
	memcpy(pat, *m, n);
	pat[n] = 0;
	if ((strchr(pat, '@') != 0) == domain)
	    continue;
	if (domain ? sx_glob_match(pat, key) : strcasecmp(pat, key) == 0)
	    return (eq + 1);
    }
    return (0);
}

const char *sx_lang_choose(const struct sx_langs *langs, char *const *map,
			           const char *rcpt, const char *content_language,
			           const char *dflt)
{
    static const char *const names[] = {"en", 0};
    const char *l, *at;
    char    tag[SX_LANG_MAX];

    if (rcpt != 0 && *rcpt != 0) {
	if ((l = sx_lang_map(langs, map, rcpt, 0)) != 0)
	    return (l);
	if ((at = strrchr(rcpt, '@')) != 0
	    && (l = sx_lang_map(langs, map, at + 1, 1)) != 0)
	    return (l);
    }
    if (content_language != 0 && sx_lang_norm(content_language, tag, sizeof(tag))
	&& (l = sx_lang_name(langs, tag)) != 0)
	return (l);
    if ((l = sx_lang_name(langs, dflt)) != 0)
	return (l);
    return (names[0]);
}
