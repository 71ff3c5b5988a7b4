import Dispatch
import Foundation
import Logging
import SLOWatchCore
import Testing

@testable import SLOWatchService

/// The write-ahead journal's formats: CRC-32C, the record payloads and the segment framing, and what
/// replay keeps of a damaged segment.
@Suite("Journal formats")
struct JournalFormatTests {
    @Test("CRC-32C gives the published check values (RFC 3720), and fed in pieces equals fed at once")
    func crc32c() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8]()) == 0)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).map { UInt8(31 - $0) }) == 0x113F_DB5C)
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for split in [0, 1, 7, 500, 999, 1000] {
            let first = CRC32C.checksum(bytes[..<split])
            #expect(CRC32C.checksum(bytes[split...], continuing: first) == CRC32C.checksum(bytes))
        }
    }

    @Test("the hardware CRC-32C equals the table version on random inputs of every length and split")
    func crc32cHardwareMatchesTable() {
        var generator = SystemRandomNumberGenerator()
        for length in Array(0..<70) + [255, 256, 1000, 4097] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let previous = UInt32.random(in: 0...UInt32.max, using: &generator)
            bytes.withUnsafeBytes { raw in
                #expect(CRC32C.checksum(raw) == CRC32C.tableChecksum(raw), "length \(length)")
                #expect(
                    CRC32C.checksum(raw, continuing: previous)
                        == CRC32C.tableChecksum(raw, continuing: previous), "length \(length)")
                // Misaligned starts exercise the unaligned 8-byte loads.
                if length > 3 {
                    let tail = UnsafeRawBufferPointer(rebasing: raw[3...])
                    #expect(CRC32C.checksum(tail) == CRC32C.tableChecksum(tail), "length \(length)")
                }
            }
        }
    }

    @Test("every kind of journal record reads back equal, samples bit for bit")
    func recordRoundTrip() throws {
        var grouped = GroupedSamples()
        let a = [
            RecentSample(value: -0.0, timestamp: 1),
            RecentSample(value: .greatestFiniteMagnitude, timestamp: 2),
        ]
        let b = [RecentSample(value: 5e-324, timestamp: 1_700_000_000_000.5)]
        a.withUnsafeBufferPointer { grouped.append("a", $0) }
        b.withUnsafeBufferPointer { grouped.append("b.x_y", $0) }
        let slo = try SLODefinition(
            id: "s", metric: "a", percentile: "p95", threshold: 60, window: .seconds(30), severity: "page")
        let records: [JournalRecord] = [
            .samples(grouped), .samples(GroupedSamples()),
            .metricUpsert(
                MetricDefinition(name: "m", type: .latency, unit: "ms", description: "d", capacity: 7)),
            .metricDelete("m"), .sloUpsert(slo), .sloDelete("s"),
        ]
        for record in records {
            #expect(try JournalRecord.decode(record.encode()) == record)
        }
        let decoded = try JournalRecord.decode(JournalRecord.samples(grouped).encode())
        guard case .samples(let back) = decoded else { throw JournalTestError("not samples") }
        #expect(back.samples.map(\.value.bitPattern) == grouped.samples.map(\.value.bitPattern))
        #expect(throws: BinaryReader.Failure.self) { try JournalRecord.decode([9]) }
        #expect(throws: BinaryReader.Failure.self) {
            try JournalRecord.decode(Array(records[0].encode().dropLast()))
        }
    }

    @Test("replay keeps the intact prefix of a segment cut at any byte of its last record")
    func tornTail() throws {
        let (directory, path) = try Self.segment(records: 3)
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let whole = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let lastStart =
            whole.count - (JournalSegments.framingBytes + JournalRecord.sloDelete("id3").encode().count)
        for cut in stride(from: lastStart, to: whole.count, by: 3) {
            try Data(whole[..<cut]).write(to: URL(fileURLWithPath: path))
            #expect(Self.replayed(directory) == [1, 2], "cut at \(cut)")
        }
    }

    @Test(
        "a flipped bit or a huge length field stops replay at the damaged record; later segments still count")
    func damage() throws {
        let (directory, path) = try Self.segment(records: 3)
        defer { try? FileManager.default.removeItem(atPath: directory.path) }
        let whole = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let recordBytes = whole.count / 3
        var flipped = whole
        flipped[recordBytes + 10] ^= 0x04
        try Data(flipped).write(to: URL(fileURLWithPath: path))
        #expect(Self.replayed(directory) == [1])
        var huge = whole
        huge[recordBytes + 3] = 0x7F
        try Data(huge).write(to: URL(fileURLWithPath: path))
        #expect(Self.replayed(directory) == [1])
        // A later segment (started after the damage, at a restart) is replayed after the prefix.
        var later: [UInt8] = []
        let payload = JournalRecord.sloDelete("late").encode()
        JournalSegments.frame(payload, payloadChecksum: CRC32C.checksum(payload), lsn: 9, into: &later)
        try Data(later).write(
            to: URL(fileURLWithPath: directory.path(of: JournalSegments.name(startingAt: 9))))
        #expect(Self.replayed(directory) == [1, 9])
    }

    /// A data directory with one segment of `records` SLO deletions (LSN 1...), written by ``Journal``.
    static func segment(records: Int) throws -> (DataDirectory, String) {
        let directory = try DataDirectory(path: DurableNode.temporaryDirectory())
        let logger = Logger(label: "test")
        let journal = try Journal(
            directory: directory, nextSequence: 1, mode: .always, syncIntervalMilliseconds: 0,
            health: StorageHealth(logger: logger), logger: logger)
        for index in 1...records {
            let lsn = journal.submitAndWait(JournalRecord.sloDelete("id\(index)").encode()) { $0 }
            #expect(lsn == UInt64(index))
        }
        return (directory, directory.path(of: JournalSegments.name(startingAt: 1)))
    }

    /// The LSNs replay hands over.
    static func replayed(_ directory: DataDirectory) -> [UInt64] {
        var sequences: [UInt64] = []
        _ = JournalSegments.replay(directory, from: 0, logger: Logger(label: "test")) { lsn, _ in
            sequences.append(lsn)
        }
        return sequences
    }
}

/// A failed expectation of the journal tests.
struct JournalTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
