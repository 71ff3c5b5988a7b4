import SLOWatchSync
import Synchronization

/// The bounds every stream of one server shares: how many streams may be open (``maxStreams``) and how
/// many bytes all of them together may hold queued for their clients (``limitBytes``).
///
/// - Slots: a stream takes a slot when its head is about to be sent and gives it back when its
///   connection closes. At most `maxStreams` of the server's `maxConnections` connections are streams,
///   so at least `maxConnections - maxStreams` connections are always left for plain requests.
/// - Bytes: each writer charges the bytes it holds queued (not yet handed to the loop, plus those the
///   loop holds unsent) to ``queuedBytes``. Frames shared between streams are charged once per stream,
///   so the figure is an upper bound of the memory they take. When a charge takes the total above
///   `limitBytes`, the streams furthest behind (most bytes queued) are dropped until the total is back
///   under ``lowWaterBytes`` (7/8 of the limit); their clients may resume with `Last-Event-ID`.
///
/// Sendable: the counters are atomics; the registry of writers is behind its own lock, taken only when
/// a stream opens or closes and when the total is over the limit (never per request or per write).
final class StreamBudget: Sendable {
    /// The most streams open at once (at least 1).
    let maxStreams: Int
    /// The most bytes all streams together may hold queued (at least 1).
    let limitBytes: Int
    /// Streams holding a slot now.
    let openStreams = Atomic<Int>(0)
    /// Bytes the open streams hold queued, in total.
    let queuedBytes = Atomic<Int>(0)
    /// One thread sheds at a time; the others go on (their bytes are counted either way).
    private let shedding = Atomic<Bool>(false)
    /// The open writers by connection id, for ``shed()``.
    private let writers = PThreadLock<[UInt64: HTTPStreamWriter]>([:])

    /// Creates the budget of a server whose configuration says `maxStreams` and `limitBytes`.
    init(maxStreams: Int, limitBytes: Int) {
        self.maxStreams = max(1, maxStreams)
        self.limitBytes = max(1, limitBytes)
    }

    /// Takes a stream slot; false, taking nothing, when `maxStreams` streams are open.
    func reserveSlot() -> Bool {
        let open = openStreams.add(1, ordering: .relaxed).newValue
        if open <= maxStreams { return true }
        openStreams.subtract(1, ordering: .relaxed)
        return false
    }

    /// Gives a slot back (its connection closed).
    func releaseSlot() {
        openStreams.subtract(1, ordering: .relaxed)
    }

    /// Lists `writer` among those ``shed()`` may drop.
    func register(_ writer: HTTPStreamWriter) {
        writers.withLock { $0[writer.connectionID] = writer }
    }

    /// Forgets `writer` (it closed or was dropped).
    func unregister(_ writer: HTTPStreamWriter) {
        _ = writers.withLock { $0.removeValue(forKey: writer.connectionID) }
    }

    /// Adds `delta` bytes (negative to give back) to the total; returns true when the total is now over
    /// the limit, in which case the caller should ``shed()`` outside its own locks.
    func charge(_ delta: Int) -> Bool {
        guard delta != 0 else { return false }
        return queuedBytes.add(delta, ordering: .relaxed).newValue > limitBytes
    }

    /// Where shedding stops: an eighth under the limit, so that one shed makes room for many writes
    /// instead of running (and sorting every stream) again at the next one.
    var lowWaterBytes: Int { limitBytes - limitBytes / 8 }

    /// Drops the streams furthest behind until the total is back under ``lowWaterBytes``.
    ///
    /// The order is by bytes queued, largest first (ties by connection id, oldest first), so a client
    /// that reads keeps its stream while the ones that stopped reading go. One thread sheds at a time;
    /// a caller that finds another shedding returns at once (its bytes are counted either way).
    func shed() {
        guard !shedding.exchange(true, ordering: .acquiring) else { return }
        defer { shedding.store(false, ordering: .releasing) }
        let target = lowWaterBytes
        while queuedBytes.load(ordering: .relaxed) > target {
            let candidates = writers.withLock { Array($0.values) }
            let order = Self.dropOrder(candidates.map { (id: $0.connectionID, queued: $0.queuedBytes) })
            guard !order.isEmpty else { return }
            let byID = Dictionary(uniqueKeysWithValues: candidates.map { ($0.connectionID, $0) })
            var droppedAny = false
            for id in order {
                if queuedBytes.load(ordering: .relaxed) <= target { return }
                if let writer = byID[id], writer.dropForBudget() { droppedAny = true }
            }
            if !droppedAny { return }
        }
    }

    /// The ids of `streams` in the order they are dropped: most bytes queued first, then the oldest
    /// connection (lowest id); streams with nothing queued are never dropped (it would free nothing).
    static func dropOrder(_ streams: [(id: UInt64, queued: Int)]) -> [UInt64] {
        streams.filter { $0.queued > 0 }
            .sorted { $0.queued != $1.queued ? $0.queued > $1.queued : $0.id < $1.id }
            .map(\.id)
    }
}
