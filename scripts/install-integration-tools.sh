#!/usr/bin/env bash
# Installs the real programs the integration tests drive, each only when it is missing:
#   prometheus, promtool          (Debian: prometheus)              the exposition and scrape tests, and
#                                                                   `slowatch rules` (check rules, test rules)
#   prometheus-alertmanager, amtool (Debian: prometheus-alertmanager) the alert forwarding test, the fleet's
#                                                                   docker/fleet/alertmanager.yml
#   chromium                      (Debian: chromium)                the dashboard test in a real browser
#   docker-compose                (Debian: docker-compose)          parses docker/compose.yaml and
#                                                                   docker/compose.fleet.yaml (no engine)
#   nc                            (Debian: netcat-openbsd)          StatsD over UDP from the shell
#   statsd                        (PyPI)                            a real StatsD client
#   requests, httpx, httpx-sse, sseclient-py, datadog (PyPI)        the client habits tests (README snippets)
#   prometheus-client (PyPI)                                        the OpenMetrics parser test
#   opentelemetry-sdk, opentelemetry-exporter-otlp-proto-http (PyPI) the OTLP ingest test (docs/otlp.md)
#
# A program that cannot be installed is reported here, and the tests that need it are reported as skipped
# with the reason (never passed). Exits 0 either way, so the rest of the suite still runs.
set -uo pipefail

say() { printf 'install-integration-tools: %s\n' "$*"; }
sudo=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
        say "neither root nor sudo: nothing can be installed; the tests that need a missing program will be skipped"
        exit 0
    fi
fi

# program → Debian package
declare -A packages=(
    [prometheus]=prometheus [promtool]=prometheus
    [prometheus-alertmanager]=prometheus-alertmanager [amtool]=prometheus-alertmanager
    [chromium]=chromium [docker-compose]=docker-compose [nc]=netcat-openbsd
)
missing=()
for program in "${!packages[@]}"; do
    command -v "$program" >/dev/null 2>&1 || missing+=("${packages[$program]}")
done
if [ "${#missing[@]}" -gt 0 ]; then
    mapfile -t wanted < <(printf '%s\n' "${missing[@]}" | sort -u)
    say "installing with apt-get: ${wanted[*]}"
    $sudo apt-get update -qq || say "apt-get update failed"
    for package in "${wanted[@]}"; do
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$package" \
            >/dev/null || say "could not install $package: the tests that need it will be skipped"
    done
else
    say "prometheus, alertmanager, chromium, docker-compose and nc are installed"
fi

if ! python3 -c 'import statsd' >/dev/null 2>&1; then
    say "installing the statsd client from PyPI"
    python3 -m pip install --quiet --disable-pip-version-check statsd \
        || say "could not install statsd: the StatsD client test will be skipped"
fi
# Python module → PyPI package, for the client habits tests and the OpenMetrics parser test (each test
# also installs what it needs).
declare -A python_packages=(
    [requests]=requests [httpx]=httpx [httpx_sse]=httpx-sse [sseclient]=sseclient-py [datadog]=datadog
    [prometheus_client]=prometheus-client
    [opentelemetry.sdk]=opentelemetry-sdk
    [opentelemetry.exporter.otlp.proto.http]=opentelemetry-exporter-otlp-proto-http
)
for module in "${!python_packages[@]}"; do
    if ! python3 -c "import $module" >/dev/null 2>&1; then
        package="${python_packages[$module]}"
        say "installing $package from PyPI"
        python3 -m pip install --quiet --disable-pip-version-check "$package" \
            || say "could not install $package: the client habits tests that need it will be skipped"
    fi
done
exit 0
