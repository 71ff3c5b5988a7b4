import SLOWatchCoreTesting
import SeededRandom
import Testing

@testable import SLOWatchService

/// ``SampleBodyScanner`` converts the numbers of a body in the same pass that scans them (digits
/// gathered into an integer, then ``DecimalFloat``). Every value it reads is held here to the C
/// library's `strtod` (``JSONNumberText/correctlyRounded(_:)``), to the bit, through both its compact
/// word-matched path and its general member loop.
@Suite("POST /samples scanner: one-pass numbers and compact members")
struct SampleScannerNumberTests {
    @Test(
        "generated numbers of 1 to 20 digits, every notation, read to strtod's bits",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func generatedNumbers() throws {
        var random = SplitMix64(seed: 0x0_9A55)
        var buffer = [UInt8](repeating: 0, count: 64)
        var read = 0
        var checked = 0
        for length in 1...20 {
            for exponent in -30...30 {
                for form in 0..<75 {
                    let count = buffer.withUnsafeMutableBufferPointer { buffer in
                        DecimalTextWriter.write(
                            length: length, exponent: exponent, form: form, random: &random, into: buffer)
                    }
                    let text = Array(buffer[0..<count])
                    if try Self.check(text) { read += 1 }
                    checked += 1
                }
            }
        }
        #expect(checked == 20 * 61 * 75)
        #expect(read * 10 >= checked * 9, "the scanner read \(read) of \(checked)")
    }

    @Test("hard cases: halfway integers, 17 to 19 digits, zeros, the extremes")
    func hardCases() throws {
        let texts = [
            "0", "-0", "0.0", "-0.0", "0.000", "1", "-1", "12.345", "-12.345", "0.1", "0.2", "0.3",
            "9007199254740992", "9007199254740993", "9007199254740995", "-9007199254740993",
            "18014398509481985", "123456789012345678", "1234567890123456789", "9999999999999999999",
            "10000000000000000000", "99999999999999999999", "0.30000000000000004", "1.7976931348623157",
            "4.9406564584124654", "2.2250738585072011", "0.0000000000000000001", "123456.7890123456789",
            "2.2250738585072011e-308", "1.7976931348623157e308", "1e-400", "5e-324", "1e23", "8.5e-1",
            "1732860000123", "999999999999999", "1000000000000000", "1000000000000001",
        ]
        for text in texts { _ = try Self.check(Array(text.utf8)) }
    }

    @Test("eight digits at once, and runs of 1 to 7 digits shifted to the top of a word, read exactly")
    func digitWords() {
        var random = SplitMix64(seed: 0x8D_161)
        for round in 0..<100_000 {
            let count = 1 + Int(random.next() % 8)
            let digits = (0..<count).map { _ in UInt8(ascii: "0") + UInt8(random.next() % 10) }
            // After the run, a byte that ends it (or more digits, when the run fills the word).
            let tail = (count..<8).map { _ in round % 2 == 0 ? UInt8(ascii: ",") : UInt8(ascii: "}") }
            let word = Self.littleEndian((digits + tail)[...])
            let expected = digits.reduce(UInt64(0)) { $0 * 10 + UInt64($1 &- UInt8(ascii: "0")) }
            let others = SWARScan.nonDigitBytes(word)
            #expect(others.trailingZeroBitCount >> 3 == min(count, 8), "\(digits)")
            let shifted = count == 8 ? word : word << UInt64(64 - 8 * count)
            #expect(SWARScan.eightDigits(shifted) == expected, "\(digits)")
            var mantissa: UInt64 = 7
            let text = digits + tail + Array("xxxxxxxx".utf8)
            let end = text.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return -1 }
                return CompactNumber.gatherDigits(base, from: 0, end: buffer.count, into: &mantissa)
            }
            #expect(end == count, "\(digits)")
            let scale = (0..<count).reduce(UInt64(1)) { scale, _ in scale * 10 }
            #expect(mantissa == 7 * scale + expected, "\(digits): the digits are added to what was there")
        }
    }

    @Test("each compact word is exactly its text's first and last 8 bytes, little-endian")
    func compactWords() {
        let words: [(CompactWord, String)] = [
            (.metric, #""metric":"#), (.value, #","value":"#), (.timestamp, #","timestamp":"#),
        ]
        for (word, text) in words {
            let bytes = Array(text.utf8)
            #expect(word.count == bytes.count, "\(text)")
            #expect(word.first == Self.littleEndian(bytes.prefix(8)), "\(text)")
            #expect(word.last == Self.littleEndian(bytes.suffix(8)), "\(text)")
        }
    }

    @Test(
        "near misses of the compact shape are read by the general loop, or refused as the tree refuses them")
    func compactNearMisses() throws {
        let bodies = [
            #"{"metric":"a","value":1,"timestamp":1732860000123}"#,
            #"{"metric":"a","value":1}"#,
            #"{"metric":"a", "value":1}"#,
            #"{"metric":"a","value":1 ,"timestamp":1732860000123}"#,
            #"{"metric":"a","value":1,"timestamp":1732860000123 }"#,
            #"{"metric":"a","value":1,"timestampx":1732860000123}"#,
            #"{"metric":"a","value":1,"timestamp":17328600}"#,
            #"{"metric":"a","valuex":1}"#,
            #"{"metricx":"a","value":1}"#,
            #"{"metric":"a","value":"1"}"#,
            #"{"metric":"a","value":1,"value":2}"#,
            #"{"metric":"a","value":1,"timestamp":1732860000123,"metric":"b"}"#,
            #"{"metric":"a b","value":1}"#,
            #"{"metric":"a","value":01}"#,
            #"{"metric":"a","value":1.}"#,
            #"{"metric":"a","value":-}"#,
            #"{"metric":"a","value":1e}"#,
            #"{"metric":"a","value":1,"timestamp":null}"#,
            #"{"value":1,"metric":"a"}"#,
            #"{"samples":[{"metric":"a","value":1},{"metric":"b","value":2,"timestamp":1732860000123}]}"#,
            #"{"samples":[{"metric":"a","value":1}, {"metric":"a","value":2}]}"#,
            #"{"metric":"a","va"#,
            #"{"metric":""#,
        ]
        let compact = Set(bodies.prefix(2))
        for body in bodies {
            let bytes = Array(body.utf8)
            #expect(SampleBodyScanner.readsCompactly(bytes) == compact.contains(body), "\(body)")
            let scanned = SampleBodyScanner.scan(bytes)
            let tree = try? SampleBatchDecoder.decodeTree(bytes)
            if let scanned {
                let reference = try #require(tree, "the tree refuses what the scanner read: \(body)")
                #expect(scanned.isIdentical(to: reference), "\(body)")
            }
        }
    }

    // MARK: Checking one number

    /// Reads `text` as a sample's value through the compact path and through the general loop, and
    /// compares both with `strtod`.
    /// - Returns: whether the scanner read it (it leaves what is not JSON, or overflows, to the decoder).
    private static func check(_ text: [UInt8]) throws -> Bool {
        let shown = String(decoding: text, as: UTF8.self)
        let expected = text.withUnsafeBufferPointer { JSONNumberText.correctlyRounded($0) }
        let compact = Array(#"{"metric":"m","value":"#.utf8) + text + Array("}".utf8)
        let spaced = Array(#"{ "metric" : "m", "value" : "#.utf8) + text + Array(" }".utf8)
        let timed = Array(#"{"metric":"m","value":1,"timestamp":"#.utf8) + text + Array("}".utf8)
        let readCompact = SampleBodyScanner.scan(compact)?.samples.first?.value
        #expect(
            SampleBodyScanner.readsCompactly(compact) == (readCompact != nil),
            "\(shown): not on the compact path")
        let readSpaced = SampleBodyScanner.scan(spaced)?.samples.first?.value
        #expect(readCompact?.bitPattern == readSpaced?.bitPattern, "\(shown): the two paths differ")
        guard let value = readCompact else {
            // Left to the decoder: only text outside JSON's grammar, or a value past a Double's range.
            let isJSON = (try? JSONRequestBody.parse(compact)) != nil
            #expect(!isJSON || !expected.isFinite, "\(shown): a finite JSON number was left unread")
            return false
        }
        #expect(value.bitPattern == expected.bitPattern, "\(shown): \(value) against strtod's \(expected)")
        if expected >= SampleBatchDecoder.minimumTimestampMilliseconds {
            let timestamp = SampleBodyScanner.scan(timed)?.samples.first?.timestamp
            #expect(timestamp?.bitPattern == expected.bitPattern, "\(shown) as a timestamp")
        }
        return true
    }

    private static func littleEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.enumerated().reduce(0) { $0 | UInt64($1.element) << UInt64(8 * $1.offset) }
    }
}
