#!/usr/bin/env python3
"""Makes the README's dashboard screenshots (docs/dashboard.png, docs/dashboard-phone.png,
docs/dashboard-dark.png) from a real slowatch with realistic, changing data.

    swift build && python3 Tests/browser/make_screenshots.py --slowatch .build/debug/slowatch

It starts slowatch on a free loopback port (SLO checks every second), posts two hours of back-dated
samples (one a second per service, with two past incidents) so the 1h charts come from history the
rings no longer hold, then samples for five services from a background thread (log-normal latencies,
10 a second each), opens the dashboard in
three headless Chromiums (desktop, phone, desktop in dark mode) through dashboard_driver.py, and plays
a short story while the pages keep their chart history: search slows down and recovers, then
checkout slows down and stays violating. After about 80 s the drivers take their screenshots.
Standard library only; needs `chromium`.
"""

import argparse
import json
import math
import os
import random
import socket
import subprocess
import sys
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# name → (description, median ms, spread of the log-normal, ring capacity in samples)
METRICS = {
    "checkout.latency": ("Click on Pay to the confirmation page", 48.0, 0.45, 300),
    "search.latency": ("Keystroke to results shown", 16.0, 0.40, 200),
    "api:orders.latency": ("GET /orders on the public API", 85.0, 0.35, 300),
    "image.resize": ("Thumbnail job, queue to done", 140.0, 0.30, 300),
    "login.latency": ("Password check and session", 62.0, 0.30, 300),
}
SLOS = {
    "checkout-p95": {"metric": "checkout.latency", "percentile": "p95", "threshold": 150},
    "search-p99": {"metric": "search.latency", "percentile": "p99", "threshold": 60},
    "orders-p99": {"metric": "api:orders.latency", "percentile": "p99", "threshold": 400},
    "resize-p95": {"metric": "image.resize", "percentile": "p95", "threshold": 500},
    "login-p95": {"metric": "login.latency", "percentile": "p95", "threshold": 200},
    "payments-p95": {"metric": "payments.latency", "percentile": "p95", "threshold": 300},
    # Error-budget SLOs (period 1d: the default tiers' windows divided by 30).
    "checkout-budget": {"metric": "checkout.latency", "percentile": "p99", "threshold": 250, "objective": 99.5, "period": "1d"},
    "orders-budget": {"metric": "api:orders.latency", "percentile": "p99", "threshold": 400, "objective": 99, "period": "1d"},
}
# Back-dated incidents: metric → (minutes ago it started, minutes ago it ended, slow-down factor)
PAST = {"checkout.latency": (80, 70, 2.2), "api:orders.latency": (30, 25, 3.0), "search.latency": (50, 40, 2.5)}
BACKFILL_MINUTES = 120
# seconds after the pages open → (metric, slow-down factor of the median)
STORY = [(12, "search.latency", 5.0), (30, "search.latency", 1.0), (40, "checkout.latency", 4.0)]
SHOT_AFTER_SECONDS = 80


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def call(base, method, path, body):
    request = urllib.request.Request(
        base + path, data=json.dumps(body).encode(), method=method, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status


def feed(base, factors, stop):
    """Posts one batch of 10 samples per metric every second until `stop` is set."""
    while not stop.is_set():
        samples = []
        for name, (_, median, spread, _) in METRICS.items():
            factor = factors.get(name, 1.0)
            for _ in range(10):
                value = median * factor * math.exp(random.gauss(0, spread))
                samples.append({"metric": name, "value": round(value, 2)})
        call(base, "POST", "/samples", {"samples": samples})
        stop.wait(1.0)


def backfill(base):
    """Posts BACKFILL_MINUTES of samples, one a second per metric, with their own timestamps."""
    now_ms = int(time.time() * 1000)
    samples = []
    for second in range(BACKFILL_MINUTES * 60, 0, -1):
        minutes_ago = second / 60
        for name, (_, median, spread, _) in METRICS.items():
            start, end, factor = PAST.get(name, (0, 0, 1.0))
            slow = factor if end <= minutes_ago < start else 1.0
            value = median * slow * math.exp(random.gauss(0, spread))
            samples.append({"metric": name, "value": round(value, 2), "timestamp": now_ms - second * 1000})
        if len(samples) >= 5000:
            call(base, "POST", "/samples", {"samples": samples})
            samples = []
    if samples:
        call(base, "POST", "/samples", {"samples": samples})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--slowatch", default=os.path.join(ROOT, ".build/debug/slowatch"))
    parser.add_argument("--out-dir", default=os.path.join(ROOT, "docs"))
    options = parser.parse_args()
    random.seed(7)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [options.slowatch, "--port", str(port), "--check-interval", "1s", "--rate-limit-window", "60s"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stop = threading.Event()
    drivers = []
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        for name, (description, _, _, capacity) in METRICS.items():
            call(base, "PUT", "/metrics/" + name, {"unit": "ms", "description": description, "capacity": capacity})
        # The binary's built-in example SLOs would crowd the picture: keep only this story's.
        with urllib.request.urlopen(base + "/slos", timeout=5) as response:
            for slo in json.load(response)["slos"]:
                request = urllib.request.Request(base + "/slos/" + slo["id"], method="DELETE")
                urllib.request.urlopen(request, timeout=5).close()
        for slo, body in SLOS.items():
            call(base, "PUT", "/slos/" + slo, body)
        backfill(base)
        factors = {}
        feeder = threading.Thread(target=feed, args=(base, factors, stop), daemon=True)
        feeder.start()
        time.sleep(3)
        os.makedirs(options.out_dir, exist_ok=True)
        wait = f"shot=performance.now() > {SHOT_AFTER_SECONDS * 1000}"
        for name, extra in [
            ("dashboard.png", ["--viewport", "1280x900"]),
            ("dashboard-phone.png", ["--viewport", "390x844", "--mobile", "--scale", "2"]),
            ("dashboard-dark.png", ["--viewport", "1280x900", "--color-scheme", "dark"]),
        ]:
            command = [sys.executable, os.path.join(HERE, "dashboard_driver.py"), "--url", base + "/"]
            command += extra + ["--wait", wait, "--timeout", str(SHOT_AFTER_SECONDS + 30)]
            command += ["--screenshot", os.path.join(options.out_dir, name)]
            drivers.append(subprocess.Popen(command, stdout=subprocess.PIPE, text=True))
        opened = time.monotonic()
        for at, metric, factor in STORY:
            time.sleep(max(0, opened + at - time.monotonic()))
            factors[metric] = factor
        for driver in drivers:
            output, _ = driver.communicate(timeout=SHOT_AFTER_SECONDS + 60)
            print(output.strip().splitlines()[-1][:400])
    finally:
        stop.set()
        for driver in drivers:
            if driver.poll() is None:
                driver.kill()
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
