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
