extension EventBus {
    /// The sequence of the oldest event still in the history, or `nil` when nothing was published.
    public var oldestSequence: UInt64? { state.withLock { $0.history.oldestSequence } }

    /// The sequence of the latest event published (after a restore with nothing published since, the
    /// newest one the earlier process is known to have published); 0 before the first.
    public var lastSequence: UInt64 { state.withLock { $0.lastPublished } }

    /// The highest sequence that may have been handed out: ``lastSequence``, or after a restore the
    /// ids the earlier process had reserved when higher. The next event gets the one after it.
    public var issuedSequence: UInt64 { state.withLock { $0.sequence } }

    /// How many events the history keeps.
    public var historyCapacity: Int { state.withLock { $0.history.capacity } }

    /// How many subscribers are registered now.
    public var subscriberCount: Int { state.withLock { $0.registrations.count } }

    /// How many events were published.
    public var published: UInt64 { stats.published.load(ordering: .relaxed) }

    /// How many publish calls failed (bad topic).
    public var publishFailures: UInt64 { stats.publishFailures.load(ordering: .relaxed) }

    /// How many subscribers were dropped because their queue overflowed.
    public var droppedSubscribers: UInt64 { stats.droppedSubscribers.load(ordering: .relaxed) }

    /// How many times a subscriber's handler threw.
    public var handlerFailures: UInt64 { stats.handlerFailures.load(ordering: .relaxed) }
}
