import Dispatch
import SLOWatchSync

/// A fixed number of threads for blocking work (file writes, fsync, rename) that must never run on an
/// event-loop thread, fed by a bounded FIFO queue.
///
/// With one thread the pool is a serial lane: jobs run one at a time in the order submitted, so a
/// second write can never overtake the first on disk. With more threads jobs start in order but may
/// finish in any order.
///
/// A job's result goes back to an event loop through its mailbox
/// (``submit(_:completingOn:_:)``), so the loop's state is only ever touched on the loop's thread.
///
/// Sendable: the queue and flags sit behind a `PThreadLock`; the semaphore counts queued jobs (plus
/// one wake-up per thread at shutdown); `threads` is written once in `init`.
package final class BlockingPool: Sendable {
    private struct State: Sendable {
        var jobs: [@Sendable () -> Void] = []
        /// Index of the oldest job in `jobs` (taken jobs are compacted away in batches).
        var head = 0
        var shuttingDown = false
    }

    /// The most jobs waiting at once; a submit beyond it is refused.
    package let queueCapacity: Int
    private let state = PThreadLock(State())
    private let available = DispatchSemaphore(value: 0)
    private let threads: [LoopThread]

    /// Starts `threadCount` threads.
    /// - Parameters:
    ///   - threadCount: how many jobs may run at once (at least 1); 1 makes a serial lane.
    ///   - queueCapacity: how many jobs may wait (at least 1).
    /// - Returns: nil when the system refuses a thread (the ones started are stopped again).
    package init?(threadCount: Int, queueCapacity: Int) {
        self.queueCapacity = max(queueCapacity, 1)
        var started: [LoopThread] = []
        let state = self.state
        let available = self.available
        for _ in 0..<max(threadCount, 1) {
            guard let thread = LoopThread.start({ Self.work(state: state, available: available) }) else {
                state.withLock { $0.shuttingDown = true }
                for _ in started { available.signal() }
                for thread in started { thread.join() }
                return nil
            }
            started.append(thread)
        }
        threads = started
    }

    /// Queues `job` to run on a pool thread. Never blocks.
    /// - Returns: false when the queue is full or the pool is shut down; `job` then never runs.
    @discardableResult package func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        let accepted = state.withLock { state in
            guard !state.shuttingDown, state.jobs.count - state.head < queueCapacity else { return false }
            state.jobs.append(job)
            return true
        }
        if accepted { available.signal() }
        return accepted
    }

    /// Runs `work` on a pool thread, then `completion` with its result on `loop`'s thread.
    /// - Returns: false when the queue is full or the pool is shut down; neither closure runs then.
    @discardableResult package func submit<Result: Sendable>(
        _ work: @escaping @Sendable () -> Result, completingOn loop: some LoopExecutor,
        _ completion: @escaping @Sendable (Result) -> Void
    ) -> Bool {
        submit {
            let result = work()
            loop.execute { completion(result) }
        }
    }

    /// Runs the jobs already queued, then stops the threads and waits for them. Later submits are
    /// refused. Call once, from a thread that is not one of the pool's.
    package func shutdown() {
        state.withLock { $0.shuttingDown = true }
        for _ in threads { available.signal() }
        for thread in threads { thread.join() }
    }

    /// A pool thread: takes jobs until the pool shuts down and the queue is empty.
    private static func work(state: PThreadLock<State>, available: DispatchSemaphore) {
        while true {
            available.wait()
            let job: (@Sendable () -> Void)? = state.withLock { state in
                guard state.head < state.jobs.count else { return nil }
                let job = state.jobs[state.head]
                state.head += 1
                if state.head == state.jobs.count {
                    state.jobs.removeAll(keepingCapacity: true)
                    state.head = 0
                } else if state.head >= 64 && state.head * 2 >= state.jobs.count {
                    state.jobs.removeFirst(state.head)
                    state.head = 0
                }
                return job
            }
            guard let job else {
                // No job: this was a shutdown wake-up (jobs queued before it were taken first).
                return
            }
            job()
        }
    }
}
