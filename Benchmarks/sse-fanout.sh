#!/usr/bin/env bash
# The SSE fan-out benchmark (issue 5, "Also measure", item 2).
#
# Builds slowatch and the sse-fanout load client in release mode, starts `slowatch serve` on a free
# loopback port with one SLO (p50 of fanout.latency above 100 ms, minSamples 1, checked every 50 ms),
# holds SUBSCRIBERS event streams on it, measures the server's idle CPU and memory between keepalive
# heartbeats (default keepalive interval, 15 s), posts one breaking sample and measures when every
# stream has the violation. A fresh server per run; RUNS runs.
#
# Environment (all optional):
#   SCRATCH_PATH  SwiftPM scratch path of the release build (default .build)
#   SUBSCRIBERS   event streams to hold (default 19000: with 20,000 descriptors per process, the most
#                 that leave both the server and the client their margin)
#   SERVER_BIN  a slowatch binary to serve instead of this tree's release build (say, another
#                 branch's, to compare two builds in one session; the client is still this tree's)
#   RUNS          runs, each against a fresh server (default 1)
#   IDLE_SECONDS  the idle measurement window (default 10; keep it below the 15 s keepalive interval)
#   CHECK_INTERVAL  the server's --check-interval (default 50ms)
#   PERF          1: record `perf record -g -k CLOCK_MONOTONIC` of the server during each run, into
#                 $PERF_DIR/perf-sse-<run>.data (PERF_DIR default /tmp). The client's JSON gives the POST's
#                 send time on the same clock (postSentAtMonotonicS), so a phase can be cut out with
#                 `perf report --time START,END` (the idle window is the 10 s before it).
#   SWIFT         the swift driver (default swift)
#
# Exit status: 0 when every run delivered the event to every subscriber, else the first failure's.
set -euo pipefail

cd "$(dirname "$0")/.."
SCRATCH_PATH=${SCRATCH_PATH:-.build}
SUBSCRIBERS=${SUBSCRIBERS:-19000}
RUNS=${RUNS:-1}
IDLE_SECONDS=${IDLE_SECONDS:-10}
CHECK_INTERVAL=${CHECK_INTERVAL:-50ms}
PERF=${PERF:-0}
PERF_DIR=${PERF_DIR:-/tmp}
SWIFT=${SWIFT:-swift}

# Both processes need a descriptor per subscriber plus a margin (listener, epoll, eventfds, stdio).
needed=$((SUBSCRIBERS + 256))
if [ "$(ulimit -Hn)" != unlimited ] && [ "$(ulimit -Hn)" -lt "$needed" ]; then
  # Raising the hard limit needs CAP_SYS_RESOURCE (which even root lacks in some sandboxes: there
  # both of these fail with "Operation not permitted"); the soft limit can always go up to the hard one.
  ulimit -Hn "$needed" 2>/dev/null || prlimit --pid $$ --nofile="$needed:$needed" 2>/dev/null || {
    echo "sse-fanout.sh: the hard open-file limit is $(ulimit -Hn), below the $needed that $SUBSCRIBERS" \
      "subscribers need, and raising it needs CAP_SYS_RESOURCE; lower SUBSCRIBERS." >&2
    exit 1
  }
fi
ulimit -Sn "$(ulimit -Hn)"
echo "sse-fanout.sh: open-file limit $(ulimit -Sn) (hard $(ulimit -Hn)); $SUBSCRIBERS subscribers, $RUNS run(s)"

if [ -z "${SERVER_BIN:-}" ]; then
  "$SWIFT" build -c release --scratch-path "$SCRATCH_PATH" --product slowatch >&2
fi
"$SWIFT" build -c release --scratch-path "$SCRATCH_PATH" --product sse-fanout >&2
bin=$("$SWIFT" build -c release --scratch-path "$SCRATCH_PATH" --show-bin-path)
server_bin=${SERVER_BIN:-$bin/slowatch}

work=$(mktemp -d "${TMPDIR:-/tmp}/sse-fanout.XXXXXX")
server_pid=""
perf_pid=""
client_pid=""

# Stops the load client, the perf recorder and the server (SIGTERM, then SIGKILL after 15 s), by pid.
stop_all() {
  if [ -n "$client_pid" ] && kill -0 "$client_pid" 2>/dev/null; then
    kill -TERM "$client_pid" 2>/dev/null || true
    wait "$client_pid" 2>/dev/null || true
  fi
  client_pid=""
  if [ -n "$perf_pid" ] && kill -0 "$perf_pid" 2>/dev/null; then
    kill -INT "$perf_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$perf_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$perf_pid" 2>/dev/null || true
    wait "$perf_pid" 2>/dev/null || true
  fi
  perf_pid=""
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  [ -n "$server_pid" ] && { wait "$server_pid" 2>/dev/null || true; }
  server_pid=""
}
cleanup() {
  stop_all
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cat >"$work/slowatch.yaml" <<EOF
checkInterval: $CHECK_INTERVAL
slos:
  - id: fanout-p50
    metric: fanout.latency
    percentile: p50
    threshold: 100
    minSamples: 1
EOF

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), kernel $(uname -r)"
status=0
for run in $(seq 1 "$RUNS"); do
  echo "== run $run of $RUNS; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  # Room for the subscribers, the POST and the /healthz polls; every subscriber gets a stream slot
  # (by default only half of the connections may stream).
  "$server_bin" serve --config "$work/slowatch.yaml" --port 0 --max-connections $((SUBSCRIBERS + 100)) \
    --max-streams "$SUBSCRIBERS" 2>"$work/server.log" &
  server_pid=$!
  port=""
  for _ in $(seq 1 200); do
    port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\) .*/\1/p' "$work/server.log" | head -n1)
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$port" ]; then
    echo "sse-fanout.sh: the server did not start within 20 s:" >&2
    cat "$work/server.log" >&2
    exit 1
  fi
  if [ "$PERF" = 1 ]; then
    perf record -g -k CLOCK_MONOTONIC -o "$PERF_DIR/perf-sse-$run.data" -p "$server_pid" >"$work/perf.log" 2>&1 &
    perf_pid=$!
  fi
  client_status=0
  # In the background, so that a signal interrupts `wait` at once and the trap stops everything.
  "$bin/sse-fanout" --port "$port" --server-pid "$server_pid" --subscribers "$SUBSCRIBERS" \
    --idle-seconds "$IDLE_SECONDS" &
  client_pid=$!
  wait "$client_pid" || client_status=$?
  client_pid=""
  stop_all
  echo "server log (run $run):"
  sed 's/^/  /' "$work/server.log"
  if [ "$client_status" != 0 ] && [ "$status" = 0 ]; then status=$client_status; fi
done
exit "$status"
