import Dispatch
import Logging
import SLOWatchCore
import SLOWatchSync

extension SLOWatchService {
    /// Opens the data directory of `configuration`, if any, and reads what it holds.
    /// - Throws: ``ServiceError`` blaming ``SettingKey/dataDir`` when the folder cannot be used.
    static func openDurableState(_ configuration: ServiceConfiguration, logger: Logger) throws(ServiceError)
        -> DurableState?
    {
        guard let path = configuration.dataDirectory else { return nil }
        do {
            return try DurableState(
                path: path, historyCapacity: configuration.historyCapacity,
                defaultCapacity: configuration.capacity, storage: configuration.storage, logger: logger)
        } catch {
            throw ServiceError(
                "\(error.message) Choose a writable directory with --data-dir or SLOWATCH_DATA_DIR.",
                setting: .dataDir)
        }
    }

    /// The configuration with the stored definitions in place of the configured ones: once the data
    /// directory has a definitions file, it is the whole set; the configuration's SLOs and metrics only
    /// seed an empty data directory.
    static func applyingStoredDefinitions(_ durable: DurableState?, to configuration: ServiceConfiguration)
        -> ServiceConfiguration
    {
        guard let durable, let stored = durable.recovered.definitions else { return configuration }
        var configuration = configuration
        configuration.slos = stored.slos
        configuration.metrics = stored.metrics
        configuration.sloSource = durable.directory.path(of: DefinitionsFile.fileName)
        return configuration
    }

    /// Re-records the snapshot's samples, oldest first.
    ///
    /// A metric of the snapshot that is not registered yet is registered with its stored definition,
    /// unless the definitions file was written after the snapshot (a later generation) and left it out:
    /// it was deleted since.
    /// - Returns: how many metrics and samples were restored.
    static func restoreSamples(_ durable: DurableState?, into registry: MetricsRegistry, logger: Logger) -> (
        metrics: Int, samples: Int
    ) {
        guard let durable, let snapshot = durable.recovered.snapshot else { return (0, 0) }
        let deletedSince = durable.generation > snapshot.definitionsGeneration
        var restored = (metrics: 0, samples: 0)
        for metric in snapshot.metrics {
            if registry.definition(for: metric.definition.name) == nil {
                guard !deletedSince else { continue }
                do {
                    try registry.register(metric.definition)
                } catch {
                    logger.error(
                        "The snapshot's metric \(metric.definition.name) is not restored: \(error.message)")
                    continue
                }
            }
            do {
                let handle = try registry.handle(for: metric.definition.name)
                try metric.samples.withUnsafeBufferPointer { samples throws(MetricsError) in
                    try registry.record(handle, samples: samples)
                }
                restored.metrics += 1
                restored.samples += metric.samples.count
            } catch {
                logger.error(
                    "The snapshot's samples of \(metric.definition.name) are not restored: \(error.message)")
            }
        }
        return restored
    }

    /// Writes the definitions file with `slos` and `metrics` before an edit is applied (and so before it
    /// is acknowledged). Call with ``sloEdits`` held. Does nothing without a data directory.
    /// The attempt is reported to the data directory's ``StorageHealth`` (`.definitions`), which logs a
    /// failure once and makes `/healthz` answer 503 until a definitions write succeeds again.
    /// - Throws: 503 `storage_failed` naming the file and the reason; the edit must then not be applied.
    func saveDefinitions(slos: [SLODefinition], metrics: [MetricDefinition]) throws(APIError) {
        guard let durable else { return }
        do {
            try durable.saveDefinitions(slos: slos, metrics: metrics)
            durable.health.succeeded(.definitions)
        } catch {
            durable.health.failed(.definitions, reason: error.message)
            throw APIError(
                status: 503, code: "storage_failed",
                message: "The change was not made, because it could not be saved: \(error.message)")
        }
    }

    /// Takes a snapshot of every ring buffer and the event sequence and writes it. Does nothing without a
    /// data directory. Blocks on the disk: call it on the durable lane, or from ``stop()``.
    ///
    /// Every attempt is reported to the data directory's ``StorageHealth`` (`.snapshot`), which logs a
    /// failure once when it starts and once when it ends, so a disk that stays full does not write an
    /// error line every interval; `/healthz` and `slowatch_storage_failures_total` show it meanwhile.
    /// - Parameter reason: why, for the log line (`shutdown`, `interval`).
    /// - Returns: what was not saved, or nil when the snapshot was written (or there is no data directory).
    @discardableResult
    func writeSnapshot(reason: String) -> SnapshotFailure? {
        guard let durable else { return nil }
        let started = monotonicClock.nowNanoseconds()
        // The generation and the list are read together, so that a metric deleted after the listing is
        // recognised at restore time by a later generation.
        let (generation, summaries) = sloEdits.withLock { _ in (durable.generation, registry.list()) }
        var snapshot = MetricSnapshot(
            lastSequence: bus.lastSequence, definitionsGeneration: generation, metrics: [])
        for summary in summaries {
            // A metric deleted since the listing is left out.
            guard let newest = try? registry.recentSamples(for: summary.definition.name, limit: .max) else {
                continue
            }
            snapshot.metrics.append(.init(definition: summary.definition, samples: newest.reversed()))
        }
        do {
            try durable.saveSnapshot(snapshot)
        } catch {
            let failure = SnapshotFailure(
                occasion: reason, metrics: snapshot.metrics.count,
                samples: snapshot.metrics.reduce(0) { $0 + $1.samples.count },
                file: durable.directory.path(of: DurableState.snapshotName), cause: error.message)
            durable.health.failed(.snapshot, reason: error.message)
            return failure
        }
        durable.health.succeeded(.snapshot)
        let samples = snapshot.metrics.reduce(0) { $0 + $1.samples.count }
        let milliseconds = Double(monotonicClock.nowNanoseconds() &- started) / 1e6
        let level: Logger.Level = reason == "interval" ? .debug : .info
        let message =
            "Wrote the \(reason) snapshot: \(snapshot.metrics.count) metrics, \(samples) samples, events up to "
            + "#\(snapshot.lastSequence), to \(durable.directory.path(of: DurableState.snapshotName)) in "
            + "\(Int(milliseconds.rounded())) ms."
        logger.log(level: level, "\(message)")
        return nil
    }

    /// Writes the shutdown snapshot on the durable lane, after the edits queued before it, and waits for
    /// it. Does nothing without a data directory. Call from ``stop()``, not from a lane job.
    /// - Returns: what was not saved (also logged as an error), or nil when it was written.
    func writeShutdownSnapshot() -> SnapshotFailure? {
        guard durable != nil else { return nil }
        let failure = onDurableLane { [self] in writeSnapshot(reason: "shutdown") }
        if let failure { logger.error("\(failure.message)") }
        return failure
    }

    /// Runs `body` on the durable lane, after the jobs queued before it, and waits for its result; runs
    /// it on the calling thread when the lane is full or shut down (rather than skip it).
    private func onDurableLane(_ body: @escaping @Sendable () -> SnapshotFailure?) -> SnapshotFailure? {
        guard let durable else { return body() }
        let result = PThreadLock<SnapshotFailure?>(nil)
        let done = DispatchSemaphore(value: 0)
        let queued = durable.lane.submit {
            let failure = body()
            result.withLock { $0 = failure }
            done.signal()
        }
        guard queued else { return body() }
        done.wait()
        return result.withLock { $0 }
    }

    /// Starts writing a snapshot every ``ServiceConfiguration/snapshotIntervalMilliseconds``.
    func startSnapshots() {
        guard let durable else { return }
        let generation = durable.timerGeneration.withLock { generation in
            generation += 1
            return generation
        }
        scheduleSnapshot(durable, generation: generation)
    }

    /// Stops the snapshot timer (a snapshot being written finishes).
    func stopSnapshots() {
        durable?.timerGeneration.withLock { $0 += 1 }
    }

    /// Runs a snapshot of timer loop `generation` one interval from now.
    private func scheduleSnapshot(_ durable: DurableState, generation: UInt64) {
        let nanoseconds = Int(min(max(configuration.snapshotIntervalMilliseconds, 1), 1e9) * 1_000_000)
        durable.timerQueue.asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [weak self] in
            guard let self, durable.timerGeneration.withLock({ $0 }) == generation else { return }
            // On the durable lane, after the definition writes queued before it.
            let queued = durable.lane.submit { [weak self] in _ = self?.writeSnapshot(reason: "interval") }
            if !queued { logger.error("The interval snapshot was skipped: the durable lane is full.") }
            scheduleSnapshot(durable, generation: generation)
        }
    }
}
