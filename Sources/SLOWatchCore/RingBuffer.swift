/// A fixed-capacity window of samples: two contiguous `Double` arrays (value and timestamp), 16 bytes a
/// sample.
///
/// Storage is allocated on the first sample, not at creation, so a registered but silent metric costs
/// no sample memory. When full, each new sample overwrites the oldest one and `overflow` increases.
/// Samples are handed out in insertion order, oldest first. Not thread-safe: the owning metric guards
/// it with its own lock.
package struct RingBuffer: Sendable {
    /// How many samples the buffer keeps.
    package private(set) var capacity: Int
    /// How many samples it holds now (at most `capacity`).
    package private(set) var count = 0
    /// How many samples were dropped because the buffer was full.
    package private(set) var overflow: UInt64 = 0
    /// The newest timestamp (ms since the epoch) among the samples ever dropped, −∞ when none was: a
    /// time window starting after it still has every one of its samples here (exact answers), one
    /// starting at or before it may miss some (answered from history). An upper bound: a resize that
    /// sheds samples carries the old buffer's newest timestamp.
    package private(set) var newestEvicted = -Double.infinity
    private var values: [Double] = []
    private var timestamps: [Double] = []
    /// The index the next sample is written to.
    private var head = 0

    /// Creates an empty buffer; no sample storage is allocated yet.
    /// - Parameters:
    ///   - capacity: samples kept, at least 1.
    ///   - metric: the owning metric's name, used only in the error message.
    /// - Throws: `MetricsError.invalidCapacity` when `capacity` is 0 or negative.
    package init(capacity: Int, metric: String = "") throws(MetricsError) {
        guard capacity > 0 else { throw .invalidCapacity(capacity, metric: metric) }
        self.capacity = capacity
    }

    /// Whether sample storage has been allocated (it is, from the first sample on).
    package var isAllocated: Bool { !values.isEmpty }

    /// Sample storage in bytes: 16 × capacity once allocated, else 0.
    package var allocatedBytes: Int { isAllocated ? capacity * 16 : 0 }

    /// The timestamp of the most recently appended sample, in ms since the epoch.
    package var newestTimestamp: Double? {
        guard count > 0 else { return nil }
        return timestamps[head == 0 ? capacity - 1 : head - 1]
    }

    /// Appends one sample, dropping the oldest one when full. Allocates only on the first call.
    /// - Parameters:
    ///   - value: the sample value.
    ///   - timestamp: the sample time, ms since the epoch.
    @inline(__always)
    package mutating func append(value: Double, timestamp: Double) {
        if !isAllocated { allocate() }
        if count == capacity {
            let evicted = timestamps[head]
            if evicted > newestEvicted { newestEvicted = evicted }
        }
        values[head] = value
        timestamps[head] = timestamp
        head += 1
        if head == capacity { head = 0 }
        if count == capacity {
            overflow &+= 1
        } else {
            count += 1
        }
    }

    /// Appends `samples` in order, exactly as one ``append(value:timestamp:)`` each would (the same
    /// slots, `head`, `count`, ``overflow`` and ``newestEvicted``), in at most two contiguous
    /// segments per pass over the storage (one up to the end of the storage, one from its start) and
    /// one uniqueness check of each array per call, instead of one per sample.
    ///
    /// Relies on the invariant that a buffer that is not full holds its samples in slots
    /// `0 ..< count` with `head == count` (appends fill from slot 0; only ``removeAll()`` empties it,
    /// back to slot 0), so that a segment written while not full overwrites no sample; a segment is
    /// also cut where the buffer becomes full, so that this holds even without the invariant.
    /// - Parameter samples: values and timestamps (ms since the epoch), oldest first.
    package mutating func append(contentsOf samples: UnsafeBufferPointer<RecentSample>) {
        guard let source = samples.baseAddress, !samples.isEmpty else { return }
        if !isAllocated { allocate() }
        let capacity = self.capacity
        var head = self.head
        var count = self.count
        var overflow = self.overflow
        var newestEvicted = self.newestEvicted
        values.withUnsafeMutableBufferPointer { values in
            timestamps.withUnsafeMutableBufferPointer { timestamps in
                guard let values = values.baseAddress, let timestamps = timestamps.baseAddress else { return }
                var next = 0
                while next < samples.count {
                    let full = count == capacity
                    let run = Swift.min(
                        samples.count &- next, capacity &- head, full ? capacity : capacity &- count)
                    let from = source + next
                    if full {
                        // Each slot written drops the sample it held, as one append would.
                        for offset in 0..<run {
                            let evicted = timestamps[head &+ offset]
                            if evicted > newestEvicted { newestEvicted = evicted }
                            values[head &+ offset] = from[offset].value
                            timestamps[head &+ offset] = from[offset].timestamp
                        }
                        overflow &+= UInt64(run)
                    } else {
                        for offset in 0..<run {
                            values[head &+ offset] = from[offset].value
                            timestamps[head &+ offset] = from[offset].timestamp
                        }
                        count &+= run
                    }
                    head &+= run
                    if head == capacity { head = 0 }
                    next &+= run
                }
            }
        }
        self.head = head
        self.count = count
        self.overflow = overflow
        self.newestEvicted = newestEvicted
    }

    /// The newest `limit` samples (fewer when the buffer holds fewer), newest first.
    /// - Parameter limit: the most samples wanted; 0 or less gives none.
    package func newest(limit: Int) -> [RecentSample] {
        let taken = Swift.min(Swift.max(limit, 0), count)
        guard taken > 0 else { return [] }
        var result: [RecentSample] = []
        result.reserveCapacity(taken)
        var index = head
        for _ in 0..<taken {
            index = index == 0 ? capacity - 1 : index - 1
            result.append(RecentSample(value: values[index], timestamp: timestamps[index]))
        }
        return result
    }

    private mutating func allocate() {
        values = Array(repeating: 0, count: capacity)
        timestamps = Array(repeating: 0, count: capacity)
    }

    /// Drops every sample and frees the storage; the capacity and the overflow counter stay.
    package mutating func removeAll() {
        values = []
        timestamps = []
        head = 0
        count = 0
    }

    /// The storage index of the oldest sample.
    package var tail: Int { count == capacity ? head : 0 }

    /// Allocates the sample storage now if it is not yet, so that a caller can pay for it outside a lock.
    package mutating func allocateStorage() {
        if !isAllocated { allocate() }
    }

    /// Sets the overflow counter, for a buffer that replaces another one and carries on its count.
    package mutating func carryOverflow(_ overflow: UInt64) {
        self.overflow = overflow
    }

    /// Raises ``newestEvicted`` to `timestamp`, for a buffer that replaces another one (ms).
    package mutating func carryEvicted(_ timestamp: Double) {
        if timestamp > newestEvicted { newestEvicted = timestamp }
    }

    /// Appends the samples of `source` whose ages are in `ages` (age 0 is its oldest sample), oldest
    /// first, exactly as one `append` each would (overflow included), but in bulk copies.
    /// - Parameters:
    ///   - source: the buffer to copy from; `ages` must lie within `0..<source.count`.
    ///   - ages: which samples to copy.
    package mutating func append(from source: RingBuffer, ages: Range<Int>) {
        let ages = ages.clamped(to: 0..<source.count)
        guard !ages.isEmpty else { return }
        if !isAllocated { allocate() }
        var from = (source.tail + ages.lowerBound) % source.capacity
        var remaining = ages.count
        while remaining > 0 {
            let run = min(remaining, source.capacity - from, capacity - head)
            let (to, start) = (head, from)
            if count + run > capacity {
                // Some slots written hold samples about to be dropped: their newest time (an upper
                // bound, as a slot never written holds 0).
                let overwritten = timestamps[to..<(to + run)].max() ?? -.infinity
                if overwritten > newestEvicted { newestEvicted = overwritten }
            }
            values.withUnsafeMutableBufferPointer { destination in
                source.values.withUnsafeBufferPointer { origin in
                    Self.copy(run, from: origin, at: start, to: destination, at: to)
                }
            }
            timestamps.withUnsafeMutableBufferPointer { destination in
                source.timestamps.withUnsafeBufferPointer { origin in
                    Self.copy(run, from: origin, at: start, to: destination, at: to)
                }
            }
            head = (head + run) % capacity
            from = (from + run) % source.capacity
            let dropped = max(0, count + run - capacity)
            overflow &+= UInt64(dropped)
            count += run - dropped
            remaining -= run
        }
    }

    private static func copy(
        _ count: Int, from origin: UnsafeBufferPointer<Double>, at start: Int,
        to destination: UnsafeMutableBufferPointer<Double>, at offset: Int
    ) {
        guard let source = origin.baseAddress, let target = destination.baseAddress else { return }
        (target + offset).update(from: source + start, count: count)
    }

    /// Copies the samples whose ages are in `ages` (age 0 is the oldest), oldest first, into
    /// `destination`, which must have room for `ages.count` samples (16 B each).
    /// - Returns: how many were copied: the part of `ages` within `0..<count`.
    package func copySamples(ages: Range<Int>, into destination: UnsafeMutablePointer<RecentSample>) -> Int {
        let ages = ages.clamped(to: 0..<count)
        guard !ages.isEmpty else { return 0 }
        values.withUnsafeBufferPointer { values in
            timestamps.withUnsafeBufferPointer { timestamps in
                var index = (tail + ages.lowerBound) % capacity
                for offset in 0..<ages.count {
                    destination[offset] = RecentSample(value: values[index], timestamp: timestamps[index])
                    index += 1
                    if index == capacity { index = 0 }
                }
            }
        }
        return ages.count
    }

    /// Copies every sample's value and timestamp, in storage order (not age order), so that a caller can
    /// scan them after releasing its lock. Two bulk copies.
    /// - Parameters:
    ///   - values: room for `count` values.
    ///   - timestamps: room for `count` timestamps; sample i's is at the same index as its value.
    package func copySamples(values: UnsafeMutablePointer<Double>, timestamps: UnsafeMutablePointer<Double>) {
        self.values.withUnsafeBufferPointer {
            if let source = $0.baseAddress { values.update(from: source, count: count) }
        }
        self.timestamps.withUnsafeBufferPointer {
            if let source = $0.baseAddress { timestamps.update(from: source, count: count) }
        }
    }

    /// Copies every sample's value into `destination`, which must hold `count` values, with one bulk
    /// copy and one unrolled scan of the timestamps. (A windowed query copies with
    /// `copyValues(into:since:)`.)
    /// - Parameter destination: where values go, in storage order.
    /// - Returns: how many values were copied, and the smallest and largest timestamp among them.
    package func copyValues(into destination: UnsafeMutablePointer<Double>) -> (
        count: Int, oldest: Double, newest: Double
    ) {
        guard count > 0 else { return (0, .infinity, -.infinity) }
        values.withUnsafeBufferPointer {
            if let source = $0.baseAddress { destination.update(from: source, count: count) }
        }
        let bounds = timestamps.withUnsafeBufferPointer {
            SampleScan.minMaxSum(UnsafeBufferPointer(rebasing: $0[0..<count]))
        }
        return (count, bounds.min, bounds.max)
    }
}

extension RingBuffer {
    /// Copies the values of the samples with timestamp ≥ `cutoff` into `destination`, in storage order:
    /// a windowed query needs no copy of the timestamps, so its scratch is 8 B per sample.
    /// - Parameters:
    ///   - destination: room for `count` values.
    ///   - cutoff: the oldest timestamp kept, ms since the epoch; NaN keeps nothing.
    /// - Returns: how many values were copied, the smallest and largest timestamp among them, and the
    ///   largest timestamp left out (−infinity when none was): every cut point in (`skipped`, `oldest`]
    ///   keeps the same samples, which is what lets a windowed answer be reused.
    package func copyValues(into destination: UnsafeMutablePointer<Double>, since cutoff: Double) -> (
        count: Int, oldest: Double, newest: Double, skipped: Double
    ) {
        values.withUnsafeBufferPointer { values in
            timestamps.withUnsafeBufferPointer { timestamps in
                var kept = 0
                var oldest = Double.infinity
                var newest = -Double.infinity
                var skipped = -Double.infinity
                for index in 0..<count {
                    let timestamp = timestamps[index]
                    guard timestamp >= cutoff else {
                        skipped = max(skipped, timestamp)
                        continue
                    }
                    destination[kept] = values[index]
                    kept += 1
                    oldest = min(oldest, timestamp)
                    newest = max(newest, timestamp)
                }
                return (kept, oldest, newest, skipped)
            }
        }
    }
}
