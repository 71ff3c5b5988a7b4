#!/bin/bash
# The cost of a Prometheus scrape in each format (issue 17, BENCHMARKS section 18): a release slowatch
# with 1,000 metrics of 200 log-normal samples each, then wrk (one connection, 10 s, twice each,
# interleaved) on GET /metrics with the text Accept and with Prometheus's native-histogram Accept.
# Usage: swift build -c release --product slowatch && bash Benchmarks/scrape-formats.sh
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${BIN:-$ROOT/.build/release/slowatch}
PORT=${PORT:-18931}
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
curl -s -o text.out -w 'text bytes %{size_download}\n' -H 'Accept: text/plain;version=0.0.4' localhost:$PORT/metrics
curl -s -o proto.out -w 'protobuf bytes %{size_download}\n' -H 'Accept: application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3,*/*;q=0.1' localhost:$PORT/metrics
cat > text.lua <<L
wrk.headers["Accept"] = "text/plain;version=0.0.4"
L
cat > proto.lua <<L
wrk.headers["Accept"] = "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3,*/*;q=0.1"
L
for f in text proto text proto; do echo "== $f"; wrk -t1 -c1 -d10s -s $f.lua --latency http://127.0.0.1:$PORT/metrics | grep -E "Requests/sec|Latency|50%|99%"; done
