#!/usr/bin/env bash
# Mixed load (issue 5, "Also measure" 1): two wrk instances at once against one slowatch, one posting
# single samples and one reading percentiles, on the 20 metrics the benchmark kit (Benchmarks/harness)
# uses, pre-filled with 10,000 samples each. Prints each instance's req/s, p50 and p99.
#
# usage: Benchmarks/mixed-load.sh [DURATION_S]     (default 10)
# env:   SLOWATCH_BIN  the binary (default .build/release/slowatch, built with `swift build -c release`)
#        BENCH_DIR     the benchmark kit, for its wrk scripts (default Benchmarks/harness)
#        CONNS         connections per wrk instance (default 32, so 64 in all, as in the harness)
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

DURATION=${1:-10}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-$HERE/Benchmarks/harness}
BIN=${SLOWATCH_BIN:-$HERE/.build/release/slowatch}
CONNS=${CONNS:-32}
command -v wrk >/dev/null || { echo "mixed-load: wrk is missing (apt-get install wrk)" >&2; exit 1; }
[[ -x $BIN ]] || { echo "mixed-load: $BIN is missing; run swift build -c release first" >&2; exit 1; }

PORT=$(free_port)
LOGS=$(mktemp -d /tmp/mixed-load.XXXXXX)
"$BIN" serve --port "$PORT" > "$LOGS/server.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
wait_until_healthy "$PORT" || true
curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" || { echo "mixed-load: the server did not start" >&2; cat "$LOGS/server.log" >&2; exit 1; }

# The harness's pre-fill: 10,000 samples in each of api.latency.00 … api.latency.19.
python3 - "$PORT" <<'PY'
import http.client, json, random, sys
random.seed(1)
connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]))
for batch in range(2000):
    samples = [{"metric": "api.latency.%02d" % ((batch * 100 + j) % 20), "value": round(random.expovariate(1 / 20), 3)}
               for j in range(100)]
    connection.request("POST", "/samples", json.dumps({"samples": samples}), {"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    assert response.status == 200, response.status
PY

wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency -s "$BENCH_DIR/wrk/post-single.lua" "http://127.0.0.1:$PORT" > "$LOGS/post-single.txt" &
WRITER=$!
wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency -s "$BENCH_DIR/wrk/get-percentiles.lua" "http://127.0.0.1:$PORT" > "$LOGS/get-percentiles.txt" &
READER=$!
wait "$WRITER" || { echo "mixed-load: the writer wrk failed (see $LOGS/post-single.txt)" >&2; exit 1; }
wait "$READER" || { echo "mixed-load: the reader wrk failed (see $LOGS/get-percentiles.txt)" >&2; exit 1; }

echo "== mixed load: ${DURATION}s, 2 wrk instances (1 thread, $CONNS connections each) at once, $(nproc) cores shared =="
printf '%-16s %10s %9s %9s %8s\n' scenario req/s p50_ms p99_ms errors
for scenario in post-single get-percentiles; do
    awk -v name="$scenario" '
        function ms(text) { if (text ~ /us$/) return text / 1000; if (text ~ /ms$/) return text + 0; if (text ~ /s$/) return text * 1000; return text }
        /Requests\/sec/ { rps = $2 }
        $1 == "50%" { p50 = ms($2) }
        $1 == "99%" { p99 = ms($2) }
        /Non-2xx/ { errors += $NF }
        /Socket errors/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) errors += $i + 0 }
        END { printf "%-16s %10.0f %9.3f %9.3f %8d\n", name, rps, p50, p99, errors }' "$LOGS/$scenario.txt"
done
echo "logs: $LOGS"
