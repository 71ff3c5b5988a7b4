/// A closed history slice: an ``ExponentialHistogram`` compacted, exactly, into one byte array.
///
/// The bit stream (slice coding version 2, ``SliceCoding/current``) holds, in order:
/// - the zigzagged scale and the zero count (universal codes: a handful of bits when small);
/// - the positive and the negative counts (``BucketCountCoding``: adaptive Golomb–Rice codes or zero
///   runs against a running prediction);
/// - the totals (``CompactHistogram+Totals``): the count as its difference from the zero count plus
///   the buckets' counts (0 for every recorded histogram), the minimum and maximum as the difference
///   of their bits from the lower bound of the bucket that holds them, and the sum with its exponent
///   coded against the maximum's and the count's. All exact, NaN payloads and −0 included.
///
/// Latency-like data at scale 6 takes a few bits per bucket this way, against 64 in the dense form.
/// Snapshots written with version 1 are read with ``init(validating:version:)``, which codes their
/// slices again in version 2.
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
        BucketCountCoding.encode(histogram.positive, into: &writer)
        BucketCountCoding.encode(histogram.negative, into: &writer)
        Self.writeTotals(histogram, into: &writer)
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
    /// - Parameter maximumLength: the most buckets accepted per sign (a damaged length reads as none).
    static func decode(
        _ storage: [UInt8], range: Range<Int>, maximumLength: Int = Int(Int32.max)
    ) -> ExponentialHistogram {
        var reader = BitReader(storage, range: range)
        let scale = Int(truncatingIfNeeded: RiceCoding.unzigzag(reader.readUniversal()))
        let zeroCount = reader.readUniversal()
        let positive = BucketCountCoding.decode(from: &reader, maximumLength: maximumLength)
        let negative = BucketCountCoding.decode(from: &reader, maximumLength: maximumLength)
        let totals = readTotals(
            &reader, scale: scale, zeroCount: zeroCount, positive: positive, negative: negative)
        return ExponentialHistogram(
            scale: scale, zeroCount: zeroCount, positive: positive, negative: negative,
            count: totals.count, sum: totals.sum, minimum: totals.minimum, maximum: totals.maximum)
    }

    /// The scale of the buckets.
    package var scale: Int { histogram.scale }
    /// Samples equal to 0.
    package var zeroCount: UInt64 { histogram.zeroCount }
    /// Samples counted.
    package var count: UInt64 { histogram.count }
    /// Their sum.
    package var sum: Double { histogram.sum }
    /// The smallest sample; +∞ when empty.
    package var minimum: Double { histogram.minimum }
    /// The largest sample; −∞ when empty.
    package var maximum: Double { histogram.maximum }

    /// The bytes the slice takes: the reference, the array's heap header (32 bytes on 64-bit
    /// platforms: its object header, count and capacity) and its capacity.
    package var allocatedBytes: Int {
        MemoryLayout<CompactHistogram>.stride + Self.arrayHeaderBytes + coded.capacity
    }

    /// The heap header of a Swift array: object header (16 bytes), count and capacity (8 each).
    static let arrayHeaderBytes = 2 * MemoryLayout<Int>.stride + 2 * MemoryLayout<UnsafeRawPointer>.stride
}
