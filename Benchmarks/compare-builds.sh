#!/usr/bin/env bash
# Two builds of slowatch side by side: the harness's three wrk scenarios (bench.sh) against an old and a
# new binary, interleaved over rounds (old, new, old, new, …), each server fresh and alone on a free port.
# Prints the median req/s, p99 and peak RSS of each, and the ratio new/old.
#
# usage: Benchmarks/compare-builds.sh OLD_BINARY NEW_BINARY [DURATION_S]     (default 5 s per scenario)
# env:   BENCH_DIR  the benchmark kit with bench.sh and its wrk scripts (default: harness/ beside this script)
#        ROUNDS     interleaved rounds (default 3)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

OLD=${1:?usage: compare-builds.sh OLD_BINARY NEW_BINARY [DURATION_S]}
NEW=${2:?usage: compare-builds.sh OLD_BINARY NEW_BINARY [DURATION_S]}
DURATION=${3:-5}
BENCH_DIR=${BENCH_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/harness}
ROUNDS=${ROUNDS:-3}
LOGS=$(mktemp -d /tmp/compare-builds.XXXXXX)
for bin in "$OLD" "$NEW"; do [[ -x $bin ]] || { echo "compare-builds: $bin is not an executable" >&2; exit 1; }; done
[[ -x $BENCH_DIR/bench.sh ]] || { echo "compare-builds: no bench.sh in $BENCH_DIR (set BENCH_DIR)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "compare-builds: wrk is missing (apt-get install wrk)" >&2; exit 1; }

server=""
trap '[[ -n $server ]] && kill "$server" 2>/dev/null; wait 2>/dev/null || true' EXIT

run_one() {  # LABEL BINARY ROUND
    local port
    start_server "$LOGS/$1.r$3.server.log" "$2"
    SERVER_PID=$server bash "$BENCH_DIR/bench.sh" "http://127.0.0.1:$port" "$DURATION" > "$LOGS/$1.r$3.txt"
    stop_server
    sed "s/^/[$1 r$3] /" "$LOGS/$1.r$3.txt" >&2
}

for round in $(seq 1 "$ROUNDS"); do
    run_one old "$OLD" "$round"
    run_one new "$NEW" "$round"
done

# The median over the rounds of column COLUMN (2 = req/s, 5 = p99 ms) of scenario SCENARIO for LABEL.
median() {
    cat "$LOGS/$1".r*.txt | awk -v sc="$2" -v col="$3" '$1 == sc { a[++n] = $col + 0 }
        END { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
              if (n == 0) print "-"; else print (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }'
}
echo "== ${DURATION} s per scenario, median of $ROUNDS interleaved rounds; logs in $LOGS =="
printf '%-16s %12s %12s %9s %9s %9s\n' scenario "old req/s" "new req/s" new/old "old p99" "new p99"
for sc in post-single post-batch get-percentiles; do
    o=$(median old "$sc" 2); n=$(median new "$sc" 2)
    printf '%-16s %12s %12s %9s %9s %9s\n' "$sc" "$o" "$n" "$(awk -v a="$n" -v b="$o" 'BEGIN { printf "%.2f", a / b }')" \
        "$(median old "$sc" 5)" "$(median new "$sc" 5)"
done
printf '%-16s %12s %12s\n' peak_rss_mb "$(median old peak_rss_mb 2)" "$(median new peak_rss_mb 2)"
