# slowatch: build, test, lint, bench.
SWIFT ?= swift
SOURCES := Package.swift Sources Tests Benchmarks
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all build build-tests test test-swift test-unit test-integration test-tsan check-openapi check-docker check-contract check-clients check-slow-clients hostile-corpus fuzz fuzz-replay fuzz-build build-tsan deps-integration newcomer bench bench-http bench-latency bench-mixed bench-sse format lint deps-test generate docs clean

all: build

## The package without its tests: needs no libcurl (the test clients are a nested package, built only for
## tests; scripts/newcomer.sh proves it with libcurl's headers hidden).
build:
	$(SWIFT) build

## Installs what the build and tests need (zlib headers for CZlib, libcurl headers for the test client) when missing.
deps-test:
	@if ! pkg-config --exists libcurl 2>/dev/null || ! [ -f /usr/include/x86_64-linux-gnu/curl/curl.h -o -f /usr/include/curl/curl.h ]; then \
	  echo "make: libcurl4-openssl-dev is missing; installing it with apt-get"; \
	  if [ "$$(id -u)" = 0 ] || command -v sudo >/dev/null 2>&1; then \
	    $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libcurl4-openssl-dev pkg-config \
	      || { echo "make: could not install libcurl4-openssl-dev; install it by hand (apt-get install libcurl4-openssl-dev)" >&2; exit 1; }; \
	  else \
	    echo "make: libcurl4-openssl-dev is missing and neither root nor sudo is available; install it by hand" >&2; exit 1; \
	  fi; \
	fi
	@if ! [ -f /usr/include/zlib.h ]; then \
	  echo "make: zlib1g-dev (zlib.h, for the CZlib shim) is missing; installing it with apt-get"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zlib1g-dev \
	    || { echo "make: could not install zlib1g-dev; install it by hand (apt-get install zlib1g-dev)" >&2; exit 1; }; \
	fi

## Everything: the Swift tests (unit and integration targets), the OpenAPI validator, the Docker image's build command, and the newcomer
## run of the README on a fresh clone (the last two are release builds; SKIP_DOCKER_BUILD=1 and
## SKIP_NEWCOMER=1 skip them for quick local runs).
test: test-swift check-openapi
	@if [ "$${SKIP_DOCKER_BUILD:-0}" = 1 ]; then echo "make: SKIP_DOCKER_BUILD=1: the Docker build command is skipped"; else $(MAKE) --no-print-directory check-docker; fi
	@if [ "$${SKIP_NEWCOMER:-0}" = 1 ]; then echo "make: SKIP_NEWCOMER=1: the newcomer run is skipped"; else $(MAKE) --no-print-directory newcomer; fi

## The programs the integration tests drive (prometheus, alertmanager, chromium, docker-compose, nc, the
## statsd client), each installed only when missing; a test whose program is missing is skipped with the
## reason.
deps-integration:
	bash scripts/install-integration-tools.sh

## The debug build with every test target (libcurl's headers are needed from here on).
build-tests: deps-test
	$(SWIFT) build --build-tests

## The suites that load the server on purpose (thousands of connections, floods, slow clients, kill -9
## under load, gigabytes of reserved memory) or time its answers. They run after the rest, one at a time:
## on two cores such a suite beside hundreds of parallel tests starves the others' timeouts, and they
## starve it. HistoryPercentilesTests is here for the same reason: its oracle records a million samples
## into history and sorts them, minutes of one core in a debug build.
LOAD_SUITES := SSEChurnTests|SSEBackpressureTests|SamplesConcurrencyTests|MaxConnectionsTests|ConnectionFloodTests|ConnectionCapTests|SlowClientTests|SlowReadTests|SplitRequestTests|PipelineBacklogTests|StreamBackpressureTests|StreamSlotsEndToEndTests|JournalKillTests|MemoryBudgetBinaryTests|SnapshotMemoryTests|HistoryPercentilesTests|BurnTierTimingBinaryTests

## Every test target: the unit and in-process tests, and the integration tests; the load suites last.
## scripts/swift-test.sh ends a failed run with its failures and the tests that never finished, where a
## CI log's tail shows them.
test-swift: build-tests
	SWIFT='$(SWIFT)' bash scripts/swift-test.sh --skip-build --skip '$(LOAD_SUITES)'
	SWIFT='$(SWIFT)' bash scripts/swift-test.sh --skip-build --filter '$(LOAD_SUITES)' --no-parallel

## The unit and in-process tests only: every test target but SLOWatchIntegrationTests.
test-unit: build-tests
	$(SWIFT) test --skip-build --skip SLOWatchIntegrationTests

## The integration tests only: the ones that drive the slowatch binary or an external program (Chromium,
## Prometheus, promtool, Alertmanager, the Docker build command); a missing program skips its test.
test-integration: build-tests
	$(SWIFT) test --skip-build --filter SLOWatchIntegrationTests

## openapi-spec-validator (PyPI, installed when missing) on openapi.yaml.
check-openapi:
	bash scripts/check-openapi.sh

## schemathesis (every check; examples, coverage and fuzzing phases) on openapi.yaml against the real binary,
## and REDbot on two reads; both installed from PyPI when missing (scripts/check-contract.sh).
check-contract:
	bash scripts/check-contract.sh

## Clients generated from openapi.yaml call every operation against the real binary: openapi-python-client
## (PyPI, installed when missing) and apple/swift-openapi-generator (Tests/GeneratedClients/swift, a package
## of its own built in .build-clients) (scripts/check-generated-clients.sh).
check-clients:
	bash scripts/check-generated-clients.sh

## Debian's slowhttptest (installed when missing) in slowloris, slow-body and slow-read modes, 500 connections
## each, against the real binary while curl polls /healthz (Tests/load/slowhttptest.sh; SLOW_SECONDS=20).
check-slow-clients:
	bash Tests/load/slowhttptest.sh

## libFuzzer runs of the five fuzz targets in Fuzz/ (HTTP parser, POST /samples decoders, OTLP body, number
## text, config loader) with AddressSanitizer, each for FUZZ_SECONDS (60) on a temporary copy of its corpus; fails when
## any target fails (scripts/fuzz.sh; its own package and build folder, so `swift test` is unaffected).
FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh run

## Every seed and every past crash (Fuzz/corpus, Fuzz/regressions) through each target once, no fuzzing.
fuzz-replay:
	bash scripts/fuzz.sh replay

## The fuzz targets' build alone (Fuzz/.build; .ci/run starts it beside the contract checks).
fuzz-build:
	bash scripts/fuzz.sh build

## Re-export the hostile-input catalogue's requests as parser fuzz seeds (Fuzz/corpus/http-parser/hostile-*).
hostile-corpus:
	bash scripts/export-hostile-corpus.sh

## The Dockerfile's `swift build` command, run here (no Docker engine needed), and a check that the binary
## needs no Swift runtime library.
check-docker:
	bash scripts/check-docker-build.sh

## A fresh clone of the committed HEAD, `swift run -c release slowatch`, and curl of a percentile and of
## the live violation stream, as the README tells a newcomer.
newcomer:
	bash scripts/newcomer.sh

## The DocC catalogues (Sources/*/*.docc) of SLOWatchCore and SLOWatchHTTP (their public API) and of
## SLOWatchPOSIX (its package API: the socket layer has no public symbols), built with swift-docc-plugin
## into .build-docs/archives/NAME.doccarchive. SLOWATCH_DOCC=1 adds the plugin to the package for this
## run only. The run works on a copy of the package in .build-docs/package (no .git, no build folders),
## with its own scratch path and Package.resolved: the plugin's pins never reach the repository's
## Package.resolved, and CI's other SwiftPM runs beside it (check-contract's build) share no file or
## lock with it. Fails when DocC reports any warning (--warnings-as-errors, and a check of the logs in
## .build-docs/logs for a line that names one).
DOCC_TARGETS := SLOWatchCore:public SLOWatchHTTP:public SLOWatchPOSIX:package
DOCS_ROOT := $(CURDIR)/.build-docs
docs:
	rm -rf '$(DOCS_ROOT)/archives' '$(DOCS_ROOT)/logs' '$(DOCS_ROOT)/package'
	mkdir -p '$(DOCS_ROOT)/archives' '$(DOCS_ROOT)/logs' '$(DOCS_ROOT)/package'
	tar -c --exclude='.build*' --exclude=./.git --exclude=./.swiftpm --exclude=./Package.resolved . \
	  | tar -x -C '$(DOCS_ROOT)/package'
	@failed=""; for entry in $(DOCC_TARGETS); do \
	  target=$${entry%%:*}; level=$${entry#*:}; log='$(DOCS_ROOT)'/logs/$$target.log; \
	  echo "make docs: $$target ($$level symbols)"; \
	  SLOWATCH_DOCC=1 $(SWIFT) package --package-path '$(DOCS_ROOT)/package' --scratch-path '$(DOCS_ROOT)/scratch' \
	    --allow-writing-to-directory '$(DOCS_ROOT)/archives' generate-documentation --target $$target \
	    --output-path '$(DOCS_ROOT)'/archives/$$target.doccarchive --symbol-graph-minimum-access-level $$level \
	    --warnings-as-errors >$$log 2>&1 && ! grep -Eq '^(warning|error): ' $$log \
	    || { grep -E -A4 '^(warning|error): ' $$log >&2 || tail -20 $$log >&2; failed="$$failed $$target"; }; \
	done; \
	if [ -n "$$failed" ]; then echo "make docs: DocC failed or warned for:$$failed (logs in .build-docs/logs)" >&2; exit 1; fi; \
	echo "make docs: no warnings; archives in .build-docs/archives"

## Thread sanitizer run (separate build folder so it does not disturb the debug build). The load suites
## run after the rest, one at a time, as in test-swift; ThreadSanitizer slows every access several times
## over, which makes the starvation worse.
TSAN := env SLOWATCH_TSAN=1 $(SWIFT) test --sanitize=thread --scratch-path .build-tsan
## The ThreadSanitizer build alone (.ci/run starts it beside the time-boxed fuzz runs).
build-tsan: deps-test
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build-tsan

## Every report goes to a file under .build-tsan/reports (the test processes' and those of the slowatch
## binaries the integration tests start, whose standard error the tests capture), and the run fails,
## printing them whole, when there is any.
TSAN_REPORTS := $(CURDIR)/.build-tsan/reports
test-tsan: build-tsan
	rm -rf '$(TSAN_REPORTS)' && mkdir -p '$(TSAN_REPORTS)'
	TSAN_OPTIONS="$${TSAN_OPTIONS:+$$TSAN_OPTIONS:}log_path=$(TSAN_REPORTS)/report" \
	  SWIFT_TEST_COMMAND='$(TSAN)' bash scripts/swift-test.sh --skip-build --skip '$(LOAD_SUITES)' || { cat '$(TSAN_REPORTS)'/* >&2 2>/dev/null; exit 1; }
	TSAN_OPTIONS="$${TSAN_OPTIONS:+$$TSAN_OPTIONS:}log_path=$(TSAN_REPORTS)/report" \
	  SWIFT_TEST_COMMAND='$(TSAN)' bash scripts/swift-test.sh --skip-build --filter '$(LOAD_SUITES)' --no-parallel || { cat '$(TSAN_REPORTS)'/* >&2 2>/dev/null; exit 1; }
	@if [ -n "$$(ls -A '$(TSAN_REPORTS)')" ]; then cat '$(TSAN_REPORTS)'/* >&2; \
	  echo "test-tsan: ThreadSanitizer reports above" >&2; exit 1; fi

bench:
	$(SWIFT) run -c release slowatch-bench

## Issue 5's HTTP comparison: nginx, the Hummingbird peer and a fresh release build of slowatch through the
## repository's benchmark kit (Benchmarks/harness; BENCH_DIR points at another copy), interleaved, with the
## table of medians and ratios (ROUNDS=3, DURATION=10 s by default).
BENCH_DIR ?= Benchmarks/harness
bench-http:
	$(SWIFT) build -c release --product slowatch
	ROUNDS=$${ROUNDS:-3} TARGET_NAME=slowatch TARGET_CMD='$(CURDIR)/.build/release/slowatch serve --port $$PORT' \
	  bash $(BENCH_DIR)/compare.sh $${DURATION:-10}

## Issue 18's fixed-rate tails: nginx's maximum per scenario (wrk), then nginx, the Hummingbird peer and a fresh
## release slowatch at 25/50/75 % of it under the open-loop load generator (Benchmarks/LoadGenerator), interleaved
## over ROUNDS (default 1), with p50/p99/p99.9/max and the target checks (Benchmarks/harness/latency.sh).
bench-latency:
	$(SWIFT) build -c release --product slowatch
	$(SWIFT) build -c release --product load-generator
	ROUNDS=$${ROUNDS:-1} TARGET_NAME=slowatch TARGET_CMD='$(CURDIR)/.build/release/slowatch serve --port $$PORT' \
	  LG_BIN='$(CURDIR)/.build/release/load-generator' bash $(BENCH_DIR)/latency.sh $${DURATION:-10}

## Writers and readers at once: two wrk instances against one server (Benchmarks/mixed-load.sh).
bench-mixed:
	$(SWIFT) build -c release --product slowatch
	BENCH_DIR=$(BENCH_DIR) bash Benchmarks/mixed-load.sh $${DURATION:-10}

## The SSE fan-out benchmark: 19,000 event streams, one violation, idle CPU and RSS (Benchmarks/sse-fanout.sh;
## SCRATCH_PATH, SUBSCRIBERS and RUNS are passed through from the environment).
bench-sse:
	SWIFT=$(SWIFT) bash Benchmarks/sse-fanout.sh

## Regenerates Sources/SLOWatchProtobuf from the vendored Protos/ (Prometheus client_model, OTLP metrics):
## installs protobuf-compiler with apt-get only when protoc is missing, builds protoc-gen-swift from the
## resolved swift-protobuf package in its own scratch path (.build-protoc, git-ignored; a first build takes
## about 10 minutes on two cores), and writes the code with package visibility. CI does not run it (too
## slow): the generated code is committed, and a change to Protos/ comes with a fresh `make generate`.
PROTO_OUT := Sources/SLOWatchProtobuf/Generated
PROTO_FILES := io/prometheus/client/metrics.proto \
  opentelemetry/proto/common/v1/common.proto opentelemetry/proto/resource/v1/resource.proto \
  opentelemetry/proto/metrics/v1/metrics.proto opentelemetry/proto/collector/metrics/v1/metrics_service.proto
generate:
	@if ! command -v protoc >/dev/null 2>&1; then \
	  echo "make: protoc is missing; installing protobuf-compiler with apt-get"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler; \
	fi
	$(SWIFT) build --scratch-path .build-protoc --product protoc-gen-swift
	rm -rf '$(PROTO_OUT)' && mkdir -p '$(PROTO_OUT)'
	cd Protos && protoc --plugin=protoc-gen-swift='$(CURDIR)/.build-protoc/debug/protoc-gen-swift' \
	  --swift_out='$(CURDIR)/$(PROTO_OUT)' --swift_opt=Visibility=Package --swift_opt=FileNaming=PathToUnderscores \
	  $(PROTO_FILES)

format:
	$(SWIFT) format format --in-place --recursive --parallel $(SOURCES)

## swift-format, and two rules of our own: no `Synchronization.Mutex` (on Linux a contended Mutex waits
## in a futex that ThreadSanitizer cannot see, so it reports races on correctly locked state; use
## SLOWatchSync's PThreadLock), except in the benchmark kit's Hummingbird peer, a package of its own that
## never runs under TSan and uses Mutex on purpose, as a typical Swift user would; and the repository
## carries its own benchmark kit, so no tracked file may point at the shared folder outside it.
lint:
	$(SWIFT) format lint --strict --recursive --parallel $(SOURCES)
	@if grep -rn --include='*.swift' --exclude-dir=hummingbird-peer -E '\bMutex<' Sources Tests Benchmarks Fuzz; then \
	  echo "lint: use PThreadLock (SLOWatchSync), not Synchronization.Mutex, in the lines above" >&2; exit 1; fi
	@if git ls-files -z | xargs -0 grep -n -E 'shared[/]bench|[.][.]/shared' -- ; then \
	  echo "lint: the lines above point outside the repository; use the in-repo kit Benchmarks/harness" >&2; exit 1; fi

clean:
	rm -rf .build .build-*
