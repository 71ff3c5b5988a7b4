#!/usr/bin/env bash
# HTTP benchmark of slowatch (and of its peers), part of the in-repo kit Benchmarks/harness.
#
# usage: bench.sh URL [DURATION_S]
#   URL         base URL of the server, e.g. http://127.0.0.1:8080
#   DURATION_S  seconds per scenario (default 10)
#
# 1. warm-up: pre-fills 10,000 samples into each of the 20 metrics
#    api.latency.00 .. api.latency.19 (2,000 batch POSTs of 100 samples, one
#    curl process, keep-alive), then sanity-checks each endpoint once.
# 2. runs wrk (--latency) for each scenario: post-single, post-batch,
#    get-percentiles, and prints one line per scenario:
#        scenario req/s samples/s p50_ms p99_ms errors
#    errors = wrk "Non-2xx or 3xx responses" (i.e. status >= 400) + socket
#    errors (connect/read/write/timeout); the curl sanity check before the
#    runs rejects any non-2xx (incl. 3xx) answer outright.
# 3. if SERVER_PID is set: prints the server's peak RSS (VmHWM from
#    /proc/PID/status, summed over PID and its descendants, e.g. nginx workers).
#
# env: WRK_THREADS (default 2), WRK_CONNS (default 64), WRK_TIMEOUT (default 2s),
#      WRK_CPUS (e.g. 1: run wrk under taskset -c 1; default unpinned),
#      SERVER_PID, BENCH_LOGDIR (raw wrk/curl output; default: mktemp -d /tmp/bench.XXXXXX),
#      SKIP_PREFILL=1, SCENARIOS="post-single post-batch get-percentiles"
set -euo pipefail

if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
  sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi

URL=${1%/}
DURATION=${2:-10}
THREADS=${WRK_THREADS:-2}
CONNS=${WRK_CONNS:-64}
TIMEOUT=${WRK_TIMEOUT:-2s}
SCENARIOS=${SCENARIOS-post-single post-batch get-percentiles}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LOGDIR=${BENCH_LOGDIR:-$(mktemp -d /tmp/bench.XXXXXX)}
mkdir -p "$LOGDIR"

NAMES=20            # must match wrk/*.lua
PREFILL_PER_METRIC=10000
BATCH=100

for tool in wrk curl awk; do
  command -v "$tool" >/dev/null || { echo "bench.sh: $tool not found" >&2; exit 1; }
done

log() { echo "[bench] $*" >&2; }

# ---------------------------------------------------------------- warm-up ----
prefill() {
  local dir="$LOGDIR/prefill" batches=$(( NAMES * PREFILL_PER_METRIC / BATCH ))
  mkdir -p "$dir"
  # One body file per batch; batch k carries 100 samples of metric k % 20. Timestamps are ms since the
  # epoch, printed with %.0f: Debian's default awk (mawk) clips %d at 2^31 - 1.
  awk -v n="$batches" -v names="$NAMES" -v per="$BATCH" -v dir="$dir" -v url="$URL/samples" \
      -v ts0="$(( $(date +%s) * 1000 - 3600000 ))" 'BEGIN {
    srand(42)
    cfg = dir "/curl.cfg"
    for (k = 0; k < n; k++) {
      name = sprintf("api.latency.%02d", k % names)
      body = "{\"samples\":["
      for (j = 0; j < per; j++) {
        v = -log(1 - rand()) * 20.0
        if (rand() < 0.01) v += 200.0 * rand()
        body = body (j ? "," : "") sprintf("{\"metric\":\"%s\",\"value\":%.3f,\"timestamp\":%.0f}", name, v, ts0 + k * per + j)
      }
      body = body "]}"
      f = sprintf("%s/b%05d.json", dir, k)
      printf "%s", body > f; close(f)
      if (k) print "next" > cfg
      printf "url = \"%s\"\nheader = \"Content-Type: application/json\"\ndata-binary = \"@%s\"\noutput = \"/dev/null\"\nwrite-out = \"%%{http_code}\\n\"\nsilent\nshow-error\n", url, f > cfg
    }
    close(cfg)
  }'
  local t0=$SECONDS
  curl -K "$dir/curl.cfg" > "$dir/codes.txt" 2> "$dir/curl.err" || true
  local total ok
  total=$(wc -l < "$dir/codes.txt")
  ok=$(grep -c '^2[0-9][0-9]$' "$dir/codes.txt" || true)
  log "prefill: $ok/$batches batch POSTs answered 2xx ($(( NAMES * PREFILL_PER_METRIC )) samples, $(( SECONDS - t0 ))s)"
  if [[ $total -ne $batches || $ok -ne $batches ]]; then
    log "prefill FAILED: codes: $(sort "$dir/codes.txt" | uniq -c | tr '\n' ' ') $(head -c 300 "$dir/curl.err")"
    exit 1
  fi
  rm -f "$dir"/b*.json
}

check() {  # check NAME expected-regex curl-args...
  local name=$1 want=$2; shift 2
  local code
  code=$(curl -s -o "$LOGDIR/check-$name.body" -w '%{http_code}' --max-time 5 "$@" || true)
  if [[ ! $code =~ $want ]]; then
    log "sanity check $name FAILED: HTTP $code: $(head -c 300 "$LOGDIR/check-$name.body")"
    exit 1
  fi
}

if [[ ${SKIP_PREFILL:-0} != 1 ]]; then
  prefill
fi
check post-single '^2[0-9][0-9]$' -X POST -H 'Content-Type: application/json' \
  --data-binary '{"metric":"api.latency.00","value":12.5}' "$URL/samples"
check post-batch '^2[0-9][0-9]$' -X POST -H 'Content-Type: application/json' \
  --data-binary '{"samples":[{"metric":"api.latency.01","value":12.5},{"metric":"api.latency.02","value":7.25,"timestamp":1732860000000}]}' "$URL/samples"
check get-percentiles '^200$' "$URL/metrics/api.latency.03/percentiles"
if ! grep -q '"count" *: *10000' "$LOGDIR/check-get-percentiles.body"; then
  log "warning: GET percentiles did not report count 10000: $(head -c 300 "$LOGDIR/check-get-percentiles.body")"
fi

# ------------------------------------------------------------------- runs ----
to_ms() {  # wrk prints e.g. 812.00us 1.23ms 2.01s 1.00m
  awk -v x="$1" 'BEGIN {
    if (x ~ /us$/)      { sub(/us$/, "", x); printf "%.3f", x / 1000 }
    else if (x ~ /ms$/) { sub(/ms$/, "", x); printf "%.3f", x }
    else if (x ~ /s$/)  { sub(/s$/, "", x);  printf "%.3f", x * 1000 }
    else if (x ~ /m$/)  { sub(/m$/, "", x);  printf "%.3f", x * 60000 }
    else if (x ~ /h$/)  { sub(/h$/, "", x);  printf "%.3f", x * 3600000 }
    else printf "nan"
  }'
}

samples_per_request() {
  case $1 in
    post-single) echo 1 ;;
    post-batch) echo $BATCH ;;
    *) echo 0 ;;
  esac
}

WRK_PIN=()
if [[ -n ${WRK_CPUS:-} ]]; then WRK_PIN=(taskset -c "$WRK_CPUS"); fi
log "wrk: $THREADS threads, $CONNS connections, ${DURATION}s per scenario${WRK_CPUS:+, pinned to CPU(s) $WRK_CPUS}, logs in $LOGDIR"
printf '%-16s %12s %12s %9s %9s %8s\n' "# scenario" "req/s" "samples/s" "p50_ms" "p99_ms" "errors"
for sc in $SCENARIOS; do
  out="$LOGDIR/$sc.txt"
  ${WRK_PIN[@]+"${WRK_PIN[@]}"} wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" --timeout "$TIMEOUT" --latency \
      -s "$HERE/wrk/$sc.lua" "$URL" > "$out" 2>&1 || { log "wrk failed for $sc:"; cat "$out" >&2; exit 1; }
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
  p50=$(awk '/Latency Distribution/ {d=1} d && $1=="50%" {print $2; exit}' "$out")
  p99=$(awk '/Latency Distribution/ {d=1} d && $1=="99%" {print $2; exit}' "$out")
  non2xx=$(awk -F': *' '/Non-2xx or 3xx responses/ {print $2}' "$out")
  sock=$(awk '/Socket errors:/ {gsub(/,/, ""); print $4 + $6 + $8 + $10}' "$out")
  errors=$(( ${non2xx:-0} + ${sock:-0} ))
  spr=$(samples_per_request "$sc")
  if [[ $spr -gt 0 ]]; then sps=$(awk -v r="$rps" -v n="$spr" 'BEGIN {printf "%.0f", r * n}'); else sps="-"; fi
  printf '%-16s %12.0f %12s %9s %9s %8d\n' "$sc" "${rps:-0}" "$sps" "$(to_ms "${p50:-nan}")" "$(to_ms "${p99:-nan}")" "$errors"
done

# -------------------------------------------------------------- peak RSS ----
descendants() {  # PID and all its descendants
  local p=$1 c
  echo "$p"
  for c in $(ps -o pid= --ppid "$p" 2>/dev/null); do descendants "$c"; done
}
if [[ -n ${SERVER_PID:-} ]]; then
  if [[ -r /proc/$SERVER_PID/status ]]; then
    total_kb=0; n=0
    for p in $(descendants "$SERVER_PID"); do
      kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
      [[ -n $kb ]] || continue
      total_kb=$(( total_kb + kb )); n=$(( n + 1 ))
    done
    printf 'peak_rss_mb %.1f (VmHWM summed over %d process(es) of pid %s)\n' \
      "$(awk -v k="$total_kb" 'BEGIN {print k / 1024}')" "$n" "$SERVER_PID"
  else
    echo "peak_rss_mb - (pid $SERVER_PID not readable)"
  fi
fi
