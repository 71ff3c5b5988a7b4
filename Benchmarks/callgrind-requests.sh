#!/usr/bin/env bash
# User-space instructions per request inside Connection.service, counted by callgrind: deterministic,
# whatever else the machine is doing, so two builds can be compared on a noisy box.
#
#   bash Benchmarks/callgrind-requests.sh .build/release/slowatch [TOKEN]
#
# Prints the count for POST /samples with one sample, for GET /metrics/m/percentiles (20 samples
# posted first; their cost is subtracted) and for POST /samples with a batch of 100 samples (the
# shape of harness/wrk/post-batch.lua's bodies). With TOKEN, the server runs with --token TOKEN and every
# request carries it. N (1000) requests each, on one keep-alive connection. With KEEP=DIR, the callgrind
# outputs stay in DIR (post.out, get.out, batch.out) for `callgrind_annotate --inclusive=yes`.
set -euo pipefail
binary=${1:?usage: callgrind-requests.sh BINARY [TOKEN]}
token=${2:-}
count=${N:-1000}
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
callgrind_workspace callgrind-requests "$binary"
flags=(serve --port 0 --log-level info)
[ -n "$token" ] && flags+=(--token "$token")

# Runs the server under callgrind, sends `count` requests of `kind` (after `prefill` posts), and prints
# the instructions counted.
measure() {
    local kind=$1 prefill=$2 server port
    callgrind_serve "$kind" -- "${flags[@]}"
    if [ "$prefill" -gt 0 ]; then python3 "$here/callgrind_client.py" "$port" prefill "$prefill" $token; fi
    python3 "$here/callgrind_client.py" "$port" "$kind" "$count" $token
    callgrind_stop
    # awk reads to the end (no early exit), so callgrind_annotate never dies of SIGPIPE under pipefail.
    callgrind_annotate "$work/$kind.out" | awk '/PROGRAM TOTALS/ && !done { gsub(",", "", $1); print $1; done = 1 }'
}

post_total=$(measure post 0)
post=$((post_total / count))
get_total=$(measure get 20)
get=$(((get_total - 20 * post) / count))
batch_total=$(measure batch 0)
batch=$((batch_total / count))
echo "POST /samples (1 sample): $post instructions per request"
echo "GET /metrics/m/percentiles: $get instructions per request"
echo "POST /samples (batch of 100): $batch instructions per request"
