#!/usr/bin/env bash
# Slow-client attacks against a real slowatch, with Debian's slowhttptest: slowloris (-H), slow body
# (-B, R-U-Dead-Yet) and slow read (-X), one after another, each for SLOW_SECONDS (default 20).
#
# slowatch runs on a free loopback port with short limits (head, body and write-stall timeouts of 2 s),
# so every attacking connection is closed long before the run ends. The run fails unless, for every
# mode:
#   - slowhttptest's own probe found the service available at every sample of its CSV, and its summary
#     ends with "service available: YES";
#   - a concurrent curl of /healthz (every 200 ms, 2 s timeout each) never failed;
#   - when slowhttptest ends, slowatch holds (almost) none of its connections any more (counted with
#     ss on the server's port: slowhttptest itself does not notice a connection reset during a slow
#     read, so its own "closed" count cannot tell);
#   - slowatch is still running afterwards.
#
# Usage: Tests/load/slowhttptest.sh            (builds the debug slowatch when SLOW_BIN is not set)
# Environment: SLOW_BIN (a slowatch binary), SLOW_SECONDS (seconds per mode), SLOW_CONNECTIONS (500).
set -euo pipefail

cd "$(dirname "$0")/../.."
seconds="${SLOW_SECONDS:-20}"
connections="${SLOW_CONNECTIONS:-500}"

install_when_missing() {
    local command="$1" package="$2"
    command -v "$command" >/dev/null 2>&1 && return
    echo "slowhttptest.sh: installing $package"
    apt-get install -y "$package" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y "$package" >/dev/null; }
}
install_when_missing slowhttptest slowhttptest
install_when_missing curl curl
install_when_missing ss iproute2

binary="${SLOW_BIN:-}"
if [[ -z "$binary" ]]; then
    swift build --product slowatch >/dev/null
    binary="$(swift build --show-bin-path)/slowatch"
fi

work="$(mktemp -d)"
server_pid=""
probe_pid=""
cleanup() {
    if [[ -n "$probe_pid" ]]; then kill "$probe_pid" 2>/dev/null || true; fi
    if [[ -n "$server_pid" ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

SWIFT_BACKTRACE=enable=no "$binary" --port 0 --max-connections 4000 \
    --head-timeout 2s --body-timeout 2s --write-stall-timeout 2s --idle-timeout 5s \
    2>"$work/slowatch.log" &
server_pid=$!
port=""
for _ in $(seq 200); do
    port="$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/slowatch.log" | head -n 1)"
    [[ -n "$port" ]] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
if [[ -z "$port" ]]; then
    echo "slowhttptest.sh: slowatch did not start:" >&2
    cat "$work/slowatch.log" >&2
    exit 1
fi
url="http://127.0.0.1:$port"
echo "slowhttptest.sh: slowatch on $url, $connections connections per mode, $seconds s each"

# Curls /healthz every 200 ms until killed; appends one line per failure to $1.
probe_health() {
    local failures="$1"
    while true; do
        if ! curl -fsS --max-time 2 -o /dev/null "$url/healthz" 2>>"$failures.detail"; then
            echo "$(date +%T.%N) /healthz failed" >>"$failures"
        fi
        sleep 0.2
    done
}

failed=0
run_mode() {
    local name="$1" path="$2"
    shift 2
    local failures="$work/$name.health-failures"
    : >"$failures"
    probe_health "$failures" &
    probe_pid=$!
    # -p 3: the probe waits at most 3 s for an answer before calling the service unavailable.
    timeout $((seconds + 30)) slowhttptest "$@" -c "$connections" -r 200 -l "$seconds" -p 3 \
        -u "$url$path" -g -o "$work/$name" >"$work/$name.out" 2>&1 || true
    # The summary is coloured; the last status block says whether the probe still got answers.
    sed 's/\x1b\[[0-9;]*m//g' "$work/$name.out" >"$work/$name.txt"
    kill "$probe_pid" 2>/dev/null || true
    wait "$probe_pid" 2>/dev/null || true
    probe_pid=""

    local csv="$work/$name.csv" problems=()
    if [[ ! -s "$csv" ]]; then
        problems+=("slowhttptest wrote no CSV")
    else
        # Columns: Seconds,Closed,Pending,Connected,Service Available; the last is 1 while the probe got
        # an answer in time, 0 when it did not.
        local unavailable
        unavailable="$(awk -F, 'NR > 1 && $5 != "" && $5 + 0 == 0 { n++ } END { print n + 0 }' "$csv")"
        [[ "$unavailable" == 0 ]] || problems+=("the probe found the service unavailable in $unavailable samples")
        local connected
        connected="$(awk -F, 'NR > 1 && $4 + 0 > max { max = $4 + 0 } END { print max + 0 }' "$csv")"
        echo "  $name: peak connected (as slowhttptest saw it) $connected"
    fi
    # Every attacking connection was opened in the first few seconds and every limit is far shorter
    # than the run, so by now the server must have closed them all (5 allowed for stragglers).
    local still_open
    still_open="$(ss -Htn state established "( sport = :$port )" | wc -l)"
    echo "  $name: connections slowatch still holds at the end: $still_open"
    ((still_open <= 5)) || problems+=("slowatch still holds $still_open connections at the end")
    grep -i "service available:" "$work/$name.txt" | tail -n 1 | grep -qi "YES" ||
        problems+=("the summary does not end with 'service available: YES'")
    [[ -s "$failures" ]] && problems+=("$(wc -l <"$failures") curl /healthz failures")
    kill -0 "$server_pid" 2>/dev/null || problems+=("slowatch exited")

    if ((${#problems[@]})); then
        failed=1
        echo "slowhttptest.sh: $name FAILED: ${problems[*]}" >&2
        tail -n 15 "$work/$name.txt" >&2
    else
        echo "slowhttptest.sh: $name passed"
    fi
}

# Slowloris: a header line every second per connection; the head timeout ends each.
run_mode slowloris /healthz -H -i 1 -x 10
# Slow body: a 1 MB POST /samples body, a few bytes every second; the minimum body rate (240 bytes a
# second after 5 s) ends each. (/samples reads a body; /healthz would refuse POST at once.)
run_mode slowbody /samples -B -i 1 -s 1000000 -x 10 -t POST -f application/json
# Slow read: the OpenAPI document (tens of KB) asked for 10 times on each connection, through a tiny
# advertised window, 5 bytes read every 2 s; the write-stall timeout ends each.
run_mode slowread /openapi.yaml -X -k 10 -n 2 -w 16 -y 64 -z 5

if ((failed)); then
    echo "slowhttptest.sh: FAILED (slowatch log below)" >&2
    tail -n 20 "$work/slowatch.log" >&2
    exit 1
fi
echo "slowhttptest.sh: every mode left slowatch available"
