#!/usr/bin/env bash
# Generated clients against the real binary (issue 17, item 6), each calling every operation of the
# spec against `slowatch serve` and checking each answer:
# - Python: openapi-python-client (PyPI, pinned) generates a client from openapi.yaml, and
#   Tests/GeneratedClients/python/call_every_operation.py calls every operation through it;
# - Swift: Tests/GeneratedClients/swift, a package of its own whose build plugin runs
#   apple/swift-openapi-generator on openapi.yaml, builds CallEveryOperation, which calls every
#   operation through the generated Client (URLSession transport). Its build folder is .build-clients.
#
# The generator must read every input schema: a warning other than the three content types it cannot
# model (the `text/plain` StatsD body of POST /samples, the `application/x-protobuf` body of
# POST /v1/metrics, the `application/yaml` answer of
# GET /openapi.yaml; both operations are still generated, for their JSON forms) fails the check.
# Installs the generator with pip when missing (OPENAPI_PYTHON_CLIENT_VERSION overrides the pin); skips
# the build with SLOWATCH_BIN=/path/to/slowatch.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
version="${OPENAPI_PYTHON_CLIENT_VERSION:-0.29.1}"

say() { echo "check-generated-clients: $*"; }
fail() {
    echo "check-generated-clients: FAILED: $*" >&2
    exit 1
}

python="$(command -v python3 || true)"
[ -n "$python" ] || fail "python3 is missing; install it (apt-get install python3 python3-pip)"
export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1
installed="$("$python" -c 'import importlib.metadata as m
try: print(m.version("openapi-python-client"))
except m.PackageNotFoundError: pass')"
if [ "$installed" != "$version" ]; then
    say "installing openapi-python-client==$version with pip"
    "$python" -m pip install --quiet "openapi-python-client==$version" 2>/dev/null \
        || "$python" -m pip install --quiet --break-system-packages "openapi-python-client==$version" \
        || fail "could not install openapi-python-client==$version with pip"
fi
generator="$("$python" -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/openapi-python-client"
[ -x "$generator" ] || generator="$(command -v openapi-python-client || true)"
[ -n "$generator" ] || fail "openapi-python-client is installed but its command is not found"

if [ -n "${SLOWATCH_BIN:-}" ]; then
    binary="$SLOWATCH_BIN"
else
    timeout 1800 swift build --product slowatch
    binary="$(swift build --product slowatch --show-bin-path)/slowatch"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
say "generating a Python client from openapi.yaml"
timeout 300 "$generator" generate --path openapi.yaml --output-path "$work/client" > "$work/generate.txt" 2>&1 \
    || { cat "$work/generate.txt" >&2; fail "openapi-python-client could not generate a client"; }
# Each warning names what it is about on the line after "WARNING parsing …" or "Unable …".
unexpected="$(grep -E '^(WARNING|Unable|Could not|Failure|Cannot)' "$work/generate.txt" \
    | grep -v -E '^WARNING parsing (POST /samples within samples|POST /v1/metrics within samples|GET /openapi.yaml within service)\.$' \
    | grep -v -E '^Cannot parse response for status code .*\(Unsupported content_type application/yaml\)' || true)"
if [ -n "$unexpected" ]; then
    cat "$work/generate.txt" >&2
    fail "openapi-python-client could not read part of openapi.yaml: $unexpected"
fi
timeout 120 "$python" Tests/GeneratedClients/python/call_every_operation.py "$work/client" "$binary"

say "building the Swift client (swift-openapi-generator runs as the package's build plugin)"
timeout 1800 swift build --package-path Tests/GeneratedClients/swift --scratch-path "$root/.build-clients" \
    > "$work/swift-build.txt" 2>&1 || { tail -n 40 "$work/swift-build.txt" >&2; fail "the Swift client did not build"; }
caller="$(swift build --package-path Tests/GeneratedClients/swift --scratch-path "$root/.build-clients" --show-bin-path)/CallEveryOperation"
port="$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"$binary" serve --host 127.0.0.1 --port "$port" --check-interval 200ms > "$work/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break
    sleep 0.1
done
timeout 120 "$caller" "http://127.0.0.1:$port" || { tail -n 20 "$work/server.log" >&2; fail "the Swift client's calls failed"; }
