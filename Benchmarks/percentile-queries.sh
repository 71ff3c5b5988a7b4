#!/usr/bin/env bash
# Percentile queries with and without q=/window= (issue 19, item 5): one metric of 10,000 samples,
# GET /metrics/q/percentiles plain, with q=0.75 (not one of the quantiles the plain answer carries),
# with window=5m and with both, against an old and a new binary interleaved over rounds (old, new, old,
# new, …), each server fresh and alone on a free port. wrk is closed-loop: its req/s is throughput at
# saturation. Prints the median req/s of each query per build, and each query's req/s ÷ the plain
# query's in the same build.
#
# usage: Benchmarks/percentile-queries.sh OLD_BINARY NEW_BINARY [DURATION_S]   (default 5 s per query)
# env:   ROUNDS (default 3), WRK_THREADS (default 2), WRK_CONNS (default 50)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

OLD=${1:?usage: percentile-queries.sh OLD_BINARY NEW_BINARY [DURATION_S]}
NEW=${2:?usage: percentile-queries.sh OLD_BINARY NEW_BINARY [DURATION_S]}
DURATION=${3:-5}
ROUNDS=${ROUNDS:-3}
THREADS=${WRK_THREADS:-2}
CONNS=${WRK_CONNS:-50}
LOGS=$(mktemp -d /tmp/percentile-queries.XXXXXX)
QUERIES=(plain "q=0.75" "window=5m" "q=0.75&window=5m")
for bin in "$OLD" "$NEW"; do [[ -x $bin ]] || { echo "percentile-queries: $bin is not an executable" >&2; exit 1; }; done
command -v wrk >/dev/null || { echo "percentile-queries: wrk is missing (apt-get install wrk)" >&2; exit 1; }

server=""
trap '[[ -n $server ]] && kill "$server" 2>/dev/null; wait 2>/dev/null || true' EXIT

# 10,000 samples of metric q, stamped now (inside window=5m for the whole run), in 100 batches.
prefill() {  # PORT
    python3 - "$1" <<'PY'
import json, random, sys, time, urllib.request
random.seed(19)
now = int(time.time() * 1000)
for batch in range(100):
    body = json.dumps({"samples": [{"metric": "q", "value": round(random.lognormvariate(3, 0.6), 3),
                                    "timestamp": now - random.randrange(60_000)} for _ in range(100)]})
    request = urllib.request.Request(f"http://127.0.0.1:{sys.argv[1]}/samples", body.encode(),
                                     {"Content-Type": "application/json"})
    urllib.request.urlopen(request).read()
PY
}

run_one() {  # LABEL BINARY ROUND
    local port query path
    start_server "$LOGS/$1.r$3.server.log" "$2"
    prefill "$port"
    for query in "${QUERIES[@]}"; do
        path="/metrics/q/percentiles"; [[ $query == plain ]] || path="$path?$query"
        [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$path") == 200 ]] \
            || { echo "percentile-queries: $path did not answer 200" >&2; exit 1; }
        wrk -t "$THREADS" -c "$CONNS" -d "${DURATION}s" "http://127.0.0.1:$port$path" > "$LOGS/$1.r$3.$query.wrk"
        echo "$query $(awk '/^Requests\/sec/ { print $2 }' "$LOGS/$1.r$3.$query.wrk")" >> "$LOGS/$1.r$3.txt"
    done
    stop_server
    sed "s/^/[$1 r$3] /" "$LOGS/$1.r$3.txt" >&2
}

for round in $(seq 1 "$ROUNDS"); do
    run_one old "$OLD" "$round"
    run_one new "$NEW" "$round"
done

median() {  # LABEL QUERY
    cat "$LOGS/$1".r*.txt | awk -v q="$2" '$1 == q { a[++n] = $2 + 0 }
        END { for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
              if (n == 0) print "-"; else print (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "== ${DURATION} s per query, wrk -t$THREADS -c$CONNS, median of $ROUNDS interleaved rounds; logs in $LOGS =="
printf '%-18s %12s %12s %9s %11s %11s\n' query "old req/s" "new req/s" new/old "old ÷plain" "new ÷plain"
old_plain=$(median old plain); new_plain=$(median new plain)
for query in "${QUERIES[@]}"; do
    o=$(median old "$query"); n=$(median new "$query")
    printf '%-18s %12s %12s %9s %11s %11s\n' "$query" "$o" "$n" "$(ratio "$n" "$o")" \
        "$(ratio "$o" "$old_plain")" "$(ratio "$n" "$new_plain")"
done
