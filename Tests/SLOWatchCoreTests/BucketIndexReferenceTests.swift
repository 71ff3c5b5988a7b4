import Foundation
import SLOWatchCoreTesting
import SeededRandom
import Testing

@testable import SLOWatchCore

/// ``ExponentialBucketLayout/index(ofMagnitude:)`` maps every value to the bucket that the checked
/// computation it replaced maps it to.
@Suite("Bucket index: equal to the checked computation")
struct BucketIndexReferenceTests {
    // MARK: Bucket index

    /// The bucket index as ``ExponentialBucketLayout/index(ofMagnitude:)`` computed it before it used
    /// masking shifts and wrapping arithmetic (checked shifts and sums), with its own copy of the tables.
    struct ReferenceIndex {
        let scale: Int
        let rows: [UInt16]
        let boundaries: [UInt64]
        static let mantissaMask: UInt64 = (1 << 52) - 1

        init(scale: Int) {
            self.scale = scale
            let perOctave = 1 << scale
            var boundaries: [UInt64] = []
            for k in 1..<max(perOctave, 1) {
                boundaries.append(exp2(Double(k) / Double(perOctave)).bitPattern & Self.mantissaMask)
            }
            boundaries.append(1 << 52)
            self.boundaries = boundaries
            let rowShift = 52 - (scale + 1)
            rows = (0..<(perOctave * 2)).map { row in
                let first = UInt64(row) << rowShift
                return UInt16(boundaries.prefix(perOctave - 1).count { $0 < first })
            }
        }

        func index(ofMagnitude value: Double) -> Int {
            let bits = value.bitPattern
            let exponentBits = Int((bits >> 52) & 0x7FF)
            guard exponentBits != 0 else {
                let scaled = Swift.abs(value) * 0x1p64
                guard scaled != 0 else { return Int(Int32.min) }
                return index(ofMagnitude: scaled) - (64 << scale)
            }
            let mantissa = bits & Self.mantissaMask
            let octave = (exponentBits - 1023) << scale
            if mantissa == 0 { return octave - 1 }
            let row = Int(truncatingIfNeeded: mantissa >> UInt64(52 - (scale + 1)))
            var below = Int(rows[row])
            if boundaries[below] < mantissa { below += 1 }
            return octave + below
        }
    }

    /// Values that probe every path of the index: each bucket boundary of a few octaves and its
    /// neighbours within 3 ulps, powers of two, mantissas all ones, subnormals, the extremes, and
    /// random normals and subnormals; each also negated.
    static func indexProbes(scale: Int, random: inout SplitMix64) -> [Double] {
        var values: [Double] = [
            .leastNonzeroMagnitude, .leastNormalMagnitude, .leastNormalMagnitude.nextDown,
            .greatestFiniteMagnitude, 1, 2, 0.5, 1.5, 1e-300, 1e300, 3.14159, 0x1.fffffffffffffp0,
        ]
        for octave in [-1074, -1060, -1023, -1022, -100, -1, 0, 1, 9, 52, 100, 1000, 1023] {
            for k in 0...(1 << scale) {
                var value = exp2(Double(octave) + Double(k) / Double(1 << scale))
                guard value.isFinite, value > 0 else { continue }
                for _ in 0..<3 { value = value.nextDown }
                for _ in 0..<7 {
                    if value > 0, value.isFinite { values.append(value) }
                    value = value.nextUp
                }
            }
        }
        for _ in 0..<20_000 {
            values.append(ExponentialBucketLayoutTests.randomNormal(&random))
            values.append(Double(bitPattern: random.next() & 0x000F_FFFF_FFFF_FFFF | 1))
        }
        return values + values.map { -$0 }
    }

    @Test("the bucket index equals the checked computation for every probe, at every scale")
    func bucketIndexEqualsReference() {
        var random = SplitMix64(seed: 0x5107)
        for scale in 0...ExponentialBucketLayout.maximumScale {
            let layout = ExponentialBucketLayout.at(scale: scale)
            let reference = ReferenceIndex(scale: scale)
            var mismatches = 0
            for value in Self.indexProbes(scale: scale, random: &random)
            where layout.index(ofMagnitude: value) != reference.index(ofMagnitude: value) {
                mismatches += 1
                if mismatches <= 3 {
                    Issue.record("scale \(scale): \(value) → \(layout.index(ofMagnitude: value))")
                }
            }
            #expect(mismatches == 0, "scale \(scale)")
        }
    }
}
