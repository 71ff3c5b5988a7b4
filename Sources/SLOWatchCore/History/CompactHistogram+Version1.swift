/// Slice coding version 1 (snapshot record kinds 6, 7 and 10), kept only to read snapshots written
/// with it: the zigzagged scale, the zero count and the count (universal codes), the 64 bits of the
/// sum, minimum and maximum, then the positive and the negative counts
/// (``BucketCountCodingVersion1``).
extension CompactHistogram {
    /// `histogram` coded in slice coding version 1 (to check a version-1 slice read from a snapshot,
    /// and for tests of that path).
    package static func codedInVersion1(_ histogram: ExponentialHistogram) -> [UInt8] {
        var writer = BitWriter()
        writer.writeUniversal(RiceCoding.zigzag(Int64(histogram.scale)))
        writer.writeUniversal(histogram.zeroCount)
        writer.writeUniversal(histogram.count)
        writer.write(histogram.sum.bitPattern, width: 64)
        writer.write(histogram.minimum.bitPattern, width: 64)
        writer.write(histogram.maximum.bitPattern, width: 64)
        BucketCountCodingVersion1.encode(histogram.positive, into: &writer)
        BucketCountCodingVersion1.encode(histogram.negative, into: &writer)
        return writer.finish()
    }

    /// The histogram version-1 `bytes` code (whatever they are: the caller checks them).
    /// - Parameter maximumLength: the most buckets accepted per sign (a damaged length reads as none).
    static func decodeVersion1(_ bytes: [UInt8], maximumLength: Int) -> ExponentialHistogram {
        var reader = BitReader(bytes)
        let scale = Int(truncatingIfNeeded: RiceCoding.unzigzag(reader.readUniversal()))
        let zeroCount = reader.readUniversal()
        let count = reader.readUniversal()
        let sum = Double(bitPattern: reader.read(width: 64))
        let minimum = Double(bitPattern: reader.read(width: 64))
        let maximum = Double(bitPattern: reader.read(width: 64))
        let positive = BucketCountCodingVersion1.decode(from: &reader, maximumLength: maximumLength)
        let negative = BucketCountCodingVersion1.decode(from: &reader, maximumLength: maximumLength)
        return ExponentialHistogram(
            scale: scale, zeroCount: zeroCount, positive: positive, negative: negative, count: count,
            sum: sum, minimum: minimum, maximum: maximum)
    }
}
