#!/usr/bin/env bash
# Contract tests against the real slowatch binary (issue 7 §4):
#   1. schemathesis (PyPI) runs every operation of openapi.yaml, with every check, and must find nothing;
#   2. REDbot (PyPI, Mark Nottingham's HTTP linter) checks GET /metrics/x/percentiles and GET /healthz,
#      and must report no "bad" note.
#
# The script installs both tools with pip when they are missing (pinned versions, so that a new release
# of either cannot change the verdict unnoticed), builds `slowatch` (debug), starts it on a free
# loopback port with samples and an SLO so that every route has data, and stops it by PID on exit.
# Every step has a time limit. Override the tools' versions with SCHEMATHESIS_VERSION and
# REDBOT_VERSION, and skip the build with SLOWATCH_BIN=/path/to/slowatch.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

schemathesis_version="${SCHEMATHESIS_VERSION:-4.32.5}"
redbot_version="${REDBOT_VERSION:-2.7.1}"

say() { echo "check-contract: $*"; }
fail() {
    echo "check-contract: FAILED: $*" >&2
    if [ -n "${work:-}" ] && [ -s "$work/server.log" ]; then
        echo "check-contract: the server's log ends with:" >&2
        tail -n 20 "$work/server.log" >&2
    fi
    exit 1
}
# Prints a command, then runs it.
run() {
    echo "+ $*"
    "$@"
}

python="$(command -v python3 || command -v python || true)"
[ -n "$python" ] || fail "python3 is missing; install it (apt-get install python3 python3-pip)"
export PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1
scripts_dir="$("$python" -c 'import sysconfig; print(sysconfig.get_path("scripts"))')"

pip_install() {
    say "installing $* with pip"
    # Debian's own Python refuses installs outside a virtual environment (PEP 668) unless told to.
    "$python" -m pip install --quiet "$@" 2>/dev/null \
        || "$python" -m pip install --quiet --break-system-packages "$@" \
        || fail "could not install $* with pip"
}

# The installed version of a distribution, or nothing.
installed_version() {
    "$python" -c 'import importlib.metadata as m, sys
try: print(m.version(sys.argv[1]))
except m.PackageNotFoundError: pass' "$1"
}

# A console script of the pip-installed tools: where pip put it, else on PATH.
tool() {
    if [ -x "$scripts_dir/$1" ]; then echo "$scripts_dir/$1"; else command -v "$1" || true; fi
}

if [ "$(installed_version schemathesis)" != "$schemathesis_version" ]; then
    pip_install "schemathesis==$schemathesis_version"
fi
# Two PyPI projects install a Python package named `redbot`: mnot's HTTP linter (distribution
# `redbot`) and the Discord bot (distribution `Red-DiscordBot`). Ask for the distribution by name, and
# check that the one installed is the linter: it has `redbot.resource.HttpResource`.
if [ "$(installed_version redbot)" != "$redbot_version" ]; then
    pip_install "redbot==$redbot_version"
fi
"$python" -c 'from redbot.resource import HttpResource' 2>/dev/null \
    || fail "the installed 'redbot' Python package is not REDbot, the HTTP linter (is Red-DiscordBot installed?)"

st="$(tool st)"
redbot="$(tool redbot)"
[ -n "$st" ] || fail "schemathesis is installed but its 'st' command is not in $scripts_dir nor on PATH"
[ -n "$redbot" ] || fail "REDbot is installed but its 'redbot' command is not in $scripts_dir nor on PATH"
say "schemathesis $("$st" --version | awk '{print $NF}') at $st; REDbot $(installed_version redbot) at $redbot"

if [ -n "${SLOWATCH_BIN:-}" ]; then
    binary="$SLOWATCH_BIN"
else
    run timeout 1800 swift build --product slowatch
    binary="$(swift build --product slowatch --show-bin-path)/slowatch"
fi
[ -x "$binary" ] || fail "no slowatch binary at $binary"

work="$(mktemp -d)"
server_pid=""
stop_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        # Graceful shutdown takes well under its grace period here; then it is killed.
        for _ in $(seq 100); do
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap stop_server EXIT
trap 'exit 130' INT TERM

# The server sees only the flags below: no SLOWATCH_* setting (a token, a config file) from the caller.
while IFS= read -r variable; do unset "$variable"; done < <(compgen -e | grep '^SLOWATCH_' || true)

say "starting $binary on a free loopback port"
SWIFT_BACKTRACE=enable=no "$binary" serve --host 127.0.0.1 --port 0 --check-interval 500ms \
    >"$work/server.log" 2>&1 &
server_pid=$!

port=""
for _ in $(seq 300); do
    port="$(sed -n 's|.* listening on http://127\.0\.0\.1:\([0-9]*\) .*|\1|p' "$work/server.log" | head -n 1)"
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$port" ]; then
    cat "$work/server.log" >&2
    fail "slowatch did not log its port within 30 s"
fi
base="http://127.0.0.1:$port"
say "slowatch (pid $server_pid) listens on $base"

# Calls the server; fails unless the status is the expected one.
call() {
    local expected="$1"
    shift
    local status
    status="$(curl --silent --show-error --max-time 10 --output "$work/answer" --write-out '%{http_code}' "$@" || true)"
    [ "$status" = "$expected" ] || fail "curl $* answered $status, not $expected: $(cat "$work/answer")"
}

# Samples for `x` (the metric REDbot reads) and for the names in the spec's examples, and an SLO on x
# that is broken, so that the percentiles, samples, SLO and violation routes all answer with data.
seed_data() {
    call 200 "$base/samples" -H 'Content-Type: application/json' \
        -d '{"samples":[{"metric":"x","value":12.5},{"metric":"x","value":48},{"metric":"x","value":7.25},{"metric":"checkout.latency","value":12.5},{"metric":"search.latency","value":7.25}]}'
    call 200 "$base/samples" -H 'Content-Type: text/plain' --data-binary $'x:30|ms\nx:40:50|d\n'
}
seed_data
call 201 -X PUT "$base/slos/x-p95" -H 'Content-Type: application/json' \
    -d '{"metric":"x","percentile":"p95","threshold":1,"severity":"critical"}'
call 201 -X PUT "$base/slos/checkout-p95" -H 'Content-Type: application/json' \
    -d '{"metric":"checkout.latency","percentile":"p95","threshold":60,"window":"5m"}'
for _ in $(seq 100); do
    call 200 "$base/slo/violations?slo=x-p95"
    grep -q '"perf.slo_violation"' "$work/answer" && break
    sleep 0.1
done
grep -q '"perf.slo_violation"' "$work/answer" || fail "the SLO x-p95 was not reported violating within 10 s"
say "posted samples for x, checkout.latency and search.latency; the SLO x-p95 is violating"

say "schemathesis"
set +e
(
    # st keeps a cache of past crashes under ./.schemathesis: run it in the temporary folder, on a copy
    # of the spec, so that every run starts from nothing and the work tree stays clean.
    cp openapi.yaml "$work/openapi.yaml"
    cp scripts/schemathesis.toml "$work/schemathesis.toml"
    cd "$work"
    set -o pipefail
    run timeout 900 "$st" --config-file schemathesis.toml run openapi.yaml --url "$base" --checks all --phases examples,coverage,fuzzing \
        -n 50 --seed 1 --generation-database none 2>&1 | tee "$work/schemathesis.txt"
)
st_status=$?
set -e
[ "$st_status" -eq 0 ] || fail "schemathesis exited with $st_status (see its failures above)"
grep -q 'No issues found' "$work/schemathesis.txt" || fail "schemathesis did not report 'No issues found'"

# REDbot's notes have a level: good, info, warning or bad. A "bad" note is an error: a response that
# breaks the HTTP specifications (for example a wrong Content-Length, an invalid header value, a broken
# conditional or range answer). So is a REDbot run that got no complete 200 answer. Every note is
# printed with its level; only "bad" ones (at any depth) fail the check.
redbot_check() {
    local url="$1"
    echo "+ timeout 120 $redbot -o har $url"
    timeout 120 "$redbot" -o har "$url" >"$work/redbot.har" || fail "REDbot on $url exited with $?"
    "$python" - "$url" "$work/redbot.har" <<'PY' || fail "REDbot's check of $url failed (see above)"
import json
import sys

url, path = sys.argv[1], sys.argv[2]
with open(path) as handle:
    log = json.load(handle)["log"]
if log.get("_red_error"):
    sys.exit(f"REDbot could not check {url}: {log['_red_error']}")
entries = log.get("entries", [])
if not entries:
    sys.exit(f"REDbot got no complete response from {url}")
status = entries[0]["response"]["status"]
if status != 200:
    sys.exit(f"REDbot got {status} from {url}, not 200")

bad = []

def show(note, depth):
    print(f"{'  ' * depth}  [{note['level'].lower()}] {note['category'].lower()} {note['note_id']}: {note['summary']}")
    if note["level"] == "BAD":
        bad.append(note["summary"])
    for subnote in note.get("subnotes") or []:
        show(subnote, depth + 1)

print(f"REDbot on {url}: {status}")
for entry in entries:
    for note in entry["_red_messages"]:
        show(note, 0)
if bad:
    sys.exit(f"REDbot found {len(bad)} bad note(s) on {url}: " + "; ".join(bad))
PY
}

# The spec's examples may have deleted x's samples; post them again.
seed_data
say "REDbot"
redbot_check "$base/metrics/x/percentiles"
redbot_check "$base/healthz"

kill -0 "$server_pid" 2>/dev/null || fail "slowatch is no longer running"
say "slowatch's peak resident memory: $(awk '/^VmHWM/ {print $2, $3}' "/proc/$server_pid/status" 2>/dev/null || echo unknown)"
say "passed: schemathesis found no issue, REDbot no bad note"
