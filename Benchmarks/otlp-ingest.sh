#!/bin/bash
# OTLP ingest rate (issue 17, item 2; BENCHMARKS.md "OTLP ingest"): a release slowatch, then wrk (one
# thread, 4 connections, DURATION s each, in one run) posting the same body again and again to:
#   gauge    POST /v1/metrics, binary protobuf: one Gauge metric of 1,000 points (a sample each);
#   histo    POST /v1/metrics, binary protobuf: 100 delta ExponentialHistogram points (scale 6, 160
#            buckets each, 10 metrics), each merged into a history;
#   json     POST /samples: the same 1,000 samples as a JSON batch, the baseline beside them.
# Prints requests/s and data points (or samples)/s for each. Needs python3 with opentelemetry-proto (pip
# install opentelemetry-exporter-otlp-proto-http) to build the bodies, and wrk.
# Usage: swift build -c release --product slowatch && bash Benchmarks/otlp-ingest.sh [DURATION_S]
set -e
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$(realpath "${BIN:-$ROOT/.build/release/slowatch}")
DURATION=${1:-10}
WORK=$(mktemp -d)
cd "$WORK"
# shellcheck source=lib.sh
source "$ROOT/Benchmarks/lib.sh"
start_server server.log "$BIN"
trap 'kill $server; rm -rf "$WORK"' EXIT
python3 - <<'PY'
import json, random
from opentelemetry.proto.collector.metrics.v1.metrics_service_pb2 import ExportMetricsServiceRequest
random.seed(5)
values = [random.lognormvariate(3, 1) for _ in range(1000)]
def request():
    r = ExportMetricsServiceRequest()
    scope = r.resource_metrics.add().scope_metrics.add()
    scope.scope.name = "bench"
    return r, scope
r, scope = request()
g = scope.metrics.add(); g.name = "bench.gauge"
for v in values:
    g.gauge.data_points.add().as_double = v
open("gauge.bin", "wb").write(r.SerializeToString())
r, scope = request()
for m in range(10):
    e = scope.metrics.add(); e.name = "bench.histo.%d" % m
    e.exponential_histogram.aggregation_temporality = 1
    for _ in range(10):
        p = e.exponential_histogram.data_points.add()
        p.scale = 6; p.positive.offset = 256
        p.positive.bucket_counts.extend(random.randint(0, 9) + 1 for _ in range(160))
        p.count = sum(p.positive.bucket_counts); p.sum = 40.0 * p.count; p.min = 16; p.max = 90
open("histo.bin", "wb").write(r.SerializeToString())
json.dump({"samples": [{"metric": "bench.json", "value": v} for v in values]}, open("json.bin", "w"))
PY
for name in gauge histo json; do
    type=application/x-protobuf; path=/v1/metrics
    [ $name = json ] && { type=application/json; path=/samples; }
    printf 'local f = io.open("%s/%s.bin", "rb")\nwrk.body = f:read("*a")\nf:close()\nwrk.method = "POST"\nwrk.headers["Content-Type"] = "%s"\n' \
        "$WORK" "$name" "$type" > $name.lua
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Content-Type: $type" --data-binary @$name.bin "http://127.0.0.1:$port$path")
    [ "$status" = 200 ] || { echo "otlp-ingest: $name answered $status" >&2; exit 1; }
    rps=$(wrk -t1 -c4 -d"${DURATION}s" -s $name.lua "http://127.0.0.1:$port$path" | awk '/Requests\/sec/ {print $2}')
    points=1000; [ $name = histo ] && points=100
    printf '%-6s %10s req/s %12.0f points/s (%d points a request, %s bytes)\n' \
        "$name" "$rps" "$(echo "$rps * $points" | bc -l)" "$points" "$(wc -c < $name.bin)"
done
