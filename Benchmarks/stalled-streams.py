#!/usr/bin/env python3
"""Issue 15, item 7: what non-reading SSE streams cost, and whether /healthz stays fast while they are fed.

Usage: stalled-streams.py PORT STREAMS SECONDS, against a slowatch started with
`--check-interval 100ms --rate-limit-window 100ms` (so 40 violating SLOs emit about 400 events a second).
Defines 40 violating SLOs, opens STREAMS event streams that never read (4 KiB receive buffers), then probes
GET /healthz on one keep-alive connection every 10 ms for SECONDS and prints the latency figures. Read the
server's VmRSS/VmHWM from /proc/<pid>/status before and after (see BENCHMARKS.md, section 12).
"""
import http.client
import json
import socket
import sys
import time

port, count, seconds = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
client = http.client.HTTPConnection("127.0.0.1", port)
headers = {"Content-Type": "application/json"}
for i in range(40):
    slo = {"metric": "feed.%d" % i, "percentile": "p50", "threshold": 1, "unit": "ms"}
    client.request("PUT", "/slos/feed-%d" % i, json.dumps(slo), headers)
    client.getresponse().read()
    client.request("POST", "/samples", json.dumps({"metric": "feed.%d" % i, "value": 100}), headers)
    client.getresponse().read()
streams = []
for _ in range(count):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect(("127.0.0.1", port))
    s.sendall(b"GET /slo/violations HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
    streams.append(s)
latencies = []
end = time.time() + seconds
while time.time() < end:
    start = time.time()
    client.request("GET", "/healthz")
    client.getresponse().read()
    latencies.append(time.time() - start)
    time.sleep(0.01)
latencies.sort()
print("probes %d p50 %.1fms p99 %.1fms max %.1fms" % (
    len(latencies), latencies[len(latencies) // 2] * 1e3, latencies[int(len(latencies) * 0.99)] * 1e3,
    latencies[-1] * 1e3))
