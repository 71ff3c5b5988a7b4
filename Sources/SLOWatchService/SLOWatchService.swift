import Logging
import SLOWatchCore
import SLOWatchHTTP
import SLOWatchSync

/// The slowatch service: a registry, an SLO monitor and an event bus behind an HTTP/1.1 API.
///
/// Samples go from the socket to the registry on the I/O thread that read them. The monitor checks
/// SLOs on its own queue and publishes to the bus; each event stream is a bus subscriber with its
/// own bounded queue, so a slow client never slows the monitor or the other subscribers.
public final class SLOWatchService: Sendable {
    /// The settings the service was built with.
    public let configuration: ServiceConfiguration
    /// Where samples are kept.
    public let registry: MetricsRegistry
    /// Checks the SLOs and publishes violations and recoveries to ``bus``.
    public let monitor: SLOMonitor
    /// Carries violations and recoveries to subscribers, and keeps the recent ones for replay.
    public let bus: EventBus
    let logger: Logger
    let wallClock: any WallClock
    let monotonicClock: any MonotonicClock
    /// When the service was created, in ns on ``monotonicClock``.
    let createdAtNanoseconds: UInt64
    /// Serialises SLO edits (read, change, replace), so two concurrent PUTs cannot lose one another;
    /// with a data directory, metric definition edits too, so the definitions file is written in order.
    // A `UInt8`, not `()`: ThreadSanitizer reports a false race on a `PThreadLock<()>`.
    let sloEdits = PThreadLock<UInt8>(0)
    /// The data directory's files, when `--data-dir` is set.
    let durable: DurableState?
    /// The write-ahead journal of every change, when `--data-dir` is set.
    let journal: Journal?
    /// The live event streams and their keepalive timer.
    let streams: ViolationStreams
    /// Counts for the Prometheus exposition (samples, StatsD lines, alert deliveries).
    let counters = ServiceCounters()
    /// Sends violations and recoveries to Alertmanager while started, when any is configured.
    let alertForwarder = PThreadLock<AlertForwarder?>(nil)
    private let server: PThreadLock<HTTPServer?>
    /// Responses by status written by listeners that were stopped since, so that
    /// `slowatch_http_requests_total` never goes down when the service is stopped and started again.
    private let retiredResponses = PThreadLock<[Int: UInt64]>([:])
    /// The StatsD listener, while started with a StatsD address.
    let statsdListener = PThreadLock<StatsDListener?>(nil)

    /// The memory budget's name for the event streams' queued bytes.
    static let streamsMemoryPurpose = "event streams"

    /// Builds the service: registers the configured metrics and loads the SLOs. Nothing is bound yet.
    /// - Parameters:
    ///   - configuration: limits, timing and the SLO set.
    ///   - logger: where the service logs (startup, slow checks, dropped subscribers; requests at debug).
    ///   - wallClock: stamps samples without a timestamp, events and checks, in ms since the epoch
    ///     (read in whole ms).
    ///   - monotonicClock: times uptime, rate limits and checks.
    ///   - budgetCountSource: the exact counts of error-budget SLOs; nil takes
    ///     ``defaultBudgetCountSource(for:)`` (tests pass a fake here).
    /// - Throws: ``ServiceError`` when a predefined metric or the SLO set is invalid, when the
    ///   configuration would expose the service unguarded (see
    ///   ``ServiceConfiguration/exposureProblem(origin:)``), or when the data directory cannot be
    ///   created, written or locked.
    public init(
        configuration: ServiceConfiguration, logger: Logger = Logger(label: "slowatch"),
        wallClock: any WallClock = SystemWallClock(),
        monotonicClock: any MonotonicClock = SystemMonotonicClock(),
        budgetCountSource: (any BudgetCountSource)? = nil
    ) throws(ServiceError) {
        if let problem = configuration.exposureProblem() { throw ServiceError(problem) }
        let durable = try Self.openDurableState(configuration, logger: logger)
        let configuration = Self.applyingStoredDefinitions(durable, to: configuration)
        self.durable = durable
        self.configuration = configuration
        self.logger = logger
        let wallClock = WholeMillisecondClock(base: wallClock)
        self.wallClock = wallClock
        self.monotonicClock = monotonicClock
        self.createdAtNanoseconds = monotonicClock.nowNanoseconds()
        var registryConfiguration = MetricsRegistry.Configuration(
            maxMetrics: configuration.maxMetrics, defaultCapacity: configuration.capacity,
            memoryBudget: configuration.effectiveMemoryLimitBytes)
        do {
            registryConfiguration.historyTiers = try configuration.historyTiers()
        } catch {
            throw ServiceError(configuration.historyTiersProblem() ?? error.description)
        }
        registryConfiguration.historyScale = configuration.historyScale
        registryConfiguration.historyMemoryBytes = configuration.historyMemoryBytes
        registry = MetricsRegistry(
            configuration: registryConfiguration, wallClock: wallClock, monotonicClock: monotonicClock)
        registry.historyMemory.onFirstDrop { message in logger.warning("\(message)") }
        do {
            // The streams' queued bytes are bounded by the HTTP server; reserving that bound here keeps
            // the metrics from taking it.
            try registry.memory.reserveFixed(
                bytes: configuration.effectiveStreamBufferLimitBytes, purpose: Self.streamsMemoryPurpose)
        } catch {
            throw ServiceError("the event streams' buffers: \(error.message)")
        }
        // Stored definitions may break a limit lowered since (--max-metrics): say where they came from.
        let stored = durable?.recovered.definitions == nil ? "" : " (from \(configuration.sloSource))"
        for definition in configuration.metrics {
            do {
                _ = try registry.upsert(definition)
            } catch {
                throw ServiceError("metric '\(definition.name)'\(stored): \(error.message)")
            }
        }
        // The registry counts budgets before anything is restored, so the snapshot's counts and the
        // journal's samples land in running counters, as they did live.
        let countsBudgets = budgetCountSource == nil
        if countsBudgets { Self.startCounting(configuration.slos, in: registry) }
        var restored = Self.restoreSamples(durable, into: registry, logger: logger)
        let snapshot = Self.restoreSnapshot(durable, into: registry, logger: logger)
        restored.metrics += snapshot.metrics
        restored.samples += snapshot.samples
        var slos = configuration.slos
        var replayed = 0
        if let durable {
            let opened = try Self.openJournal(
                durable, configuration: configuration, registry: registry, slos: &slos, start: snapshot.start,
                sloSequence: snapshot.sloSequence, countsBudgets: countsBudgets, logger: logger)
            journal = opened.journal
            replayed = opened.applied
        } else {
            journal = nil
        }
        let sequences = try Self.openSequenceFile(durable, logger: logger)
        bus = EventBus(
            configuration: .init(
                historyCapacity: configuration.historyCapacity, journal: durable?.log,
                sequenceStore: sequences),
            wallClock: wallClock, logger: logger, monotonicClock: monotonicClock)
        if let durable, let sequences {
            Self.restoreEvents(durable, sequences: sequences, into: bus, logger: logger)
            let message =
                "Restored from \(durable.directory.path): \(slos.count) SLOs, "
                + "\(restored.metrics) metrics with \(restored.samples) samples, \(bus.history().count) events "
                + "(sequence #\(bus.lastSequence)), then \(replayed) journal records."
            logger.info("\(message)")
        }
        do {
            for slo in slos {
                try slo.budget?.check(slo: slo.id, against: registry.configuration.historyTiers)
            }
            monitor = try SLOMonitor(
                registry: registry, slos: slos, publisher: bus,
                configuration: .init(
                    rateLimit: .milliseconds(configuration.rateLimitWindowMilliseconds),
                    slowCheck: .milliseconds(configuration.slowCheckMilliseconds)),
                wallClock: wallClock, monotonicClock: monotonicClock, logger: logger,
                budgetSource: budgetCountSource ?? Self.defaultBudgetCountSource(for: registry))
        } catch {
            throw ServiceError(error.message)
        }
        streams = ViolationStreams(
            bus: bus, keepaliveIntervalMilliseconds: configuration.keepaliveIntervalMilliseconds,
            queueCapacity: configuration.effectiveStreamQueueCapacity,
            deliveriesPerTurn: configuration.streamDeliveriesPerTurn, logger: logger)
        server = PThreadLock(nil)
    }

    /// The routes the service serves.
    public var router: HTTPRouter { ServiceRoutes.router(for: self) }

    /// Binds the HTTP listener and, when configured, the StatsD listener (UDP and TCP), then starts the
    /// SLO monitor's loop and the stream keepalives.
    /// - Returns: the bound HTTP port (useful with port 0; ``statsdPort`` gives the StatsD one).
    /// - Throws: ``ServiceError`` naming the address and the reason when it cannot listen (for example,
    ///   the port is busy; nothing is left listening then), or when the service is already started (a second listener would never be
    ///   stopped).
    @discardableResult
    public func start() throws(ServiceError) -> Int {
        if let port = self.port {
            throw ServiceError(
                "The service is already started (listening on port \(port)); call stop() first.")
        }
        var http = configuration.httpServer
        if logger.logLevel <= .debug {
            let logger = self.logger
            http.onResponse = { record in
                let method = record.method?.rawValue ?? "-"
                // Never a credential: query values named like one are redacted, and no header is logged.
                let target = record.target.map(RequestTargetRedaction.redacted) ?? "-"
                logger.debug("\(method) \(target) \(record.status)")
            }
        }
        let server = HTTPServer(configuration: http, router: router)
        let port: Int
        do {
            port = try server.start()
        } catch {
            // The HTTP layer's message already names the address and the reason.
            throw ServiceError(error.message)
        }
        let raced = self.server.withLock { current in
            guard current == nil else { return true }
            current = server
            return false
        }
        if raced {
            server.stop()
            throw ServiceError("The service was started twice at once; the second listener was stopped.")
        }
        do {
            try startStatsD()
        } catch {
            self.server.withLock { $0 = nil }
            server.stop()
            throw error
        }
        // Subscribed before the first check, so no violation is missed.
        startAlertForwarder(port: port)
        monitor.start(interval: .milliseconds(configuration.checkIntervalMilliseconds))
        streams.start()
        startSnapshots()
        return port
    }

    /// The bound port, once started.
    public var port: Int? { server.withLock { $0?.port } }

    /// Stops gracefully: the monitor stops, event streams end, the StatsD listener records the datagrams
    /// already received and closes, in-flight requests finish (within the shutdown grace), then the HTTP
    /// listener closes and the Alertmanager forwarder gets up to 2 s to deliver what waits (the
    /// resolution of an SLO removed by a last request, say). With a data directory, it then writes a
    /// snapshot of every ring buffer and flushes the violation log (see ``stopAndSave()``).
    public func stop() { stopAndSave() }

    /// ``stop()``, telling what the shutdown snapshot could not save.
    /// - Returns: what was not saved (already logged as an error), or nil when the snapshot was written
    ///   or there is no data directory; `slowatch serve` exits 75 (`EX_TEMPFAIL`) on a failure.
    @discardableResult
    package func stopAndSave() -> SnapshotFailure? {
        monitor.stop()
        streams.stop()
        stopStatsD()
        let server = self.server.withLock { server in
            defer { server = nil }
            return server
        }
        if let server {
            server.stop()
            // Read after the stop, so that the responses written during the shutdown are in.
            let counts = server.responsesByStatus()
            retiredResponses.withLock { retired in retired.merge(counts, uniquingKeysWith: &+) }
        }
        stopAlertForwarder()
        stopSnapshots()
        // Every acknowledged change is in the journal: syncing it is all a shutdown needs. A snapshot
        // is written too when it is small enough to take well under the 10 s a shutdown may take.
        let samples = registry.list().reduce(0) { $0 + $1.count }
        if let journal, let durable, let problem = journal.sync() {
            let failure = SnapshotFailure(
                occasion: "shutdown", metrics: registry.metricCount, samples: samples,
                file: durable.directory.path, cause: problem)
            logger.error("\(failure.message)")
            return failure
        }
        if samples <= Self.shutdownSnapshotMaximumSamples {
            return writeShutdownSnapshot()
        }
        if let durable {
            durable.snapshotsCancelled.withLock { $0 = true }
            logger.info(
                "No shutdown snapshot (too many samples to write quickly); the synced journal holds every change."
            )
        }
        return nil
    }

    /// HTTP responses written since the service was created, by status code, over every listener it
    /// ran (see ``HTTPServer/responsesByStatus()``). A scrape during `stop()` may briefly miss the counts
    /// of the listener being stopped.
    func responsesByStatus() -> [Int: UInt64] {
        let current = server.withLock { $0 }?.responsesByStatus() ?? [:]
        return retiredResponses.withLock { $0 }.merging(current, uniquingKeysWith: &+)
    }

    /// `milliseconds` as a whole number of ms for a `Duration`: NaN and negative values become 0 and
    /// huge ones about 31,700 years, since `Int64(_:)` would trap on them.
    static func wholeMilliseconds(_ milliseconds: Double) -> Int64 {
        guard milliseconds > 0 else { return 0 }
        return Int64(min(milliseconds, 1e15).rounded())
    }

    /// Seconds since the service was created (monotonic).
    var uptimeSeconds: Double {
        Double(monotonicClock.nowNanoseconds() &- createdAtNanoseconds) / 1e9
    }
}
