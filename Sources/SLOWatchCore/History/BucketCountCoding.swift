/// The coding of one sign's bucket counts in a ``CompactHistogram``: lossless for every
/// ``BucketCounts``, a few bits per bucket for latency-like data.
///
/// Layout: the length (universal code, 0 for none); when not 0, the zigzagged first index (universal
/// code), then one Rice code per count. Each count `x` is coded against a prediction `p`, the mean of
/// the (up to) ``window`` counts before it (rounded):
/// - where `p` < ``directBelow`` (tails, sparse slices) `x` itself is coded, since counts there are
///   small and never negative;
/// - elsewhere the zigzagged difference `x − p` (wrapping on 64 bits, so any count round-trips).
///
/// Each of the two cases has its own ``AdaptiveRiceParameter``, so the parameter follows the counts
/// as they rise and fall across the slice instead of one parameter serving both the tails and the
/// middle. Decoding costs one Rice read and a few integer operations per bucket.
enum BucketCountCoding {
    /// How many preceding counts the prediction averages.
    static let window = 8
    /// Predictions below this code the count itself rather than its difference.
    static let directBelow: UInt64 = 4

    /// Appends `buckets` to `writer`.
    static func encode(_ buckets: BucketCounts, into writer: inout BitWriter) {
        writer.writeUniversal(UInt64(buckets.counts.count))
        guard !buckets.isEmpty else { return }
        writer.writeUniversal(RiceCoding.zigzag(Int64(buckets.offset)))
        var state = State()
        buckets.counts.withUnsafeBufferPointer { counts in
            for position in counts.indices {
                let prediction = state.prediction(position: position)
                let count = counts[position]
                let differs = prediction >= directBelow
                var parameter = differs ? state.difference : state.direct
                let value = differs ? RiceCoding.zigzag(Int64(bitPattern: count &- prediction)) : count
                writer.writeRice(value, k: parameter.k)
                parameter.update(value)
                state.store(parameter, differs: differs)
                state.slide(adding: count, removing: position >= window ? counts[position - window] : 0)
            }
        }
    }

    /// Reads counts written by ``encode(_:into:)``.
    static func decode(from reader: inout BitReader) -> BucketCounts {
        // A length no array could hold reads as none (only a damaged stream has one).
        let length = reader.readUniversal()
        guard length > 0, length <= UInt64(Int32.max) else {
            return BucketCounts()
        }
        let offset = Int(truncatingIfNeeded: RiceCoding.unzigzag(reader.readUniversal()))
        var state = State()
        let counts = [UInt64](unsafeUninitializedCapacity: Int(length)) { buffer, initialized in
            for position in 0..<Int(length) {
                // Branch-free selection of the case: the two cases interleave unpredictably.
                let prediction = state.prediction(position: position)
                let differs = prediction >= directBelow
                var parameter = differs ? state.difference : state.direct
                let value = reader.readRice(k: parameter.k)
                parameter.update(value)
                state.store(parameter, differs: differs)
                let count = differs ? prediction &+ UInt64(bitPattern: RiceCoding.unzigzag(value)) : value
                buffer[position] = count
                state.slide(adding: count, removing: position >= window ? buffer[position - window] : 0)
            }
            initialized = Int(length)
        }
        return BucketCounts(offset: offset, counts: counts)
    }

    /// The coder's running state, the same on both sides.
    private struct State {
        /// The parameter of counts coded directly.
        var direct = AdaptiveRiceParameter()
        /// The parameter of differences; it starts at 3 (counts predicted at 4 and up spread by a
        /// few).
        var difference = AdaptiveRiceParameter(initial: 3)
        /// The sum of the last (up to) ``window`` counts, wrapping.
        var recentSum: UInt64 = 0

        /// The rounded mean of the counts before `position` within the window.
        @inline(__always)
        func prediction(position: Int) -> UInt64 {
            if position >= window { return (recentSum &+ UInt64(window / 2)) / UInt64(window) }
            guard position > 0 else { return 0 }
            return (recentSum &+ UInt64(position / 2)) / UInt64(position)
        }

        /// Keeps `parameter` as the difference parameter when `differs`, else as the direct one.
        @inline(__always)
        mutating func store(_ parameter: AdaptiveRiceParameter, differs: Bool) {
            if differs { difference = parameter } else { direct = parameter }
        }

        @inline(__always)
        mutating func slide(adding count: UInt64, removing old: UInt64) {
            recentSum = recentSum &+ count &- old
        }
    }
}
