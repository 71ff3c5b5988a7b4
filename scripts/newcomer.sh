#!/usr/bin/env bash
# The newcomer test: what someone who has only the README does, on a fresh clone, on a machine without
# libcurl's development files (libcurl4-openssl-dev), which only the tests need.
#
#   0. when libcurl's headers or pkg-config file are installed, re-run this script in a private mount
#      namespace (`unshare --mount`, as root or with a user namespace) that hides them: an empty tmpfs
#      over every /usr/include/…/curl folder, and a copy of the pkg-config folder without libcurl.pc;
#   1. git clone the repository into a temporary folder;
#   2. `swift build` and `swift build -c release` there, which must pass without libcurl's headers;
#      then the README's command, `swift run -c release slowatch`, in the background;
#   3. with curl only: wait for /healthz, open the live violation stream, post samples that break the
#      default SLO input-to-echo-p95 (p95 above 60 ms), see a perf.slo_violation event arrive on the
#      stream, and ask for the metric's percentiles;
#   4. stop the server with SIGTERM (it must exit 0) and remove the temporary folder.
#
# Exits 0 when every step worked, and non-zero with a message naming the step that failed.
#
# Environment:
#   NEWCOMER_REPO      what to clone (default: the repository this script is in; uncommitted changes
#                      are not part of a clone, so commit first)
#   SLOWATCH_PORT      the port to serve on; default 8080, or a free port when 8080 is busy
#   NEWCOMER_TIMEOUT   seconds to wait for the release build and /healthz (default 1500)
#   NEWCOMER_KEEP=1    keep the temporary folder (the clone and the logs) for inspection
#   NEWCOMER_RELEASE_BINARY=PATH
#                      on success, copy the clone's release `slowatch` there (.ci/run's large-restart
#                      test uses it rather than building the release binary twice)
#   NEWCOMER_REQUIRE_NO_CURL=1
#                      fail (instead of warning and going on) when libcurl's development files are
#                      installed and no mount namespace can hide them; .ci/run sets it
set -euo pipefail

# libcurl's development files: its pkg-config entry, or curl/curl.h in a standard include folder.
curl_dev_present() {
    pkg-config --exists libcurl 2>/dev/null && return 0
    local folder
    for folder in /usr/include/curl /usr/include/*/curl /usr/local/include/curl; do
        [ -e "$folder/curl.h" ] && return 0
    done
    return 1
}

# Step 0: re-run in a private mount namespace, where step "hide" below can hide the files from this
# process tree only (the rest of the machine keeps them; the namespace ends with the script).
if [ "${NEWCOMER_IN_NAMESPACE:-0}" != 1 ] && curl_dev_present; then
    export NEWCOMER_IN_NAMESPACE=1
    if unshare --mount --propagation private true 2>/dev/null; then
        exec unshare --mount --propagation private bash "${BASH_SOURCE[0]}" "$@"
    elif unshare --mount --map-root-user --propagation private true 2>/dev/null; then
        exec unshare --mount --map-root-user --propagation private bash "${BASH_SOURCE[0]}" "$@"
    fi
    unset NEWCOMER_IN_NAMESPACE
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="${NEWCOMER_REPO:-$(git -C "$here" rev-parse --show-toplevel)}"
timeout="${NEWCOMER_TIMEOUT:-1500}"
work="$(mktemp -d "${TMPDIR:-/tmp}/slowatch-newcomer.XXXXXX")"
server_pid=""
stream_pid=""

say() { printf 'newcomer: %s\n' "$*"; }

fail() {
    printf 'newcomer: FAILED: %s\n' "$*" >&2
    if [ -s "$work/server.log" ]; then
        printf 'newcomer: the last lines of the server log (%s):\n' "$work/server.log" >&2
        tail -n 30 "$work/server.log" >&2
    fi
    exit 1
}

cleanup() {
    local status=$?
    if [ -n "$stream_pid" ]; then kill "$stream_pid" 2>/dev/null || true; fi
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        # The server runs in its own process group (setsid), so this reaches swift run and slowatch.
        kill -TERM -- "-$server_pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL -- "-$server_pid" 2>/dev/null || true
    fi
    if [ "${NEWCOMER_KEEP:-0}" = 1 ]; then
        say "kept $work"
    else
        rm -rf "$work"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for tool in git curl swift setsid; do
    command -v "$tool" >/dev/null || fail "$tool is not installed; the README's quick start needs it"
done

# Hide libcurl's development files, inside the namespace of step 0 only.
curl_hidden=0
if [ "${NEWCOMER_IN_NAMESPACE:-0}" = 1 ]; then
    for folder in /usr/include/curl /usr/include/*/curl /usr/local/include/curl; do
        [ -d "$folder" ] || continue
        mount -t tmpfs -o size=64k,mode=0755 slowatch-no-curl "$folder" || fail "could not hide $folder"
    done
    if pc_folder="$(pkg-config --variable pcfiledir libcurl 2>/dev/null)" && [ -n "$pc_folder" ]; then
        mkdir "$work/pkgconfig"
        cp -a "$pc_folder/." "$work/pkgconfig/"
        rm -f "$work/pkgconfig/libcurl.pc"
        mount --bind "$work/pkgconfig" "$pc_folder" || fail "could not hide $pc_folder/libcurl.pc"
    fi
    curl_dev_present && fail "libcurl's development files are still visible after hiding them"
    curl_hidden=1
    say "libcurl's headers and pkg-config file are hidden from this run (private mount namespace)"
elif curl_dev_present; then
    if [ "${NEWCOMER_REQUIRE_NO_CURL:-0}" = 1 ]; then
        fail "libcurl's development files are installed and no mount namespace can hide them (run as root, or allow unprivileged user namespaces)"
    fi
    say "WARNING: libcurl's development files are installed and cannot be hidden here (no mount namespace);" \
        "the build below does not prove that slowatch builds without them"
else
    curl_hidden=1
    say "libcurl's development files are not installed"
fi

# The port: SLOWATCH_PORT if given; else the README's 8080, unless something already listens there.
port_is_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -z "${SLOWATCH_PORT:-}" ]; then
    SLOWATCH_PORT=8080
    if port_is_busy 8080; then
        for candidate in $(seq 18080 18180); do
            if ! port_is_busy "$candidate"; then SLOWATCH_PORT=$candidate; break; fi
        done
        say "port 8080 is busy; using $SLOWATCH_PORT (set SLOWATCH_PORT to choose)"
    fi
fi
export SLOWATCH_PORT
base="http://127.0.0.1:$SLOWATCH_PORT"

say "cloning $repo into $work/slowatch"
git clone --quiet "$repo" "$work/slowatch" || fail "git clone $repo failed"
cd "$work/slowatch"

readme_command='swift run -c release slowatch'
grep -qF "$readme_command" README.md || fail "README.md no longer shows '$readme_command'; update this script with it"

# The first commands most Swift developers type. Only the test targets need libcurl (through the nested
# package Tests/Support/TestClients), so both must pass without it. The release build is the one the
# README's command then reuses.
for build_command in 'swift build' 'swift build -c release'; do
    say "running '$build_command'"
    $build_command >"$work/build.log" 2>&1 || {
        tail -n 30 "$work/build.log" >&2
        fail "'$build_command' failed on a fresh clone$([ "$curl_hidden" = 1 ] && echo ' without libcurl headers')"
    }
done
say "'swift build' and 'swift build -c release' passed$([ "$curl_hidden" = 1 ] && echo ' without libcurl headers')"

say "running '$readme_command' (a release build first; this can take several minutes)"
SWIFT_BACKTRACE=enable=no setsid $readme_command >"$work/server.log" 2>&1 </dev/null &
server_pid=$!

deadline=$((SECONDS + timeout))
until curl -fsS "$base/healthz" >"$work/health.json" 2>/dev/null; do
    kill -0 "$server_pid" 2>/dev/null || fail "'$readme_command' exited before serving /healthz"
    [ "$SECONDS" -lt "$deadline" ] || fail "no answer from $base/healthz within ${timeout}s"
    sleep 2
done
grep -q '"status":"ok"' "$work/health.json" || fail "/healthz did not say ok: $(cat "$work/health.json")"
grep -q 'with 7 SLOs from embedded defaults' "$work/server.log" \
    || fail "the startup line does not say the 7 embedded default SLOs were loaded"
say "serving on $base: $(cat "$work/health.json")"

# The README's stream command, kept running in the background.
curl -sS -N -H 'Accept: text/event-stream' "$base/slo/violations" >"$work/stream.txt" 2>"$work/stream.err" &
stream_pid=$!
deadline=$((SECONDS + 20))
until grep -q '^retry: ' "$work/stream.txt" 2>/dev/null; do
    kill -0 "$stream_pid" 2>/dev/null || fail "the event stream closed at once: $(cat "$work/stream.err")"
    [ "$SECONDS" -lt "$deadline" ] || fail "the event stream sent nothing within 20s"
    sleep 0.2
done
say "the violation stream is open"

# input-to-echo-p95 is 'p95 above 60 ms' with minSamples 1 (SLODefinition+Defaults.swift): 20 samples
# of 100 ms break it (and input-to-echo-p50, 'p50 above 30 ms').
samples=""
for _ in $(seq 1 20); do samples="$samples${samples:+,}{\"metric\":\"input-to-echo\",\"value\":100}"; done
accepted="$(curl -fsS -H 'Content-Type: application/json' -d "{\"samples\":[$samples]}" "$base/samples")" \
    || fail "POST /samples failed"
[ "$accepted" = '{"accepted":20}' ] || fail "POST /samples answered $accepted, expected {\"accepted\":20}"
say "posted 20 samples of 100 ms to input-to-echo"

# The default check interval is 5 s: a violation must arrive within one interval; allow 30 s on a busy machine.
deadline=$((SECONDS + 30))
until grep -q '^event: perf.slo_violation' "$work/stream.txt"; do
    kill -0 "$stream_pid" 2>/dev/null || fail "the event stream closed before a violation arrived"
    [ "$SECONDS" -lt "$deadline" ] || fail "no perf.slo_violation event on the stream within 30s"
    sleep 0.2
done
grep -A1 '^event: perf.slo_violation' "$work/stream.txt" | grep -q '^data: {.*"input-to-echo' \
    || fail "the perf.slo_violation event does not carry input-to-echo: $(cat "$work/stream.txt")"
say "the stream delivered: $(grep -m1 -A1 '^event: perf.slo_violation' "$work/stream.txt" | tail -n1 | cut -c1-160)"

percentiles="$(curl -fsS "$base/metrics/input-to-echo/percentiles?q=0.5")" || fail "GET percentiles failed"
case "$percentiles" in
    *'"count":20'*'"p95":100'*) ;;
    *) fail "the percentiles of input-to-echo are not 20 samples with p95 100: $percentiles" ;;
esac
say "percentiles: $percentiles"

kill "$stream_pid" 2>/dev/null || true
wait "$stream_pid" 2>/dev/null || true
stream_pid=""

kill -TERM -- "-$server_pid"
status=0
for _ in $(seq 1 150); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$server_pid" 2>/dev/null && fail "the server did not exit within 15s of SIGTERM"
wait "$server_pid" || status=$?
server_pid=""
[ "$status" -eq 0 ] || fail "the server exited with status $status after SIGTERM, expected 0"
say "the server shut down gracefully on SIGTERM"
if [ -n "${NEWCOMER_RELEASE_BINARY:-}" ]; then
    cp "$work/slowatch/.build/release/slowatch" "$NEWCOMER_RELEASE_BINARY" \
        || fail "cannot copy the release binary to $NEWCOMER_RELEASE_BINARY"
fi
say "PASSED: clone, swift build (debug and release)$([ "$curl_hidden" = 1 ] && echo ' without libcurl headers'), '$readme_command', healthz, stream, samples, violation, percentiles"
