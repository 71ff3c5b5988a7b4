import Foundation
import SLOWatchCore
import Testing

@testable import SLOWatchService

/// Snapshot history records from before slice coding version 2 (kinds 6, 7 and 10, their slices in
/// version 1) still read, as the same records with the slices coded again in version 2; the records
/// written now are kinds 14 (the history head, which was 11 while histories saved their open groups'
/// summaries), 12 and 13.
@Suite("Snapshot slice coding versions")
struct SnapshotSliceVersionTests {
    static func histogram() -> ExponentialHistogram {
        var histogram = ExponentialHistogram(scale: 6)
        for index in 0..<500 { histogram.record(Double(index % 97) * 1.7 + 0.25, layout: histogram.layout) }
        histogram.record(-4, layout: histogram.layout)
        histogram.record(0, layout: histogram.layout)
        return histogram
    }

    @Test("kinds 7 and 10 with version-1 slices read as the current records")
    func version1Records() throws {
        let histogram = Self.histogram()
        let version1 = CompactHistogram.codedInVersion1(histogram)
        #expect(version1 != CompactHistogram(histogram).codedBytes)

        var total = BinaryWriter(capacity: 64)
        total.byte(10)
        total.byteArray(version1)
        #expect(try SnapshotRecord.decode(total.bytes) == .historyTotal(CompactHistogram(histogram)))

        var pieces = BinaryWriter(capacity: 64)
        pieces.byte(7)
        pieces.integer(1)
        pieces.integer(2)
        pieces.integer(0)
        pieces.signed(123_456)
        pieces.byteArray(version1)
        let piece = MetricHistory.SavedPiece(
            tier: 2, level: 0, index: 123_456, slice: CompactHistogram(histogram))
        #expect(try SnapshotRecord.decode(pieces.bytes) == .historyPieces([piece]))

        // Version-2 bytes under an old kind (and the other way round) are refused.
        var wrong = BinaryWriter(capacity: 64)
        wrong.byte(10)
        wrong.byteArray(CompactHistogram(histogram).codedBytes)
        #expect(throws: BinaryReader.Failure.self) { try SnapshotRecord.decode(wrong.bytes) }
        var wrongNew = BinaryWriter(capacity: 64)
        wrongNew.byte(13)
        wrongNew.byteArray(version1)
        #expect(throws: BinaryReader.Failure.self) { try SnapshotRecord.decode(wrongNew.bytes) }
    }

    @Test("records are written as kinds 14, 12 and 13 and read back equal")
    func currentKinds() throws {
        let piece = MetricHistory.SavedPiece(
            tier: 0, level: 1, index: -5, slice: CompactHistogram(Self.histogram()))
        var history = MetricHistory(tiers: .default, scale: 6)
        // One sample: the open slice only, since a head record carries no pieces.
        _ = history.record(12.5, at: 1_764_000_000_000)
        let records: [(SnapshotRecord, UInt8)] = [
            (.history(history.saved, pieces: 1), 14), (.historyPieces([piece]), 12),
            (.historyTotal(CompactHistogram(Self.histogram())), 13),
        ]
        for (record, kind) in records {
            let payload = record.encode()
            #expect(payload.first == kind)
            #expect(try SnapshotRecord.decode(payload) == record)
        }
    }

    /// Kind 11 is the history head written while histories saved their open groups' summaries; the
    /// payload is the same, so a file written then still reads (the restore drops those summaries).
    @Test("a history head of kind 11 still reads, as the same record")
    func kind11HistoryHead() throws {
        var history = MetricHistory(tiers: .default, scale: 6)
        _ = history.record(12.5, at: 1_764_000_000_000)
        let record = SnapshotRecord.history(history.saved, pieces: 3)
        var payload = record.encode()
        #expect(payload.first == 14)
        payload[0] = 11
        #expect(try SnapshotRecord.decode(payload) == record)
    }
}
