import SeededRandom
import Testing

@testable import SLOWatchService

/// The scanner's word-at-a-time searches (``SWARScan``) against byte-by-byte references on random bytes,
/// and its byte-keyed name table through ``SampleBodyScanner/scan(_:cache:)`` against the tree decoder at
/// counts of distinct names on both sides of every growth of the table.
@Suite("POST /samples scanner: SWAR searches and the name table")
struct SampleScannerStructureTests {
    /// Bytes that sit on the searches' boundaries: quote, backslash, digits' neighbours, whitespace,
    /// control and high bytes.
    static let interesting: [UInt8] = [
        0x22, 0x5C, 0x2F, 0x30, 0x39, 0x3A, 0x20, 0x09, 0x0A, 0x0D, 0x00, 0x7F, 0x80, 0xB0, 0xFF,
    ]

    @Test("firstQuote, firstNonDigit and firstNonSpace find what a byte loop finds, at every offset")
    func searchesMatchByteLoops() {
        var random = SplitMix64(seed: 0x5EA2)
        for _ in 0..<3_000 {
            let count = Int(random.next() % 40)
            var bytes = [UInt8](repeating: 0, count: count)
            for position in 0..<count {
                let pick = random.next() % 4
                bytes[position] =
                    pick == 0
                    ? Self.interesting[Int(random.next() % UInt64(Self.interesting.count))]
                    : pick == 1
                        ? 0x20 : pick == 2 ? UInt8(0x30 + random.next() % 10) : UInt8(random.next() & 0xFF)
            }
            bytes.withUnsafeBufferPointer { buffer in
                for from in 0...count {
                    let before = from + Int(random.next() % UInt64(count - from + 1))
                    var quote = from
                    while quote < before, buffer[quote] != 0x22 { quote += 1 }
                    #expect(
                        SWARScan.firstQuote(in: buffer, from: from, before: before) == quote,
                        "\(bytes) \(from)")
                    var digit = from
                    while digit < count, buffer[digit] >= 0x30, buffer[digit] <= 0x39 { digit += 1 }
                    #expect(SWARScan.firstNonDigit(in: buffer, from: from) == digit, "\(bytes) \(from)")
                    var space = from
                    while space < count, buffer[space] == 0x20 { space += 1 }
                    #expect(SWARScan.firstNonSpace(in: buffer, from: from) == space, "\(bytes) \(from)")
                }
            }
        }
    }

    @Test(
        "1 to 3,000 distinct names, each repeated: the scanner's batch is the tree decoder's",
        arguments: [1, 3, 4, 5, 31, 32, 33, 64, 65, 500, 3_000])
    func distinctNames(count: Int) throws {
        var samples: [String] = []
        for round in 0..<3 {
            for name in 0..<count {
                samples.append("{\"metric\":\"m.\(name % 7).n\(name)\",\"value\":\(round).5}")
            }
        }
        let body = Array(("{\"samples\":[" + samples.joined(separator: ",") + "]}").utf8)
        let scanned = try #require(SampleBodyScanner.scan(body))
        let tree = try SampleBatchDecoder.decodeTree(body)
        #expect(scanned.metrics == tree.metrics)
        #expect(scanned.metrics.count == count)
        #expect(scanned.samples.map(\.metric) == tree.samples.map(\.metric))
        #expect(scanned.samples.map(\.value) == tree.samples.map(\.value))
    }

    @Test("indented bodies with tabs, newlines and long space runs scan as the compact body does")
    func indentedBody() throws {
        let compact = Array(
            #"{"samples":[{"metric":"api.latency","value":12.345,"timestamp":1732860000123}]}"#.utf8)
        let indented =
            Array(
                "{\n\t\"samples\" : [\r\n                {  \"metric\"   :\t\"api.latency\",\n          \"value\": 12.345 ,"
                    .utf8)
            + Array("\n                    \"timestamp\":1732860000123\n        }\n    ]\n}\n".utf8)
        let left = try #require(SampleBodyScanner.scan(compact))
        let right = try #require(SampleBodyScanner.scan(indented))
        #expect(left.metrics == right.metrics)
        #expect(left.samples.map(\.value) == right.samples.map(\.value))
        #expect(left.samples.map(\.timestamp) == right.samples.map(\.timestamp))
    }
}
