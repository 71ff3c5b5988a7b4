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
        guard let durable else { return configuration }
        if let header = durable.recovered.snapshotHeader {
            // The snapshot holds the whole set: its SLOs here, its metrics as they are streamed in.
            var configuration = configuration
            configuration.slos = header.slos
            configuration.metrics = []
            configuration.sloSource = durable.directory.path(of: DurableState.snapshotName)
            return configuration
        }
        guard let stored = durable.recovered.definitions else { return configuration }
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
        durable.snapshotsCancelled.withLock { $0 = false }
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
