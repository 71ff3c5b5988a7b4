import Foundation
import SLOWatchCore
import SeededRandom
import Testing

/// Slice coding version 2 (``BucketCountCoding``) and the version-1 slices of older snapshots: both
/// are read exactly, version-1 bytes are coded again in version 2, and damaged bytes of either are
/// refused or read as exactly what they code.
@Suite("Slice coding versions")
struct SliceCodingVersionTests {
    /// The histogram the version-1 literal below codes: scale 6, a zero, a negative, six positives.
    static func small() -> ExponentialHistogram {
        var histogram = ExponentialHistogram(scale: 6)
        for value in [1.0, 2, 3, 20, 20, 21, 500, -3, 0] { histogram.record(value, layout: histogram.layout) }
        return histogram
    }

    /// ``small()`` as slice coding version 1 wrote it (the coder before version 2; these bytes were
    /// produced by a separate implementation of that format, written from its description).
    static let version1Bytes: [UInt8] = [
        0x48, 0xc1, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x06, 0x02, 0x01, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00,
        0xfd, 0x01, 0xa5, 0x1f, 0x22, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x60, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x24, 0x41, 0x29,
    ]

    @Test("bytes written in version 1 read back as the same histogram, coded again in version 2")
    func version1BytesRestore() throws {
        let histogram = Self.small()
        #expect(CompactHistogram.codedInVersion1(histogram) == Self.version1Bytes)
        let read = try #require(CompactHistogram(validating: Self.version1Bytes, version: .version1))
        #expect(read.histogram == histogram)
        #expect(read.codedBytes == CompactHistogram(histogram).codedBytes)
        // Version-1 bytes are not version-2 bytes, and the other way round.
        #expect(CompactHistogram(validating: Self.version1Bytes, version: .version2) == nil)
        #expect(CompactHistogram(validating: read.codedBytes, version: .version1) == nil)
    }

    /// 10 seconds at 100 samples/s of log-normal latencies (median 20 ms, σ = 1.15 in ln): sparse
    /// tails, so several blocks are coded in zero runs.
    static func sparseSlice(seed: UInt64, samples: Int = 1_000) -> ExponentialHistogram {
        var random = SplitMix64(seed: seed)
        var histogram = ExponentialHistogram(scale: 6)
        for _ in 0..<samples {
            let u = Double.random(in: Double.ulpOfOne..<1, using: &random)
            let v = Double.random(in: 0..<1, using: &random)
            histogram.record(
                exp(log(20) + 1.15 * sqrt(-2 * log(u)) * cos(2 * .pi * v)), layout: histogram.layout)
        }
        return histogram
    }

    @Test("sparse and busy slices round-trip exactly; version 2 is smaller than version 1")
    func roundTripAndSize() {
        for (seed, samples) in [(UInt64(1), 1_000), (2, 6_000), (3, 360_000), (4, 3), (5, 60)] {
            let histogram = Self.sparseSlice(seed: seed, samples: samples)
            let compact = CompactHistogram(histogram)
            #expect(compact.histogram == histogram, "seed \(seed)")
            #expect(CompactHistogram(validating: compact.codedBytes) == compact)
            if samples >= 1_000 {
                #expect(
                    compact.codedBytes.count < CompactHistogram.codedInVersion1(histogram).count,
                    "seed \(seed): \(compact.codedBytes.count) B")
            }
        }
    }

    @Test("2,000 byte flips of a sparse version-2 slice and of a version-1 slice: refused or exact")
    func damagedBytes() {
        var generator = SplitMix64(seed: 45)
        let histogram = Self.sparseSlice(seed: 7)
        for version in [SliceCoding.version1, .version2] {
            let bytes =
                version == .version1
                ? CompactHistogram.codedInVersion1(histogram) : CompactHistogram(histogram).codedBytes
            #expect(CompactHistogram(validating: bytes, version: version) == CompactHistogram(histogram))
            #expect(CompactHistogram(validating: Array(bytes.dropLast()), version: version) == nil)
            for _ in 0..<2_000 {
                var damaged = bytes
                let position = Int.random(in: 0..<damaged.count, using: &generator)
                damaged[position] ^= UInt8.random(in: 1...255, using: &generator)
                guard let accepted = CompactHistogram(validating: damaged, version: version) else { continue }
                let recoded =
                    version == .version1
                    ? CompactHistogram.codedInVersion1(accepted.histogram) : accepted.codedBytes
                #expect(recoded == damaged)
            }
        }
    }

    @Test("huge counts and a steep slope, where the slope prediction wraps, round-trip exactly")
    func extremeCounts() {
        let shapes: [[UInt64]] = [
            [UInt64.max / 3, UInt64.max / 3, 1, 0, 0, 0, 0, 0, 5, 1 << 62, 0, 7, 1 << 40, 1 << 41, 1 << 42],
            (0..<100).map { UInt64($0) * 1_000 },
            (0..<100).map { UInt64(100 - $0) * 1_000_000 },
            (0..<70).map { $0 % 9 == 0 ? 40 : 0 },
        ]
        for counts in shapes {
            let histogram = ExponentialHistogram(
                scale: 6, zeroCount: 0, positive: BucketCounts(offset: -40, counts: counts),
                negative: BucketCounts(),
                count: counts.reduce(0, &+), sum: 1, minimum: 0.5, maximum: 2)
            #expect(CompactHistogram(histogram).histogram == histogram)
        }
    }
}
