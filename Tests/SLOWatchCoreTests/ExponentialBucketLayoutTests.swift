import Foundation
import SLOWatchCoreTesting
import SeededRandom
import Testing

@testable import SLOWatchCore

@Suite("Exponential bucket layout (OpenTelemetry / Prometheus native histograms)")
struct ExponentialBucketLayoutTests {
    /// The slow reference: `⌈log2(v)·2^s⌉ − 1`, then corrected so that `base^i < v ≤ base^(i+1)` holds
    /// against `exp2` of the bounds. Also says whether `v` is within a few ulps of a bound, where the
    /// fast index may land on either side.
    static func reference(_ value: Double, scale: Int) -> (index: Int, nearBoundary: Bool) {
        let perOctave = Double(1 << scale)
        var index = Int((log2(value) * perOctave).rounded(.up)) - 1
        func lower(_ i: Int) -> Double { exp2(Double(i) / perOctave) }
        while value <= lower(index) { index -= 1 }
        while value > lower(index + 1) { index += 1 }
        let near = [lower(index), lower(index + 1)].contains { abs($0 - value) <= 4 * $0.ulp }
        return (index, near)
    }

    /// A positive normal double with random exponent and mantissa bits.
    static func randomNormal(_ random: inout SplitMix64) -> Double {
        let exponent = UInt64.random(in: 1...0x7FE, using: &random)
        return Double(bitPattern: exponent << 52 | random.next() & 0x000F_FFFF_FFFF_FFFF)
    }

    @Test("every power of two is the upper bound of its bucket, at every scale")
    func powersOfTwo() {
        for scale in 0...ExponentialBucketLayout.maximumScale {
            let layout = ExponentialBucketLayout.at(scale: scale)
            for exponent in -1074...1023 {
                let value = Double(sign: .plus, exponent: exponent, significand: 1)
                #expect(
                    layout.index(ofMagnitude: value) == (exponent << scale) - 1, "2^\(exponent) at \(scale)")
                // The next double up starts the next bucket (for normal numbers: a subnormal's next
                // double is relatively far away).
                if exponent >= -1022 {
                    #expect(
                        layout.index(ofMagnitude: value.nextUp) == exponent << scale,
                        "2^\(exponent)+ at \(scale)")
                }
            }
        }
    }

    @Test(
        "the bit-level index matches log2 with exact boundary checks over millions of random values",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func randomValuesMatchReference() {
        var random = SplitMix64(seed: 16)
        var checked = 0
        var nearBoundaries = 0
        for scale in ExponentialBucketLayout.minimumConfigurableScale...ExponentialBucketLayout.maximumScale {
            let layout = ExponentialBucketLayout.at(scale: scale)
            for _ in 0..<350_000 {
                // Random bits: every exponent and mantissa, normal numbers only (subnormals below).
                let value = Self.randomNormal(&random)
                let (expected, near) = Self.reference(value, scale: scale)
                let index = layout.index(ofMagnitude: value)
                if near {
                    nearBoundaries += 1
                    #expect(abs(index - expected) <= 1, "\(value) at scale \(scale)")
                } else {
                    #expect(index == expected, "\(value) at scale \(scale)")
                }
                checked += 1
            }
        }
        #expect(checked == 2_100_000)
        #expect(nearBoundaries < 100)
    }

    @Test(
        "values near the configured range (1e-3 … 1e6) match the reference densely",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func latencyRange() {
        var random = SplitMix64(seed: 6)
        let layout = ExponentialBucketLayout.at(scale: 6)
        for _ in 0..<200_000 {
            let value = exp(Double.random(in: log(1e-3)...log(1e6), using: &random))
            let (expected, near) = Self.reference(value, scale: 6)
            if !near { #expect(layout.index(ofMagnitude: value) == expected, "\(value)") }
        }
    }

    @Test("subnormals get exact buckets 64 octaves below their scaled copies; the sign is ignored")
    func subnormals() {
        let layout = ExponentialBucketLayout.at(scale: 6)
        #expect(layout.index(ofMagnitude: Double.leastNonzeroMagnitude) == -1074 * 64 - 1)
        let subnormal = Double.leastNormalMagnitude / 3
        #expect(
            layout.index(ofMagnitude: subnormal) == layout.index(ofMagnitude: subnormal * 0x1p64) - 64 * 64)
        #expect(layout.index(ofMagnitude: -3.5) == layout.index(ofMagnitude: 3.5))
        #expect(layout.index(ofMagnitude: Double.greatestFiniteMagnitude) == 1024 * 64 - 1)
    }

    @Test(
        "an index at scale s, shifted right by one, is the index at scale s - 1 (downscaling is exact)",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func downscaleConsistency() {
        var random = SplitMix64(seed: 3)
        for scale in 1...ExponentialBucketLayout.maximumScale {
            let fine = ExponentialBucketLayout.at(scale: scale)
            let coarse = ExponentialBucketLayout.at(scale: scale - 1)
            for _ in 0..<50_000 {
                let value = Self.randomNormal(&random)
                #expect(fine.index(ofMagnitude: value) >> 1 == coarse.index(ofMagnitude: value), "\(value)")
            }
        }
    }

    @Test("the error bound is (base - 1) / (base + 1): 0.542 % at scale 6")
    func errorBound() {
        let layout = ExponentialBucketLayout.at(scale: 6)
        #expect(abs(layout.relativeErrorBound - 0.005415) < 0.000001)
        #expect(layout.relativeErrorBound < 0.0055)
        let index = layout.index(ofMagnitude: 100)
        let representative = layout.representative(ofIndex: index)
        #expect(representative > layout.lowerBound(ofIndex: index))
        #expect(representative < layout.upperBound(ofIndex: index))
    }
}
