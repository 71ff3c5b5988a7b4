import Foundation
import SLOWatchCore
import Testing

@testable import SLOWatchService

/// A v2 snapshot's history and budget counter records (kinds 6 to 9): they read back equal, restore the
/// history whole (the ring's samples then go into the ring only), and a file cut inside them is damage.
@Suite("Snapshot history records")
struct SnapshotHistoryRecordTests {
    static let start = 1_788_220_800_000.0

    /// A registry whose metric `m` (capacity 10) has 3,000 samples over 5 hours of history.
    static func source() throws -> MetricsRegistry {
        let registry = MetricsRegistry(configuration: .init(defaultCapacity: 10))
        for index in 0..<3_000 {
            try registry.record(
                "m", value: Double(index % 113) + 0.5, timestamp: start + Double(index) * 6_000)
        }
        return registry
    }

    /// The records a snapshot writes for `m` after its metric record, and the metric record itself.
    static func records(of registry: MetricsRegistry) throws -> (
        metric: SnapshotRecord, rest: [SnapshotRecord]
    ) {
        var metric: SnapshotRecord?
        var history: MetricsRegistry.SnapshotHistory?
        var chunks: [SnapshotRecord] = []
        registry.copyForSnapshot(of: "m") { piece in
            switch piece {
            case .cut(let cut):
                metric = .metric(
                    .init(
                        definition: cut.definition, appliedSequence: cut.appliedSequence,
                        recorded: cut.recorded,
                        overflow: cut.overflow, sampleCount: cut.sampleCount))
            case .history(let taken): history = taken
            case .samples(let samples): chunks.append(.chunk(Array(samples)))
            case .skipped(let count): chunks.append(.skipped(count))
            }
        }
        let taken = try #require(history)
        var saved = taken.history.saved
        let pieces = saved.pieces
        saved.pieces = []
        let rest: [SnapshotRecord] =
            [.history(saved, pieces: UInt64(pieces.count)), .historyPieces(pieces)] + chunks
        return (try #require(metric), rest)
    }

    @Test("every history record reads back equal")
    func recordsRoundTrip() throws {
        let (_, rest) = try Self.records(of: try Self.source())
        let counter = SavedBudgetCounter(
            spec: BudgetCounterSpec(
                sloID: "s", metric: "m", threshold: 5, direction: .below,
                timeslice: TimesliceRule(quantile: 0.9, sliceMilliseconds: 60_000, minSamples: 3)),
            newest: [7, 1, 0], current: 70, late: 2, exactSince: 700_000, judgedThrough: 1,
            slots: [])
        let slots = [SavedBudgetSlot(slot: 3, good: 1, total: 4, goodSlices: 2, badSlices: 1)]
        for record in rest + [.budgetCounter(counter, slots: 1), .budgetSlots(slots)] {
            #expect(try SnapshotRecord.decode(record.encode()) == record)
            #expect(throws: BinaryReader.Failure.self) {
                try SnapshotRecord.decode(record.encode().dropLast())
            }
        }
    }

    @Test("the history is restored whole, and the ring's samples are not counted in it twice")
    func historyRestoredWhole() throws {
        let source = try Self.source()
        let (metric, rest) = try Self.records(of: source)
        let (registry, directory) = try SnapshotFileFixture.restore([metric] + rest, trailerSamples: 10)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(registry.history(for: "m")?.saved == source.history(for: "m")?.saved)
        #expect(registry.summary(for: "m")?.count == 10)
    }

    @Test("a file without history records puts the ring's samples into the history, as before")
    func fileWithoutHistory() throws {
        let (metric, rest) = try Self.records(of: try Self.source())
        let chunks = rest.filter { if case .chunk = $0 { return true } else { return false } }
        let (registry, directory) = try SnapshotFileFixture.restore([metric] + chunks, trailerSamples: 10)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(registry.history(for: "m")?.span(from: 0, to: .infinity).histogram.count == 10)
    }

    @Test("history pieces cut short, or out of place, are damage: the metric is not restored")
    func cutShortHistoryIsDamage() throws {
        let (metric, rest) = try Self.records(of: try Self.source())
        let chunks = rest.filter { if case .chunk = $0 { return true } else { return false } }
        let withoutPieces = [metric, rest[0]] + chunks
        let piecesAfterSamples = [metric, rest[0]] + chunks + [rest[1]]
        for records in [withoutPieces, piecesAfterSamples] {
            let (registry, directory) = try SnapshotFileFixture.restore(records, trailerSamples: 10)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            #expect(registry.summary(for: "m") == nil)
            let names = try FileManager.default.contentsOfDirectory(atPath: directory)
            #expect(names.contains { $0.hasPrefix(DurableState.snapshotName + ".corrupt-") }, "\(names)")
        }
    }
}
