#!/bin/bash
# The cost of a Prometheus scrape in each format and encoding (issue 17, BENCHMARKS sections 18 and 19): a
# release slowatch with 1,000 metrics of 200 log-normal samples each, then wrk (one connection, 10 s,
# twice each, interleaved, in one run) on GET /metrics with the text Accept and with Prometheus's
# native-histogram (protobuf) Accept, each also with Accept-Encoding: gzip unless GZIP=0.
# Usage: swift build -c release --product slowatch && [GZIP=0] bash Benchmarks/scrape-formats.sh
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/.build/release/slowatch}
PORT=${PORT:-18931}
GZIP=${GZIP:-1}
WORK=$(mktemp -d)
cd "$WORK"
$BIN --port $PORT > server.log 2>&1 &
PID=$!
trap 'kill $PID; rm -rf "$WORK"' EXIT
for i in $(seq 1 50); do curl -sf localhost:$PORT/healthz >/dev/null && break; sleep 0.1; done
python3 - <<PY
import json, random, urllib.request
random.seed(3)
for batch in range(100):
    samples=[]
    for m in range(batch*10,(batch+1)*10):
        for k in range(200):
            samples.append({"metric":"m%04d"%m,"value":random.lognormvariate(3,1)})
    req=urllib.request.Request("http://127.0.0.1:$PORT/samples",data=json.dumps({"samples":samples}).encode(),headers={"Content-Type":"application/json"})
    urllib.request.urlopen(req).read()
PY
TEXT='text/plain;version=0.0.4'
PROTO='application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3,*/*;q=0.1'
runs=""
for f in text proto; do
    accept=$TEXT; [ $f = proto ] && accept=$PROTO
    curl -s -o $f.out -w "$f bytes %{size_download}\n" -H "Accept: $accept" localhost:$PORT/metrics
    printf 'wrk.headers["Accept"] = "%s"\n' "$accept" > $f.lua
    runs="$runs $f"
    if [ "$GZIP" = 1 ]; then
        curl -s -o $f.gz -w "$f gzip bytes %{size_download}\n" -H "Accept: $accept" -H 'Accept-Encoding: gzip' localhost:$PORT/metrics
        printf 'wrk.headers["Accept"] = "%s"\nwrk.headers["Accept-Encoding"] = "gzip"\n' "$accept" > $f-gzip.lua
        runs="$runs $f-gzip"
    fi
done
for f in $runs $runs; do
    echo "== $f"; wrk -t1 -c1 -d10s -s $f.lua --latency http://127.0.0.1:$PORT/metrics | grep -E "Requests/sec|Latency|50%|99%"
done
