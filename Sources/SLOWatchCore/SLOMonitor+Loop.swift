import Dispatch

extension SLOMonitor {
    /// Starts checking every `interval` on the monitor's own serial queue (`slowatch.monitor`).
    ///
    /// The next check is scheduled after the current one finishes, so a check that outlasts the
    /// interval defers the next instead of overlapping it. Calling `start` again replaces the running
    /// loop; there is never more than one.
    /// - Parameter interval: the time between checks (default 5 s); values under 1 ms are raised to 1 ms.
    public func start(interval: Duration = .seconds(5)) {
        startLoop(nanoseconds: Int64(clamping: interval.saturatingNanoseconds))
    }

    /// Stops the loop. It schedules nothing more; a check already running, or one whose tick had
    /// already passed its is-still-running test when `stop` was called, finishes (at most one).
    /// `stop` does not wait for it, so it is safe to call from a publisher or subscriber.
    public func stop() {
        loop.withLock { loop in
            loop.generation += 1
            loop.running = false
        }
    }

    /// Whether the periodic loop is running.
    public var isRunning: Bool { loop.withLock { $0.running } }

    private func startLoop(nanoseconds: Int64) {
        let interval = Int(clamping: max(1_000_000, nanoseconds))
        let generation = loop.withLock { loop in
            loop.generation += 1
            loop.running = true
            return loop.generation
        }
        schedule(generation: generation, intervalNanoseconds: interval)
    }

    private func schedule(generation: UInt64, intervalNanoseconds: Int) {
        queue.asyncAfter(deadline: .now() + .nanoseconds(intervalNanoseconds)) { [weak self] in
            self?.tick(generation: generation, intervalNanoseconds: intervalNanoseconds)
        }
    }

    /// One loop step on the monitor's queue: check, then schedule the next step if still current.
    private func tick(generation: UInt64, intervalNanoseconds: Int) {
        guard isCurrent(generation) else { return }
        checkAll()
        guard isCurrent(generation) else { return }
        schedule(generation: generation, intervalNanoseconds: intervalNanoseconds)
    }

    private func isCurrent(_ generation: UInt64) -> Bool {
        loop.withLock { $0.running && $0.generation == generation }
    }
}
