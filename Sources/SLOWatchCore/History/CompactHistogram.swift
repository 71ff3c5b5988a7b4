/// A closed history slice: an ``ExponentialHistogram`` compacted, exactly, into one byte array.
///
/// The bit stream holds, in order: the zigzagged scale, the zero count and the count (universal
/// codes: a handful of bits when small), the 64 bits of the sum, minimum and maximum (exactly, NaN
/// payloads and −0 included), then the positive and the negative counts (``BucketCountCoding``:
/// adaptive Golomb–Rice codes against a running prediction). Latency-like data at scale 6 takes
/// a few bits per bucket this way, against 64 in the dense form, and the value itself is one
/// reference (8 bytes) to an array sized to its bytes.
package struct CompactHistogram: Sendable, Equatable {
    /// The coded histogram.
    let coded: [UInt8]

    /// Compacts `histogram`.
    package init(_ histogram: ExponentialHistogram) {
        // Room for the totals and about 4 bits per bucket, so most slices never regrow the buffer.
        let buckets = histogram.positive.counts.count + histogram.negative.counts.count
        var writer = BitWriter(capacity: 40 + buckets / 2)
        writer.writeUniversal(RiceCoding.zigzag(Int64(histogram.scale)))
        writer.writeUniversal(histogram.zeroCount)
        writer.writeUniversal(histogram.count)
        writer.write(histogram.sum.bitPattern, width: 64)
        writer.write(histogram.minimum.bitPattern, width: 64)
        writer.write(histogram.maximum.bitPattern, width: 64)
        BucketCountCoding.encode(histogram.positive, into: &writer)
        BucketCountCoding.encode(histogram.negative, into: &writer)
        coded = writer.finish()
    }

    /// A slice from bytes a ``CompactHistogram`` coded (a copy out of a tier's arena).
    init(coded: [UInt8]) { self.coded = coded }

    /// The histogram, exactly as it was compacted.
    package var histogram: ExponentialHistogram {
        Self.decode(coded, range: coded.startIndex..<coded.endIndex)
    }

    /// The histogram coded in `storage[range]` (the bytes of one ``CompactHistogram``), decoded in
    /// place.
    static func decode(_ storage: [UInt8], range: Range<Int>) -> ExponentialHistogram {
        var reader = BitReader(storage, range: range)
        let totals = Self.readTotals(&reader)
        let positive = BucketCountCoding.decode(from: &reader)
        let negative = BucketCountCoding.decode(from: &reader)
        return ExponentialHistogram(
            scale: totals.scale, zeroCount: totals.zeroCount, positive: positive, negative: negative,
            count: totals.count, sum: totals.sum, minimum: totals.minimum, maximum: totals.maximum)
    }

    /// The scale of the buckets.
    package var scale: Int { totals.scale }
    /// Samples equal to 0.
    package var zeroCount: UInt64 { totals.zeroCount }
    /// Samples counted.
    package var count: UInt64 { totals.count }
    /// Their sum.
    package var sum: Double { totals.sum }
    /// The smallest sample; +∞ when empty.
    package var minimum: Double { totals.minimum }
    /// The largest sample; −∞ when empty.
    package var maximum: Double { totals.maximum }

    /// The bytes the slice takes: the reference, the array's heap header (32 bytes on 64-bit
    /// platforms: its object header, count and capacity) and its capacity.
    package var allocatedBytes: Int {
        MemoryLayout<CompactHistogram>.stride + Self.arrayHeaderBytes + coded.capacity
    }

    /// The heap header of a Swift array: object header (16 bytes), count and capacity (8 each).
    static let arrayHeaderBytes = 2 * MemoryLayout<Int>.stride + 2 * MemoryLayout<UnsafeRawPointer>.stride

    /// The totals at the start of the stream, decoded without the buckets.
    var totals: Totals {
        var reader = BitReader(coded)
        return Self.readTotals(&reader)
    }

    struct Totals {
        var scale: Int
        var zeroCount: UInt64
        var count: UInt64
        var sum: Double
        var minimum: Double
        var maximum: Double
    }

    static func readTotals(_ reader: inout BitReader) -> Totals {
        let scale = Int(truncatingIfNeeded: RiceCoding.unzigzag(reader.readUniversal()))
        let zeroCount = reader.readUniversal()
        let count = reader.readUniversal()
        let sum = Double(bitPattern: reader.read(width: 64))
        let minimum = Double(bitPattern: reader.read(width: 64))
        let maximum = Double(bitPattern: reader.read(width: 64))
        return Totals(
            scale: scale, zeroCount: zeroCount, count: count, sum: sum, minimum: minimum, maximum: maximum)
    }
}
