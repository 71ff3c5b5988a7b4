import SLOWatchCore
import Testing

@testable import SLOWatchService

/// The durable record of an SLO event (the violation log of `--data-dir`), pinned as hexadecimal: a
/// data directory written by an earlier build must still read back, and a later build must write the same.
@Suite("Golden bytes of durable event records")
struct EventRecordGoldenTests {
    /// `bytes` as lowercase hexadecimal, two digits a byte.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef")
        return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }

    /// The record of the golden violation.
    static let violationRecord =
        "1e000000000000006576745f30314b42355a385130304141414141414141414141414141414112000000000000007065"
        + "72662e736c6f5f76696f6c6174696f6e0100000000000000000040dce0ac79420b000000000000000300000000000000"
        + "736c6f010c00000000000000636865636b6f75742d70393506000000000000006d657472696301100000000000000063"
        + "6865636b6f75742e6c6174656e63790a0000000000000070657263656e74696c65010300000000000000703935080000"
        + "00000000007175616e74696c6502666666666666ee3f09000000000000007468726573686f6c64020000000000004e40"
        + "060000000000000061637475616c020000000000e052400400000000000000756e69740102000000000000006d730900"
        + "000000000000646972656374696f6e01050000000000000061626f766508000000000000007365766572697479010800"
        + "000000000000637269746963616c0500000000000000636f756e74031400000000000000090000000000000074696d65"
        + "7374616d7002000040dce0ac7942"

    /// The record of the golden recovery.
    static let recoveryRecord =
        "1e000000000000006576745f30314b42355a385234434242424242424242424242424242424212000000000000007065"
        + "72662e736c6f5f7265636f7665726564020000000000000000c09ddce0ac79420d000000000000000300000000000000"
        + "736c6f010c00000000000000636865636b6f75742d70393506000000000000006d657472696301100000000000000063"
        + "6865636b6f75742e6c6174656e63790a0000000000000070657263656e74696c65010300000000000000703935080000"
        + "00000000007175616e74696c6502666666666666ee3f09000000000000007468726573686f6c64020000000000004e40"
        + "060000000000000061637475616c0200000000002044400400000000000000756e69740102000000000000006d730900"
        + "000000000000646972656374696f6e01050000000000000061626f766508000000000000007365766572697479010800"
        + "000000000000637269746963616c0500000000000000636f756e74031500000000000000090000000000000074696d65"
        + "7374616d700200c09ddce0ac79420e0000000000000076696f6c6174696e67466f724d73020000000000709740060000"
        + "0000000000726561736f6e01100000000000000077697468696e5f7468726573686f6c64"

    @Test("a violation and a recovery are written as these bytes")
    func encode() {
        #expect(Self.hex(EventRecord.encode(EventGoldenTests.envelopes[0])) == Self.violationRecord)
        #expect(Self.hex(EventRecord.encode(EventGoldenTests.envelopes[1])) == Self.recoveryRecord)
    }

    @Test("the bytes read back as the same events, and framed they make the same log file")
    func decode() throws {
        for event in EventGoldenTests.envelopes {
            let decoded = try EventRecord.decode(EventRecord.encode(event))
            #expect(decoded == event)
        }
        let framed = ChecksummedRecord.encode(EventRecord.encode(EventGoldenTests.envelopes[0]))
        #expect(Self.hex(Array(framed.prefix(8))) == "8e0100004a833af2")
    }

    @Test("a record of an older build without severity reads back typed, as a warning")
    func olderRecordWithoutSeverity() throws {
        var fields = EventGoldenTests.violation.payload.fields
        fields["severity"] = nil
        let older = Event(
            id: "evt_01KB5Z8Q00AAAAAAAAAAAAAAAA", topic: SLOEvent.violationTopic, sequence: 1,
            timestamp: 1_764_393_600_000, payload: .fields(fields))
        let decoded = try EventRecord.decode(EventRecord.encode(older))
        var expected = EventGoldenTests.violation
        expected.severity = "warning"
        #expect(decoded.payload == .slo(expected))
    }

    @Test("a record on an SLO topic without the fields of an SLO event keeps its fields as they are")
    func untypedRecordStaysFields() throws {
        let event = Event(
            id: "evt_01KB5Z8Q00AAAAAAAAAAAAAAAA", topic: SLOEvent.recoveredTopic, sequence: 3, timestamp: 5,
            payload: ["slo": "a-p95", "metric": "a"])
        #expect(try EventRecord.decode(EventRecord.encode(event)) == event)
    }
}
