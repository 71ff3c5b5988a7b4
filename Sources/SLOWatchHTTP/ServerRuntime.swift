import Dispatch
import SLOWatchPOSIX
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The running parts of a started server: the listening socket and the event loops.
///
/// Sendable: immutable after `start` except `stopBegun` (atomic); the loops are reached only
/// through their mailboxes until `stop` joins them.
final class ServerRuntime: Sendable {
    /// The bound port.
    let port: Int
    private let listenFD: Int32
    private let loops: [HTTPLoop]
    /// Set by the first `stop`, which is the one that joins the loops.
    private let stopBegun = Atomic<Bool>(false)
    /// Entered at creation, left once every loop thread is joined and the listener is closed.
    private let stopped = DispatchGroup()

    private init(port: Int, listenFD: Int32, loops: [HTTPLoop]) {
        self.port = port
        self.listenFD = listenFD
        self.loops = loops
        stopped.enter()
    }

    /// Binds, listens and starts one event-loop thread per `ioThreads` (0: per online core).
    static func start(
        configuration: HTTPServerConfiguration, router: HTTPRouter, counters: ServerCounters,
        streamBudget: StreamBudget
    ) throws(HTTPServerError) -> ServerRuntime {
        signal(SIGPIPE, SIG_IGN)
        let listenFD: Int32
        let port: Int
        do {
            (listenFD, port) = try Socket.listen(
                host: configuration.host, port: configuration.port, backlog: max(configuration.backlog, 1024))
        } catch {
            throw HTTPServerError(error)
        }
        let threads =
            configuration.ioThreads > 0
            ? configuration.ioThreads : max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        var loops: [HTTPLoop] = []
        for index in 0..<threads {
            guard
                let loop = HTTPLoop(
                    index: index, listenFD: listenFD, configuration: configuration, router: router,
                    counters: counters,
                    streamBudget: streamBudget)
            else {
                let code = errno
                for loop in loops { loop.join() }
                _ = Glibc.close(listenFD)
                throw .socket("create an event loop for", host: configuration.host, port: port, errno: code)
            }
            loops.append(loop)
        }
        for (index, loop) in loops.enumerated() where !loop.startThread() {
            for started in loops[..<index] { started.post(.stop(graceNanoseconds: 0)) }
            for started in loops[..<index] { started.join() }
            for unstarted in loops[index...] { unstarted.join() }
            _ = Glibc.close(listenFD)
            throw .socket("start a thread for", host: configuration.host, port: port, errno: EAGAIN)
        }
        return ServerRuntime(port: port, listenFD: listenFD, loops: loops)
    }

    /// The final responses the loops have written, by status code (only statuses with a count).
    func responsesByStatus() -> [Int: UInt64] {
        var totals: [Int: UInt64] = [:]
        for loop in loops { loop.statusCounts.add(to: &totals) }
        return totals
    }

    /// True when the caller runs on one of the loop threads (in a handler).
    private var isCalledFromALoop: Bool {
        loops.contains { $0.isCurrentThread }
    }

    /// Asks every loop to stop within the grace (ns), joins their threads and closes the listener.
    /// From a loop thread it only begins that (a thread cannot join itself): the join runs on a
    /// Dispatch worker once the loops exit, and this returns at once. From any other thread it
    /// returns when the shutdown, begun by this call or an earlier one, is complete.
    func stop(graceNanoseconds: UInt64) {
        let fromLoop = isCalledFromALoop
        if !stopBegun.exchange(true, ordering: .acquiringAndReleasing) {
            for loop in loops { loop.post(.stop(graceNanoseconds: graceNanoseconds)) }
            if fromLoop {
                DispatchQueue.global(qos: .utility).async { self.joinLoops() }
            } else {
                joinLoops()
            }
        }
        if !fromLoop { stopped.wait() }
    }

    private func joinLoops() {
        for loop in loops { loop.join() }
        _ = Glibc.close(listenFD)
        stopped.leave()
    }
}
