/// Restoring a metric's history and budget counts from a snapshot (see `copyForSnapshot`'s
/// ``MetricsRegistry/SnapshotHistory``), before its ring's samples are restored with
/// ``restoreSamples(_:samples:)`` and the journal is replayed on top.
extension MetricsRegistry {
    /// Replaces `name`'s history with `saved` (counted in the history memory, which may then drop the
    /// oldest slices of the least recently written metrics) and the state of each budget counter
    /// attached to it with the saved one of the same SLO and spec, in one hold of the metric's lock.
    /// - Returns: whether the history was restored, and what could not be, as sentences for the log
    ///   (the history is left as it was when it cannot be, and the counters then too, since the ring's
    ///   samples will be counted again; a counter whose SLO runs no counter of that spec is left out).
    package func restoreHistory(
        of name: String, saved: MetricHistory.Saved, counters: [SavedBudgetCounter]
    ) -> (historyRestored: Bool, problems: [String]) {
        guard let storage = lookup(name) else { return (false, ["\(name) is not registered."]) }
        let template = newHistory()
        var problems: [String] = []
        var restored = false
        storage.withLock { state in
            guard !state.isRemoved else { return }
            do throws(MetricHistory.RestoreFailure) {
                let history = try MetricHistory(restoring: saved, like: template)
                state.releaseHistory()
                state.history = history
                state.accountHistory()
                state.version &+= 1
                restored = true
            } catch {
                problems.append("The history of \(name) is not restored: \(error.reason).")
                // The ring's samples then go through the history and the counters again: counts restored
                // here would be counted twice.
                if !counters.isEmpty {
                    problems.append("The budget counts on \(name) are not restored: its history was not.")
                }
                return
            }
            for counter in counters {
                let sloID = counter.spec.sloID
                let running = state.counters?.counters.first { $0.spec.sloID == sloID }
                if running?.restore(counter) != true {
                    problems.append(
                        "The budget counts of SLO \(sloID.debugDescription) are not restored: "
                            + "no counter of the same rule runs on \(name).")
                }
            }
        }
        keepHistoryMemory()
        return (restored, problems)
    }

    /// Puts a snapshot's samples into `handle`'s ring only, not into its history and budget counters,
    /// which ``restoreHistory(of:saved:counters:)`` restored whole.
    /// - Throws: as ``record(_:samples:)`` does.
    package func restoreSamples(_ handle: MetricHandle, samples: UnsafeBufferPointer<RecentSample>)
        throws(MetricsError)
    {
        try record(handle, samples: samples, applying: nil, intoHistory: false)
    }
}
