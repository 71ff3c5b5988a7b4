import FuzzSupport
import SLOWatchService

/// The exact decimal fast path against the C library's `strtod_l`, on arbitrary bytes. The invariants,
/// each of which aborts when broken:
/// - whatever the fast path answers (it may decline) has the same bits as `strtod_l`'s answer;
/// - it never answers for text outside its grammar (optional sign, digits, optional fraction and
///   exponent), which it must leave to the callers' own grammar checks.
/// The input is used as it is, and also as a digit string built from its bytes (each byte's value
/// mod 10, with an exponent from its first bytes), so the fuzzer reaches long mantissas and every
/// exponent quickly.
enum NumberTextFuzzing {
    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        compare(input)
        var digits: [UInt8] = []
        digits.reserveCapacity(input.count + 8)
        for (position, byte) in input.enumerated() {
            if position == 1 { digits.append(UInt8(ascii: ".")) }
            digits.append(UInt8(ascii: "0") + byte % 10)
        }
        guard !digits.isEmpty else { return }
        let exponent = input.count >= 2 ? (Int(input[0]) << 8 | Int(input[1])) % 720 - 360 : 0
        digits.append(UInt8(ascii: "e"))
        digits.append(contentsOf: Array(String(exponent).utf8))
        digits.withUnsafeBufferPointer { compare($0) }
    }

    static func compare(_ text: UnsafeBufferPointer<UInt8>) {
        guard let fast = NumberConversionCheck.fastPath(text) else { return }
        invariant(inGrammar(text), "the fast path answered for text outside its grammar: \(shown(text))")
        let slow = NumberConversionCheck.slowPath(text)
        invariant(
            fast.bitPattern == slow.bitPattern,
            "\(shown(text)): fast path \(fast.bitPattern), strtod \(slow.bitPattern)")
    }

    /// Whether `text` is an optional sign, digits with an optional `.` and fraction (a digit in all),
    /// and an optional exponent with at least one digit.
    static func inGrammar(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        func isDigit(_ at: Int) -> Bool { at < text.count && text[at] &- UInt8(ascii: "0") < 10 }
        if index < text.count, text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
            index += 1
        }
        var digits = 0
        while isDigit(index) { (index, digits) = (index + 1, digits + 1) }
        if index < text.count, text[index] == UInt8(ascii: ".") {
            index += 1
            while isDigit(index) { (index, digits) = (index + 1, digits + 1) }
        }
        guard digits > 0 else { return false }
        if index < text.count, text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E") {
            index += 1
            if index < text.count, text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
                index += 1
            }
            guard isDigit(index) else { return false }
            while isDigit(index) { index += 1 }
        }
        return index == text.count
    }
}
