#!/usr/bin/env bash
# Fixed-rate tail latency (issue 18, `make bench-latency`), part of the in-repo kit Benchmarks/harness.
#
# usage: latency.sh [DURATION_S]          (default 10 s per fixed-rate run)
#
# 1. Maximum rates: nginx and the Hummingbird peer each run bench.sh (closed-loop wrk, MAX_DURATION s
#    per scenario) alone; their req/s per scenario are the maxima.
# 2. Fixed rates: for every round, nginx, the peer and the target (each started fresh, pre-filled by
#    bench.sh with 10,000 samples per metric) get the open-loop load generator
#    (Benchmarks/LoadGenerator) at RATES per cent of nginx's maximum, per scenario. Where a rate is
#    above the peer's own maximum, the peer and the target also run at RATES per cent of the peer's.
#    Latency runs from each request's intended send time (no coordinated omission).
# 3. Prints a table (medians over ROUNDS) of achieved rate, p50/p99/p99.9/max and errors per scenario,
#    rate and server, then the target checks of issue 18:
#      - at 50 % of nginx's maximum, target p99 <= 2 x nginx p99 (post-single, get-percentiles);
#      - at every rate the peer sustains (achieved >= 95 % of the rate, no errors), target p99 and
#        p99.9 <= the peer's.
#
# env:
#   TARGET_CMD   command starting the service under test on 127.0.0.1:$PORT (as compare.sh), e.g.
#                  TARGET_CMD='$PWD/.build/release/slowatch serve --port $PORT'
#   TARGET_NAME  its label (default: target)
#   PEERS        peers to run (default "nginx hummingbird"; nginx is required for the rates)
#   ROUNDS       interleaved rounds (default 1), RATES (default "25 50 75"), MAX_DURATION (default 5)
#   SCENARIOS    (default "post-single get-percentiles post-batch")
#   CONNECTIONS  load generator keep-alive connections (default 64), ARRIVAL constant|poisson (constant)
#   LG_BIN       load generator binary (default .build/release/load-generator, built when missing)
#   HB_BIN, HB_SCRATCH, READY_TIMEOUT, RESULTS_DIR, SERVER_CPUS   as compare.sh
# Exit status: 0 when every run was carried out (targets held or not), 1 otherwise.
set -euo pipefail

if [[ ${1:-} == -h || ${1:-} == --help ]]; then
  sed -n '2,31p' "$0" | sed 's/^# \{0,1\}//'; exit 2
fi

DURATION=${1:-10}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PEERS=${PEERS-nginx hummingbird}
TARGET_NAME=${TARGET_NAME:-target}
ROUNDS=${ROUNDS:-1}
RATES=${RATES:-25 50 75}
MAX_DURATION=${MAX_DURATION:-5}
SCENARIOS=${SCENARIOS:-post-single get-percentiles post-batch}
CONNECTIONS=${CONNECTIONS:-64}
ARRIVAL=${ARRIVAL:-constant}
LG_BIN=${LG_BIN:-$ROOT/.build/release/load-generator}
HB_SCRATCH=${HB_SCRATCH:-/tmp/slowatch-bench-hummingbird-peer}
HB_BIN=${HB_BIN:-$HB_SCRATCH/release/HummingbirdPeer}
READY_TIMEOUT=${READY_TIMEOUT:-60}
RESULTS_DIR=${RESULTS_DIR:-$(mktemp -d /tmp/latency.XXXXXX)}
mkdir -p "$RESULTS_DIR"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "latency.sh: ROUNDS must be a positive integer" >&2; exit 2; }
[[ " $PEERS " == *" nginx "* ]] || { echo "latency.sh: PEERS must include nginx (its maximum sets the rates)" >&2; exit 2; }

log() { echo "[latency] $*" >&2; }

# ------------------------------------------------------------------ tools ----
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
command -v curl >/dev/null || missing+=(curl)
if (( ${#missing[@]} )); then
  log "installing ${missing[*]} with apt-get"
  sudo_cmd=(); (( EUID == 0 )) || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get install -y "${missing[@]}" >&2
fi
if [[ ! -x $LG_BIN ]]; then
  log "building the load generator (swift build -c release --product load-generator)"
  (cd "$ROOT" && swift build -c release --product load-generator) >&2
fi
if [[ " $PEERS " == *" hummingbird "* && ! -x $HB_BIN ]]; then
  log "building Hummingbird peer (swift build -c release)"
  (cd "$HERE/hummingbird-peer" && swift build -c release --scratch-path "$HB_SCRATCH") >&2
fi

# --------------------------------------------------- process management ----
# The same start/stop discipline as compare.sh: each server alone, in its own process group.
# shellcheck source=servers.sh
source "$HERE/servers.sh"

server_cmd() {  # NAME -> the command that starts it on $PORT
  case $1 in
    nginx) echo "exec '$HERE/nginx/run.sh' \"\$PORT\" '$RESULTS_DIR/nginx-prefix'" ;;
    hummingbird) echo "exec '$HB_BIN' \"\$PORT\"" ;;
    *) echo "$TARGET_CMD" ;;
  esac
}

start_server() {  # NAME TAG -> SERVER_PGID, PORT; pre-fills and checks with bench.sh (no wrk runs)
  local name=$1 tag=$2
  launch_server "$tag" "$(server_cmd "$name")" || { log "$name did not start"; return 1; }
  SCENARIOS="" BENCH_LOGDIR="$RESULTS_DIR/$tag.prefill" "$HERE/bench.sh" "http://127.0.0.1:$PORT" \
    > /dev/null 2> "$RESULTS_DIR/$tag.prefill.err" || { log "prefill failed for $name"; stop_server; return 1; }
}

jget() { sed -n "s/.*\"$1\":\([^,}]*\).*/\1/p" <<< "$2"; }

read -r -a SERVERS <<< "$PEERS"
if [[ -n ${TARGET_CMD:-} ]]; then SERVERS+=("$TARGET_NAME"); fi

# ------------------------------------------------------- 1. maximum rates ----
declare -A MAX
for peer in $PEERS; do
  start_server "$peer" "$peer.max" || exit 1
  SCENARIOS="$SCENARIOS" SKIP_PREFILL=1 BENCH_LOGDIR="$RESULTS_DIR/$peer.max" \
    "$HERE/bench.sh" "http://127.0.0.1:$PORT" "$MAX_DURATION" > "$RESULTS_DIR/$peer.max.txt" 2>/dev/null \
    || { log "bench.sh failed for $peer"; stop_server; exit 1; }
  stop_server
  while read -r sc rps _; do
    [[ $sc == \#* || -z $sc ]] || MAX[$peer,$sc]=$rps
  done < "$RESULTS_DIR/$peer.max.txt"
  log "$peer maximum (wrk, ${MAX_DURATION}s): $(for sc in $SCENARIOS; do printf '%s=%s ' "$sc" "${MAX[$peer,$sc]:-?}"; done)"
done

# Per scenario, the rate points: "label rate servers" lines.
plan() {  # SCENARIO
  local sc=$1 p rate nmax=${MAX[nginx,$sc]} hmax=${MAX[hummingbird,$sc]:-}
  for p in $RATES; do
    rate=$(awk -v m="$nmax" -v p="$p" 'BEGIN { printf "%.0f", m * p / 100 }')
    echo "$p%nginx $rate ${SERVERS[*]}"
  done
  [[ -n $hmax ]] || return 0
  for p in $RATES; do
    rate=$(awk -v m="$nmax" -v p="$p" 'BEGIN { printf "%.0f", m * p / 100 }')
    if awk -v r="$rate" -v h="$hmax" 'BEGIN { exit !(r > h) }'; then
      echo "$p%peer $(awk -v m="$hmax" -v p="$p" 'BEGIN { printf "%.0f", m * p / 100 }') hummingbird $TARGET_NAME"
    fi
  done
}

# ----------------------------------------------------------- 2. fixed rates ----
declare -A ACH P50 P99 P999 PMAX ERR
FAILED=0
for round in $(seq 1 "$ROUNDS"); do
  for server in "${SERVERS[@]}"; do
    tag="$server.r$round"
    start_server "$server" "$tag" || { FAILED=1; continue; }
    for sc in $SCENARIOS; do
      while read -r label rate servers; do
        [[ " $servers " == *" $server "* ]] || continue
        out=$("$LG_BIN" --port "$PORT" --rate "$rate" --duration "$DURATION" --connections "$CONNECTIONS" \
          --scenario "$sc" --arrival "$ARRIVAL" --json 2> "$RESULTS_DIR/$tag.$sc.$label.err" | tee "$RESULTS_DIR/$tag.$sc.$label.txt" | head -1) || true
        if [[ $out != \{* ]]; then log "load generator failed: $server $sc $label"; FAILED=1; continue; fi
        k="$server,$sc,$label"
        ACH[$k]+=" $(jget achieved_rate "$out")"; P50[$k]+=" $(jget p50_ms "$out")"; P99[$k]+=" $(jget p99_ms "$out")"
        P999[$k]+=" $(jget p999_ms "$out")"; PMAX[$k]+=" $(jget max_ms "$out")"; ERR[$k]+=" $(jget errors "$out")"
        log "$tag $sc $label ($rate/s): $out"
      done < <(plan "$sc")
    done
    stop_server
  done
done

# ---------------------------------------------------------------- 3. table ----
agg() {  # FUNC FMT VALUES...: median | sum over the rounds; "-" when there are none
  local fn=$1 fmt=$2; shift 2
  printf '%s\n' "$@" | awk -v fn="$fn" -v fmt="$fmt" '
    NF { if ($1 !~ /^[0-9.]+$/) bad = 1; a[++n] = $1 + 0; s += $1 }
    END {
      if (n == 0 || bad) { print "-"; exit }
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      v = (fn == "sum") ? s : ((n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2)
      printf fmt "\n", v
    }'
}
# shellcheck disable=SC2086  # word splitting of the per-round lists is intended
med() { local -n table=$1; agg median %.3f ${table[$2]:-}; }

echo
echo "== fixed rates, ${DURATION}s per run, $CONNECTIONS connections, $ARRIVAL arrivals; $(nproc) cores shared; medians of $ROUNDS round(s) (errors: sum) =="
printf '%-16s %-10s %9s %-12s %10s %9s %9s %9s %9s %7s\n' scenario rate req/s server achieved p50_ms p99_ms p99.9_ms max_ms errors
for sc in $SCENARIOS; do
  while read -r label rate servers; do
    for server in $servers; do
      k="$server,$sc,$label"
      # shellcheck disable=SC2086
      printf '%-16s %-10s %9s %-12s %10s %9s %9s %9s %9s %7s\n' "$sc" "$label" "$rate" "$server" \
        "$(agg median %.0f ${ACH[$k]:-})" "$(med P50 "$k")" "$(med P99 "$k")" "$(med P999 "$k")" \
        "$(med PMAX "$k")" "$(agg sum %d ${ERR[$k]:-})"
    done
  done < <(plan "$sc")
done

# ------------------------------------------------------------ target checks ----
le() { awk -v a="$1" -v b="$2" -v f="${3:-1}" 'BEGIN { exit !(a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && a <= b * f) }'; }
HELD=0; MISSED=0
verdict() {  # TEXT A B FACTOR
  if le "$2" "$3" "$4"; then HELD=$((HELD + 1)); echo "  held    $1: $2 <= $4 x $3"
  else MISSED=$((MISSED + 1)); echo "  MISSED  $1: $2 > $4 x $3"; fi
}
if [[ -n ${TARGET_CMD:-} ]]; then
  t=$TARGET_NAME
  echo
  echo "targets (issue 18, fixed-rate tails)"
  for sc in post-single get-percentiles; do
    [[ " $SCENARIOS " == *" $sc "* && " $RATES " == *" 50 "* ]] || continue
    verdict "$sc at 50% of nginx's max: $t p99 <= 2x nginx p99" "$(med P99 "$t,$sc,50%nginx")" "$(med P99 "nginx,$sc,50%nginx")" 2
  done
  if [[ " $PEERS " == *" hummingbird "* ]]; then
    for sc in $SCENARIOS; do
      while read -r label rate servers; do
        k="hummingbird,$sc,$label"
        # shellcheck disable=SC2086
        ach=$(agg median %.0f ${ACH[$k]:-}); errs=$(agg sum %d ${ERR[$k]:-})
        if ! le "$rate" "$ach" 1.0526 || [[ $errs != 0 ]]; then
          echo "  -       $sc at $label ($rate/s): the peer does not sustain it (achieved $ach/s, $errs errors)"; continue
        fi
        verdict "$sc at $label ($rate/s): $t p99 <= peer p99" "$(med P99 "$t,$sc,$label")" "$(med P99 "$k")" 1
        verdict "$sc at $label ($rate/s): $t p99.9 <= peer p99.9" "$(med P999 "$t,$sc,$label")" "$(med P999 "$k")" 1
      done < <(plan "$sc")
    done
  fi
  echo "targets: $HELD held, $MISSED missed"
fi
echo "logs: $RESULTS_DIR"
exit "$FAILED"
