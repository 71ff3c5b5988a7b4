extension EventLoop {
    /// Runs `body` on the loop's thread once the monotonic clock reaches `deadline` (ns), at the end of
    /// the iteration in which it passes. Call on the loop's thread (or before ``start()``).
    /// - Returns: an id for ``cancelTimer(_:)``.
    @discardableResult package func schedule(at deadline: UInt64, _ body: @escaping () -> Void) -> UInt64 {
        let id = nextTimerID
        nextTimerID += 1
        let timer = LoopTimer(deadline: deadline, id: id, body: body)
        // Soonest last, so that the due ones are popped off the end; few timers run at once.
        let index = timers.firstIndex { $0.deadline < deadline } ?? timers.endIndex
        timers.insert(timer, at: index)
        return id
    }

    /// Runs `body` `nanoseconds` after this iteration's ``now``.
    @discardableResult package func schedule(
        afterNanoseconds nanoseconds: UInt64, _ body: @escaping () -> Void
    )
        -> UInt64
    {
        schedule(at: now &+ nanoseconds < now ? .max : now &+ nanoseconds, body)
    }

    /// Cancels the timer `id`; nothing happens when it already ran.
    package func cancelTimer(_ id: UInt64) {
        timers.removeAll { $0.id == id }
    }

    /// How long `epoll_wait` may block: until the soonest timer (rounded up to whole ms), or forever.
    @usableFromInline func waitMilliseconds() -> Int32 {
        guard let soonest = timers.last else { return -1 }
        guard soonest.deadline > now else { return 0 }
        return Int32(clamping: (soonest.deadline - now + 999_999) / 1_000_000)
    }

    /// Runs the timers whose deadline has passed, soonest first.
    @usableFromInline func runDueTimers() {
        while let soonest = timers.last, soonest.deadline <= now {
            timers.removeLast()
            soonest.body()
        }
    }
}

/// One pending timer of an ``EventLoop``; confined to the loop's thread.
struct LoopTimer {
    /// When it is due, in monotonic ns.
    var deadline: UInt64
    /// Its id, for cancelling.
    var id: UInt64
    /// What runs.
    var body: () -> Void
}
