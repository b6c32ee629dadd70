# smtp-explain: one GNU Makefile for the library, the CLI, the milter,
# the tests, the fuzzers and the benchmarks.
#
#   make                 build everything into build/
#   make check           unit tests, golden files, miltertest, real Postfix,
#                        the MTA matrix
#   make check-unit      the CUnit and golden tests, and smtp-explain-milter -n
#                        on the config fixtures (no daemons)
#   make check-mta       Postfix, Exim, OpenSMTPD, Sendmail, Courier, dma write bounces
#                        for a table of replies; the reader must read each
#   make asan            the test suite under AddressSanitizer + UBSan
#   make valgrind        the unit tests under valgrind memcheck
#   make fuzz            build the libFuzzer targets and run each briefly
#   make bench           benchmarks (not part of check)
#   make bench-hostile   only what hostile inputs cost, against real bounces
#   make bench-mailbox   mbox/corpus speed and memory (CORPUS=dir of .eml)
#   make check-sisimai   --format sisimai against Sisimai's output
#   make install         PREFIX, DESTDIR, SYSCONFDIR, MANDIR honoured
#   make lint            cppcheck and clang-tidy
#   make deps            install the Debian packages needed (as root)
#   make package         the Debian package, into build/package/
#   make package-test    build, install, run with Postfix, purge (as root)
#
# Packagers' CPPFLAGS, CFLAGS and LDFLAGS are applied last. WERROR=1 turns
# warnings into errors (CI sets it). SANITIZE=1 builds with ASan+UBSan.

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
SBINDIR    ?= $(PREFIX)/sbin
SYSCONFDIR ?= /etc
MANDIR     ?= $(PREFIX)/share/man
DOCDIR     ?= $(PREFIX)/share/doc/smtp-explain
DESTDIR    ?=

CC         ?= cc
PKG_CONFIG ?= pkg-config
BUILD      ?= build
VERSION    := 0.1.0

WARN       := -Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes \
              -Wmissing-prototypes -Wformat=2 -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN       += -Werror
endif
OPT        := -O2 -g
ifeq ($(SANITIZE),1)
OPT        := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
              -fno-sanitize-recover=undefined
BUILD      := build-asan
endif

CONFIG_CFLAGS := $(shell $(PKG_CONFIG) --cflags libconfig 2>/dev/null)
CONFIG_LIBS   := $(shell $(PKG_CONFIG) --libs libconfig 2>/dev/null || echo -lconfig)
ZLIB_LIBS     := $(shell $(PKG_CONFIG) --libs zlib 2>/dev/null || echo -lz)
MILTER_CFLAGS := $(shell $(PKG_CONFIG) --cflags milter 2>/dev/null)
MILTER_LIBS   := $(shell $(PKG_CONFIG) --libs milter 2>/dev/null || echo -lmilter)
CUNIT_LIBS    := $(shell $(PKG_CONFIG) --libs cunit 2>/dev/null || echo -lcunit)

ALL_CPPFLAGS = -Iinclude -Isrc/core -D_GNU_SOURCE -DSX_VERSION='"$(VERSION)"' \
               -DSX_SYSCONFDIR='"$(SYSCONFDIR)"' $(CPPFLAGS)
ALL_CFLAGS   = -std=c11 $(OPT) $(WARN) -pthread $(CFLAGS)
# The built-in registry is pointer-rich static data: in a PIE every one of
# its pointers is relocated at start. Packed relative relocations (DT_RELR,
# binutils 2.38 and glibc 2.36 on) make that table 0.4 MB smaller and the
# start about a tenth faster; left out where the linker lacks them.
RELR_LDFLAGS := $(shell printf 'int main(void){return 0;}' | $(CC) -x c - \
                  -Wl,-z,pack-relative-relocs -o /dev/null 2>/dev/null \
                  && echo -Wl,-z,pack-relative-relocs)
ALL_LDFLAGS  = $(OPT) -pthread $(RELR_LDFLAGS) $(LDFLAGS)

CORE_SRC   := $(sort $(wildcard src/core/*.c src/core/recognisers/*.c))
CORE_OBJ   := $(CORE_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/registry_data.o \
              $(BUILD)/gen/default_config.o $(BUILD)/gen/texts_data.o \
              $(BUILD)/gen/registry_snapshot.o
MILTER_SRC := $(sort $(wildcard src/milter/*.c))
MILTER_OBJ := $(MILTER_SRC:%.c=$(BUILD)/%.o)
CLI_SRC    := $(sort $(wildcard src/cli/*.c))
CLI_OBJ    := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC   := $(sort $(wildcard tests/unit/*.c))
# The milter's start-up check and what it negotiates (no libmilter code in
# either) and the command's date reader are tested with the library.
UNIT_OBJ   := $(UNIT_SRC:%.c=$(BUILD)/%.o) $(BUILD)/src/milter/check.o \
              $(BUILD)/src/milter/negotiate.o $(BUILD)/src/cli/date.o

LIB        := $(BUILD)/libsmtp-explain.a
CLI        := $(BUILD)/smtp-explain
MILTER     := $(BUILD)/smtp-explain-milter
UNIT       := $(BUILD)/unit-tests
# Hostile inputs (tests/hostile): a generator the unit tests, the fuzz
# seeds and the benchmark share, and a command that writes them.
HOSTILE_OBJ := $(BUILD)/tests/hostile/gen.o $(BUILD)/tests/hostile/parse.o
HOSTILE_GEN := $(BUILD)/hostile-gen

.PHONY: FORCE
.DEFAULT_GOAL := all
FORCE:

.PHONY: all check check-unit check-golden reasons-doc check-integration check-mta asan valgrind \
        fuzz fuzz-build bench bench-hostile bench-mailbox check-sisimai install uninstall clean lint deps demo golden-update

all: $(LIB) $(CLI) $(MILTER) $(HOSTILE_GEN)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CPPFLAGS) $(CONFIG_CFLAGS) $(MILTER_CFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The registry data is compiled into the library as the embedded default:
# the facts, then the English texts, read as one document.
REGISTRY_SRC ?= etc/registry.conf
TEXTS_SRC    ?= etc/texts/en.conf

$(BUILD)/gen/registry_data.c: $(REGISTRY_SRC) $(TEXTS_SRC) src/core/embed.awk
	@mkdir -p $(dir $@)
	awk -v name=sx_registry_data -f src/core/embed.awk $(REGISTRY_SRC) $(TEXTS_SRC) \
	    > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/registry_data.o: $(BUILD)/gen/registry_data.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The other languages' texts (etc/texts/LANG.conf, every one but en), each
# its own string, and a table of them by language (src/core/lang.c).
LANG_SRC := $(sort $(filter-out etc/texts/en.conf,$(wildcard etc/texts/*.conf)))
LANGS    := $(LANG_SRC:etc/texts/%.conf=%)

# Written every time, replaced only when it changed: a language file
# removed must change it too.
$(BUILD)/gen/texts_data.c: $(LANG_SRC) src/core/embed.awk Makefile FORCE
	@mkdir -p $(dir $@)
	{ printf '/* generated from etc/texts by the Makefile: do not edit */\n'; \
	  printf '#include <stddef.h>\n'; \
	  for l in $(LANGS); do \
	      awk -v name=sx_texts_$$l -f src/core/embed.awk etc/texts/$$l.conf | sed 1d; \
	  done; \
	  printf 'struct sx_lang_text { const char *lang; const char *text; };\n'; \
	  printf 'const struct sx_lang_text sx_texts_langs[] = {\n'; \
	  for l in $(LANGS); do printf '    {"%s", sx_texts_%s},\n' $$l $$l; done; \
	  printf '    {NULL, NULL},\n};\n'; \
	} > $@.tmp && { cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@; }

$(BUILD)/gen/texts_data.o: $(BUILD)/gen/texts_data.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# So is the default configuration (what a NULL path loads).
$(BUILD)/gen/default_config.c: etc/smtp-explain.conf src/core/embed.awk
	@mkdir -p $(dir $@)
	awk -v name=sx_default_config -f src/core/embed.awk $< > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/default_config.o: $(BUILD)/gen/default_config.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The snapshot (src/core/snapshot.h): the built-in registry, every
# compiled-in language's texts and the fixed pattern sets, built and
# sealed once by sx-snapshot (the library's own loaders, linked with an
# empty snapshot) and written as C data. It is written again whenever
# the generator changes, that is whenever etc/registry.conf, etc/texts
# or the core's code does.
SNAPSHOT_GEN := $(BUILD)/sx-snapshot
SNAPSHOT_OBJ := $(filter-out $(BUILD)/gen/registry_snapshot.o,$(CORE_OBJ)) \
                $(BUILD)/src/tools/snapshot.o $(BUILD)/src/tools/snapshot_none.o

$(SNAPSHOT_GEN): $(SNAPSHOT_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $(SNAPSHOT_OBJ) $(CONFIG_LIBS) $(LDLIBS)

$(BUILD)/gen/registry_snapshot.c: $(SNAPSHOT_GEN)
	@mkdir -p $(dir $@)
	./$(SNAPSHOT_GEN) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/registry_snapshot.o: $(BUILD)/gen/registry_snapshot.c
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(CORE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(CLI): $(CLI_OBJ) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(CONFIG_LIBS) $(ZLIB_LIBS) $(LDLIBS)

$(MILTER): $(MILTER_OBJ) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(MILTER_OBJ) $(LIB) $(CONFIG_LIBS) $(MILTER_LIBS) $(LDLIBS)

$(UNIT): $(UNIT_OBJ) $(HOSTILE_OBJ) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(UNIT_OBJ) $(HOSTILE_OBJ) $(LIB) $(CONFIG_LIBS) $(CUNIT_LIBS) $(LDLIBS)

$(HOSTILE_GEN): $(BUILD)/tests/hostile/gen_main.o $(BUILD)/tests/hostile/gen.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

# ---------------------------------------------------------------- tests

# The README's test command: installs what is missing (as root), then
# runs every test: unit, golden, integration with a real Postfix, the
# MTA matrix (about 2 minutes), the unit tests again under ASan/UBSan,
# and each fuzz target briefly.
check:
	sh packaging/install-deps.sh all
	$(MAKE) all
	$(MAKE) check-unit
	$(MAKE) check-integration
	$(MAKE) check-mta
	$(MAKE) asan
	$(MAKE) fuzz FUZZ_TIME=$(FUZZ_SMOKE) FUZZ_TIMEOUT=$(FUZZ_SMOKE_TIMEOUT)

# Every part runs even when one fails: one failure must not hide another.
check-unit: $(UNIT) $(CLI) $(MILTER)
	(cd tests && ../$(UNIT)); u=$$?; sh tests/golden/run.sh $(CLI); g=$$?; \
	sh tests/check-config.sh $(MILTER); c=$$?; \
	sh tests/texts-check.sh $(filter-out etc/texts/en.conf,$(wildcard etc/texts/*.conf)); t=$$?; \
	[ $$u -eq 0 ] && [ $$g -eq 0 ] && [ $$c -eq 0 ] && [ $$t -eq 0 ]

check-integration: $(CLI) $(MILTER)
	sh tests/integration/run.sh $(BUILD)

# The MTA matrix (tests/mta/run.sh says how): mta-sink is the SMTP
# server the MTAs relay to; it answers from tests/mta/replies.
MTA_SINK := $(BUILD)/mta-sink

$(MTA_SINK): $(BUILD)/tests/mta/sink.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

check-mta: $(CLI) $(MTA_SINK)
	sh tests/mta/run.sh $(BUILD)

golden-update: $(CLI)
	SX_GOLDEN_UPDATE=1 sh tests/golden/run.sh $(CLI)

# docs/reasons.md's phrase table, written again from the registry.
reasons-doc: $(CLI)
	{ sed '/^<!-- begin: smtp-explain registry --reasons -->$$/q' docs/reasons.md; \
	  $(CLI) registry --reasons; \
	  sed -n '/^<!-- end: smtp-explain registry --reasons -->$$/,$$p' docs/reasons.md; \
	} > docs/reasons.md.tmp && mv docs/reasons.md.tmp docs/reasons.md

asan:
	ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	    UBSAN_OPTIONS=print_stacktrace=1 $(MAKE) SANITIZE=1 check-unit

valgrind: $(UNIT)
	cd tests && valgrind --error-exitcode=99 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect ../$(UNIT)

# ---------------------------------------------------------------- fuzzing

FUZZ_SRC   := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN   := $(FUZZ_SRC:tests/fuzz/%.c=build-fuzz/%)
FUZZ_TIME  ?= 20
FUZZ_SMOKE ?= 10
# Seconds an input may take. The smoke run of make check allows more for
# now: on the current core its seeds (tests/fixtures/slow, the hostile
# classes at 4 KB) and their first mutations take 1 to 2 s under the
# sanitizers. Back to 1 once the core's scans are linear.
FUZZ_TIMEOUT ?= 1
FUZZ_SMOKE_TIMEOUT ?= 10
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer

build-fuzz/lib/%.o: src/core/%.c
	@mkdir -p $(dir $@)
	clang -Iinclude -Isrc/core -D_GNU_SOURCE $(CONFIG_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined -g -O1 -c -o $@ $<

build-fuzz/registry_data.o: $(BUILD)/gen/registry_data.c
	@mkdir -p $(dir $@)
	clang -c -o $@ $<

build-fuzz/default_config.o: $(BUILD)/gen/default_config.c
	@mkdir -p $(dir $@)
	clang -c -o $@ $<

build-fuzz/texts_data.o: $(BUILD)/gen/texts_data.c
	@mkdir -p $(dir $@)
	clang -c -o $@ $<

build-fuzz/registry_snapshot.o: $(BUILD)/gen/registry_snapshot.c
	@mkdir -p $(dir $@)
	clang -Iinclude -Isrc/core -D_GNU_SOURCE -c -o $@ $<

build-fuzz/%: tests/fuzz/%.c $(CORE_SRC:src/core/%.c=build-fuzz/lib/%.o) build-fuzz/registry_data.o build-fuzz/default_config.o build-fuzz/texts_data.o build-fuzz/registry_snapshot.o
	clang -Iinclude -Isrc/core -D_GNU_SOURCE $(FUZZ_FLAGS) -o $@ $^ $(CONFIG_LIBS)

fuzz-build: $(FUZZ_BIN)

fuzz: fuzz-build $(HOSTILE_GEN)
	HOSTILE_GEN=$(CURDIR)/$(HOSTILE_GEN) FUZZ_TIMEOUT=$(FUZZ_TIMEOUT) \
	    sh tests/fuzz/run.sh $(FUZZ_TIME) $(FUZZ_BIN)

# ---------------------------------------------------------------- bench

BENCH_HOSTILE := $(BUILD)/bench-hostile

$(BENCH_HOSTILE): $(BUILD)/bench/hostile.o $(HOSTILE_OBJ) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CONFIG_LIBS) $(LDLIBS)

# The end-to-end baselines (bench/e2e.sh): a milter that answers every
# step, and one that asks for the headers alone, unanswered (the floor).
BENCH_MILTERS := $(BUILD)/noop-milter $(BUILD)/floor-milter

$(BUILD)/noop-milter: bench/noop-milter.c
	$(CC) $(MILTER_CFLAGS) $(ALL_CFLAGS) -o $@ $< $(MILTER_LIBS)

$(BUILD)/floor-milter: bench/floor-milter.c
	$(CC) $(MILTER_CFLAGS) $(ALL_CFLAGS) -o $@ $< $(MILTER_LIBS)

bench: all $(BENCH_HOSTILE) $(BENCH_MILTERS)
	sh bench/run.sh $(BUILD)
	sh bench/mailbox.sh $(BUILD)
	sh bench/hostile.sh $(BUILD)

# The mailbox analyser alone: a corpus of real bounces when CORPUS names
# one (whole-process and in-process against Sisimai), and the peak memory
# on a large mbox (MBOX_MB, default 200) written into $(BUILD).
bench-mailbox: all
	sh bench/mailbox.sh $(BUILD)

# parse --format sisimai against Sisimai's own output (skipped when it is
# not installed); SISIMAI_DIR names other messages than the fixtures.
check-sisimai: $(CLI)
	sh tests/sisimai-compare.sh $(CLI) $(SISIMAI_DIR)

# The hostile inputs alone (bench/hostile.sh says what it reads).
bench-hostile: all $(BENCH_HOSTILE)
	sh bench/hostile.sh $(BUILD)

# ---------------------------------------------------------------- install

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) \
	    $(DESTDIR)$(SYSCONFDIR)/smtp-explain $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(DOCDIR)
	install -m 755 $(CLI) $(DESTDIR)$(BINDIR)/smtp-explain
	install -m 755 $(MILTER) $(DESTDIR)$(SBINDIR)/smtp-explain-milter
	t=$(DESTDIR)$(SYSCONFDIR)/smtp-explain/smtp-explain.conf; \
	    if [ -e $$t ]; then install -m 644 etc/smtp-explain.conf $$t.dist; \
	    else install -m 644 etc/smtp-explain.conf $$t; fi
	# The registry is compiled in; its source is a reference for overrides.
	install -d $(DESTDIR)$(DOCDIR)/texts
	install -m 644 etc/registry.conf $(DESTDIR)$(DOCDIR)/registry.conf
	install -m 644 etc/texts/*.conf $(DESTDIR)$(DOCDIR)/texts/
	for m in docs/man/*.[158]; do [ -e "$$m" ] || continue; \
	    s=$${m##*.}; install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/; done
	install -m 644 docs/*.md $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/smtp-explain $(DESTDIR)$(SBINDIR)/smtp-explain-milter

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	    --inline-suppr -Iinclude -Isrc/core -DSX_VERSION='"lint"' src
	clang-tidy --quiet --warnings-as-errors='*' \
	    --checks='clang-analyzer-*,bugprone-*,-clang-analyzer-valist.Uninitialized,-bugprone-sizeof-expression,-clang-analyzer-security.insecureAPI.DeprecatedOrUnsafeBufferHandling,-bugprone-easily-swappable-parameters,-bugprone-reserved-identifier,-bugprone-narrowing-conversions,-bugprone-macro-parentheses,-bugprone-assignment-in-if-condition,-bugprone-branch-clone,-bugprone-implicit-widening-of-multiplication-result,-bugprone-suspicious-string-compare' \
	    $(CORE_SRC) $(CLI_SRC) $(MILTER_SRC) -- $(ALL_CPPFLAGS) $(CONFIG_CFLAGS) $(MILTER_CFLAGS) -std=c11

deps:
	sh packaging/install-deps.sh

# ---------------------------------------------------------------- packaging

# The Debian package, built by dpkg-buildpackage in a copy of the tree
# that is removed afterwards, so no ./debian is ever left here. The
# .deb, .changes and .buildinfo land in PKG_OUT. The copy is built with
# Debian's flags, not with this make's variables (hence env -u MAKEFLAGS).
PKG_OUT ?= $(BUILD)/package

.PHONY: package package-test

package:
	-@sh packaging/install-deps.sh all
	@set -e; \
	tmp=$$(mktemp -d "$${TMPDIR:-/tmp}/smtp-explain-deb.XXXXXX"); \
	trap 'rm -rf "$$tmp"' EXIT; trap 'exit 1' INT TERM; \
	src="$$tmp/smtp-explain-$(VERSION)"; mkdir "$$src"; \
	tar -cf - --exclude=./.git --exclude=./debian --exclude='./build*' \
	    --exclude='./tests/fuzz/corpus-*' . | tar -xf - -C "$$src"; \
	cp -R packaging/debian "$$src/debian"; \
	( cd "$$src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    dpkg-buildpackage -us -uc -b -Jauto ); \
	mkdir -p "$(PKG_OUT)"; \
	cp "$$tmp"/*.deb "$$tmp"/*.changes "$$tmp"/*.buildinfo "$(PKG_OUT)/"; \
	ls -l "$(PKG_OUT)"/*.deb

# Builds the package, installs it here, runs the service against a
# private Postfix, sends a bounce, purges the package. Needs root.
package-test:
	sh packaging/package-test.sh

demo:
	sh packaging/install-deps.sh all
	$(MAKE) all
	sh tests/integration/demo.sh $(BUILD)

clean:
	rm -rf build build-asan build-fuzz

# (build/mta holds the MTAs' unpacked packages: their init.d, cron.d ...)
-include $(shell find $(BUILD) build-fuzz -path '$(BUILD)/mta' -prune -o -name '*.d' -type f -print 2>/dev/null)
