#!/usr/bin/env python3
"""PUT /slos/{id} latency at 10,000 SLOs, through the real binary with --data-dir (issue 15, item 11).

usage: Benchmarks/slo-put-latency.py BINARY [--fsync never|batch|always] [--slos 10000] [--puts 2000]

Starts BINARY with a fresh --data-dir on a free port, PUTs SLOS new SLOs over one keep-alive connection,
then times PUTS replacements of random existing ones (the set stays at SLOS) and prints the p50, p99 and
max in ms, measured by the client (request sent to answer read).
"""
import argparse, http.client, json, os, random, shutil, socket, subprocess, tempfile, time

parser = argparse.ArgumentParser()
parser.add_argument("binary")
parser.add_argument("--fsync", default="never")
parser.add_argument("--slos", type=int, default=10_000)
parser.add_argument("--puts", type=int, default=2_000)
args = parser.parse_args()

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
data = tempfile.mkdtemp(prefix="slo-put-")
server = subprocess.Popen(
    [args.binary, "serve", "--port", str(port), "--data-dir", data, "--fsync", args.fsync,
     "--check-interval", "1h"], stderr=subprocess.DEVNULL)
try:
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    connection = http.client.HTTPConnection("127.0.0.1", port)

    def put(index, threshold):
        body = json.dumps({"metric": f"m{index % 100}", "percentile": "p99", "threshold": threshold})
        started = time.perf_counter()
        connection.request("PUT", f"/slos/s{index}", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status in (200, 201), response.status
        return elapsed

    for index in range(args.slos):
        put(index, 10)
    times = sorted(put(random.randrange(args.slos), random.randint(1, 1000)) for _ in range(args.puts))
    p = lambda q: times[min(len(times) - 1, int(q * len(times)))]
    print(f"slos={args.slos} fsync={args.fsync} puts={args.puts} "
          f"p50_ms={p(0.50):.3f} p99_ms={p(0.99):.3f} max_ms={times[-1]:.3f}")
finally:
    server.terminate()
    server.wait(timeout=30)
    shutil.rmtree(data, ignore_errors=True)
