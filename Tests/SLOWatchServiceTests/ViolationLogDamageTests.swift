import Foundation
import Logging
import SLOWatchCore
import SLOWatchCoreTesting
import Testing

@testable import SLOWatchService

/// A damaged `violations.log` keeps every intact record before the damage, snapshot or not; damage is
/// set aside and logged as an error, a torn tail is cut with a warning, and a resume from a lost id is
/// told `: history truncated`.
@Suite("Violation log: damage")
struct ViolationLogDamageTests {
    /// 39 events, as the issue's repro had, and the file that holds them.
    static let events = (1...39).map { sequence in
        Event(
            id: "evt_\(sequence)", topic: "perf.slo_violation", sequence: UInt64(sequence),
            timestamp: 1_700_000_000_000 + Double(sequence),
            payload: ["slo": "p99", "n": .integer(Int64(sequence))])
    }
    static let records = events.map { ChecksummedRecord.encode(EventRecord.encode($0)) }
    static let whole = records.flatMap { $0 }
    /// Where record `index` starts in ``whole``.
    static func offset(of index: Int) -> Int { records[..<index].reduce(0) { $0 + $1.count } }

    /// A data directory with a snapshot counting all 39 events and a log of `bytes`, as written by a
    /// process that stopped after event #39, with the sequence file of its reserved block when
    /// `reserved` (an older build wrote none).
    static func directory(log bytes: [UInt8], reserved: Bool = true) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("slowatch-log-\(UUID())")
            .path
        do {
            let state = try DurableState(
                path: path, historyCapacity: 1000, defaultCapacity: 100, logger: .discarding)
            try state.saveSnapshot(MetricSnapshot(lastSequence: 39, definitionsGeneration: 0, metrics: []))
        }
        try Data(bytes).write(to: URL(fileURLWithPath: "\(path)/\(ViolationLog.fileName)"))
        if reserved {
            try Data(EventSequenceFile.encode(1024)).write(
                to: URL(fileURLWithPath: "\(path)/\(EventSequenceFile.fileName)"))
        }
        return path
    }

    /// Opens `path` as a restarting service does, restoring a bus from it.
    static func reopen(_ path: String, capture: LogCapture) throws -> (DurableState, EventBus) {
        let state = try DurableState(
            path: path, historyCapacity: 1000, defaultCapacity: 100, logger: capture.logger)
        #expect(state.recovered.snapshot?.lastSequence == 39, "the snapshot is present")
        let sequences = try EventSequenceFile.open(state, logger: capture.logger)
        let bus = EventBus(configuration: .init(sequenceStore: sequences), logger: .discarding)
        SLOWatchService.restoreEvents(state, sequences: sequences, into: bus, logger: capture.logger)
        return (state, bus)
    }

    static func asideFiles(_ path: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: path).filter {
            $0.hasPrefix("\(ViolationLog.fileName).corrupt-")
        }
    }

    static func logBytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(path)/\(ViolationLog.fileName)")))
    }

    @Test("a torn tail keeps the 38 whole records, is cut with a warning, and is not set aside")
    func tornTail() throws {
        let cut = Array(Self.whole.dropLast(5))
        let path = try Self.directory(log: cut, reserved: false)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let capture = LogCapture()
        let (state, bus) = try Self.reopen(path, capture: capture)
        #expect(state.recovered.events.map(\.sequence) == Array(1...38))
        #expect(bus.history().count == 38)
        #expect(try Self.logBytes(path) == Array(Self.whole[..<Self.offset(of: 38)]))
        #expect(try Self.asideFiles(path).isEmpty)
        #expect(capture.lines.contains { $0.level == .warning && $0.message.contains("torn record") })
        #expect(try bus.stream(after: 38).missed > 0, "event #39 was handed out and is lost")
        let page = bus.historyPage(after: 38, topics: nil, limit: 10, where: { _ in true })
        #expect(page.events.isEmpty && page.missed > 0, "the JSON page says so too (truncated)")
        let next = try bus.publish(topic: "t", payload: [:]).sequence
        #expect(next > 39 + 2000, "above any id the cut records of a build without a sequence file used")
    }

    /// One way to damage the 39-record log, and how many records stay intact.
    enum Damage: String, CaseIterable, Sendable {
        case flippedByteInTheMiddle, hugeLengthField, flippedBitInTheLastLength, flippedHighBitInALength
        case junkAppended

        /// The records before the damage.
        var kept: Int {
            switch self {
            case .flippedByteInTheMiddle, .hugeLengthField: 16
            case .flippedBitInTheLastLength: 38
            case .flippedHighBitInALength: 10
            case .junkAppended: 39
            }
        }

        /// `bytes` damaged this way.
        func apply(_ bytes: [UInt8]) -> [UInt8] {
            var bytes = bytes
            let offset = ViolationLogDamageTests.offset(of: kept)
            switch self {
            case .flippedByteInTheMiddle: bytes[offset + 20] ^= 0xFF
            case .hugeLengthField: bytes[offset + 3] = 0x7F
            case .flippedBitInTheLastLength: bytes[offset] ^= 0x01
            case .flippedHighBitInALength: bytes[offset + 2] ^= 0x01
            case .junkAppended: bytes += Array("junk appended by hand\n".utf8)
            }
            return bytes
        }
    }

    @Test(
        "damage keeps exactly the intact prefix, sets the file aside and logs an error",
        arguments: Damage.allCases)
    func damage(_ damage: Damage) throws {
        let name = damage.rawValue
        let kept = damage.kept
        let bytes = damage.apply(Self.whole)
        let path = try Self.directory(log: bytes)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let capture = LogCapture()
        let (state, bus) = try Self.reopen(path, capture: capture)
        #expect(state.recovered.events.map(\.sequence) == Array(1...UInt64(kept)), "\(name)")
        #expect(bus.history().map(\.sequence) == Array(1...UInt64(kept)), "\(name)")
        #expect(try Self.logBytes(path) == Array(Self.whole[..<Self.offset(of: kept)]), "\(name): rewritten")
        let aside = try Self.asideFiles(path)
        #expect(aside.count == 1, "\(name)")
        if let aside = aside.first {
            let saved = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(path)/\(aside)")))
            #expect(saved == bytes, "\(name): the damaged file is kept as it was")
        }
        #expect(
            capture.lines.contains { $0.level == .error && $0.message.contains("is damaged") }, "\(name)")
        #expect(
            try bus.stream(after: 5).missed > 0, "\(name): a resume before the loss hears of it (in doubt)")
        #expect(
            try bus.stream(after: 5).replay.map(\.sequence) == Array(6...UInt64(kept)), "then what survived")
        #expect(
            try bus.publish(topic: "t", payload: [:]).sequence == 1025, "\(name): above the reserved block")
    }

    @Test("a torn tail under any cut of the last record is a torn tail; a whole record after damage is not")
    func classification() {
        let last = Self.records[38]
        let prefix = Array(Self.whole[..<Self.offset(of: 38)])
        for cut in 1..<last.count {
            let reading = ViolationLogReading(prefix + last[..<cut])
            #expect(reading.ending == .tornTail, "cut \(cut)")
            #expect(reading.events.count == 38, "cut \(cut)")
        }
        var middle = Self.whole
        middle[Self.offset(of: 5) + 12] ^= 0x01
        guard case .damaged = ViolationLogReading(middle).ending else {
            Issue.record("a bad checksum with records after it is damage")
            return
        }
        var zeroed = Self.whole
        for index in Self.offset(of: 30)..<zeroed.count { zeroed[index] = 0 }
        #expect(ViolationLogReading(zeroed).events.count == 30, "zeros after the intact records")
        #expect(ViolationLogReading(zeroed).ending != .whole)
    }
}
