# chronon-c: Chronon's Thrift API as C types, and the tools built on them.
#
#   make            build everything (installs missing dependencies first)
#   make test       every test: plain, then ASan+UBSan, then valgrind
#   make check      the plain test run only (faster while developing)
#   make demo       build, then the toolchain end to end: the quickstart compiled,
#                   built and run on Chronon's engine in embedded local Spark
#   make chronon-jar  Chronon's engine jar into the jar cache (make demo/check do it)
#
# Data flow: thrift/*.thrift -> (thrift --gen json) -> build/thrift-cgen with
# templates/ -> generated/*.{h,c} -> runtime/ + generated/ -> build/chrononc.

CC       ?= cc
BUILD    ?= build
SANITIZE ?=
PYTHON   ?= python3

CFLAGS   = -std=c11 -Wall -Wextra -Werror -g -O2 -D_POSIX_C_SOURCE=200809L \
           -Iruntime -Igenerated -Icodegen/common -Icodegen/dsl
LDLIBS   = -ljansson -lm -pthread
ifeq ($(SANITIZE),1)
CFLAGS  += -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif
# ThreadSanitizer: for the compile's parse and write threads (check-tsan)
ifeq ($(SANITIZE),thread)
CFLAGS  += -O1 -fsanitize=thread -fno-omit-frame-pointer
LDFLAGS += -fsanitize=thread
endif

LLVM_DIR ?= $(firstword $(wildcard /usr/lib/llvm-*))

DEPS_STAMP := $(BUILD)/.deps-ok

RUNTIME_SRC  = runtime/tj_buf.c runtime/pyjson.c runtime/tjson_value.c \
               runtime/tjson_write.c runtime/tjson_read.c runtime/tjson_reflect.c
CGEN_SRC     = $(wildcard codegen/thriftgen/*.c)
CHRONONC_SRC = $(wildcard codegen/chrononc/*.c)
COMMON_SRC   = $(wildcard codegen/common/*.c)
TEMPLATES    = $(wildcard templates/*.tmpl)

GEN_CHRONON  = generated/chronon_api.h generated/chronon_api.c

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

.PHONY: all deps test check check-asan check-valgrind demo bench bench-engine clean
.DEFAULT_GOAL := all

all: $(BUILD)/chrononc

deps: $(DEPS_STAMP)
$(DEPS_STAMP): .ci/install-deps.sh
	@mkdir -p $(@D)
	bash .ci/install-deps.sh
	@touch $@

$(BUILD)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libtjson.a: $(call obj,$(RUNTIME_SRC))
	$(AR) rcs $@ $^

$(BUILD)/thrift-cgen: $(call obj,$(CGEN_SRC) $(COMMON_SRC))
	$(CC) $(LDFLAGS) $^ -o $@ $(LDLIBS)

# Generated C for Chronon's IDL is committed (readable, reviewable); it is
# remade whenever the IDL, the templates or the generator change, and
# tests/codegen/fresh.test.sh checks that the committed copy is what they make.
$(GEN_CHRONON) &: thrift/api.thrift $(TEMPLATES) $(BUILD)/thrift-cgen
	$(BUILD)/thrift-cgen --prefix chronon_ --templates templates --out generated \
	    --name chronon_api thrift/api.thrift

$(call obj,generated/chronon_api.c $(CHRONONC_SRC)): $(GEN_CHRONON)

# ---- dsl: the definition-file parser (owner: codegen/dsl parser) ---- BEGIN dsl
# lexer.l and parser.y are turned into C under $(BUILD)/gen/dsl; DSL_OBJS is
# everything a program that parses definition files links.
DSL_GEN  = $(BUILD)/gen/dsl
DSL_OBJS = $(call obj,codegen/dsl/arena.c codegen/dsl/diag.c codegen/dsl/ast.c) \
           $(BUILD)/obj/gen/dsl/lexer.o $(BUILD)/obj/gen/dsl/parser.o $(BUILD)/obj/gen/dsl/parser_fast.o

$(DSL_GEN)/parser.c $(DSL_GEN)/parser.h &: codegen/dsl/parser.y | $(DEPS_STAMP)
	@mkdir -p $(DSL_GEN)
	bison -Wall -Werror -d -o $(DSL_GEN)/parser.c $<

# The same grammar without lookahead correction, tried first (see parse.lac
# in parser.y); its one external function is renamed dsl_yyparse_fast.
$(DSL_GEN)/parser_fast.c: codegen/dsl/parser.y | $(DEPS_STAMP)
	@mkdir -p $(DSL_GEN)
	bison -Wall -Werror -Fparse.lac=none -o $@ $<
$(BUILD)/obj/gen/dsl/parser_fast.o: $(DSL_GEN)/parser_fast.c $(DSL_GEN)/parser.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -DDSL_PARSE_FAST -Ddsl_yyparse=dsl_yyparse_fast -Icodegen/dsl -I$(DSL_GEN) -MMD -MP -c $< -o $@

$(DSL_GEN)/lexer.c: codegen/dsl/lexer.l | $(DEPS_STAMP)
	@mkdir -p $(DSL_GEN)
	flex -o $@ $<

$(BUILD)/obj/gen/dsl/%.o: $(DSL_GEN)/%.c $(DSL_GEN)/parser.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Icodegen/dsl -I$(DSL_GEN) -MMD -MP -c $< -o $@

$(BUILD)/tests/dsl_parse_dump: tests/dsl/parse_dump.c $(DSL_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Icodegen/dsl $(LDFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/tests/test_dsl_diag: tests/unit/test_dsl_diag.c $(DSL_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Icodegen/dsl $(LDFLAGS) $^ -o $@ $(LDLIBS)

check: $(BUILD)/tests/dsl_parse_dump
# ---- END dsl -----------------------------------------------------------------

# The evaluator and Chronon's API in C: every other file of codegen/dsl.
DSL_EVAL_SRC = $(filter-out codegen/dsl/arena.c codegen/dsl/diag.c codegen/dsl/ast.c,$(wildcard codegen/dsl/*.c))
$(call obj,$(DSL_EVAL_SRC)): $(GEN_CHRONON)

$(BUILD)/chrononc: $(call obj,$(CHRONONC_SRC) $(COMMON_SRC) $(DSL_EVAL_SRC) generated/chronon_api.c) \
                   $(DSL_OBJS) $(BUILD)/libtjson.a
	$(CC) $(LDFLAGS) $^ -o $@ $(LDLIBS)

# ---- BEGIN exe: one executable per config (owner: chrononc build, runtime/exe) --
# `chrononc build` renders templates/config_main.c.tmpl per <kind>/<team> folder
# of compiled configs and links it with the system cc against the exe kit,
# installed next to chrononc (runtime/exe/README.md says how it finds it):
#   $(BUILD)/exe-kit/include/chronon_exe.h      the one header a stub includes
#   $(BUILD)/exe-kit/lib/libchronon_exe.so.1    runtime/exe + generated/chronon_api + tjson
#                                               + runtime/jvm, PIC, soname libchronon_exe.so.1:
#                                               what the default (shared) layout links
#   $(BUILD)/exe-kit/lib/libchronon_exe.a       runtime/exe + generated/chronon_api  } --static
#   $(BUILD)/exe-kit/lib/libchronon_runtime.a   runtime/jvm (built by its own block) } links
#   $(BUILD)/exe-kit/lib/libtjson.a             the tjson runtime                    } these
#   $(BUILD)/exe-kit/config_main.c.tmpl         the stub template
#   $(BUILD)/exe-kit/build.conf                 cc, cflags, ldlibs for the stubs
#
#   make configs ROOT=DIR [OUT=DIR] [JOBS=N]    build every compiled config of a repo
#   make bench-build                            chrononc build at 100, 1,000, 10,000 configs
EXE_SRC     = $(wildcard runtime/exe/*.c)
EXE_KIT     = $(BUILD)/exe-kit
CRT_LIB    ?= $(BUILD)/libchronon_runtime.a
EXE_CFLAGS  = -std=c11 -Wall -Wextra -Werror -g -O1 \
              $(if $(filter 1,$(SANITIZE)),-fsanitize=address$(comma)undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
EXE_LDLIBS  = $(LDFLAGS) -ljansson -ldl -lpthread -lm
# The shared layout's programs: no page-aligned gap between their code and data
# segments (8 KB less each; they are mostly data).
EXE_SHARED_LDLIBS = $(LDFLAGS) -Wl,-z,noseparate-code
comma      := ,
EXE_KIT_FILES = $(EXE_KIT)/include/chronon_exe.h $(EXE_KIT)/lib/libchronon_exe.a \
                $(EXE_KIT)/lib/libchronon_runtime.a $(EXE_KIT)/lib/libtjson.a \
                $(EXE_KIT)/lib/libchronon_exe.so.1 \
                $(EXE_KIT)/config_main.c.tmpl $(EXE_KIT)/build.conf
# The shared runtime: every object a stub needs, compiled position-independent
# (in obj-pic-exe, apart from the install block's PIC objects of the same
# sources; runtime/jvm's PIC objects come from its own block's rule).
EXE_SO_SRC  = $(EXE_SRC) generated/chronon_api.c $(RUNTIME_SRC)
EXE_SO_PIC  = $(patsubst %.c,$(BUILD)/obj-pic-exe/%.o,$(EXE_SO_SRC))
EXE_SO_OBJS = $(EXE_SO_PIC) $(patsubst %.c,$(BUILD)/obj-pic/%.o,$(wildcard runtime/jvm/*.c))

.PHONY: exe-kit configs exe-build-conf bench-build
exe-kit: $(EXE_KIT_FILES)
all: exe-kit
check: exe-kit

$(call obj,$(EXE_SRC)): CFLAGS += -Iruntime/jvm -Iruntime/exe
$(call obj,$(EXE_SRC)): $(GEN_CHRONON)

$(EXE_SO_PIC): $(BUILD)/obj-pic-exe/%.o: %.c $(GEN_CHRONON) | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Iruntime/jvm -Iruntime/exe -fPIC -MMD -MP -c $< -o $@

$(BUILD)/libchronon_exe.a: $(call obj,$(EXE_SRC) generated/chronon_api.c)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/libchronon_exe.so.1: $(EXE_SO_OBJS) runtime/exe/libchronon_exe.map
	$(CC) $(LDFLAGS) -shared -Wl,-soname,libchronon_exe.so.1 \
	    -Wl,--version-script=runtime/exe/libchronon_exe.map $(EXE_SO_OBJS) -o $@ -ljansson -ldl -lpthread -lm

$(EXE_KIT)/include/chronon_exe.h: runtime/exe/chronon_exe.h
	@mkdir -p $(@D)
	cp $< $@.tmp && mv $@.tmp $@
$(EXE_KIT)/config_main.c.tmpl: templates/config_main.c.tmpl
	@mkdir -p $(@D)
	cp $< $@.tmp && mv $@.tmp $@
$(EXE_KIT)/lib/libchronon_exe.a: $(BUILD)/libchronon_exe.a
	@mkdir -p $(@D)
	cp $< $@.tmp && mv $@.tmp $@
$(EXE_KIT)/lib/libchronon_exe.so.1: $(BUILD)/libchronon_exe.so.1
	@mkdir -p $(@D)
	cp $< $@.tmp && mv $@.tmp $@
$(EXE_KIT)/lib/libtjson.a: $(BUILD)/libtjson.a
	@mkdir -p $(@D)
	cp $< $@.tmp && mv $@.tmp $@
$(EXE_KIT)/lib/libchronon_runtime.a: $(CRT_LIB)
	@mkdir -p $(@D)
	cp $< $@.tmp && mv $@.tmp $@
# Rewritten only when the flags change, so a flag change rebuilds the executables.
$(EXE_KIT)/build.conf: exe-build-conf
	@mkdir -p $(@D)
	@printf 'cc=%s\ncflags=%s\nldlibs=%s\nshared_ldlibs=%s\n' '$(CC)' '$(EXE_CFLAGS)' '$(EXE_LDLIBS)' '$(EXE_SHARED_LDLIBS)' >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

configs: $(BUILD)/chrononc exe-kit
	@test -n "$(ROOT)" || { echo "usage: make configs ROOT=DIR [OUT=DIR] [JOBS=N]" >&2; exit 2; }
	$(BUILD)/chrononc build --chronon_root $(ROOT) $(if $(OUT),--out $(OUT)) $(if $(JOBS),-j $(JOBS))

# chrononc build on generated repos of 100, 1,000 and 10,000 configs: wall,
# CPU, bytes on disk, the incremental cases (bench/README.md, "chrononc build").
bench-build: $(BUILD)/chrononc exe-kit
	CHRONONC=$(abspath $(BUILD)/chrononc) $(PYTHON) bench/build.py $(BENCH_BUILD_ARGS)

-include $(EXE_SO_PIC:.o=.d)
# ---- END exe -------------------------------------------------------------------

# ---- BEGIN runtime/jvm (owner: runtime/jvm) -----------------------------------
# chronon_runtime: Spark SQL and Chronon's PySparkUtils from C through one
# embedded JVM (runtime/jvm/chronon_runtime.h). libjvm is dlopen'd at run time,
# so building needs only jni.h, from JNI_HOME (default: $JAVA_HOME, else the JDK
# `javac` belongs to, else the first JDK under /usr/lib/jvm).
JVM_RT_SRC  = $(wildcard runtime/jvm/*.c)
JVM_RT_OBJS = $(call obj,$(JVM_RT_SRC))
JVM_RT_PIC  = $(patsubst %.c,$(BUILD)/obj-pic/%.o,$(JVM_RT_SRC))
JNI_HOME   ?= $(shell for h in "$$JAVA_HOME" "$$(dirname "$$(dirname "$$(readlink -f "$$(command -v javac)")")")" \
                  /usr/lib/jvm/*; do [ -f "$$h/include/jni.h" ] && { echo "$$h"; break; }; done 2>/dev/null)
JNI_CFLAGS  = -I$(JNI_HOME)/include -I$(JNI_HOME)/include/linux -Iruntime/jvm
JNI_CHECK   = @test -f "$(JNI_HOME)/include/jni.h" || { echo "runtime/jvm: jni.h not found (JNI_HOME='$(JNI_HOME)'): install a JDK or set JNI_HOME" >&2; exit 1; }

$(JVM_RT_OBJS): $(BUILD)/obj/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(JNI_CHECK)
	$(CC) $(CFLAGS) $(JNI_CFLAGS) -MMD -MP -c $< -o $@

$(JVM_RT_PIC): $(BUILD)/obj-pic/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(JNI_CHECK)
	$(CC) $(CFLAGS) $(JNI_CFLAGS) -fPIC -MMD -MP -c $< -o $@

$(BUILD)/libchronon_runtime.a: $(JVM_RT_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

# The shared library carries a versioned soname (make install puts it in lib/ beside
# the libchronon_runtime.so link that -lchronon_runtime finds); bump
# CRT_SOVERSION when chronon_runtime.h changes incompatibly.
CRT_SOVERSION = 1
$(BUILD)/libchronon_runtime.so.$(CRT_SOVERSION): $(JVM_RT_PIC) runtime/jvm/libchronon_runtime.map
	$(CC) $(LDFLAGS) -shared -Wl,-soname,$(@F) \
	    -Wl,--version-script=runtime/jvm/libchronon_runtime.map $(JVM_RT_PIC) -o $@.tmp -ldl -lpthread
	mv -f $@.tmp $@
$(BUILD)/libchronon_runtime.so: $(BUILD)/libchronon_runtime.so.$(CRT_SOVERSION)
	ln -sfn $(<F) $@

# chrononc sql links the archive (after chrononc's objects, so cmd_sql.o finds it).
$(BUILD)/chrononc: $(BUILD)/libchronon_runtime.a
$(BUILD)/chrononc: LDLIBS += -ldl -lpthread

all: $(BUILD)/libchronon_runtime.a $(BUILD)/libchronon_runtime.so
# tests/jvm/table.test.sh links a program against the shared library.
check: $(BUILD)/libchronon_runtime.so

-include $(JVM_RT_PIC:.o=.d)
# Chronon's Spark engine jar into chronon-c's jar cache (~/.cache/chronon-c/jars),
# where the executables find it with no variable set: Maven Central first, else
# ../shared/chronon-jars after checking its SHA256SUMS (runtime/jvm/fetch_chronon_jar.sh).
.PHONY: chronon-jar
chronon-jar:
	@bash runtime/jvm/fetch_chronon_jar.sh
# The engine tests run configs on it.
check: chronon-jar
# ---- END runtime/jvm ------------------------------------------------------------

# ---- BEGIN install (owner: make install) ---------------------------------------
# make install PREFIX=/usr/local DESTDIR=   and   make uninstall (same variables).
#   bin/chrononc
#   lib/chronon-c/exe-kit/             the exe kit as $(BUILD)/exe-kit; an installed chrononc
#                                      finds it at <its dir>/../lib/chronon-c/exe-kit
#   include/chronon-c/                 chronon_api.h, tjson.h, chronon_runtime.h, chronon_exe.h
#   lib/libchronon_api.{a,so.N}        generated/chronon_api.c + the tjson runtime
#   lib/libchronon_runtime.{a,so.N}    runtime/jvm
#   lib/pkgconfig/chronon-c.pc, chronon-c-runtime.pc
#   share/man/man1/chrononc*.1, share/doc/chronon-c/, bash and zsh completion
# The kit's place follows BINDIR, not LIBDIR: chrononc looks for it at
# <its folder>/../lib/chronon-c/exe-kit; overriding LIBDIR moves only the
# libraries and .pc files.
# tests/install/install.test.sh installs into a temporary tree and uses it.
PREFIX      ?= /usr/local
DESTDIR     ?=
BINDIR      ?= $(PREFIX)/bin
LIBDIR      ?= $(PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
DATAROOTDIR ?= $(PREFIX)/share
MANDIR      ?= $(DATAROOTDIR)/man
DOCDIR      ?= $(DATAROOTDIR)/doc/chronon-c
BASHCOMPDIR ?= $(DATAROOTDIR)/bash-completion/completions
ZSHCOMPDIR  ?= $(DATAROOTDIR)/zsh/site-functions
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
KITDIR       = $(dir $(BINDIR:%/=%))lib/chronon-c/exe-kit
# The .pc files' Version: chrononc's own (runtime/chronon_c_version.h, what --version prints).
INSTALL_VERSION ?= $(or $(shell sed -n 's/^\#define CHRONON_C_VERSION "\(.*\)"$$/\1/p' runtime/chronon_c_version.h 2>/dev/null),0.1.0)
# Bump when a generated struct's layout or a tjson.h signature changes.
API_SOVERSION = 1

INSTALL      ?= install
API_SRC       = generated/chronon_api.c $(RUNTIME_SRC)
API_PIC       = $(patsubst %.c,$(BUILD)/obj-pic/%.o,$(API_SRC))
API_SO        = $(BUILD)/libchronon_api.so.$(API_SOVERSION)
CRT_SO        = $(BUILD)/libchronon_runtime.so.$(CRT_SOVERSION)
INSTALL_HEADERS = generated/chronon_api.h runtime/tjson.h runtime/jvm/chronon_runtime.h \
                  runtime/exe/chronon_exe.h
MAN_PAGES     = $(wildcard docs/man/*.1)
# README.md's links (docs/..., runtime/exe/README.md, examples/...) keep working
# from share/doc/chronon-c, where the files sit at the same relative paths.
# The quickstart's sources only, not what a walk through it leaves there.
QUICKSTART_SRC = $(shell find examples/quickstart \( -name production -o -name build -o -name __pycache__ \
                   -o -name chronon_warehouse \) -prune -o -type f ! -name '*.pyc' -print 2>/dev/null)
DOC_FILES     = README.md $(wildcard docs/*.md docs/internals/*.md) runtime/exe/README.md \
                $(wildcard examples/c-api/*.c) $(QUICKSTART_SRC)
INST_D        = $(DESTDIR)

.PHONY: install uninstall install-libs
install-libs: $(BUILD)/libchronon_api.a $(API_SO) $(BUILD)/libchronon_api.so \
              $(BUILD)/libchronon_runtime.a $(CRT_SO) $(BUILD)/libchronon_runtime.so
all: install-libs

# The exe block compiles the same PIC objects for the kit's shared runtime when
# it has a rule for them (EXE_SO_PIC); this rule makes the rest, so one recipe
# per object either way.
$(filter-out $(EXE_SO_PIC),$(API_PIC)): $(BUILD)/obj-pic/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -fPIC -MMD -MP -c $< -o $@
$(BUILD)/obj-pic/generated/chronon_api.o: $(GEN_CHRONON)

$(BUILD)/libchronon_api.a: $(call obj,$(API_SRC))
	rm -f $@
	$(AR) rcs $@ $^

$(API_SO): $(API_PIC) runtime/libchronon_api.map
	$(CC) $(LDFLAGS) -shared -Wl,-soname,$(@F) -Wl,--version-script=runtime/libchronon_api.map \
	    $(API_PIC) -o $@.tmp -ljansson -lm
	mv -f $@.tmp $@
$(BUILD)/libchronon_api.so: $(API_SO)
	ln -sfn $(<F) $@

# The .pc files name the prefix they are installed under; libdir and includedir
# stay ${prefix}-relative when under it, so pkg-config --define-prefix can move them.
pc_path = $(patsubst $(PREFIX)/%,$${prefix}/%,$(1))
define install_pc
	sed -e 's|@prefix@|$(PREFIX)|g' -e 's|@libdir@|$(call pc_path,$(LIBDIR))|g' \
	    -e 's|@includedir@|$(call pc_path,$(INCLUDEDIR))|g' -e 's|@version@|$(INSTALL_VERSION)|g' \
	    templates/$(1).pc.in >$(INST_D)$(PKGCONFIGDIR)/$(1).pc.tmp
	mv -f $(INST_D)$(PKGCONFIGDIR)/$(1).pc.tmp $(INST_D)$(PKGCONFIGDIR)/$(1).pc
endef

install: all
	$(INSTALL) -d $(INST_D)$(BINDIR) $(INST_D)$(LIBDIR) $(INST_D)$(PKGCONFIGDIR) $(INST_D)$(INCLUDEDIR)/chronon-c \
	    $(INST_D)$(MANDIR)/man1 $(INST_D)$(DOCDIR) $(INST_D)$(BASHCOMPDIR) $(INST_D)$(ZSHCOMPDIR) $(INST_D)$(dir $(KITDIR))
	$(INSTALL) -m 755 $(BUILD)/chrononc $(INST_D)$(BINDIR)/chrononc
	rm -rf $(INST_D)$(KITDIR).new
	cp -R $(EXE_KIT) $(INST_D)$(KITDIR).new
	rm -rf $(INST_D)$(KITDIR)
	mv $(INST_D)$(KITDIR).new $(INST_D)$(KITDIR)
	$(INSTALL) -m 644 $(INSTALL_HEADERS) $(INST_D)$(INCLUDEDIR)/chronon-c/
	$(INSTALL) -m 644 $(BUILD)/libchronon_api.a $(BUILD)/libchronon_runtime.a $(INST_D)$(LIBDIR)/
	$(INSTALL) -m 755 $(API_SO) $(CRT_SO) $(INST_D)$(LIBDIR)/
	ln -sfn $(notdir $(API_SO)) $(INST_D)$(LIBDIR)/libchronon_api.so
	ln -sfn $(notdir $(CRT_SO)) $(INST_D)$(LIBDIR)/libchronon_runtime.so
	$(call install_pc,chronon-c)
	$(call install_pc,chronon-c-runtime)
	$(INSTALL) -m 644 $(MAN_PAGES) $(INST_D)$(MANDIR)/man1/
	rm -rf $(INST_D)$(DOCDIR)
	for f in $(DOC_FILES); do $(INSTALL) -D -m 644 "$$f" "$(INST_D)$(DOCDIR)/$$f" || exit 1; done
	$(INSTALL) -m 644 codegen/chrononc/completion/chrononc.bash $(INST_D)$(BASHCOMPDIR)/chrononc
	$(INSTALL) -m 644 codegen/chrononc/completion/_chrononc $(INST_D)$(ZSHCOMPDIR)/_chrononc

# Removes what install wrote: the named files, and the folders that are
# chronon-c's alone (the kit, include/chronon-c, the doc folder). Shared
# folders (bin, lib, share/man/man1, ...) stay, as other packages use them.
uninstall:
	rm -f $(INST_D)$(BINDIR)/chrononc
	rm -rf $(INST_D)$(KITDIR) $(INST_D)$(KITDIR).new
	rmdir $(INST_D)$(dir $(KITDIR)) 2>/dev/null || true
	rm -f $(addprefix $(INST_D)$(INCLUDEDIR)/chronon-c/,$(notdir $(INSTALL_HEADERS)))
	rmdir $(INST_D)$(INCLUDEDIR)/chronon-c 2>/dev/null || true
	rm -f $(addprefix $(INST_D)$(LIBDIR)/,libchronon_api.a libchronon_api.so $(notdir $(API_SO)) \
	    libchronon_runtime.a libchronon_runtime.so $(notdir $(CRT_SO)))
	rm -f $(INST_D)$(PKGCONFIGDIR)/chronon-c.pc $(INST_D)$(PKGCONFIGDIR)/chronon-c-runtime.pc
	rm -f $(addprefix $(INST_D)$(MANDIR)/man1/,$(notdir $(MAN_PAGES)))
	rm -rf $(INST_D)$(DOCDIR)
	rm -f $(INST_D)$(BASHCOMPDIR)/chrononc $(INST_D)$(ZSHCOMPDIR)/_chrononc

# tests/install/install.test.sh installs with the freshly built tree.
check: install-libs

-include $(API_PIC:.o=.d)
# ---- END install ---------------------------------------------------------------

# ---- tests -------------------------------------------------------------------

UNIT_SRC   = $(wildcard tests/unit/test_*.c)
UNIT_BINS  = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
TEST_LIB   = $(call obj,generated/chronon_api.c $(COMMON_SRC)) $(BUILD)/libtjson.a

$(BUILD)/tests/%: tests/unit/%.c $(TEST_LIB) $(GEN_CHRONON)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) $< $(TEST_LIB) -o $@ $(LDLIBS)

# Test programs under tests/<area>/ that need more than the runtime.
$(BUILD)/tests/clang_check: tests/clang/clang_check.c $(call obj,$(COMMON_SRC))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I$(LLVM_DIR)/include $(LDFLAGS) $^ -o $@ -L$(LLVM_DIR)/lib \
	    -Wl,-rpath,$(LLVM_DIR)/lib -lclang $(LDLIBS)

$(BUILD)/tests/difftest: tests/diff/difftest.c $(TEST_LIB) $(GEN_CHRONON)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) $< $(TEST_LIB) -o $@ $(LDLIBS)

TEST_PROGS = $(UNIT_BINS) $(BUILD)/chrononc $(BUILD)/thrift-cgen $(BUILD)/tests/difftest \
             $(BUILD)/tests/clang_check

# RUNNER prefixes every C program a test runs (valgrind for check-valgrind).
check: $(TEST_PROGS)
	BUILD=$(BUILD) RUNNER="$(RUNNER)" CC="$(CC)" CFLAGS="$(CFLAGS)" LDFLAGS="$(LDFLAGS)" \
	    PYTHON=$(PYTHON) bash tests/run.sh $(TESTS)

check-asan:
	$(MAKE) check BUILD=build-asan SANITIZE=1

# The compile's parse and write threads under ThreadSanitizer (a report fails the run).
check-tsan:
	TSAN_OPTIONS="halt_on_error=1 $(TSAN_OPTIONS)" $(MAKE) check BUILD=build-tsan SANITIZE=thread TESTS="conformance"

VALGRIND = valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible
check-valgrind:
	$(MAKE) check BUILD=build-valgrind RUNNER="$(VALGRIND)" TESTS="$(VALGRIND_TESTS)"

# Valgrind is slow; it runs every test except the big random sweeps at full size.
VALGRIND_TESTS ?=

test: check check-asan check-tsan check-valgrind

demo: $(BUILD)/chrononc exe-kit chronon-jar
	bash examples/demo.sh $(BUILD)

# chrononc compile vs compile.py on generated repos of 100, 1,000 and 10,000
# configs: speed ratio and peak memory (bench/README.md).
bench: $(BUILD)/chrononc
	CHRONONC=$(abspath $(BUILD)/chrononc) bash bench/run.sh

# Our executables vs chronon-ai's PySpark interface on the same configs and
# data, wall time, start-up, job and peak RSS (bench/README.md, "The engine").
bench-engine: $(BUILD)/chrononc exe-kit chronon-jar
	CHRONONC=$(abspath $(BUILD)/chrononc) $(PYTHON) bench/engine.py $(BENCH_ENGINE_ARGS)

clean:
	rm -rf build build-asan build-valgrind

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# ---- BEGIN fuzz: libFuzzer harnesses of every reader (owner: tests/fuzz) --------
# tests/fuzz/fuzz_<name>.c, one per reader: dsl (lexer+parser), eval (a
# definition file compiled end to end), json (GroupBy/Join/StagingQuery read,
# written, read again), template (the renderer), thriftgen (thrift-cgen's model).
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="dsl json"]   each for FUZZ_SECONDS,
#        one after the other, corpus kept in build-fuzz/corpus/<name>, crashes in
#        build-fuzz/artifacts/<name>/ (docs/testing.md)
#   make fuzz-ci    each for FUZZ_CI_SECONDS (the sanitizer pass runs it)
# The fuzzers are built by clang with -fsanitize=fuzzer,address,undefined in
# build-fuzz/; every build also links each harness with tests/fuzz/replay_main.c
# ($(BUILD)/fuzz-replay/fuzz_<name> FILE|DIR...), which tests/fuzz/regressions.test.sh
# runs on the committed seeds and the minimized inputs of every bug found.
FUZZ_TARGETS    ?= dsl eval json template thriftgen
FUZZ_SECONDS    ?= 60
FUZZ_CI_SECONDS ?= 6
FUZZ_BUILD      ?= build-fuzz
FUZZ_CC         ?= clang
FUZZ_ALL        = dsl eval json template thriftgen
FUZZ_LIB_SRC    = $(RUNTIME_SRC) $(COMMON_SRC) generated/chronon_api.c codegen/thriftgen/model.c $(DSL_EVAL_SRC) \
                  $(filter-out codegen/chrononc/main.c codegen/chrononc/cmd_sql.c codegen/chrononc/cmd_build.c \
                      codegen/chrononc/cmd_import.c,$(CHRONONC_SRC))
FUZZ_FLAGS      = -Itests/fuzz -Icodegen/chrononc -Icodegen/thriftgen -DFUZZ_SOURCE_DIR='"$(abspath .)"'
FUZZ_REPLAY_BINS = $(patsubst %,$(BUILD)/fuzz-replay/fuzz_%,$(FUZZ_ALL))

ifeq ($(SANITIZE),fuzz)
CFLAGS  += -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
endif

$(call obj,$(patsubst %,tests/fuzz/fuzz_%.c,$(FUZZ_ALL)) tests/fuzz/replay_main.c): CFLAGS += $(FUZZ_FLAGS)
$(call obj,$(patsubst %,tests/fuzz/fuzz_%.c,$(FUZZ_ALL))): $(GEN_CHRONON)

$(BUILD)/libfuzzlib.a: $(call obj,$(FUZZ_LIB_SRC)) $(DSL_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/fuzz-replay/fuzz_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(BUILD)/obj/tests/fuzz/replay_main.o $(BUILD)/libfuzzlib.a
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/fuzz/fuzz_%: $(BUILD)/obj/tests/fuzz/fuzz_%.o $(BUILD)/libfuzzlib.a
	@mkdir -p $(@D)
	$(CC) -fsanitize=fuzzer $(LDFLAGS) $^ -o $@ $(LDLIBS)

check: $(FUZZ_REPLAY_BINS)

.PHONY: fuzz fuzz-ci fuzz-bins
fuzz-bins: $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_ALL))
fuzz:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) SANITIZE=fuzz fuzz-bins
	CHRONONC_CHECK_COPY_OUT=1 FUZZ_BUILD=$(FUZZ_BUILD) bash tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)
fuzz-ci:
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) SANITIZE=fuzz fuzz-bins
	CHRONONC_CHECK_COPY_OUT=1 FUZZ_BUILD=$(FUZZ_BUILD) FUZZ_FRESH=1 bash tests/fuzz/run.sh $(FUZZ_CI_SECONDS) $(FUZZ_ALL)
# The whole sanitizer pass (make check-asan, as make test runs it) fuzzes briefly.
ifeq ($(TESTS),)
check-asan: fuzz-ci
endif
# ---- END fuzz -------------------------------------------------------------------
