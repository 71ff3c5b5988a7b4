extension EventBus {
    /// Restores the state of an earlier process: the sequence counter, the most recent events, and
    /// where events were lost, so that sequences keep increasing across a restart, a client's
    /// `Last-Event-ID` from before it resumes from the history, and a client whose events were lost
    /// is told so. Call it before anything is published.
    ///
    /// Every event given is kept (the newest ``historyCapacity``), gaps or not. A resume is then told
    /// that events were missed (`: history truncated` on a stream) when its id lies in a hole between
    /// two restored events, or in the hole between the newest restored event and `lastSequence` (ids
    /// the earlier process reserved, perhaps never used), before the hole's last id; or when it is below
    /// `lostThrough`. A client that saw an id of a hole saw an event that is now lost, and may have
    /// missed the ids after it.
    ///
    /// The journal is not called for restored events (they came from it).
    /// - Parameters:
    ///   - events: earlier events, oldest first; one whose sequence is not above the one before it is
    ///     skipped.
    ///   - lastSequence: the newest sequence the earlier process is known to have published (it becomes
    ///     ``lastSequence``); raised to the newest event's when lower.
    ///   - lostThrough: when events were lost (a damaged log, or fewer logged than a snapshot counted),
    ///     the highest sequence perhaps among them: a resume from any id below it is told of the gap.
    ///   - skippedThrough: the highest sequence the earlier process may have handed out beyond
    ///     `lastSequence` (its reserved ceiling): the next event gets the one after it, and ids in between
    ///     form a hole.
    ///   - reservedThrough: with a sequence store, the ceiling durably reserved for this process (the
    ///     bus hands out ids up to it before it needs the next reservation); nil for none yet.
    /// - Returns: false, restoring nothing, when something was already published; false too, after
    ///   restoring, when any gap was found; true when the history resumes with no gap.
    @discardableResult
    public func restore(
        events: [Event], lastSequence: UInt64, lostThrough: UInt64? = nil, skippedThrough: UInt64? = nil,
        reservedThrough: UInt64? = nil
    ) -> Bool {
        var increasing: [Event] = []
        increasing.reserveCapacity(events.count)
        for event in events where event.sequence > (increasing.last?.sequence ?? 0) {
            increasing.append(event)
        }
        let newest = increasing.last?.sequence ?? 0
        return state.withLock { state in
            guard state.sequence == 0, state.history.count == 0 else { return false }
            state.lastPublished = max(lastSequence, newest)
            state.sequence = max(state.lastPublished, skippedThrough ?? 0)
            if configuration.sequenceStore != nil {
                state.reservedThrough = max(state.sequence, reservedThrough ?? 0)
            }
            let kept = increasing.suffix(state.history.capacity)
            if let first = kept.first, first.sequence > 1 {
                state.history.markGone(through: first.sequence - 1)
            }
            var previous: UInt64?
            var contiguous = true
            for event in kept {
                if let previous, event.sequence != previous + 1 { contiguous = false }
                // A client that saw an id of the hole before its last one missed the ids after it.
                if let previous, event.sequence > previous + 2 {
                    state.gaps.insert((previous + 1)...(event.sequence - 2))
                }
                previous = event.sequence
                state.history.append(event)
            }
            let last = kept.last?.sequence ?? 0
            if state.sequence > last + 1 { state.gaps.insert((last + 1)...(state.sequence - 1)) }
            if let lostThrough, lostThrough > 0 { state.gaps.insert(0...(lostThrough - 1)) }
            let complete = state.sequence == (kept.last?.sequence ?? 0) && lostThrough == nil
            return contiguous && complete && increasing.count == events.count
        }
    }
}
