import SLOWatchCore
import SLOWatchHTTP
import SLOWatchSync

/// The SSE frames of recent events, encoded once and framed once as a chunk
/// (``HTTPStreamChunk``), shared by every stream that sends them.
///
/// Direct-mapped by sequence: slot `sequence % capacity` holds the frame of the latest sequence that
/// used it. Streams send a given event at about the same time, so a small cache serves nearly every
/// lookup; a replay of old events may miss and encode again, which is correct, only slower.
final class SSEFrameCache: Sendable {
    /// One cached frame.
    private struct Slot: Sendable {
        /// The event's sequence (0: empty).
        var sequence: UInt64
        /// The event's SSE frame, with its chunk framing.
        var frame: HTTPStreamChunk
    }

    /// The slots; sequence 0 is never published, so it marks an empty slot.
    private let slots: PThreadLock<[Slot]>
    /// The number of slots.
    private let capacity: Int

    /// Creates a cache of `capacity` frames (at least 1).
    init(capacity: Int = 256) {
        self.capacity = max(1, capacity)
        slots = PThreadLock(
            Array(repeating: Slot(sequence: 0, frame: HTTPStreamChunk([])), count: self.capacity))
    }

    /// The frame of `event`, from the cache or encoded and framed now (outside the lock) and stored.
    func frame(for event: Event) -> HTTPStreamChunk {
        let index = Int(event.sequence % UInt64(capacity))
        let cached: HTTPStreamChunk? = slots.withLock { slots in
            slots[index].sequence == event.sequence ? slots[index].frame : nil
        }
        if let cached { return cached }
        let frame = HTTPStreamChunk(SSEFrame.event(event))
        slots.withLock { slots in
            // A newer event may have claimed the slot meanwhile; keep the newer one.
            if slots[index].sequence <= event.sequence {
                slots[index] = Slot(sequence: event.sequence, frame: frame)
            }
        }
        return frame
    }
}
