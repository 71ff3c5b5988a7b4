import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few serial queues on which one ``EventBus`` runs all its subscribers' handlers, one per core,
/// from 2 to 4; each subscriber gets one, round robin, for its life. A handler that blocks delays the
/// other subscribers of its lane (never the monitor or the publisher), which is why handlers must not
/// block.
///
/// With a serial queue of its own per subscriber, each busy subscriber became a thread on Linux (259
/// threads for 2,000 event streams), all runnable beside the event loops, which then answered late.
/// The lanes bound the delivering threads (two lanes per core measured worse than one: more threads
/// beside the loops), and they belong to one bus, not to the process's shared
/// global pool, so blocking work elsewhere (or another bus's handler) cannot stall this bus's delivery.
final class DeliveryLanes: Sendable {
    private let queues: [DispatchQueue]
    private let nextIndex = Atomic<Int>(0)

    /// Creates the lanes (their threads start only when there is work).
    init() {
        let count = min(max(Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))), 2), 4)
        queues = (0..<count).map { DispatchQueue(label: "slowatch.bus.delivery.\($0)") }
    }

    /// The lane for the next subscriber.
    func next() -> DispatchQueue {
        queues[nextIndex.add(1, ordering: .relaxed).oldValue % queues.count]
    }
}
