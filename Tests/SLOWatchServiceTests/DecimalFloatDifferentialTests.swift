import SLOWatchCoreTesting
import SeededRandom
import Testing

@testable import SLOWatchService

/// Holds ``DecimalFloat``'s exact fast path to the C library's correctly rounded `strtod_l`, to the bit,
/// on generated decimal strings (every length of 1...20 significant digits, every decimal exponent
/// from below the smallest subnormal to above the largest Double) and on the known hard cases. It also
/// checks that the fast path decides almost everything, so a fast path that always declined would fail.
@Suite("Decimal fast path against strtod")
struct DecimalFloatDifferentialTests {
    /// Compares both conversions on `text`; returns whether the fast path decided it.
    /// A mismatch is recorded as an issue naming the text and both answers' bits.
    @discardableResult
    static func check(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let slow = JSONNumberText.correctlyRounded(text)
        guard let fast = DecimalFloat.double(text) else { return false }
        if fast.bitPattern != slow.bitPattern {
            let shown = String(decoding: text, as: UTF8.self)
            Issue.record(
                "\(shown): fast path 0x\(String(fast.bitPattern, radix: 16)), strtod 0x\(String(slow.bitPattern, radix: 16))"
            )
        }
        return true
    }

    /// Compares both conversions on `text`, and `JSONNumberText.double` (fast path or fallback) too.
    @discardableResult
    static func check(_ text: String) -> Bool {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            let text = UnsafeBufferPointer(buffer)
            let slow = JSONNumberText.correctlyRounded(text)
            let combined = JSONNumberText.double(text)
            #expect(
                combined?.bitPattern == (slow.isFinite ? slow.bitPattern : nil),
                "\(String(decoding: text, as: UTF8.self))")
            return check(text)
        }
    }

    @Test(
        "1,021,500 generated strings: 1...20 significant digits, exponents -360...320, to the bit",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func generatedStrings() {
        var random = SplitMix64(seed: 0xDEC1_3A15)
        var buffer = [UInt8](repeating: 0, count: 64)
        var checked = 0
        var decided = 0
        buffer.withUnsafeMutableBufferPointer { buffer in
            for length in 1...20 {
                for exponent in -360...320 {
                    for form in 0..<75 {
                        let count = DecimalTextWriter.write(
                            length: length, exponent: exponent, form: form, random: &random, into: buffer)
                        if Self.check(UnsafeBufferPointer(rebasing: buffer[0..<count])) { decided += 1 }
                        checked += 1
                    }
                }
            }
        }
        #expect(checked >= 1_000_000)
        // Only strings of 20 digits whose dropped digit straddles a rounding boundary, and saturated
        // products, go to the slow path.
        #expect(decided * 1_000 >= checked * 999, "the fast path decided \(decided) of \(checked)")
    }

    @Test(
        "exact halfway integers and their neighbours round to even as strtod does",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func halfwayCases() {
        var random = SplitMix64(seed: 0x4A1F)
        var decided = 0
        for _ in 0..<20_000 {
            // (2m + 1) × 2^j with a 54-bit odd factor is exactly halfway between two Doubles.
            let odd = (random.next() >> 10) | (1 << 53) | 1
            let shift = Int(random.next() % 10)
            let halfway = odd << UInt64(shift)
            guard halfway < 10_000_000_000_000_000_000 else { continue }
            for delta in [0, 1, -1] as [Int64] {
                let value = UInt64(Int64(halfway) + delta)
                if Self.check(String(value)) { decided += 1 }
                if Self.check(String(value) + "e0") { decided += 1 }
                if Self.check(String(value) + "0e-1") { decided += 1 }
            }
            // (2m + 1) × 2^-k = (2m + 1) × 5^k / 10^k, written exactly, for small k.
            let fives = [UInt64](arrayLiteral: 5, 25, 125)
            let k = Int(random.next() % 3)
            let small = odd >> 9 | 1
            let (scaled, overflow) = small.multipliedReportingOverflow(by: fives[k])
            if !overflow { Self.check(String(scaled) + "e-\(k + 1)") }
        }
        #expect(decided > 100_000)
    }

    @Test("the known hard cases")
    func hardCases() {
        let cases = [
            "2.2250738585072011e-308", "2.2250738585072012e-308", "2.2250738585072014e-308",
            "2.2250738585072009e-308", "2.225073858507201136057409796709131975934819546351645648e-308",
            "4.9406564584124654e-324", "4.9406564584124654e-325", "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "2.4703282292062327208828439643411068618252990130716238221279284125033775364e-324",
            "1e-324", "3e-324", "7e-324", "1.7976931348623157e308", "1.7976931348623158e308",
            "1.7976931348623159e308", "1.797693134862315807937289714053e308", "1.8e308", "1e309",
            "9007199254740993", "9007199254740992", "9007199254740994", "9007199254740995",
            "9007199254740993.0000000000000000001", "18014398509481987", "1e23", "1e22",
            "8.988465674311579e307",
            "1.00000000000000011102230246251565404236316680908203125",
            "1.00000000000000011102230246251565404236316680908203124",
            "1.00000000000000011102230246251565404236316680908203126", "0.1", "0.2", "0.3",
            "0.30000000000000004", "123456789012345678901234567890", "12345678901234567890",
            "99999999999999999999", "10000000000000000000", "18446744073709551615", "18446744073709551616",
            "7.038531e-26", "9.5e-324", "1e-400", "1e400", "-0", "0", "-0.0", "0e999999999", "0.0000e-5",
            "3.4028234664e38", "1.448997445238699", "89255.0e-22", "2.2250738585072012e-308",
            "4.35679273e-321", "1.2345678901234567e-310", "9.999999999999999e22", "5e-324", "-1.5", "+7",
            "0.000000000000000000000000000000000000000000000001e48", "1.", ".5", "007",
        ]
        for text in cases { Self.check(text) }
        // Every one of these is decided by the fast path (the rest may go either way).
        for text in [
            "2.2250738585072011e-308", "9007199254740993", "1e23", "4.9406564584124654e-324", "1e309",
        ] {
            #expect(Self.check(text), "\(text) should not need the slow path")
        }
    }

    @Test(
        "shortest and 17-digit forms of random Doubles, subnormals included",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func randomDoubles() {
        var random = SplitMix64(seed: 0xD0B1E)
        for round in 0..<30_000 {
            var bits = random.next() & 0x7FFF_FFFF_FFFF_FFFF
            if round % 4 == 0 { bits &= 0x000F_FFFF_FFFF_FFFF }  // subnormal
            let value = Double(bitPattern: bits)
            guard value.isFinite else { continue }
            Self.check("\(value)")
            Self.check(DecimalTextWriter.seventeenDigits(value))
        }
    }

    @Test("text outside the grammar is left to the slow path, not misread")
    func outsideGrammar() {
        for text in [
            "", "-", "+", ".", "e5", "1e", "1e+", "1x", "1.2.3", "--1", "1e5e5", " 1", "1 ", "1e100000",
        ] {
            var bytes = Array(text.utf8)
            let answer = bytes.withUnsafeMutableBufferPointer { DecimalFloat.double(UnsafeBufferPointer($0)) }
            #expect(answer == nil, "\(text)")
        }
    }
}
