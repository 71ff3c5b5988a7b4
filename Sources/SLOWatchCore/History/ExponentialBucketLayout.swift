#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The exponential bucket layout of OpenTelemetry's ExponentialHistogram and Prometheus's native
/// histograms: at scale `s`, `base = 2^(2^-s)` and bucket `i` holds the magnitudes in
/// `(base^i, base^(i+1)]`, so every power of two is the upper bound of a bucket and a bucket at scale
/// `s - 1` is exactly the union of buckets `2i` and `2i + 1` at scale `s`.
///
/// **Index.** ``index(ofMagnitude:)`` reads the double's exponent and mantissa bits: the exponent gives
/// the octave, the top `s + 1` mantissa bits pick a row of a small linear table, and one comparison
/// with the per-scale boundary table (the mantissa bits of `2^(k/2^s)`, `k = 1 ..< 2^s`) corrects it.
/// Each linear row is narrower than the narrowest bucket of an octave, so it holds at most one
/// boundary and one comparison suffices. No `log()` is called.
///
/// **Exactness.** Powers of two, the only boundaries that are doubles exactly, land exactly. The other
/// boundaries are irrational; the table holds each rounded to the nearest double (`exp2` is correctly
/// rounded or within one ulp), so a value within one ulp of such a boundary may land in the bucket on
/// the other side of it. Its distance to that bucket is then one ulp (relative 2^-52), far inside the
/// quantile error bound ``relativeErrorBound``.
///
/// **Range.** Every finite non-zero magnitude has a bucket, subnormals included (they are scaled by
/// 2^64, which is exact, and indexed 64 octaves lower): indices run from about `-1075·2^s` to
/// `1024·2^s`, within `Int32` at every supported scale. Zero has no bucket here (a histogram counts it
/// apart); infinities and NaN are refused before they reach a histogram.
package struct ExponentialBucketLayout: Sendable {
    /// The finest scale the history supports.
    package static let maximumScale = 8
    /// The coarsest scale the history may be configured with; a histogram may still downscale below it
    /// (to at least 1) to keep a very wide span of values within its bucket limit.
    package static let minimumConfigurableScale = 3
    /// The default scale: quantiles within 0.542 % of the exact value.
    package static let defaultScale = 6

    /// The scale, 0 ... ``maximumScale``.
    package let scale: Int
    /// For each linear row `r` (the top `scale + 1` mantissa bits), how many boundaries `k ≥ 1` lie
    /// strictly below the row's first mantissa.
    private let rows: [UInt16]
    /// The mantissa bits (52 bits) of `2^(k/2^scale)` for `k = 1 ..< 2^scale`, then a sentinel 2^52.
    private let boundaries: [UInt64]
    /// The shift that leaves a mantissa's top `scale + 1` bits, its linear row: `52 − (scale + 1)`.
    private let rowShift: UInt64

    /// The layout of every scale from 0 to ``maximumScale``, built once.
    package static let all: [ExponentialBucketLayout] = (0...maximumScale).map {
        ExponentialBucketLayout(building: $0)
    }

    /// The layout at `scale`, clamped to 0 ... ``maximumScale``.
    package static func at(scale: Int) -> ExponentialBucketLayout {
        all[min(max(scale, 0), maximumScale)]
    }

    private init(building scale: Int) {
        self.scale = scale
        base = exp2(exp2(-Double(scale)))
        let perOctave = 1 << scale
        var boundaries: [UInt64] = []
        boundaries.reserveCapacity(perOctave)
        for k in 1..<max(perOctave, 1) {
            let value = exp2(Double(k) / Double(perOctave))
            boundaries.append(value.bitPattern & Self.mantissaMask)
        }
        boundaries.append(1 << 52)
        self.boundaries = boundaries
        let rowCount = perOctave * 2
        let rowShift = 52 - (scale + 1)
        self.rowShift = UInt64(rowShift)
        rows = (0..<rowCount).map { row in
            let first = UInt64(row) << rowShift
            return UInt16(boundaries.prefix(perOctave - 1).count { $0 < first })
        }
    }

    private static let mantissaMask: UInt64 = (1 << 52) - 1

    /// `base`: the ratio of a bucket's upper to its lower bound, `2^(2^-scale)`.
    package let base: Double

    /// The worst relative error of a quantile answered by ``representative(ofIndex:)``:
    /// `(base − 1) / (base + 1)` (0.00542 at scale 6).
    package var relativeErrorBound: Double { (base - 1) / (base + 1) }

    /// The bucket index of a finite magnitude greater than 0 (the sign is ignored).
    ///
    /// Masking shifts and wrapping arithmetic only: `scale` is 0 ... 8 and ``rowShift`` 43 ... 51, so
    /// no shift is out of range and no sum overflows (an index is within ±1,100·2^8), and the result is
    /// that of the plain `<<`, `>>`, `-` and `+`, without their range checks.
    @inline(__always)
    package func index(ofMagnitude value: Double) -> Int {
        let bits = value.bitPattern
        let exponentBits = Int(truncatingIfNeeded: (bits &>> 52) & 0x7FF)
        guard exponentBits != 0 else { return subnormalIndex(value) }
        let mantissa = bits & Self.mantissaMask
        let octave = (exponentBits &- 1023) &<< scale
        if mantissa == 0 { return octave &- 1 }
        let row = Int(truncatingIfNeeded: mantissa &>> rowShift)
        var below = Int(rows.withUnsafeBufferPointer { $0[row] })
        boundaries.withUnsafeBufferPointer { if $0[below] < mantissa { below &+= 1 } }
        return octave &+ below
    }

    /// Subnormals (and zero's bit pattern with a sign) are scaled into the normal range exactly.
    @inline(never)
    private func subnormalIndex(_ value: Double) -> Int {
        let scaled = Swift.abs(value) * 0x1p64
        guard scaled != 0 else { return Int(Int32.min) }
        return index(ofMagnitude: scaled) - (64 << scale)
    }

    /// The lower bound (exclusive) of bucket `index`: `base^index`, to within an ulp (exact for powers
    /// of two); 0 when it underflows.
    package func lowerBound(ofIndex index: Int) -> Double {
        exp2(Double(index) / Double(1 << scale))
    }

    /// The upper bound (inclusive) of bucket `index`: `base^(index+1)`, to within an ulp.
    package func upperBound(ofIndex index: Int) -> Double { lowerBound(ofIndex: index + 1) }

    /// The value that minimises the worst relative error over bucket `index`: the harmonic mean
    /// `2·L·U / (L + U)` of its bounds, computed as `L · (2·base / (1 + base))` so it does not
    /// overflow.
    package func representative(ofIndex index: Int) -> Double {
        lowerBound(ofIndex: index) * (2 * base / (1 + base))
    }
}
