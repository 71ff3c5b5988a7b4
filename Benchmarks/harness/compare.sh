#!/usr/bin/env bash
# Side-by-side benchmark (Benchmarks/harness): nginx ("physical limit" of HTTP/1.1 here), the
# Hummingbird 2 peer ("what a Swift user would pick instead"), and optionally
# the service under test. Each server is started alone on a free 127.0.0.1
# port, benchmarked with bench.sh, then stopped (servers never run concurrently).
#
# usage: compare.sh [DURATION_S]          (default 10 s per scenario)
#
# env:
#   TARGET_CMD   command line that starts the service under test listening on
#                127.0.0.1:$PORT (PORT is exported; quote it so compare.sh
#                expands it), e.g.
#                  TARGET_CMD='$PWD/.build/release/slowatch serve --port $PORT'
#                Run with `bash -c` from the current directory, in its own
#                process group (stopped with SIGTERM, then SIGKILL after 10 s).
#   TARGET_NAME  label for it in the table (default: target)
#   PEERS        which peers to run (default: "nginx hummingbird")
#   HB_BIN       Hummingbird peer binary (default: $HB_SCRATCH/release/HummingbirdPeer, HB_SCRATCH=/tmp/slowatch-bench-hummingbird-peer;
#                built with `swift build -c release` if missing)
#   READY_TIMEOUT seconds to wait for a server to accept HTTP (default 60)
#   RESULTS_DIR  where logs go (default: mktemp -d /tmp/compare.XXXXXX)
#   ROUNDS       repeat the whole sequence N times, interleaved (nginx, hummingbird,
#                target, nginx, ...), each with a fresh server; the table shows
#                medians (default 1). Use >= 3 for decisions: see README.
#   SERVER_CPUS  e.g. 0: start each server under taskset -c 0 (default unpinned);
#                combine with WRK_CPUS=1 (bench.sh) to split the two cores
#   SCENARIOS, WRK_THREADS, WRK_CONNS, WRK_CPUS, ...  passed through to bench.sh (and the table)
set -euo pipefail

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 2
fi

DURATION=${1:-10}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PEERS=${PEERS-nginx hummingbird}
TARGET_NAME=${TARGET_NAME:-target}
HB_SCRATCH=${HB_SCRATCH:-/tmp/slowatch-bench-hummingbird-peer}
HB_BIN=${HB_BIN:-$HB_SCRATCH/release/HummingbirdPeer}
READY_TIMEOUT=${READY_TIMEOUT:-60}
RESULTS_DIR=${RESULTS_DIR:-$(mktemp -d /tmp/compare.XXXXXX)}
mkdir -p "$RESULTS_DIR"
ROUNDS=${ROUNDS:-1}
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "compare.sh: ROUNDS must be a positive integer" >&2; exit 2; }
export SCENARIOS=${SCENARIOS:-post-single post-batch get-percentiles}  # bench.sh runs these too

log() { echo "[compare] $*" >&2; }

# ---------------------------------------------------------- process mgmt ----
# shellcheck source=servers.sh
source "$HERE/servers.sh"

# start_server NAME CMD  -> sets SERVER_PGID, SERVER_URL
start_server() { launch_server "$1" "$2"; }

declare -A RPS SPS P50 P99 ERR RSS   # space-separated values, one per round
TARGETS=()
FAILED=0

bench_one() {  # NAME CMD ROUND
  local name=$1 cmd=$2 round=$3 tag=$1
  (( ROUNDS > 1 )) && tag="$name.r$round"
  start_server "$tag" "$cmd" || { log "skipping $name"; FAILED=1; return 0; }
  [[ " ${TARGETS[*]} " == *" $name "* ]] || TARGETS+=("$name")
  local out="$RESULTS_DIR/$tag.bench.txt"
  if ! SERVER_PID=$SERVER_PGID BENCH_LOGDIR="$RESULTS_DIR/$tag" \
       "$HERE/bench.sh" "$SERVER_URL" "$DURATION" > "$out" 2> >(tee "$RESULTS_DIR/$tag.bench.err" >&2); then
    log "bench.sh failed for $name (see $RESULTS_DIR/$tag.bench.err)"; FAILED=1
  fi
  stop_server
  sed "s/^/  [$tag] /" "$out" >&2
  local sc rps sps p50 p99 err rest
  while read -r sc rest; do
    case $sc in
      post-single|post-batch|get-percentiles)
        read -r rps sps p50 p99 err <<< "$rest"
        RPS[$name,$sc]+=" $rps"; SPS[$name,$sc]+=" $sps"; P50[$name,$sc]+=" $p50"
        P99[$name,$sc]+=" $p99"; ERR[$name,$sc]+=" $err" ;;
      peak_rss_mb)
        RSS[$name]+=" ${rest%% *}" ;;
    esac
  done < "$out"
}

# ------------------------------------------------------------------ run ----
if [[ " $PEERS " == *" hummingbird "* && ! -x $HB_BIN ]]; then
  log "building Hummingbird peer (swift build -c release)"
  (cd "$HERE/hummingbird-peer" && swift build -c release --scratch-path "$HB_SCRATCH") >&2
fi
for round in $(seq 1 "$ROUNDS"); do
  (( ROUNDS > 1 )) && log "round $round/$ROUNDS"
  for peer in $PEERS; do
    case $peer in
      nginx)
        command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || { log "nginx not installed (apt-get install nginx-light)"; continue; }
        bench_one nginx "exec '$HERE/nginx/run.sh' \"\$PORT\" '$RESULTS_DIR/nginx-prefix'" "$round" ;;
      hummingbird)
        bench_one hummingbird "exec '$HB_BIN' \"\$PORT\"" "$round" ;;
      *) log "unknown peer '$peer'" ;;
    esac
  done
  if [[ -n ${TARGET_CMD:-} ]]; then
    bench_one "$TARGET_NAME" "$TARGET_CMD" "$round"
  fi
done

# ---------------------------------------------------------------- table ----
# agg FUNC FMT VALUES...: median | sum | max | range over the rounds; "-" if any value isn't numeric
agg() {
  local fn=$1 fmt=$2; shift 2
  printf '%s\n' "$@" | awk -v fn="$fn" -v fmt="$fmt" '
    NF { if ($1 !~ /^[0-9.]+$/) bad = 1; a[++n] = $1 + 0; s += $1 }
    END {
      if (n == 0 || bad) { print "-"; exit }
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      if (fn == "sum") v = s
      else if (fn == "max") v = a[n]
      else if (fn == "range") { printf fmt "-" fmt "\n", a[1], a[n]; exit }
      else v = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
      printf fmt "\n", v
    }'
}
# shellcheck disable=SC2086  # word splitting of the per-round lists is intended
med_rps() { agg median %.0f ${RPS[$1,$2]:-}; }
med_p99() { agg median %.3f ${P99[$1,$2]:-}; }
max_rss() { agg max %.1f ${RSS[$1]:-}; }

echo
if [[ -n ${SERVER_CPUS:-}${WRK_CPUS:-} ]]; then
  cpus="server on CPU(s) ${SERVER_CPUS:-any}, wrk on CPU(s) ${WRK_CPUS:-any}"
else
  cpus="$(nproc) cores shared by wrk and the server"
fi
rounds_note=""
(( ROUNDS > 1 )) && rounds_note="; median of $ROUNDS interleaved rounds (errors: sum, RSS: max)"
echo "== ${DURATION}s per scenario, wrk ${WRK_THREADS:-2} threads / ${WRK_CONNS:-64} connections; $cpus$rounds_note =="
if (( ROUNDS > 1 )); then
  printf '%-16s %-14s %12s %12s %9s %9s %8s  %s\n' scenario server req/s samples/s p50_ms p99_ms errors "req/s range"
else
  printf '%-16s %-14s %12s %12s %9s %9s %8s\n' scenario server req/s samples/s p50_ms p99_ms errors
fi
for sc in $SCENARIOS; do
  for t in "${TARGETS[@]}"; do
    # shellcheck disable=SC2086
    line=$(printf '%-16s %-14s %12s %12s %9s %9s %8s' "$sc" "$t" \
      "$(med_rps "$t" "$sc")" "$(agg median %.0f ${SPS[$t,$sc]:-})" "$(agg median %.3f ${P50[$t,$sc]:-})" \
      "$(med_p99 "$t" "$sc")" "$(agg sum %d ${ERR[$t,$sc]:-})")
    if (( ROUNDS > 1 )); then
      # shellcheck disable=SC2086
      line+="  $(agg range %.0f ${RPS[$t,$sc]:-})"
    fi
    echo "$line"
  done
done
printf '%-16s' "peak RSS (MB)"
for t in "${TARGETS[@]}"; do printf ' %s=%s' "$t" "$(max_rss "$t")"; done
echo

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) printf "%.2fx", a / b; else printf "n/a" }'; }
if [[ -n ${TARGET_CMD:-} ]]; then
  echo
  echo "ratios for $TARGET_NAME (req/s: >1 is faster; p99: <1 is better)"
  printf '%-16s %-26s %-26s\n' scenario "$TARGET_NAME/hummingbird" "$TARGET_NAME/nginx"
  for sc in $SCENARIOS; do
    hb="req/s $(ratio "$(med_rps "$TARGET_NAME" "$sc")" "$(med_rps hummingbird "$sc")")  p99 $(ratio "$(med_p99 "$TARGET_NAME" "$sc")" "$(med_p99 hummingbird "$sc")")"
    ng="req/s $(ratio "$(med_rps "$TARGET_NAME" "$sc")" "$(med_rps nginx "$sc")")  p99 $(ratio "$(med_p99 "$TARGET_NAME" "$sc")" "$(med_p99 nginx "$sc")")"
    printf '%-16s %-26s %-26s\n' "$sc" "$hb" "$ng"
  done
  printf '%-16s %-26s %-26s\n' "peak RSS" "$(ratio "$(max_rss "$TARGET_NAME")" "$(max_rss hummingbird)")" "$(ratio "$(max_rss "$TARGET_NAME")" "$(max_rss nginx)")"
fi
echo "logs: $RESULTS_DIR"
exit "$FAILED"
