/// A capacity change in progress: the new buffer and how far the copy into it has gone.
///
/// `@unchecked Sendable`: it is reached only through `MetricState.resize`, so only while holding the
/// owning metric's lock (`MetricLock.withLock`).
final class MetricResize: @unchecked Sendable {
    /// The new buffer, filled oldest sample first.
    var target: RingBuffer
    /// The next sample to copy, numbered in `MetricState.recorded` order: sample `s` is held by the
    /// old buffer while `recorded - count ≤ s < recorded`.
    var next: UInt64
    /// `recorded` when the copy began.
    let startRecorded: UInt64
    /// How many of the samples held when the copy began fit the new capacity.
    let startKept: UInt64
    /// The old buffer's overflow counter when the copy began.
    let startOverflow: UInt64

    /// Starts a copy into `target` of the newest `kept` samples of an old buffer.
    init(target: RingBuffer, next: UInt64, startRecorded: UInt64, startKept: UInt64, startOverflow: UInt64) {
        self.target = target
        self.next = next
        self.startRecorded = startRecorded
        self.startKept = startKept
        self.startOverflow = startOverflow
    }
}

/// What one hold of a metric's lock during a replacement did.
private enum ResizeStep {
    /// Copied a chunk; more to copy.
    case copied
    /// Needs the new buffer's storage, to be allocated outside the lock.
    case needsStorage
    /// Applied the definition; `retired` is the old buffer, if replaced, to be freed outside the lock.
    case done(retired: RingBuffer?)
    /// The metric was unregistered meanwhile; nothing was replaced.
    case removed
}

extension MetricLock where State == MetricState {
    /// Samples copied per hold of the metric's lock while resizing: 16,384 (256 KB of values and
    /// timestamps, tens of µs), so writers wait at most that long instead of for a whole 10M-sample copy.
    static var resizeChunkSamples: Int { 16_384 }

    /// Replaces the definition, keeping the newest `min(count, capacity)` samples in order, without
    /// holding the metric's lock for the whole copy.
    ///
    /// A new capacity gets a new buffer, allocated outside the lock and filled oldest first in chunks
    /// of `chunkSamples`, one lock hold each. Between holds, writers and readers go on with the old
    /// buffer; a writer about to overwrite a sample not yet copied moves it to the new buffer first.
    /// The last hold copies what was recorded meanwhile and swaps the new buffer in. The outcome is as
    /// if the new capacity applied when the copy began: the new buffer holds the newest samples of
    /// those held then and those recorded since, in order, and its overflow counter adds only the
    /// samples dropped to make room among those (samples dropped by shrinking are not counted).
    ///
    /// Callers serialize replacements of one metric (the registry's replacement lock does).
    /// - Parameters:
    ///   - definition: the new definition, already validated.
    ///   - registrationID: the metric's new registration id.
    ///   - chunkSamples: samples copied per lock hold (at least 1).
    ///   - betweenChunks: called with the lock released after each chunk but the last; for tests.
    /// - Returns: false when the metric was unregistered meanwhile, replacing nothing.
    /// - Throws: `MetricsError.invalidCapacity`.
    @discardableResult
    func replace(
        _ definition: MetricDefinition, registrationID: UInt64, chunkSamples: Int = resizeChunkSamples,
        betweenChunks: () -> Void = {}
    ) throws(MetricsError) -> Bool {
        var fresh: RingBuffer? = try RingBuffer(capacity: definition.capacity, metric: definition.name)
        let chunk = UInt64(max(1, chunkSamples))
        while true {
            let step: ResizeStep = withLock { state in
                guard !state.isRemoved else { return .removed }
                guard definition.capacity != state.buffer.capacity else {
                    state.apply(definition, registrationID: registrationID)
                    return .done(retired: nil)
                }
                if let target = fresh {
                    if state.buffer.count > 0 && !target.isAllocated { return .needsStorage }
                    state.beginResize(into: target)
                    fresh = nil  // the state holds the only reference now, so appends copy nothing
                }
                return state.copyChunk(chunk, definition: definition, registrationID: registrationID)
            }
            switch step {
            case .copied: betweenChunks()
            case .needsStorage: fresh?.allocateStorage()
            case .done(let retired): return withExtendedLifetime(retired) { true }
            case .removed: return false
            }
        }
    }
}

extension MetricState {
    /// Before an append into a full old buffer during a resize: if the sample about to be overwritten
    /// is the next one to copy, moves it to the new buffer first, so that no sample is lost however
    /// fast writers go. O(1); called only while a resize is in progress.
    @inline(never)
    mutating func moveOldestBeforeOverwrite() {
        guard let progress = resize, buffer.count == buffer.capacity,
            progress.next == recorded &- UInt64(buffer.count)
        else { return }
        progress.target.append(from: buffer, ages: 0..<1)
        progress.next += 1
    }

    /// Starts copying into `target`, keeping the newest samples that fit it.
    fileprivate mutating func beginResize(into target: RingBuffer) {
        let kept = min(UInt64(buffer.count), UInt64(target.capacity))
        resize = MetricResize(
            target: target, next: recorded - kept, startRecorded: recorded, startKept: kept,
            startOverflow: buffer.overflow)
    }

    /// Copies up to `chunk` samples into the resize target; when that finishes the copy, swaps the
    /// target in and applies the definition.
    fileprivate mutating func copyChunk(
        _ chunk: UInt64, definition: MetricDefinition, registrationID: UInt64
    ) -> ResizeStep {
        guard let progress = resize else { return .done(retired: nil) }
        let end = recorded
        let oldest = end - UInt64(buffer.count)
        let capacity = UInt64(progress.target.capacity)
        // Older samples no longer fit; the target sheds any copied ones as the newer ones come in.
        let first = max(oldest, end >= capacity ? end - capacity : 0)
        let from = max(progress.next, first)
        let take = min(end - from, chunk)
        let age = Int(from - oldest)
        progress.target.append(from: buffer, ages: age..<(age + Int(take)))
        progress.next = from + take
        guard progress.next == end else { return .copied }
        let considered = progress.startKept + (end - progress.startRecorded)
        progress.target.carryOverflow(progress.startOverflow &+ (considered - UInt64(progress.target.count)))
        progress.target.carryEvicted(buffer.newestEvicted)
        if considered > UInt64(progress.target.count) || oldest < first {
            // Samples were shed; their newest time is at most the old buffer's newest.
            progress.target.carryEvicted(buffer.newestTimestamp ?? -.infinity)
        }
        swap(&buffer, &progress.target)
        resize = nil
        apply(definition, registrationID: registrationID)
        return .done(retired: progress.target)
    }

    /// Installs a new definition and id and invalidates the cached summary.
    fileprivate mutating func apply(_ definition: MetricDefinition, registrationID: UInt64) {
        self.definition = definition
        self.registrationID = registrationID
        version &+= 1
        cached = nil
    }
}
