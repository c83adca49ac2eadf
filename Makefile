# Roadshow — `make run` serves on http://127.0.0.1:8080; `make test` runs every test.
# Both install what is missing first (Debian packages; needs root or sudo).

SWIFT    ?= swift
PORT     ?= 8080
HOST     ?= 127.0.0.1
DB       ?= ./data/roadshow.sqlite
BIN      := .build/debug/roadshow
PYTHON   := /usr/bin/python3
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# What the build needs, and what only the browser tests need.
# zlib1g-dev: ZIPFoundation (the .docx writer) links zlib.
# libwebsockets-evlib-ev: lws's libev event-loop plugin, loaded at run time by `serve`
# (its default loop; needs libev4); libev-dev: the server makes the libev loop itself.
# (Debian's libwebsockets-dev depends on both; they are named for what uses them.)
BUILD_PACKAGES := libwebsockets-dev libwebsockets-evlib-ev libev-dev libsqlite3-dev pkg-config zlib1g-dev
TEST_PACKAGES  := chromium chromium-driver python3-selenium python3-icalendar fonts-wqy-microhei poppler-utils openssl curl \
                  libreoffice-writer-nogui python3-docx

.PHONY: run test build deps test-deps swift-test tsan-test fuzz-test fuzz-build fuzz fuzz-inprocess-test autobahn-deps autobahn-test autobahn vobject-deps browser-test docx-test bench soak clean help

help:
	@echo "make run    install what is missing, build, serve on http://$(HOST):$(PORT)"
	@echo "make test   install what is missing, build, run every test"
	@echo "make fuzz   the in-process fuzzer for FUZZ_TIME seconds (default 300; docs/reliability.md, point 8)"

# Installs the Debian packages that are not there yet (apt-get update only when needed).
define ensure_packages
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	fi
endef

deps:
	$(call ensure_packages,$(BUILD_PACKAGES))

test-deps: deps
	$(call ensure_packages,$(TEST_PACKAGES))

build: deps
	$(SWIFT) build --product roadshow

run: build
	ROADSHOW_PORT=$(PORT) ROADSHOW_DB=$(DB) $(BIN) serve --host $(HOST) --web ./web

swift-test: deps vobject-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	# The flood test measures round trips: alone, after the others (FloodLivenessTests).
	ROADSHOW_FLOOD_TEST=1 $(SWIFT) test --skip-build --filter FloodLivenessTests

# The engine and integration tests again under ThreadSanitizer (own build folder);
# any data race report fails the run (TSAN_OPTIONS halt_on_error=1).
TSAN_BUILD := .build-tsan
tsan-test: deps
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path $(TSAN_BUILD)
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" $(SWIFT) test --skip-build --sanitize=thread \
		--scratch-path $(TSAN_BUILD) --filter 'RoadshowEngineTests|RoadshowIntegrationTests'

# Mutated requests for every op through a real server; then SIGKILL and replay (Tests/fuzz).
fuzz-test: build
	ROADSHOW_BIN=$(BIN) $(PYTHON) Tests/fuzz/fuzz_protocol.py $(or $(FUZZ_SEED),1) $(or $(FUZZ_REQUESTS),2000)

# The Autobahn WebSocket conformance cases against `serve --autobahn-echo` (docs/reliability.md
# point 9), driven by kosoku (PyPI) from a venv of Debian's python in .venv-autobahn/.
# autobahn-test (in make test): cases 1-7 and 10, a few seconds; autobahn: all 517 cases.
AUTOBAHN_VENV := .venv-autobahn
AUTOBAHN_PY   := $(AUTOBAHN_VENV)/bin/python
KOSOKU        := kosoku==0.1.0
autobahn-deps:
	$(call ensure_packages,python3-venv)
	@$(AUTOBAHN_PY) -c 'import kosoku' 2>/dev/null || { \
		echo "Installing $(KOSOKU) into $(AUTOBAHN_VENV)/"; \
		$(PYTHON) -m venv $(AUTOBAHN_VENV) && $(AUTOBAHN_VENV)/bin/pip install -q --disable-pip-version-check $(KOSOKU); }

# The vCard parser the contact-sheet tests read .vcf files back with (PyPI vobject, issue 12),
# in a venv of Debian's python in .venv-vobject/ (Tests/cli/read_vcf.py; ContactsFlowTests).
VOBJECT_VENV := .venv-vobject
VOBJECT      := vobject==0.9.9
vobject-deps:
	$(call ensure_packages,python3-venv)
	@$(VOBJECT_VENV)/bin/python -c 'import vobject' 2>/dev/null || { \
		echo "Installing $(VOBJECT) into $(VOBJECT_VENV)/"; \
		$(PYTHON) -m venv $(VOBJECT_VENV) && $(VOBJECT_VENV)/bin/pip install -q --disable-pip-version-check $(VOBJECT); }

autobahn-test: autobahn-deps build
	ROADSHOW_BIN=$(BIN) $(AUTOBAHN_PY) Tests/autobahn/run_autobahn.py

autobahn: autobahn-deps build
	ROADSHOW_BIN=$(BIN) AUTOBAHN_CASES=all $(AUTOBAHN_PY) Tests/autobahn/run_autobahn.py

# The in-process fuzzer (Sources/RoadshowFuzz; docs/reliability.md, point 8): libFuzzer with
# AddressSanitizer over message → decoder → op table → permissions → decide → commit into an
# in-memory SQLite store, checking every reply and, after each input, the served state against
# a replay of the stored log. A release build (the debug one is ~10x slower) in its own folder.
FUZZ_BUILD     := .build-fuzz
FUZZ_BIN       := $(FUZZ_BUILD)/release/roadshow-fuzz
FUZZ_CORPUS    := Tests/fuzz/corpus
FUZZ_DICT      := Tests/fuzz/roadshow.dict
FUZZ_TIME      ?= 300
FUZZ_TEST_TIME ?= 60
FUZZ_WORK      ?= $(FUZZ_BUILD)/corpus
# Swift's own crash backtracer off: libFuzzer reports the crash and keeps the input.
FUZZ_RUN       := SWIFT_BACKTRACE=enable=no $(FUZZ_BIN) -dict=$(FUZZ_DICT) -timeout=30 -print_final_stats=1 \
                  -artifact_prefix=$(FUZZ_BUILD)/findings/
fuzz-build: deps
	$(SWIFT) build -c release --product roadshow-fuzz --scratch-path $(FUZZ_BUILD) \
		-Xswiftc -sanitize=fuzzer,address -Xswiftc -DROADSHOW_FUZZING

# Fuzzes for FUZZ_TIME seconds, starting from a copy of the committed corpus in FUZZ_WORK, which
# keeps what it finds between runs (the committed corpus grows only by copying from it on purpose).
# A finding stops the run: the input is in $(FUZZ_BUILD)/findings/; `$(FUZZ_BIN) FILE` runs it
# again (ROADSHOW_FUZZ_VERBOSE=1 prints every message and reply). Leak checks off: they cost more
# than half the time here; fuzz-inprocess-test runs the corpus with them.
fuzz: fuzz-build
	mkdir -p $(FUZZ_WORK) $(FUZZ_BUILD)/findings
	for f in $(FUZZ_CORPUS)/*; do [ -e $(FUZZ_WORK)/$${f##*/} ] || cp $$f $(FUZZ_WORK)/; done
	$(FUZZ_RUN) -detect_leaks=0 -max_total_time=$(FUZZ_TIME) $(FUZZ_WORK)

# In make test: every committed seed once with LeakSanitizer on, then FUZZ_TEST_TIME seconds of
# fuzzing from them (what it finds goes to a scratch folder, emptied each time).
fuzz-inprocess-test: fuzz-build
	mkdir -p $(FUZZ_BUILD)/findings
	$(FUZZ_RUN) -runs=0 $(FUZZ_CORPUS)
	rm -rf $(FUZZ_BUILD)/pass && mkdir -p $(FUZZ_BUILD)/pass
	$(FUZZ_RUN) -detect_leaks=0 -max_total_time=$(FUZZ_TEST_TIME) $(FUZZ_BUILD)/pass $(FUZZ_CORPUS)

browser-test: test-deps build
	ROADSHOW_BIN=$(BIN) $(PYTHON) Tests/browser/run.py

# The three Word documents through the real server and the CLI: python-docx checks their
# text and structure, LibreOffice turns them into A4 PDFs, page 1 is rendered to PNG
# (kept in $(ROADSHOW_SHOTS) when set). Tests/docs/test_docx.py
docx-test: test-deps build
	ROADSHOW_BIN=$(BIN) $(PYTHON) Tests/docs/test_docx.py

test: test-deps
	$(MAKE) --no-print-directory swift-test
	$(MAKE) --no-print-directory tsan-test
	$(MAKE) --no-print-directory fuzz-inprocess-test
	$(MAKE) --no-print-directory fuzz-test
	$(MAKE) --no-print-directory autobahn-test
	$(MAKE) --no-print-directory browser-test
	$(MAKE) --no-print-directory docx-test

# The crash test at length: 20 SIGKILLs at random moments under mixed writes (docs/reliability.md).
soak: deps
	$(SWIFT) build --build-tests
	ROADSHOW_SOAK_KILLS=$(or $(KILLS),20) $(SWIFT) test --skip-build --filter CrashUnderLoadTests

clean:
	rm -rf .build $(TSAN_BUILD) $(FUZZ_BUILD)

# Prints the server's figures (release build), docs/performance.md:
# 1. commit rate, one meeting pipelined, group commit, fan-out latency and CPU per delivered event
#    beside a bare libwebsockets broadcast server (Tests/bench) for the ratio;
# 2. the load scenarios (SCENARIOS, default all: growth 1k-10k in one meeting, 1k in 20, 10k in 200,
#    write-heavy), participants with their own tokens, server on CPU 0 and the load generator on
#    CPU 1, a Markdown table (JSON=1: JSON);
# 3. start-up with STARTUP events stored (default 10,000; 1000000 takes about 10 minutes to seed).
# Nothing is asserted: it measures.
PIN := $(shell [ "$$(nproc)" -ge 2 ] && command -v taskset >/dev/null && echo "taskset -c 1")
bench: deps
	$(SWIFT) build -c release --product roadshow
	mkdir -p .build && $(CC) -O2 -o .build/bare-broadcast Tests/bench/bare_broadcast.c $$(pkg-config --cflags --libs libwebsockets) -lev
	ulimit -n $$(ulimit -Hn); $(PIN) .build/release/roadshow bench --subscribers $(or $(SUBSCRIBERS),1000) --events $(or $(EVENTS),200) \
		--baseline .build/bare-broadcast $(if $(PIN),--pin) --writers $(or $(WRITERS),64) --per-writer 150 \
		$(if $(EVENT_LOOP),--event-loop $(EVENT_LOOP))
	ulimit -n $$(ulimit -Hn); $(PIN) .build/release/roadshow bench --baseline .build/bare-broadcast $(if $(PIN),--pin) \
		$(foreach s,$(or $(SCENARIOS),all),--scenario $(s)) $(if $(JSON),--json) $(if $(EVENT_LOOP),--event-loop $(EVENT_LOOP))
	.build/release/roadshow bench --startup $(or $(STARTUP),10000) --startup-runs 2
