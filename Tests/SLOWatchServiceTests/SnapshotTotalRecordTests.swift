import Foundation
import SLOWatchCore
import Testing

@testable import SLOWatchService

/// The snapshot's cumulative-total record (kind 10): the native histograms' totals survive a restart,
/// samples that retention dropped from the slices included; a file without it rebuilds the total from
/// the restored slices.
@Suite("Snapshot cumulative-total records")
struct SnapshotTotalRecordTests {
    /// 3,000 samples over 40 days, ending now: the 35-day coarsest tier has dropped the oldest.
    static func record(into registry: MetricsRegistry) throws {
        let now = (Date().timeIntervalSince1970 * 1_000).rounded(.down)
        let step = 40 * 86_400_000.0 / 3_000
        for index in 0..<3_000 {
            try registry.record(
                "m", value: Double(index % 113) + 0.5, timestamp: now - 40 * 86_400_000 + Double(index) * step
            )
        }
    }

    @Test("the record reads back equal, and a cut one is refused")
    func roundTrip() throws {
        var histogram = ExponentialHistogram(scale: 6)
        for value in [0.0, -2, 3, 3, 1e6] { histogram.record(value, layout: histogram.layout) }
        let record = SnapshotRecord.historyTotal(CompactHistogram(histogram))
        #expect(try SnapshotRecord.decode(record.encode()) == record)
        #expect(throws: BinaryReader.Failure.self) { try SnapshotRecord.decode(record.encode().dropLast()) }
    }

    @Test("a snapshot and restart keep every metric's total, beyond what the slices still hold")
    func restartKeepsTheTotal() throws {
        let directory = DurableNode.temporaryDirectory()
        let copy = DurableNode.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: copy)
        }
        let first = try TestService.makeService(wallClock: SystemWallClock(), logger: nil) {
            $0.dataDirectory = directory
        }
        try Self.record(into: first.registry)
        let total = try #require(first.registry.cumulativeTotal(for: "m"))
        let kept = try #require(first.registry.history(for: "m")).span(from: 0, to: .infinity).histogram
        #expect(total.count == 3_000)
        #expect(kept.count < total.count, "retention dropped slices")
        #expect(first.writeSnapshot(reason: "test") == nil)

        // The snapshot alone (these samples went to the registry directly, not through the journal),
        // in a directory of its own, since the first service holds its directory's lock.
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: directory + "/" + DurableState.snapshotName,
            toPath: copy + "/" + DurableState.snapshotName)
        let second = try TestService.makeService(wallClock: SystemWallClock(), logger: nil) {
            $0.dataDirectory = copy
        }
        #expect(second.registry.cumulativeTotal(for: "m") == total)
    }

    @Test("a file without the record restores the total rebuilt from the restored slices")
    func fileWithoutTheRecord() throws {
        let source = try SnapshotHistoryRecordTests.source()
        let (metric, rest) = try SnapshotHistoryRecordTests.records(of: source)
        let (registry, directory) = try SnapshotFileFixture.restore([metric] + rest, trailerSamples: 10)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let restored = try #require(registry.history(for: "m"))
        #expect(registry.cumulativeTotal(for: "m") == restored.span(from: 0, to: .infinity).histogram)
        #expect(registry.cumulativeTotal(for: "m")?.count == 3_000)
    }
}
