extension EventBus {
    /// Where a reader that is fed live events by someone else (a fan-out subscribed to this bus) starts:
    /// the history it missed and the sequence from which the live events take over.
    public struct ResumePoint: Sendable {
        /// The retained events after the requested sequence, oldest first (empty without one).
        public let replay: [Event]
        /// How many ids after the requested sequence are no longer held (they left the history, or
        /// were lost before a restore); 0 when nothing was missed or no sequence was given.
        public let missed: UInt64
        /// The highest sequence handed out when the history was read: every event published later has
        /// a greater sequence, every event with this sequence or a lower one is in the history read
        /// (or gone). A live feed delivers only events above it, so nothing is missed or sent twice.
        public let through: UInt64
    }

    /// Reads, in one critical section, the history after `sequence` and the sequence live events
    /// continue from: the same replay and missed count that ``subscribe(topics:after:queueCapacity:handler:onDrop:onMissed:)``
    /// computes, for a reader that takes its live events from a subscription made earlier.
    ///
    /// The caller's live subscription must be registered before this call, so that every event above
    /// ``ResumePoint/through`` reaches it.
    /// - Parameters:
    ///   - sequence: the last sequence the reader saw (e.g. SSE `Last-Event-ID`), or nil for no replay.
    ///   - topics: the topics wanted, or nil for all.
    public func resumePoint(after sequence: UInt64?, topics: Set<String>? = nil) -> ResumePoint {
        state.withLock { state in
            let (replay, missed) = state.resume(after: sequence, topics: topics)
            return ResumePoint(replay: replay, missed: missed, through: state.sequence)
        }
    }
}

extension EventBus {
    /// One page of the history for a reader that pages by sequence (`GET /slo/violations?after=`), and
    /// whether the history after its sequence is still whole.
    public struct HistoryPage: Sendable {
        /// The oldest matching events held after the requested sequence, at most the limit, oldest first.
        public let events: [Event]
        /// The sequence ``missed`` counts from: the requested one, or 0 when the requested one lies
        /// beyond every id handed out (it is from before a restart that started the ids again at 1).
        public let countedFrom: UInt64
        /// How many ids after ``countedFrom`` are no longer held (they left the history, or were lost
        /// before a restore); 0 when the history after it is whole.
        public let missed: UInt64
    }

    /// Reads, in one critical section, the oldest `limit` events after `sequence` that are of one of
    /// `topics` and pass `isIncluded`, and how many ids after `sequence` are gone (the same count a
    /// stream resuming from `sequence` is told about).
    /// - Parameters:
    ///   - sequence: the last sequence the reader saw.
    ///   - topics: the topics wanted, or `nil` for all.
    ///   - limit: the most events returned.
    ///   - isIncluded: a further filter; it runs under the bus lock, so it must be quick and must not
    ///     call the bus.
    public func historyPage(
        after sequence: UInt64, topics: Set<String>?, limit: Int, where isIncluded: (Event) -> Bool
    ) -> HistoryPage {
        state.withLock { state in
            let events = state.history.events(
                after: sequence, topics: topics, limit: limit, where: isIncluded)
            let countedFrom = sequence > state.sequence ? 0 : sequence
            return HistoryPage(
                events: events, countedFrom: countedFrom, missed: state.missed(after: countedFrom))
        }
    }
}

extension EventBus.State {
    /// How many ids after `sequence` are no longer held: those that left the history, and those a
    /// restore knows or fears lost. Forgets the gaps below what the history still holds.
    mutating func missed(after sequence: UInt64) -> UInt64 {
        // Compared, not `sequence + 1`: a client-supplied sequence may be UInt64.max.
        let lastGone = history.goneThrough
        gaps.forget(below: lastGone)
        return max(lastGone > sequence ? lastGone - sequence : 0, gaps.missed(after: sequence))
    }

    /// The retained events after `sequence` (wanted `topics` only, nil for all), oldest first, and how
    /// many ids after it are no longer held; both empty or 0 without a sequence. Forgets the gaps below
    /// what the history still holds.
    mutating func resume(after sequence: UInt64?, topics: Set<String>?) -> (replay: [Event], missed: UInt64) {
        guard let sequence else { return ([], 0) }
        let replay = history.events(after: sequence, topics: topics)
        return (replay, missed(after: sequence))
    }
}
