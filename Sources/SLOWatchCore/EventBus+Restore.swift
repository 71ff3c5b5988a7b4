extension EventBus {
    /// Restores the state of an earlier process: the sequence counter and the most recent events, so
    /// that sequences keep increasing across a restart and a client's `Last-Event-ID` from before it
    /// resumes from the history with no gap and no duplicate. Call it before anything is published.
    ///
    /// The journal is not called for restored events (they came from it).
    /// - Parameters:
    ///   - events: earlier events, oldest first, with contiguous sequences; only the newest
    ///     ``historyCapacity`` are kept.
    ///   - lastSequence: the last sequence handed out; raised to the newest event's when lower.
    /// - Returns: false, restoring only the counter, when `events` are not contiguous or end before
    ///   `lastSequence` (events were lost, so the history could not be resumed from without a gap), or
    ///   when something was already published.
    @discardableResult
    public func restore(events: [Event], lastSequence: UInt64) -> Bool {
        let newest = events.last?.sequence ?? 0
        let contiguous = zip(events, events.dropFirst()).allSatisfy { $1.sequence == $0.sequence &+ 1 }
        let complete = contiguous && newest >= lastSequence
        return state.withLock { state in
            guard state.sequence == 0 else { return false }
            state.sequence = max(lastSequence, newest)
            guard complete else { return false }
            for event in events.suffix(state.history.capacity) { state.history.append(event) }
            return true
        }
    }
}
