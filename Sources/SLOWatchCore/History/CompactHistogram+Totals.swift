/// The totals of a version-2 ``CompactHistogram``, coded after the buckets and against them.
extension CompactHistogram {
    /// The count, sum, minimum and maximum.
    struct Totals {
        var count: UInt64
        var sum: Double
        var minimum: Double
        var maximum: Double
    }

    /// Writes the count, minimum, maximum and sum of `histogram` (its buckets already written).
    static func writeTotals(_ histogram: ExponentialHistogram, into writer: inout BitWriter) {
        let references = boundReferences(
            scale: histogram.scale, zeroCount: histogram.zeroCount, positive: histogram.positive,
            negative: histogram.negative)
        let bucketed = bucketTotal(zeroCount: histogram.zeroCount, histogram.positive, histogram.negative)
        writer.writeUniversal(RiceCoding.zigzag(Int64(bitPattern: histogram.count &- bucketed)))
        writer.writeLong(
            RiceCoding.zigzag(Int64(bitPattern: histogram.minimum.bitPattern &- references.minimum)))
        writer.writeLong(
            RiceCoding.zigzag(Int64(bitPattern: histogram.maximum.bitPattern &- references.maximum)))
        let sum = histogram.sum.bitPattern
        let predicted = sumExponentPrediction(maximum: histogram.maximum, count: histogram.count)
        writer.write(sum >> 63, width: 1)
        writer.writeUniversal(RiceCoding.zigzag(Int64((sum >> 52) & 0x7FF) &- predicted))
        writer.write(sum, width: 52)
    }

    /// Reads what ``writeTotals(_:into:)`` wrote, given the buckets already read.
    static func readTotals(
        _ reader: inout BitReader, scale: Int, zeroCount: UInt64, positive: BucketCounts,
        negative: BucketCounts
    ) -> Totals {
        let references = boundReferences(
            scale: scale, zeroCount: zeroCount, positive: positive, negative: negative)
        let count =
            bucketTotal(zeroCount: zeroCount, positive, negative)
            &+ UInt64(bitPattern: RiceCoding.unzigzag(reader.readUniversal()))
        let minimum = Double(
            bitPattern: references.minimum &+ UInt64(bitPattern: RiceCoding.unzigzag(reader.readLong())))
        let maximum = Double(
            bitPattern: references.maximum &+ UInt64(bitPattern: RiceCoding.unzigzag(reader.readLong())))
        let sign = reader.read(width: 1)
        let exponent =
            sumExponentPrediction(maximum: maximum, count: count)
            &+ RiceCoding.unzigzag(reader.readUniversal())
        let mantissa = reader.read(width: 52)
        let sum = Double(bitPattern: sign << 63 | (UInt64(bitPattern: exponent) & 0x7FF) << 52 | mantissa)
        return Totals(count: count, sum: sum, minimum: minimum, maximum: maximum)
    }

    /// The zero count plus every bucket's count, wrapping.
    static func bucketTotal(zeroCount: UInt64, _ positive: BucketCounts, _ negative: BucketCounts) -> UInt64 {
        negative.counts.reduce(positive.counts.reduce(zeroCount, &+), &+)
    }

    /// The exponent field the sum is coded against: the maximum's plus the count's bit length, less 1
    /// (the sum of `n` samples up to `m` is below `n·m`).
    static func sumExponentPrediction(maximum: Double, count: UInt64) -> Int64 {
        Int64((maximum.bitPattern >> 52) & 0x7FF) &+ Int64(UInt64.bitWidth - count.leadingZeroBitCount) &- 1
    }

    /// The bit patterns the minimum and the maximum are coded against: the lower bound of the bucket
    /// that must hold them (the widest negative or the lowest positive bucket for the minimum, the
    /// highest positive or narrowest negative one for the maximum), 0 when a zero is counted and
    /// neither sign has a bucket beyond it, the empty histogram's infinities otherwise.
    static func boundReferences(
        scale: Int, zeroCount: UInt64, positive: BucketCounts, negative: BucketCounts
    ) -> (minimum: UInt64, maximum: UInt64) {
        let sign: UInt64 = 1 << 63
        let minimum: UInt64
        if !negative.isEmpty {
            minimum = sign | lowerBoundBits(ofIndex: lastIndex(negative), scale: scale)
        } else if zeroCount > 0 {
            minimum = 0
        } else if !positive.isEmpty {
            minimum = lowerBoundBits(ofIndex: positive.offset, scale: scale)
        } else {
            minimum = Double.infinity.bitPattern
        }
        let maximum: UInt64
        if !positive.isEmpty {
            maximum = lowerBoundBits(ofIndex: lastIndex(positive), scale: scale)
        } else if zeroCount > 0 {
            maximum = 0
        } else if !negative.isEmpty {
            maximum = sign | lowerBoundBits(ofIndex: negative.offset, scale: scale)
        } else {
            maximum = (-Double.infinity).bitPattern
        }
        return (minimum, maximum)
    }

    /// The index of the last bucket, wrapping (a damaged offset must not trap).
    private static func lastIndex(_ buckets: BucketCounts) -> Int {
        buckets.offset &+ buckets.counts.count &- 1
    }

    /// `2^(2^-j)` for `j` = 1 ... 8, in fixed point with 62 fractional bits (rounded).
    private static let roots: [UInt64] = [
        0x5a82_7999_fcef_3242, 0x4c1b_f828_c6dc_54b8, 0x45ca_e0f1_f545_eb73, 0x42d5_61b3_e624_3d8a,
        0x4166_c34c_5615_d0ec, 0x40b2_68f9_de01_83ba, 0x4058_f6a7_eccc_d5b6, 0x402c_6be9_6af2_fb58,
    ]

    /// The bits of the lower bound `2^(index / 2^scale)` of a bucket, computed with integers only (so
    /// every platform codes and decodes the same bits): within about 2^-55 of the true bound, which is
    /// all a reference needs. 0 when the bound is not a normal double, or for a scale beyond 8.
    static func lowerBoundBits(ofIndex index: Int, scale: Int) -> UInt64 {
        guard (0...roots.count).contains(scale) else { return 0 }
        let exponent = (index >> scale) + 1023
        guard (1...2046).contains(exponent) else { return 0 }
        let within = index & ((1 << scale) - 1)
        var fraction: UInt64 = 1 << 62
        for level in stride(from: 1, through: scale, by: 1) where within >> (scale - level) & 1 == 1 {
            let product = fraction.multipliedFullWidth(by: roots[level - 1])
            fraction = product.high << 2 | product.low >> 62
        }
        return UInt64(exponent) << 52 | (fraction - (1 << 62)) >> 10
    }
}
