/// A closed history slice: an ``ExponentialHistogram`` with its bucket counts compacted, exactly.
///
/// Each sign's counts are stored as their first index and length, then the zigzag-encoded
/// differences between neighbouring counts, Golomb–Rice coded with the parameter that makes them
/// shortest (``RiceCoding``). Latency-like data at scale 6 takes a few bits per bucket this way,
/// against 64 in the dense form. The totals (count, sum, min, max, zero count) are kept as they are.
package struct CompactHistogram: Sendable, Equatable {
    /// The scale of the buckets.
    package let scale: Int
    /// Samples equal to 0.
    package let zeroCount: UInt64
    /// Samples counted.
    package let count: UInt64
    /// Their sum.
    package let sum: Double
    /// The smallest sample; +∞ when empty.
    package let minimum: Double
    /// The largest sample; −∞ when empty.
    package let maximum: Double
    /// Both signs' coded counts: positive, then negative.
    private let coded: [UInt8]

    /// Compacts `histogram`.
    package init(_ histogram: ExponentialHistogram) {
        scale = histogram.scale
        zeroCount = histogram.zeroCount
        count = histogram.count
        sum = histogram.sum
        minimum = histogram.minimum
        maximum = histogram.maximum
        var writer = BitWriter()
        Self.encode(histogram.positive, into: &writer)
        Self.encode(histogram.negative, into: &writer)
        coded = writer.finish()
    }

    /// The histogram, exactly as it was compacted.
    package var histogram: ExponentialHistogram {
        var reader = BitReader(coded)
        let positive = Self.decode(from: &reader)
        let negative = Self.decode(from: &reader)
        return ExponentialHistogram(
            scale: scale, zeroCount: zeroCount, positive: positive, negative: negative, count: count,
            sum: sum, minimum: minimum, maximum: maximum)
    }

    /// The bytes the slice takes: its inline fields and its coded counts (their capacity).
    package var allocatedBytes: Int { MemoryLayout<CompactHistogram>.stride + coded.capacity }

    /// Writes the length (0 for none), and when not 0 the zigzagged first index, the Rice parameter
    /// and the zigzagged deltas (the first from 0).
    private static func encode(_ buckets: BucketCounts, into writer: inout BitWriter) {
        writer.writeRice(UInt64(buckets.counts.count), k: 6)
        guard !buckets.isEmpty else { return }
        writer.writeRice(zigzag(Int64(buckets.offset)), k: 10)
        var previous: UInt64 = 0
        let deltas = buckets.counts.map { count in
            defer { previous = count }
            return zigzag(Int64(bitPattern: count &- previous))
        }
        let k = RiceCoding.bestParameter(deltas)
        writer.write(UInt64(k), width: 6)
        for delta in deltas { writer.writeRice(delta, k: k) }
    }

    private static func decode(from reader: inout BitReader) -> BucketCounts {
        let length = Int(truncatingIfNeeded: reader.readRice(k: 6))
        guard length > 0 else { return BucketCounts() }
        let offset = Int(unzigzag(reader.readRice(k: 10)))
        let k = Int(reader.read(width: 6))
        var counts = [UInt64](repeating: 0, count: length)
        var previous: UInt64 = 0
        for position in 0..<length {
            previous = previous &+ UInt64(bitPattern: unzigzag(reader.readRice(k: k)))
            counts[position] = previous
        }
        return BucketCounts(offset: offset, counts: counts)
    }

    private static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    private static func unzigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }
}
