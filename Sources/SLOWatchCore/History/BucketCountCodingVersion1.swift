/// The first coding of one sign's bucket counts in a ``CompactHistogram`` (slice coding version 1,
/// snapshot record kinds 6, 7 and 10), kept only to restore snapshots written with it: slices are
/// coded with ``BucketCountCoding`` (version 2) now.
///
/// Layout: the length (universal code, 0 for none); when not 0, the zigzagged first index (universal
/// code), then the counts in blocks of ``blockLength``. Each count `x` is turned into a value against
/// a prediction `p`, the rounded mean of the (up to) ``window`` counts before it:
/// - where `p` < ``directBelow`` (tails, sparse slices) the value is `x` itself, since counts there
///   are small and never negative;
/// - elsewhere it is the zigzagged difference `x − p` (wrapping on 64 bits, so any count round-trips).
///
/// Each block starts with its Rice parameter (the one that codes the block's values in the fewest
/// bits, FLAC's partitions), as a zigzagged change from the previous block's in unary, then its
/// values Rice-coded. The parameter follows the counts as they rise and fall across the slice, where
/// one parameter per slice served the tails and the middle badly; and the decoder reads a block with
/// a fixed parameter, one Rice read and a few integer operations per bucket.
enum BucketCountCodingVersion1 {
    /// How many preceding counts the prediction averages.
    static let window = 8
    /// Predictions below this code the count itself rather than its difference.
    static let directBelow: UInt64 = 4
    /// Buckets per Rice parameter.
    static let blockLength = 32

    /// Appends `buckets` to `writer`.
    static func encode(_ buckets: BucketCounts, into writer: inout BitWriter) {
        writer.writeUniversal(UInt64(buckets.counts.count))
        guard !buckets.isEmpty else { return }
        writer.writeUniversal(RiceCoding.zigzag(Int64(buckets.offset)))
        var predictor = Predictor()
        let values = buckets.counts.withUnsafeBufferPointer { counts in
            counts.indices.map { position in
                let value = predictor.value(of: counts[position], at: position)
                predictor.slide(
                    adding: counts[position], removing: position >= window ? counts[position - window] : 0)
                return value
            }
        }
        var previousK = 0
        for start in stride(from: 0, to: values.count, by: blockLength) {
            let block = values[start..<min(start + blockLength, values.count)]
            let k = RiceCoding.bestParameter(block)
            writer.writeRice(RiceCoding.zigzag(Int64(k - previousK)), k: 0)
            previousK = k
            for value in block { writer.writeRice(value, k: k) }
        }
    }

    /// Reads counts written by ``encode(_:into:)``.
    /// - Parameter maximumLength: the most counts accepted; a longer length (only a damaged stream has
    ///   one) reads as no counts, before anything is allocated.
    static func decode(from reader: inout BitReader, maximumLength: Int = Int(Int32.max)) -> BucketCounts {
        let length = reader.readUniversal()
        guard length > 0, length <= UInt64(maximumLength) else {
            return BucketCounts()
        }
        let offset = Int(truncatingIfNeeded: RiceCoding.unzigzag(reader.readUniversal()))
        var predictor = Predictor()
        let counts = [UInt64](unsafeUninitializedCapacity: Int(length)) { buffer, initialized in
            var k = 0
            var start = 0
            while start < Int(length) {
                // A damaged stream may ask for any parameter; 0 ... 64 are the ones a writer uses.
                k = min(max(k + Int(truncatingIfNeeded: RiceCoding.unzigzag(reader.readRice(k: 0))), 0), 64)
                let end = min(start + blockLength, Int(length))
                for position in start..<end {
                    let count = predictor.count(of: reader.readRice(k: k), at: position)
                    buffer[position] = count
                    predictor.slide(
                        adding: count, removing: position >= window ? buffer[position - window] : 0)
                }
                start = end
            }
            initialized = Int(length)
        }
        return BucketCounts(offset: offset, counts: counts)
    }

    /// The running prediction, the same on both sides.
    private struct Predictor {
        /// The sum of the last (up to) ``window`` counts, wrapping.
        var recentSum: UInt64 = 0

        /// The rounded mean of the counts before `position` within the window.
        @inline(__always)
        func prediction(position: Int) -> UInt64 {
            if position >= window { return (recentSum &+ UInt64(window / 2)) / UInt64(window) }
            guard position > 0 else { return 0 }
            return (recentSum &+ UInt64(position / 2)) / UInt64(position)
        }

        /// The value coded for `count` at `position`.
        @inline(__always)
        func value(of count: UInt64, at position: Int) -> UInt64 {
            let prediction = prediction(position: position)
            return prediction < directBelow
                ? count : RiceCoding.zigzag(Int64(bitPattern: count &- prediction))
        }

        /// The count a coded `value` at `position` stands for (the inverse of ``value(of:at:)``).
        @inline(__always)
        func count(of value: UInt64, at position: Int) -> UInt64 {
            let prediction = prediction(position: position)
            // Branch-free: the two cases interleave unpredictably in the tails.
            let difference = prediction &+ UInt64(bitPattern: RiceCoding.unzigzag(value))
            return prediction < directBelow ? value : difference
        }

        @inline(__always)
        mutating func slide(adding count: UInt64, removing old: UInt64) {
            recentSum = recentSum &+ count &- old
        }
    }
}
