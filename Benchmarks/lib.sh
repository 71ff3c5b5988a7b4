# Shared helpers of the benchmark scripts (sourced, not run).

# free_port: prints a TCP port on 127.0.0.1 that was free a moment ago.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_until_healthy PORT: waits (10 s at most) until GET /healthz on PORT answers 2xx; fails otherwise.
wait_until_healthy() {
    for _ in $(seq 100); do
        curl -sf -o /dev/null "http://127.0.0.1:$1/healthz" && return 0
        sleep 0.1
    done
    return 1
}

# start_server LOG BINARY [ARGS…]: starts `BINARY serve --port P ARGS…` on a free port P, its output in
# LOG; sets `server` (its PID) and `port` (the caller's, when it declared one local) and waits until it
# answers /healthz (a warning otherwise).
start_server() {
    local log=$1 binary=$2
    shift 2
    port=$(free_port)
    "$binary" serve --port "$port" "$@" > "$log" 2>&1 &
    server=$!
    wait_until_healthy "$port" || echo "$(basename "$0"): the server on port $port did not answer /healthz" >&2
}

# callgrind_workspace NAME BINARY: a temporary folder `work` holding a copy of BINARY stripped of its
# debug info (valgrind refuses the release binary's) as $work/slowatch; removed on exit, its `*.out`
# copied first to $KEEP when KEEP is set. Fails when valgrind is missing. Sets `work` and `here`.
callgrind_workspace() {
    local name=$1 binary=$2
    here=$(cd "$(dirname "$0")" && pwd)
    work=$(mktemp -d)
    keep=${KEEP:-}
    trap 'if [ -n "$keep" ]; then mkdir -p "$keep" && cp "$work"/*.out "$keep"/ 2>/dev/null || true; fi; rm -rf "$work"' EXIT
    command -v valgrind >/dev/null || { echo "$name: valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
    cp "$binary" "$work/slowatch" && strip --strip-debug "$work/slowatch"
}

# callgrind_serve NAME [VALGRIND_OPTION…] -- [SLOWATCH_ARG…]: starts $work/slowatch (callgrind_workspace)
# under callgrind, counting only inside `Connection.service` (one request's work), its output in
# $work/NAME.out and its log in $work/NAME.log; waits (60 s at most) for the port it logs. Sets `server`
# (valgrind's PID) and `port`; fails with the log when the server never listens.
callgrind_serve() {
    local name=$1 options=() attempt
    shift
    while [ "$#" -gt 0 ] && [ "$1" != -- ]; do options+=("$1"); shift; done
    [ "$#" -gt 0 ] && shift
    SWIFT_BACKTRACE=enable=no valgrind --tool=callgrind --collect-atstart=no "${options[@]}" \
        --toggle-collect='*SLOWatchHTTP10ConnectionC7service*' --callgrind-out-file="$work/$name.out" \
        "$work/slowatch" "$@" >"$work/$name.log" 2>&1 &
    server=$!
    port=""
    for attempt in $(seq 1 300); do
        port=$(grep -o 'listening on http://127.0.0.1:[0-9]*' "$work/$name.log" | grep -o '[0-9]*$' || true)
        [ -n "$port" ] && return 0
        sleep 0.2
    done
    cat "$work/$name.log" >&2
    kill "$server"
    exit 1
}

# callgrind_stop: stops the server callgrind_serve started (SIGINT, so callgrind writes its output).
callgrind_stop() {
    kill -INT "$server"
    wait "$server" || true
}

# stop_server: stops the server start_server started, and forgets it.
stop_server() {
    kill "$server"
    wait "$server" 2>/dev/null || true
    server=""
}
