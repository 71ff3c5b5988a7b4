/// # SLOWatchHTTP
///
/// HTTP/1.1 on POSIX sockets and epoll. It knows nothing about metrics: `HTTPServer` runs an
/// `HTTPRouter` of plain functions, `HTTPStreamWriter` streams chunked responses.
///
/// ## Shape
/// - One listening socket (`SO_REUSEADDR`, backlog ≥ 1024, IPv4 or IPv6) registered in every loop's
///   epoll with `EPOLLEXCLUSIVE`; a woken loop `accept4`s and owns the connection from then on.
/// - N event-loop threads (`ioThreads`, default one per core), each with its own epoll set, its
///   connections (confined to it: no locks on the hot path), a `Date` cache refreshed once a second,
///   and an `eventfd` mailbox for the only cross-thread traffic: stream writes and `stop()`.
/// - Timeouts are deadlines on each connection, checked by a scan every min(timeouts)/10
///   (5…250 ms) driven by `epoll_wait`'s timeout.
/// - Connections are edge-triggered (`EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET`, registered once):
///   no `epoll_ctl` per request and one `read` per readiness edge (a short read means drained).
/// - The parser works in place on the connection's reusable input buffer; the responses of all
///   requests found in one read are encoded into one output buffer and leave in one `send`.
///   Handlers run on the loop thread: no thread hop per request.
///
/// ## Why epoll and not DispatchSource (measured)
/// A DispatchSource per socket costs a queue hop and a block invocation per readiness event, and
/// Dispatch decides the thread; with epoll the loop that reads a request also runs its handler and
/// writes its response with nothing shared between loops. Measured on 2026-11-29 06:38 UTC (2
/// cores shared by wrk and the server), alternating the two servers, 3 rounds of 10 s each:
/// `wrk -t2 -c64 -d10s --latency -s /work/shared/bench/wrk/post-single.lua http://127.0.0.1:PORT`
/// - epoll: this module's `http-bench-server` (release: `swift build -c release --product
///   http-bench-server`), 2 loop threads, full strict parser and router.
/// - DispatchSource: a throwaway minimal server (outside the repository): one
///   `DispatchSource.makeReadSource` per connection on 2 serial queues (one per core), non-blocking
///   sockets, `TCP_NODELAY`, parsing only `\r\n\r\n` and `Content-Length`, writing a fixed 204.
///
/// | server         | req/s median | req/s rounds           | p50 ms median | p99 ms median (rounds) | peak RSS |
/// |----------------|--------------|------------------------|---------------|------------------------|----------|
/// | epoll          | 61,667       | 66,548 61,667 58,141   | 0.79          | 5.84 (2.03 6.35 5.84)  | 10 MB    |
/// | DispatchSource | 47,189       | 47,060 47,189 50,106   | 0.91          | 4.42 (4.34 4.42 4.49)  | 14 MB    |
///
/// epoll serves 1.31× the requests of the DispatchSource server although it parses and validates
/// far more; the DispatchSource server's p99 was lower and steadier in this run (its throughput is
/// lower, so wrk queues less). No errors on either. The fd-reuse hazard of DispatchSource on Linux
/// (a descriptor closed before its source's cancel handler ran can be reused by a new connection
/// while the old registration is still live) did not show up because the prototype closes the
/// descriptor only in the cancel handler; a production DispatchSource server would need that
/// discipline for every source. The numbers are from a noisy shared machine: the ratio, not the
/// absolute rate, is what the choice rests on (the epoll rate here is higher than in the nginx
/// comparison below, run at another time through compare.sh; compare within a table only).
///
/// ## Measured (2026-11-29 06:25 UTC, 2 cores shared by wrk and the server, median of 3 rounds)
/// `cd /work/shared/bench && PEERS=nginx SCENARIOS="post-single get-percentiles" SKIP_PREFILL=1
/// TARGET_NAME=slowatch-http TARGET_CMD='/work/main/.build-http-server-rel/release/http-bench-server
/// --port $PORT' ROUNDS=3 ./compare.sh 10`
///
/// | scenario        | server        | req/s  | p50 ms | p99 ms | req/s range   |
/// |-----------------|---------------|--------|--------|--------|---------------|
/// | post-single     | nginx         | 39,942 | 1.23   | 7.47   | 30,689–43,666 |
/// | post-single     | slowatch-http | 26,835 | 1.27   | 11.25  | 24,750–36,447 |
/// | get-percentiles | nginx         | 31,638 | 1.39   | 9.50   | 30,093–39,839 |
/// | get-percentiles | slowatch-http | 34,350 | 1.81   | 11.77  | 23,164–43,000 |
///
/// post-single (204): 0.67× nginx; get-percentiles: 1.09× nginx; peak RSS 10 MB vs 19 MB.
///
/// ## Hot-path review (2026-11-29 07:20 UTC)
/// Deterministic counts, one keep-alive client, `--threads 1`, per request (difference of two runs of
/// 1,000/2,000 and 4,000/6,000 requests, so start-up is excluded); before = commit 835e5cb, after = this revision:
/// - heap allocations (heaptrack), `POST /samples` 204: 7 → 3 (the header-field array allocated
///   once at its final size, `Content-Length` and `Connection` parsed from the bytes instead of
///   `split` into `String`s, the router matching in place instead of building a range array);
///   `GET /metrics/:name/percentiles`: 11 → 9.
/// - user-space instructions (callgrind), `POST /samples`: 21,968 → 17,645 (−20 %).
/// - syscalls under `wrk -t2 -c64 -d5s -s post-single.lua` (perf tracepoints): `read` 1.018 → 0.995
///   per request (the input buffer restarts at its front once drained, so a read no longer hits
///   the buffer's tail and needs a second one), `sendto` ≈ 0.98–1.0, `epoll_wait` 0.02–0.05,
///   `epoll_ctl` 0.
/// wrk req/s on this shared, loaded box (load average ≈ 5 on 2 cores, 5 alternating 5 s rounds):
/// median 53.5k before vs 54.5k after, server CPU per request median 17.1 µs vs 14.7 µs; within
/// noise for req/s, consistent with the deterministic counts above.
enum SLOWatchHTTPDesign {}
