"""One keep-alive client for instruction counts (Benchmarks/callgrind-requests.sh).

usage: callgrind_client.py PORT post|get|prefill|batch|fill20|single20 COUNT [TOKEN]
Sends COUNT identical requests on one connection, each after the previous answer: `post` and `prefill`
send POST /samples with one sample of metric m, `get` sends GET /metrics/m/percentiles, `batch` sends
POST /samples with 100 samples shaped as Benchmarks/harness/wrk/post-batch.lua's (20 names
api.latency.00..19 in rotation, values with 3 decimals, a timestamp in ms on each; about 7 KB). `fill20` is
bench.sh's prefill (COUNT batches of 100 samples of one metric each, api.latency.00..19 in turn, timestamps from an
hour ago) and `single20` is harness/wrk/post-single.lua's shape (one sample, the 20 names in rotation, a pool of
1,000 varied values, no timestamp). With TOKEN, every
request carries Authorization: Bearer TOKEN. Exits non-zero on any answer but 200.
"""
import socket
import sys
import time


def main():
    port, kind, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    auth = b"Authorization: Bearer %s\r\n" % sys.argv[4].encode() if len(sys.argv) > 4 else b""
    body = b'{"metric":"m","value":1.5}'
    post = (b"POST /samples HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + auth
            + b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    if kind == "batch":
        start = int(time.time() * 1000)
        parts = [b'{"metric":"api.latency.%02d","value":%.3f,"timestamp":%d}' % (j % 20, 1.5 + j * 0.731, start + j)
                 for j in range(100)]
        body = b'{"samples":[' + b",".join(parts) + b"]}"
        post = (b"POST /samples HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + auth
                + b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    if kind in ("fill20", "single20"):
        start = int(time.time() * 1000) - 3600000
        pool = []
        for i in range(1000 if kind == "single20" else count):
            if kind == "single20":
                body = b'{"metric":"api.latency.%02d","value":%.3f}' % (i % 20, 0.5 + (i * 7919 % 1000) * 0.061)
            else:
                body = b'{"samples":[' + b",".join(
                    b'{"metric":"api.latency.%02d","value":%.3f,"timestamp":%d}'
                    % (i % 20, 0.5 + (j * 7919 % 1000) * 0.061, start + i * 100 + j) for j in range(100)) + b"]}"
            pool.append(b"POST /samples HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" + auth
                        + b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    else:
        pool = None
    get = b"GET /metrics/m/percentiles HTTP/1.1\r\nHost: x\r\n" + auth + b"\r\n"
    request = get if kind == "get" else post
    connection = socket.create_connection(("127.0.0.1", port))
    connection.settimeout(60)
    for number in range(count):
        connection.sendall(pool[number % len(pool)] if pool else request)
        buffer = b""
        while b"\r\n\r\n" not in buffer:
            chunk = connection.recv(65536)
            if not chunk:
                sys.exit("the server closed the connection")
            buffer += chunk
        head, rest = buffer.split(b"\r\n\r\n", 1)
        lines = head.split(b"\r\n")
        length = 0
        for line in lines[1:]:
            name, value = line.split(b":", 1)
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(rest) < length:
            rest += connection.recv(65536)
        if not lines[0].startswith(b"HTTP/1.1 200"):
            sys.exit("unexpected answer: %s" % lines[0].decode())


main()
