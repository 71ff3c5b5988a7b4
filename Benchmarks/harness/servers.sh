# Server management shared by compare.sh and latency.sh (sourced, not run). Each server runs alone, in a
# process group of its own (setsid), on a free loopback port; stopping it stops exactly what it started.
#
# The caller defines `log MESSAGE` and sets RESULTS_DIR (logs go to $RESULTS_DIR/TAG.server.log) and
# READY_TIMEOUT (seconds); SERVER_CPUS (e.g. 0) pins each server with taskset.

SERVER_PGID=""
SERVER_URL=""

# Stops the running server: SIGTERM to its process group, SIGKILL after 10 s.
stop_server() {
  local pgid=$SERVER_PGID
  [[ -n $pgid ]] || return 0
  SERVER_PGID=""
  kill -TERM -- "-$pgid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 -- "-$pgid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 -- "-$pgid" 2>/dev/null; then
    log "process group $pgid ignored SIGTERM for 10 s, sending SIGKILL"
    kill -KILL -- "-$pgid" 2>/dev/null || true
  fi
  wait "$pgid" 2>/dev/null || true
}
trap 'stop_server' EXIT
trap 'stop_server; exit 130' INT TERM

# A port below the kernel's ephemeral range (32768 and up by default) that no socket uses at all: a
# client connection on a port (a load generator's own, or another program's) makes a listener's bind
# fail, so a port that is merely not listened on is not enough.
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 12000 ))
    if [[ -z $(ss -Htan "sport = :$p" 2>/dev/null) ]]; then echo "$p"; return 0; fi
  done
  log "no free port found"; return 1
}

# launch_server TAG CMD: runs CMD (through bash -c, with PORT exported) and waits until it answers HTTP.
# Sets SERVER_PGID, SERVER_URL and PORT; returns 1, with the log's tail, when it exits or does not answer
# within READY_TIMEOUT.
launch_server() {
  local tag=$1 cmd=$2 pin=() code
  PORT=$(free_port) || return 1
  export PORT
  log "starting $tag on 127.0.0.1:$PORT: $cmd"
  if [[ -n ${SERVER_CPUS:-} ]]; then pin=(taskset -c "$SERVER_CPUS"); fi
  ${pin[@]+"${pin[@]}"} setsid bash -c "$cmd" > "$RESULTS_DIR/$tag.server.log" 2>&1 < /dev/null &
  SERVER_PGID=$!
  SERVER_URL="http://127.0.0.1:$PORT"
  local deadline=$(( SECONDS + READY_TIMEOUT ))
  while :; do
    if ! kill -0 "$SERVER_PGID" 2>/dev/null; then
      log "$tag exited before becoming ready; log:"; tail -20 "$RESULTS_DIR/$tag.server.log" >&2
      SERVER_PGID=""; return 1
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$SERVER_URL/metrics/ready-probe/percentiles" || true)
    [[ $code != 000 ]] && return 0
    if (( SECONDS >= deadline )); then
      log "$tag not answering HTTP after ${READY_TIMEOUT}s"; stop_server; return 1
    fi
    sleep 0.2
  done
}
