#!/usr/bin/env bash
# The journal's cost: the harness's post-batch scenario (bench.sh) against one release binary without
# --data-dir and with --data-dir under each --fsync mode, interleaved over rounds (none, never, batch,
# always, none, …), each server fresh and alone on a free port with a fresh data directory.
# Prints the median req/s and p99 of each mode and its ratio to the run without --data-dir, and the
# server's median CPU time and context switches per 1,000 requests (steadier on a shared machine).
#
# usage: Benchmarks/journal-cost.sh BINARY [DURATION_S]     (default 5 s per run)
# env:   BENCH_DIR  the benchmark kit with bench.sh and its wrk scripts (default: harness/ beside this script)
#        ROUNDS     interleaved rounds (default 3)
#        MODES      default "none never batch always"
#        SCRATCH    where the data directories go (default a temp dir; use a real disk for fsync figures)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

BIN=${1:?usage: journal-cost.sh BINARY [DURATION_S]}
DURATION=${2:-5}
BENCH_DIR=${BENCH_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/harness}
ROUNDS=${ROUNDS:-3}
MODES=${MODES:-none never batch always}
LOGS=$(mktemp -d /tmp/journal-cost.XXXXXX)
SCRATCH=${SCRATCH:-$LOGS}
[[ -x $BIN ]] || { echo "journal-cost: $BIN is not an executable" >&2; exit 1; }
[[ -x $BENCH_DIR/bench.sh ]] || { echo "journal-cost: no bench.sh in $BENCH_DIR (set BENCH_DIR)" >&2; exit 1; }

server=""
trap '[[ -n $server ]] && kill "$server" 2>/dev/null; wait 2>/dev/null || true' EXIT

server_cost() {  # PID: "CPU ms, context switches" of the process so far, all its threads
    local ticks switches
    ticks=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
    switches=$(cat /proc/"$1"/task/*/status 2>/dev/null | awk '/ctxt_switches/ { s += $2 } END { print s + 0 }')
    echo "$((ticks * 1000 / $(getconf CLK_TCK))) $switches"
}

run_one() {  # MODE ROUND
    local port args=()
    if [[ $1 != none ]]; then
        rm -rf "$SCRATCH/data-$1-$2"
        args=(--data-dir "$SCRATCH/data-$1-$2" --fsync "$1")
    fi
    start_server "$LOGS/$1.r$2.server.log" "$BIN" "${args[@]}"
    local before after
    before=$(server_cost "$server")
    SCENARIOS=post-batch SERVER_PID=$server bash "$BENCH_DIR/bench.sh" "http://127.0.0.1:$port" "$DURATION" \
        > "$LOGS/$1.r$2.txt"
    after=$(server_cost "$server")
    # The server's CPU time (ms) and context switches per 1,000 post-batch requests, over the whole run
    # (the 2,000 pre-fill requests included): steadier than req/s on a shared machine.
    awk -v b="$before" -v a="$after" -v d="$DURATION" '$1 == "post-batch" {
        split(b, x, " "); split(a, y, " "); n = $2 * d + 2000
        printf "cost %.1f %.1f\n", (y[1] - x[1]) * 1000 / n, (y[2] - x[2]) * 1000 / n }' "$LOGS/$1.r$2.txt" \
        >> "$LOGS/$1.r$2.txt"
    stop_server
    rm -rf "$SCRATCH/data-$1-$2"
    sed "s/^/[$1 r$2] /" "$LOGS/$1.r$2.txt" >&2
}

for round in $(seq 1 "$ROUNDS"); do
    for mode in $MODES; do run_one "$mode" "$round"; done
done

median() {  # MODE COLUMN [ROW] (post-batch: 2 = req/s, 5 = p99 ms; cost: 2 = CPU ms, 3 = switches)
    cat "$LOGS/$1".r*.txt | awk -v c="$2" -v r="${3:-post-batch}" '$1 == r { print $c }' | sort -g \
        | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

base=$(median none 2)
printf '%-8s %12s %10s %8s %16s %18s\n' mode "req/s" "p99_ms" "ratio" "cpu_ms_per_1k" "switches_per_1k"
for mode in $MODES; do
    rps=$(median "$mode" 2)
    printf '%-8s %12s %10s %8s %16s %18s\n' "$mode" "$rps" "$(median "$mode" 5)" \
        "$(awk -v a="$rps" -v b="$base" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')" \
        "$(median "$mode" 2 cost)" "$(median "$mode" 3 cost)"
done
echo "logs: $LOGS" >&2
