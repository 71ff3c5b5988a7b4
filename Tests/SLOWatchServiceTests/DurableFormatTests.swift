import Foundation
import SLOWatchCore
import Testing

@testable import SLOWatchService

/// The on-disk formats of `--data-dir`: CRC32, the checksummed record framing, and the payloads of the
/// violation log, the snapshot and the definitions file.
@Suite("Durable formats")
struct DurableFormatTests {
    @Test("CRC32 gives the published check values, and fed in pieces equals fed at once")
    func crc32() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("a".utf8)) == 0xE8B7_BE43)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for split in [0, 1, 500, 999, 1000] {
            let first = CRC32.checksum(bytes[..<split])
            #expect(CRC32.checksum(bytes[split...], continuing: first) == CRC32.checksum(bytes))
        }
    }

    @Test("records read back whole, in order, with nothing damaged")
    func recordRoundTrip() {
        let payloads: [[UInt8]] = [[], [1], Array("hello".utf8), [UInt8](repeating: 0xAB, count: 70_000)]
        let file = payloads.flatMap { ChecksummedRecord.encode($0) }
        let scan = ChecksummedRecord.scan(file)
        #expect(scan.payloads == payloads)
        #expect(scan.validBytes == file.count)
        #expect(!scan.isDamaged && !scan.isTornTail)
        #expect(ChecksummedRecord.single(ChecksummedRecord.encode(payloads[2])) == payloads[2])
        #expect(ChecksummedRecord.single(file) == nil, "a single-record file holds exactly one record")
    }

    @Test("a file cut at any byte of its last record keeps the records before it and reports a torn tail")
    func tornTailAtEveryCut() {
        let first = ChecksummedRecord.encode(Array("first record".utf8))
        let last = ChecksummedRecord.encode(Array("the last record".utf8))
        for cut in 1..<last.count {
            let scan = ChecksummedRecord.scan(first + last[..<cut])
            #expect(scan.payloads == [Array("first record".utf8)], "cut \(cut)")
            #expect(scan.validBytes == first.count, "cut \(cut)")
            #expect(scan.isDamaged && scan.isTornTail, "cut \(cut)")
        }
    }

    @Test("a flipped bit fails the checksum: in the last record it is a torn tail, before it damage")
    func flippedBit() {
        let records = ["one", "two", "three"].map { ChecksummedRecord.encode(Array($0.utf8)) }
        var file = records.flatMap { $0 }
        file[file.count - 1] ^= 0x01
        var scan = ChecksummedRecord.scan(file)
        #expect(scan.payloads.count == 2 && scan.isTornTail)
        file = records.flatMap { $0 }
        file[records[0].count + ChecksummedRecord.headerBytes] ^= 0x10
        scan = ChecksummedRecord.scan(file)
        #expect(scan.payloads == [Array("one".utf8)])
        #expect(scan.validBytes == records[0].count)
        #expect(scan.isDamaged && !scan.isTornTail, "good bytes follow the damage")
    }

    @Test("a length field beyond the file or the 1 GiB bound is a torn tail, not an allocation")
    func hugeLength() {
        let header: [UInt8] = [0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0, 1, 2, 3]
        let scan = ChecksummedRecord.scan(ChecksummedRecord.encode([9]) + header)
        #expect(scan.payloads == [[9]] && scan.isTornTail)
    }

    @Test("an event reads back equal, every value kind and extreme number included")
    func eventRoundTrip() throws {
        let payload: EventPayload = [
            "slo": "checkout-p99 ✓", "actual": 12.5, "count": 9_223_372_036_854_775_807, "negative": -0.0,
            "tiny": .number(Double.leastNonzeroMagnitude), "flag": true, "off": false, "none": nil,
        ]
        let event = Event(
            id: "evt_01M8X9YZDQGSW0KE00SJW8F4A0", topic: "perf.slo_violation", sequence: 42,
            timestamp: 1_796_279_860_663, payload: payload)
        let decoded = try EventRecord.decode(EventRecord.encode(event))
        #expect(decoded == event)
        #expect(decoded.payload.fields.keys == payload.fields.keys, "the field order is kept")
        if case .number(let zero)? = decoded.payload.fields["negative"] { #expect(zero.sign == .minus) }
        let bytes = EventRecord.encode(event)
        for cut in [0, 1, 10, bytes.count - 1] {
            #expect(throws: BinaryReader.Failure.self) { try EventRecord.decode(Array(bytes[..<cut])) }
        }
    }

    @Test("a snapshot reads back equal; a cut or a wrong format name is refused")
    func snapshotRoundTrip() throws {
        let snapshot = MetricSnapshot(
            lastSequence: 77, definitionsGeneration: 3,
            metrics: [
                .init(
                    definition: MetricDefinition(
                        name: "a", type: .gauge, unit: "s", description: "d", capacity: 3),
                    samples: [.init(value: 1.5, timestamp: 10), .init(value: -2, timestamp: 11)]),
                .init(definition: MetricDefinition(name: "b"), samples: []),
            ])
        let bytes = snapshot.encode()
        #expect(try MetricSnapshot.decode(bytes) == snapshot)
        #expect(throws: BinaryReader.Failure.self) { try MetricSnapshot.decode(Array(bytes.dropLast())) }
        #expect(throws: BinaryReader.Failure.self) { try MetricSnapshot.decode(bytes + [0]) }
        var renamed = bytes
        renamed[8] = UInt8(ascii: "X")
        #expect(throws: BinaryReader.Failure.self) { try MetricSnapshot.decode(renamed) }
    }

    @Test("the definitions file reads back equal, and a bad field is named with its path")
    func definitionsRoundTrip() throws {
        let file = DefinitionsFile(
            generation: 5,
            slos: [
                try SLODefinition(
                    id: "s", metric: "m", percentile: "p99", threshold: 2.5, unit: "s", direction: .below,
                    window: .seconds(300), minSamples: 4, severity: "critical")
            ],
            metrics: [MetricDefinition(name: "m", type: .counter, unit: "req", description: "x", capacity: 7)]
        )
        #expect(try DefinitionsFile.decode(file.encode(), defaultCapacity: 10) == file)
        let bad = Array(
            #"{"generation":1,"slos":[{"id":"s","metric":"m","percentile":"p99","threshold":"x"}],"metrics":[]}"#
                .utf8)
        #expect(throws: DefinitionsFileError.self) { try DefinitionsFile.decode(bad, defaultCapacity: 10) }
        do {
            _ = try DefinitionsFile.decode(bad, defaultCapacity: 10)
        } catch {
            #expect(error.message.contains("slos[0].threshold"), "\(error.message)")
        }
    }
}
