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
/// writes its response with nothing shared between loops. Measured side by side with wrk
/// (post-single, 3 alternating rounds of 10 s, 2026-11-29): this module's `http-bench-server`
/// served 1.31× the req/s of a minimal DispatchSource server (61,667 vs 47,189), although it parses
/// and validates far more. Commands, per-round figures and caveats: BENCHMARKS.md, section 3.
///
/// ## Measured against nginx
/// `http-bench-server` (2 loops) against nginx (2 workers) through `../shared/bench/compare.sh`,
/// median of 3 rounds on 2026-11-29: the plain 204 endpoint reaches 0.87× nginx's req/s, a fixed
/// JSON GET 0.95×, with 0.55× nginx's peak RSS. Per request, `POST /samples` costs 3 heap
/// allocations and about 17,600 user-space instructions (callgrind). Details: BENCHMARKS.md,
/// sections 2 and 4.
enum SLOWatchHTTPDesign {}
