extension MetricState {
    /// Adds the change of the history's bytes since the last call to its account and stamps this
    /// metric as just written; called when the history opened a new finest slice.
    mutating func accountHistory() {
        guard let account = historyAccount else { return }
        let bytes = history.bytes
        account.add(bytes - historyAccountedBytes)
        historyAccountedBytes = bytes
        historyWritten = account.stamp()
    }

    /// Drops this history's oldest coarsest slices until the account is at most `target` bytes or only
    /// the open slice is left.
    /// - Returns: how many slices were dropped.
    mutating func dropHistory(downTo target: Int) -> UInt64 {
        guard let account = historyAccount else { return 0 }
        var slices: UInt64 = 0
        while account.bytes > target {
            let freed = history.dropOldestSlice()
            guard freed > 0 else { break }
            slices += 1
            account.add(-freed)
            historyAccountedBytes -= freed
        }
        return slices
    }

    /// Takes this history's bytes out of its account (the metric is removed or its history reset).
    mutating func releaseHistory() {
        historyAccount?.add(-historyAccountedBytes)
        historyAccountedBytes = 0
    }
}

extension MetricsRegistry {
    /// Drops slices past the history-memory limit, when it is passed; cheap (one atomic load) otherwise.
    @inline(__always)
    func keepHistoryMemory() {
        if historyMemory.isOver { enforceHistoryMemory() }
    }

    /// Drops the oldest coarsest slices of the least recently written metrics until the histories hold
    /// at most seven eighths of ``Configuration/historyMemoryBytes``, so that drops come in batches, not
    /// on every write. One thread at a time; others go on at once. Takes each metric's lock in turn,
    /// never two at once. O(metrics · log metrics) per run.
    @inline(never)
    func enforceHistoryMemory() {
        guard historyMemory.beginEnforcing() else { return }
        var slices: UInt64 = 0
        defer { historyMemory.endEnforcing(droppedSlices: slices) }
        let target = historyMemory.limit - historyMemory.limit / 8
        let metrics = registration.withLock { Array($0.metrics.values) }
        let oldestFirst = metrics.map { metric in (metric.withLock { $0.historyWritten }, metric) }
            .sorted { $0.0 < $1.0 }
        for (_, metric) in oldestFirst {
            guard historyMemory.bytes > target else { break }
            slices += metric.withLock { $0.dropHistory(downTo: target) }
        }
    }
}
