#!/usr/bin/env bash
# The journal's cost: the harness's post-batch scenario (bench.sh) against one release binary without
# --data-dir and with --data-dir under each --fsync mode, interleaved over rounds (none, never, batch,
# always, none, …), each server fresh and alone on a free port with a fresh data directory.
# Prints the median req/s and p99 of each mode and its ratio to the run without --data-dir.
#
# usage: Benchmarks/journal-cost.sh BINARY [DURATION_S]     (default 5 s per run)
# env:   BENCH_DIR  required: a harness folder with bench.sh and the wrk scripts it runs
#        ROUNDS     interleaved rounds (default 3)
#        MODES      default "none never batch always"
#        SCRATCH    where the data directories go (default a temp dir; use a real disk for fsync figures)
set -euo pipefail

BIN=${1:?usage: journal-cost.sh BINARY [DURATION_S]}
DURATION=${2:-5}
BENCH_DIR=${BENCH_DIR:?journal-cost: set BENCH_DIR to a harness folder with bench.sh}
ROUNDS=${ROUNDS:-3}
MODES=${MODES:-none never batch always}
LOGS=$(mktemp -d /tmp/journal-cost.XXXXXX)
SCRATCH=${SCRATCH:-$LOGS}
[[ -x $BIN ]] || { echo "journal-cost: $BIN is not an executable" >&2; exit 1; }
[[ -x $BENCH_DIR/bench.sh ]] || { echo "journal-cost: no bench.sh in $BENCH_DIR (set BENCH_DIR)" >&2; exit 1; }

server=""
trap '[[ -n $server ]] && kill "$server" 2>/dev/null; wait 2>/dev/null || true' EXIT

run_one() {  # MODE ROUND
    local port args=()
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    if [[ $1 != none ]]; then
        rm -rf "$SCRATCH/data-$1-$2"
        args=(--data-dir "$SCRATCH/data-$1-$2" --fsync "$1")
    fi
    "$BIN" serve --port "$port" "${args[@]}" > "$LOGS/$1.r$2.server.log" 2>&1 &
    server=$!
    for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
    SCENARIOS=post-batch SERVER_PID=$server bash "$BENCH_DIR/bench.sh" "http://127.0.0.1:$port" "$DURATION" \
        > "$LOGS/$1.r$2.txt"
    kill "$server"; wait "$server" 2>/dev/null || true; server=""
    rm -rf "$SCRATCH/data-$1-$2"
    sed "s/^/[$1 r$2] /" "$LOGS/$1.r$2.txt" >&2
}

for round in $(seq 1 "$ROUNDS"); do
    for mode in $MODES; do run_one "$mode" "$round"; done
done

median() {  # MODE COLUMN (2 = req/s, 5 = p99 ms)
    cat "$LOGS/$1".r*.txt | awk -v c="$2" '$1 == "post-batch" { print $c }' | sort -g \
        | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

base=$(median none 2)
printf '%-8s %12s %10s %8s\n' mode "req/s" "p99_ms" "ratio"
for mode in $MODES; do
    rps=$(median "$mode" 2)
    printf '%-8s %12s %10s %8s\n' "$mode" "$rps" "$(median "$mode" 5)" \
        "$(awk -v a="$rps" -v b="$base" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')"
done
echo "logs: $LOGS" >&2
