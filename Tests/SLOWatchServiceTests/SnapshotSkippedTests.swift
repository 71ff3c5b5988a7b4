import Foundation
import SLOWatchCore
import Testing

@testable import SLOWatchService

/// A v2 snapshot may carry `skipped` records (samples overwritten while the writer copied the metric):
/// the restore counts them as overflow; files without them read exactly as before.
@Suite("Snapshot skipped samples")
struct SnapshotSkippedTests {
    /// Samples valued (and timestamped) `values`.
    private func samples(_ values: [Double]) -> [RecentSample] {
        values.map { RecentSample(value: $0, timestamp: 1_700_000_000_000 + $0) }
    }

    /// The metric record of `m`: capacity 10, 20 recorded, 10 overflowed, `count` samples at the cut.
    private func metric(sampleCount count: UInt64) -> SnapshotRecord {
        .metric(
            .init(
                definition: MetricDefinition(name: "m", capacity: 10), appliedSequence: 0, recorded: 20,
                overflow: 10, sampleCount: count))
    }

    @Test("skipped samples are left out of the ring and added to the overflow counter")
    func skippedCountAsOverflow() throws {
        let (registry, directory) = try SnapshotFileFixture.restore(
            [
                metric(sampleCount: 10), .chunk(samples([11, 12])), .skipped(3), .chunk(samples([16, 17])),
                .skipped(1), .chunk(samples([19, 20])),
            ], trailerSamples: 6)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(
            Array(try registry.recentSamples(for: "m", limit: .max).reversed())
                == samples([11, 12, 16, 17, 19, 20]))
        #expect(registry.summary(for: "m")?.overflow == 14)
        #expect(registry.summary(for: "m")?.count == 6)
    }

    @Test("a file without skipped records, as earlier writers made, restores as before")
    func fileWithoutSkippedRecords() throws {
        let (registry, directory) = try SnapshotFileFixture.restore(
            [metric(sampleCount: 4), .chunk(samples([17, 18])), .chunk(samples([19, 20]))], trailerSamples: 4)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(
            Array(try registry.recentSamples(for: "m", limit: .max).reversed()) == samples([17, 18, 19, 20]))
        #expect(registry.summary(for: "m")?.overflow == 10)
    }

    @Test("more skipped samples than the metric held is damage: the metric is not restored")
    func tooManySkipped() throws {
        let (registry, directory) = try SnapshotFileFixture.restore(
            [metric(sampleCount: 4), .chunk(samples([17, 18])), .skipped(3)], trailerSamples: 2)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(registry.summary(for: "m") == nil)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(names.contains { $0.hasPrefix(DurableState.snapshotName + ".corrupt-") }, "\(names)")
    }

    @Test("a skipped record reads back equal, and a cut one is refused")
    func skippedRoundTrip() throws {
        let bytes = SnapshotRecord.skipped(123_456_789_012).encode()
        #expect(try SnapshotRecord.decode(bytes) == .skipped(123_456_789_012))
        #expect(throws: BinaryReader.Failure.self) { try SnapshotRecord.decode(Array(bytes.dropLast())) }
    }
}
