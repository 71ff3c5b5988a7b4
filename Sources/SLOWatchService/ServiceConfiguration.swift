import SLOWatchCore
import SLOWatchHTTP
import SLOWatchPOSIX

/// Everything the service needs to run: the listener, limits, monitor timing and the SLO set.
///
/// The command line fills it from flags, `SLOWATCH_*` environment variables and a configuration
/// file, in that order of precedence, over these defaults. A property becomes a setting through one entry
/// in the settings table (``SettingKey``); one the HTTP server reads is also copied in `httpServer`.
public struct ServiceConfiguration: Sendable {
    /// The address to bind: an IPv4 or IPv6 literal (default `127.0.0.1`).
    public var host = "127.0.0.1"
    /// The TCP port (default 8080; 0 picks a free one).
    public var port = 8080
    /// How often the SLO monitor checks, in ms (default 5,000).
    public var checkIntervalMilliseconds: Double = 5_000
    /// At most one violation event per SLO in this many ms (default 10,000).
    public var rateLimitWindowMilliseconds: Double = 10_000
    /// The ring-buffer capacity, in samples, of metrics registered on first use (default 10,000).
    public var capacity = MetricDefinition.defaultCapacity
    /// The most metrics the registry holds (default 10,000).
    public var maxMetrics = 10_000
    /// The memory budget in effect, in bytes: ``memoryLimitBytes``, or the default detected from the
    /// process's cgroup and physical memory (see `MemoryLimitDetection`).
    public var effectiveMemoryLimitBytes: Int {
        memoryLimitBytes ?? MemoryLimitDetection.system.defaultBudgetBytes
    }
    /// The memory budget, in bytes, that every metric's ring capacity and the percentile scratch are
    /// reserved in; nil (the default, `auto`) takes the smaller of 2 GiB and half the memory the
    /// process may use (``effectiveMemoryLimitBytes``).
    public var memoryLimitBytes: Int?
    /// The largest request body accepted, in bytes (default 1 MiB).
    public var maxBodyBytes = 1 << 20
    /// The most client connections open at once, event streams included; one beyond it gets 503 with
    /// `Retry-After: 1` and is closed (default 10,000). Each needs a file descriptor.
    public var maxConnections = 10_000
    /// The most event streams open at once, out of ``maxConnections``; 0 (the default) means half of
    /// ``maxConnections`` (at least 1). A stream request beyond it gets 503 `too_many_streams`; plain
    /// requests always keep at least `maxConnections - maxStreams` connections. At most ``maxConnections``.
    public var maxStreams = 0
    /// The most bytes all event streams together may hold queued for their clients (default 64 MiB); past
    /// it the streams furthest behind are disconnected first (they may resume with `Last-Event-ID`).
    /// Not a setting of its own: part of the memory budget (see ``effectiveStreamBufferLimitBytes``).
    public var streamBufferLimitBytes = 64 << 20
    /// The stream byte budget in effect: ``streamBufferLimitBytes``, at most a sixteenth of the memory
    /// budget. The service reserves it in the memory budget at start, so metrics cannot take it.
    public var effectiveStreamBufferLimitBytes: Int {
        min(streamBufferLimitBytes, effectiveMemoryLimitBytes / 16)
    }
    /// How many events the bus keeps for replay (`GET /slo/violations`, `Last-Event-ID`) (default 1,000).
    public var historyCapacity = 1_000
    /// How often every event stream gets a `: keepalive` comment, in ms (default 15,000).
    public var keepaliveIntervalMilliseconds: Double = 15_000
    /// How many events may wait for one stream (or for the event loop that feeds it) before it is
    /// disconnected. nil (the default)
    /// means 1,024, raised to ``historyCapacity`` + 1 when the history is larger, so that a reconnecting
    /// client's replay of the whole history always fits.
    public var streamQueueCapacity: Int?
    /// How many bytes may wait unsent to one client before it is disconnected (default 1 MiB).
    public var maxOutboundBytes = 1 << 20
    /// The most stream deliveries one event loop turn makes (``StreamFanout/defaultDeliveriesPerTurn``;
    /// at least 1). Not a setting: tests lower it to make a turn stop in the middle of an event.
    var streamDeliveriesPerTurn = StreamFanout.defaultDeliveriesPerTurn
    /// How long a graceful shutdown waits for in-flight requests, in ms (default 8,000, so that the
    /// whole shutdown, streams and listener included, ends within 10 s).
    public var shutdownGraceMilliseconds: Double = 8_000
    /// How long a request head may take to arrive, counted from its first byte, in ms; then 408 and
    /// close (default 10,000; the slowloris bound). A new connection that sends nothing also gets 408
    /// after this long, counted from its accept.
    public var headTimeoutMilliseconds: Double = 10_000
    /// How long a request body may stall without a byte arriving, in ms; then 408 and close
    /// (default 10,000; the slow-body bound).
    public var bodyTimeoutMilliseconds: Double = 10_000
    /// How long a keep-alive connection may sit idle between requests, in ms; then it is closed
    /// (default 60,000).
    public var idleTimeoutMilliseconds: Double = 60_000
    /// How long queued response bytes may wait without the client reading any, in ms; then the
    /// connection is closed (default 30,000; the slow-read bound). Idle event streams are not affected.
    public var writeStallTimeoutMilliseconds: Double = 30_000
    /// I/O threads; 0 means one per core.
    public var ioThreads = 0
    /// A check whose evaluation takes longer than this many ms logs a warning, and so does publishing
    /// its events to the bus and its subscribers taking longer (default 5).
    public var slowCheckMilliseconds: Double = 5
    /// Where to take StatsD lines, over UDP and TCP on the same host and port; nil (the default) takes
    /// none. Port 0 picks a free port, the same for both (``SLOWatchService/statsdPort`` tells which).
    public var statsdAddress: ListenAddress?
    /// The StatsD listener's bounds: line length, TCP connections, idle timeout.
    public var statsdLimits = StatsDLimits()
    /// The bearer token every write, and with ``protectReads`` every read but a few, must present
    /// (default none: every request is admitted). See ``AccessToken``.
    public var token: AccessToken?
    /// Whether reads need the token too, except `/healthz`, `/openapi.yaml` and `/` (default false).
    public var protectReads = false
    /// Whether a non-loopback ``host`` may be served without a token (default false: refused).
    public var insecure = false
    /// Whether ``statsdAddress`` may be a non-loopback address, StatsD having no authentication
    /// (default false: refused).
    public var statsdAllowRemote = false
    /// The SLOs checked (default: the seven embedded ones).
    public var slos: [SLODefinition] = SeedSLOs.all
    /// Metrics registered at start, before any sample arrives.
    public var metrics: [MetricDefinition] = []
    /// Where the SLOs came from, for the startup log: a file path, or `embedded defaults`.
    public var sloSource = "embedded defaults"
    /// The Alertmanagers that violations and recoveries are sent to as alerts (default none: nothing is
    /// forwarded). Every endpoint gets every alert.
    public var alertmanagers: [AlertmanagerEndpoint] = []
    /// How alerts are re-sent, retried and timed out; not a setting (the defaults follow Prometheus), but
    /// tests shorten it.
    public var alertDelivery = AlertDeliveryPolicy()

    /// The folder where SLO and metric definitions, the violation log and ring-buffer snapshots are kept
    /// across restarts (created 0700 when absent); nil (the default) keeps everything in memory only.
    public var dataDirectory: String?
    /// How often the ring buffers are snapshotted to ``dataDirectory``, in ms (default 60,000); a graceful
    /// shutdown always writes one.
    public var snapshotIntervalMilliseconds: Double = 60_000
    /// When the journal of ``dataDirectory`` is flushed to the disk (default `never`: `write()` only,
    /// which survives `kill -9`).
    public var fsync: JournalSync = .never
    /// With ``fsync`` `batch`, the shortest time between two flushes, in ms (default 10).
    public var fsyncIntervalMilliseconds: Double = 10
    /// The bucket scale of every metric's history, 3 to 8 (default 6: quantiles from history within
    /// about 0.54 % of the exact value).
    public var historyScale = 6
    /// The finest history tier (default 10-second slices for 6 hours).
    public var historyFine = HistoryTiers.default.tiers[0]
    /// The middle history tier (default 1-minute slices for 48 hours).
    public var historyMedium = HistoryTiers.default.tiers[1]
    /// The coarsest history tier (default 1-hour slices for 35 days; at most 400 days).
    public var historyCoarse = HistoryTiers.default.tiers[2]
    /// The bytes every metric's history may take together (default 1 GiB, at most half the memory
    /// budget: ``effectiveHistoryMemoryBytes``); past it the oldest coarsest slices are dropped.
    public var historyMemoryBytes = 1 << 30
    /// The OTLP attribute keys whose values are appended to an OTLP metric's name, in order (default
    /// none; see `docs/otlp.md`).
    public var otlpNameAttributes: [String] = []
    /// The file-system calls of the data directory's writes (a test swaps in a slow or failing one).
    package var storage: any FileStorage = POSIXFileStorage()

    /// The defaults.
    public init() {}

    /// The stream limit in effect: ``maxStreams``, or half of ``maxConnections`` (at least 1) for 0.
    public var effectiveMaxStreams: Int {
        maxStreams > 0 ? min(maxStreams, maxConnections) : max(1, maxConnections / 2)
    }

    /// Why ``maxStreams`` cannot be used with ``maxConnections``, or nil: streams must leave connections for
    /// plain requests, so it may not exceed the connection cap.
    /// - Parameter origin: where a setting came from (`flag --max-streams`), for the message.
    public func streamLimitProblem(origin: (SettingKey) -> String? = { _ in nil }) -> String? {
        guard maxStreams > maxConnections else { return nil }
        func from(_ key: SettingKey) -> String { origin(key).map { " (from the \($0))" } ?? "" }
        return "max-streams is \(maxStreams)\(from(.maxStreams)), more than max-connections, "
            + "\(maxConnections)\(from(.maxConnections)): event streams count against the connection cap, "
            + "so max-streams must be at most max-connections (0 means half of it)."
    }

    /// The stream queue capacity in effect: ``streamQueueCapacity``, or the default derived from the history.
    var effectiveStreamQueueCapacity: Int {
        streamQueueCapacity ?? max(1_024, historyCapacity + 1)
    }
}

extension ServiceConfiguration {
    /// The HTTP server's part of the configuration: listener, limits, timeouts (whole ms) and the access
    /// check, and the API's JSON error body for the errors the server answers itself. A setting the HTTP
    /// server reads is copied here, next to the property that holds it; the service adds only its
    /// request log.
    var httpServer: HTTPServerConfiguration {
        var http = HTTPServerConfiguration()
        http.errorResponse = { answer in
            var answer = answer
            if answer.code == HTTPErrorAnswer.tooManyStreamsCode {
                answer.message += " The limit is set with --max-streams (SLOWATCH_MAX_STREAMS)."
            }
            return APIError.response(for: answer)
        }
        http.host = host
        http.port = port
        http.ioThreads = ioThreads
        http.maxBodyBytes = maxBodyBytes
        http.maxConnections = maxConnections
        http.maxOutboundBytes = maxOutboundBytes
        http.maxStreams = effectiveMaxStreams
        http.streamBufferLimitBytes = effectiveStreamBufferLimitBytes
        http.shutdownGrace = .milliseconds(SLOWatchService.wholeMilliseconds(shutdownGraceMilliseconds))
        if token != nil {
            let policy = AccessPolicy(token: token, protectReads: protectReads)
            http.admit = { request in policy.refusal(for: request) }
        }
        http.headTimeout = .milliseconds(SLOWatchService.wholeMilliseconds(headTimeoutMilliseconds))
        http.bodyTimeout = .milliseconds(SLOWatchService.wholeMilliseconds(bodyTimeoutMilliseconds))
        http.idleTimeout = .milliseconds(SLOWatchService.wholeMilliseconds(idleTimeoutMilliseconds))
        http.writeStallTimeout = .milliseconds(
            SLOWatchService.wholeMilliseconds(writeStallTimeoutMilliseconds))
        return http
    }
}
