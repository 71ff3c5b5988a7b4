#!/usr/bin/env bash
# Instructions (and simulated cache misses) per one-sample POST /samples in the shape wrk drives it, counted
# by callgrind: the server pre-filled as harness/bench.sh does (2,000 batches of 100 samples, 20 metrics,
# timestamps from an hour ago), then N posts rotating over the 20 names (harness/wrk/post-single.lua's
# shape). Two runs, with 0 and N posts after the pre-fill; the difference divided by N is the marginal cost
# of a post, so start-up and pre-fill cancel. Closing a history slice (every 10 s of wall time per metric)
# falls into the posts as valgrind's slowed clock puts it there: the `advance` count printed says how many.
#
#   bash Benchmarks/callgrind-wrk-shape.sh .build/release/slowatch [N]      (N defaults to 2000)
#
# With KEEP=DIR, the two callgrind outputs stay in DIR (zero.out, posts.out).
set -euo pipefail
binary=${1:?usage: callgrind-wrk-shape.sh BINARY [N]}
count=${2:-2000}
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
callgrind_workspace callgrind-wrk-shape "$binary"

# Runs the server under callgrind, pre-fills it, sends `posts` single20 requests, and leaves $work/NAME.out.
run() {
    local name=$1 posts=$2 server port
    callgrind_serve "$name" --cache-sim=yes -- serve --port 0 --log-level info
    python3 "$here/callgrind_client.py" "$port" fill20 2000
    if [ "$posts" -gt 0 ]; then python3 "$here/callgrind_client.py" "$port" single20 "$posts"; fi
    callgrind_stop
}

run zero 0
run posts "$count"
python3 - "$work/zero.out" "$work/posts.out" "$count" <<'PY'
import re, subprocess, sys
def totals(path):
    out = subprocess.run(["callgrind_annotate", path], capture_output=True, text=True).stdout
    events = re.search(r"Events recorded:\s+(.*)", out).group(1).split()
    line = next(l for l in out.splitlines() if "PROGRAM TOTALS" in l)
    return dict(zip(events, (int(x.replace(",", "")) for x in re.findall(r"([\d,]+) \(", line))))
def advances(path):
    names, total, current = {}, 0, ""
    for line in open(path, errors="replace"):
        m = re.match(r"c?fn=\((\d+)\)(?: (.*))?", line)
        if m:
            if m.group(2): names[m.group(1)] = m.group(2)
            current = names.get(m.group(1), "") if line.startswith("cfn") else ""
        elif line.startswith("calls=") and "MetricHistoryV7advance" in current:
            total += int(line.split("=")[1].split()[0])
    return total
zero, posts, n = totals(sys.argv[1]), totals(sys.argv[2]), int(sys.argv[3])
marginal = {k: (posts[k] - zero[k]) / n for k in posts}
print(f"POST /samples (1 sample, wrk's shape): {marginal['Ir']:.0f} instructions per request")
print(f"simulated L1 data misses per request: {marginal['D1mr'] + marginal['D1mw']:.1f}; last level: {marginal['DLmr'] + marginal['DLmw']:.1f}")
print(f"history slices closed during the posts (MetricHistory.advance calls): {advances(sys.argv[2]) - advances(sys.argv[1])}")
PY
