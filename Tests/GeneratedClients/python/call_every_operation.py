"""Calls every operation of openapi.yaml through a client that openapi-python-client generated from it,
against the real slowatch binary, and checks each answer (issue 17, item 6).

Usage: python3 call_every_operation.py CLIENT_DIR BINARY

CLIENT_DIR holds the generated package `slowatch_client`; BINARY is the slowatch executable. The script
starts `BINARY serve` on a free loopback port, makes every call, and stops the server. It fails (exit
status 1, naming the operation) when an operation is missing from the generated client, answers an
unexpected status, or a parsed answer holds other values than the ones the calls imply.
"""

import importlib
import math
import pathlib
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

# Every operationId in the spec, as openapi-python-client names its module (snake case).
OPERATIONS = {
    "metrics": [
        "list_metrics", "head_metrics", "put_metric", "get_metric", "head_metric", "delete_metric",
        "get_percentiles", "head_percentiles", "get_recent_samples", "head_recent_samples",
        "get_metric_history", "head_metric_history",
    ],
    "samples": ["post_samples", "post_otlp_metrics"],
    "slos": ["list_sl_os", "head_sl_os", "put_slo", "get_slo", "head_slo", "delete_slo"],
    "violations": ["get_violations", "head_violations"],
    "service": [
        "get_dashboard", "head_dashboard", "get_health", "head_health", "get_open_api_spec",
        "head_open_api_spec",
    ],
}


def fail(message):
    print(f"call_every_operation: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(binary, port, data_dir):
    log = open(pathlib.Path(data_dir) / "server.log", "w")
    server = subprocess.Popen(
        [binary, "serve", "--host", "127.0.0.1", "--port", str(port), "--check-interval", "200ms"],
        stdout=log, stderr=subprocess.STDOUT)
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    fail(f"the server on port {port} did not answer /healthz within 10 s")


def nearest_rank(values, q):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def main():
    if len(sys.argv) != 3:
        fail("usage: call_every_operation.py CLIENT_DIR BINARY")
    sys.path.insert(0, sys.argv[1])
    api = {}
    for tag, names in OPERATIONS.items():
        for name in names:
            try:
                api[name] = importlib.import_module(f"slowatch_client.api.{tag}.{name}")
            except ImportError as error:
                fail(f"the generated client has no operation {tag}.{name} ({error})")
    models = importlib.import_module("slowatch_client.models")
    client_module = importlib.import_module("slowatch_client")

    port = free_port()
    with tempfile.TemporaryDirectory() as work:
        server = start_server(sys.argv[2], port, work)
        try:
            run_calls(api, models, client_module.Client(base_url=f"http://127.0.0.1:{port}", timeout=10))
        finally:
            server.terminate()
            server.wait(timeout=15)
    # Every operationId of the spec must be in OPERATIONS (and so called).
    spec = (pathlib.Path(__file__).resolve().parents[3] / "openapi.yaml").read_text()
    specified = {snake_case(line.split()[1]) for line in spec.splitlines()
                 if line.split()[:1] == ["operationId:"] and len(line.split()) == 2}
    listed = {name for names in OPERATIONS.values() for name in names}
    check(specified == listed, f"operations not called: {sorted(specified - listed)}; "
          f"called but not in the spec: {sorted(listed - specified)}")
    print(f"call_every_operation: all {len(listed)} operations of the spec answered as expected")


def snake_case(operation_id):
    """openapi-python-client's module name for an operationId: getOpenAPISpec → get_open_api_spec."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", operation_id).lower()


def status_of(response):
    return int(response.status_code)


def run_calls(api, models, client):
    name = "gen.latency"
    values = [float(v) for v in range(1, 101)]
    now = int(time.time() * 1000)

    # PUT /metrics/{name}: the definition comes back.
    definition = models.MetricDefinitionInput.from_dict(
        {"type": "latency", "unit": "ms", "description": "generated client", "capacity": 1000})
    metric = api["put_metric"].sync(name=name, client=client, body=definition)
    check(isinstance(metric, models.Metric), f"putMetric answered {metric!r}")
    check(metric.name == name and metric.capacity == 1000 and metric.unit == "ms", f"putMetric: {metric}")

    # POST /samples: one sample, then a batch; each answers Accepted with its count.
    one = models.SampleInput.from_dict({"metric": name, "value": values[0], "timestamp": now})
    accepted = api["post_samples"].sync(client=client, body=one)
    check(isinstance(accepted, models.Accepted), f"postSamples (one) answered {accepted!r}")
    batch = models.SampleBatch.from_dict(
        {"samples": [{"metric": name, "value": v, "timestamp": now + i} for i, v in enumerate(values[1:], 1)]})
    accepted = api["post_samples"].sync(client=client, body=batch)
    check(isinstance(accepted, models.Accepted), f"postSamples (batch) answered {accepted!r}")
    check(accepted.to_dict().get("accepted") == 99, f"postSamples (batch): {accepted.to_dict()}")

    # POST /v1/metrics (OTLP/JSON): a Gauge point is taken as a sample, a Sum point is refused in partialSuccess.
    otlp = models.PostOtlpMetricsJsonBody.from_dict({"resourceMetrics": [{"scopeMetrics": [{"metrics": [
        {"name": "gen.otlp", "gauge": {"dataPoints": [{"asDouble": 7.5, "timeUnixNano": str(now * 1_000_000)}]}},
        {"name": "gen.requests", "sum": {"dataPoints": [{"asInt": "3"}], "aggregationTemporality": 2}},
    ]}]}]})
    exported = api["post_otlp_metrics"].sync(client=client, body=otlp)
    check(isinstance(exported, models.OTLPExportResponse), f"postOTLPMetrics answered {exported!r}")
    partial = exported.to_dict().get("partialSuccess", {})
    check(str(partial.get("rejectedDataPoints")) == "1" and "Sum" in partial.get("errorMessage", ""),
          f"postOTLPMetrics: {exported.to_dict()}")
    gauge = api["get_metric"].sync(name="gen.otlp", client=client)
    check(isinstance(gauge, models.Metric) and gauge.count == 1, f"getMetric gen.otlp after OTLP: {gauge!r}")

    listed = api["list_metrics"].sync(client=client)
    check(isinstance(listed, models.MetricList), f"listMetrics answered {listed!r} (not the JSON list)")
    check(name in [m.name for m in listed.metrics], f"listMetrics lacks {name}")
    check(status_of(api["head_metrics"].sync_detailed(client=client)) == 200, "headMetrics")

    metric = api["get_metric"].sync(name=name, client=client)
    check(isinstance(metric, models.Metric) and metric.count == 100, f"getMetric: {metric!r}")
    check(metric.history is not None and metric.history.late == 0, f"getMetric history: {metric.history!r}")
    check(status_of(api["head_metric"].sync_detailed(name=name, client=client)) == 200, "headMetric")

    # Percentiles: exact nearest-rank over the 100 values.
    answer = api["get_percentiles"].sync(name=name, client=client, q=["0.5", "0.99"])
    check(isinstance(answer, models.Percentiles), f"getPercentiles answered {answer!r}")
    quantiles = answer.to_dict()["quantiles"]
    for q in ("0.5", "0.99"):
        check(quantiles.get(q) == nearest_rank(values, float(q)), f"getPercentiles q={q}: {quantiles}")
    check(status_of(api["head_percentiles"].sync_detailed(name=name, client=client)) == 200, "headPercentiles")

    recent = api["get_recent_samples"].sync(name=name, client=client, limit=5)
    check(isinstance(recent, models.SampleList), f"getRecentSamples answered {recent!r}")
    check([s.value for s in recent.samples] == values[:-6:-1], f"getRecentSamples: {recent.to_dict()}")
    check(status_of(api["head_recent_samples"].sync_detailed(name=name, client=client)) == 200,
          "headRecentSamples")

    history = api["get_metric_history"].sync(name=name, client=client, range_="1h", step="1h", q=["0.5"])
    check(isinstance(history, models.MetricHistory), f"getMetricHistory answered {history!r}")
    counted = sum(point.to_dict().get("count", 0) for point in history.points)
    check(counted == 100, f"getMetricHistory counts {counted} samples, not 100: {history.to_dict()}")
    check(status_of(api["head_metric_history"].sync_detailed(name=name, client=client)) == 200,
          "headMetricHistory")

    # SLOs: the p50 of 1…100 is 50, above a 10 ms threshold: a violation.
    slo_input = models.SLOInput.from_dict(
        {"metric": name, "percentile": "p50", "threshold": 10, "window": "1h"})
    slo = api["put_slo"].sync(id="gen-p50", client=client, body=slo_input)
    check(isinstance(slo, models.SLO) and slo.id == "gen-p50", f"putSLO answered {slo!r}")
    slos = api["list_sl_os"].sync(client=client)
    check(isinstance(slos, models.SLOList) and "gen-p50" in [s.id for s in slos.slos], f"listSLOs: {slos!r}")
    check(status_of(api["head_sl_os"].sync_detailed(client=client)) == 200, "headSLOs")
    violated = None
    for _ in range(50):
        violated = api["get_slo"].sync(id="gen-p50", client=client)
        if isinstance(violated, models.SLO) and violated.to_dict().get("status", {}).get("state") == "violating":
            break
        time.sleep(0.1)
    check(isinstance(violated, models.SLO), f"getSLO answered {violated!r}")
    check(violated.to_dict()["status"]["state"] == "violating", f"getSLO status: {violated.to_dict()}")
    check(status_of(api["head_slo"].sync_detailed(id="gen-p50", client=client)) == 200, "headSLO")

    events = api["get_violations"].sync(client=client, slo="gen-p50")
    check(isinstance(events, models.ViolationList), f"getViolations answered {events!r}")
    violating = [e for e in events.violations if e.payload.slo == "gen-p50"]
    check(violating and violating[0].payload.actual == nearest_rank(values, 0.5),
          f"getViolations has no event of gen-p50 with actual 50: {events.to_dict()}")
    check(status_of(api["head_violations"].sync_detailed(client=client)) == 200, "headViolations")

    check(status_of(api["delete_slo"].sync_detailed(id="gen-p50", client=client)) == 204, "deleteSLO")
    check(status_of(api["get_slo"].sync_detailed(id="gen-p50", client=client)) == 404, "getSLO after delete")

    # The service routes.
    dashboard = api["get_dashboard"].sync_detailed(client=client)
    check(status_of(dashboard) == 200 and b"<html" in dashboard.content.lower(), "getDashboard")
    check(status_of(api["head_dashboard"].sync_detailed(client=client)) == 200, "headDashboard")
    health = api["get_health"].sync(client=client)
    check(isinstance(health, models.Health) and str(health.status.value) == "ok", f"getHealth: {health!r}")
    check(status_of(api["head_health"].sync_detailed(client=client)) == 200, "headHealth")
    spec = api["get_open_api_spec"].sync_detailed(client=client)
    check(status_of(spec) == 200 and spec.content.startswith(b"openapi: 3.1"), "getOpenAPISpec")
    check(status_of(api["head_open_api_spec"].sync_detailed(client=client)) == 200, "headOpenAPISpec")

    # DELETE /metrics/{name} last: the metric is gone.
    check(status_of(api["delete_metric"].sync_detailed(name=name, client=client)) == 204, "deleteMetric")
    check(status_of(api["get_metric"].sync_detailed(name=name, client=client)) == 404, "getMetric after delete")


if __name__ == "__main__":
    main()
