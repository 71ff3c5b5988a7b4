/// Writes decimal number text for the decimal fast path's differential checks (the unit test and
/// `slowatch-bench float-differential`): a seeded, structured generator of
/// significant digits, exponents and notations, straight into a byte buffer (no `String` per number, so
/// a million of them take seconds in a debug build).
package enum DecimalTextWriter {
    /// Writes a number of `length` significant digits (1...20) whose value is d.ddd… × 10^`exponent`.
    ///
    /// `form` picks the digits and the notation: forms 0..<60 take random digits, the rest patterns
    /// that sit on rounding boundaries (all nines, 1 and 5 followed by zeros then a final 1); the
    /// notation cycles through `d.ddde±x`, `dddde±x`, positional (`0.000ddd`, `ddd00`, `dd.dd`), a
    /// leading `-`, and `0.ddde±x`.
    /// - Returns: the number of bytes written at the start of `buffer` (at most 64 are needed).
    package static func write(
        length: Int, exponent: Int, form: Int, random: inout SplitMix64,
        into buffer: UnsafeMutableBufferPointer<UInt8>
    ) -> Int {
        var digits = [UInt8](repeating: 0, count: length)
        for position in 0..<length {
            switch form {
            case 60..<65: digits[position] = 9
            case 65..<70: digits[position] = position == 0 ? 1 : (position == length - 1 ? 1 : 0)
            case 70..<75: digits[position] = position == 0 ? 5 : (position == length - 1 ? 1 : 0)
            default: digits[position] = UInt8(random.next() % 10)
            }
        }
        if digits[0] == 0 { digits[0] = UInt8(1 + random.next() % 9) }
        var count = 0
        func put(_ byte: UInt8) {
            buffer[count] = byte
            count += 1
        }
        func putDigits(_ slice: ArraySlice<UInt8>) { for digit in slice { put(digit + 48) } }
        func putExponent(_ value: Int) {
            put(form & 1 == 0 ? UInt8(ascii: "e") : UInt8(ascii: "E"))
            if value < 0 { put(UInt8(ascii: "-")) } else if form % 3 == 0 { put(UInt8(ascii: "+")) }
            for character in String(abs(value)).utf8 { put(character) }
        }
        switch form % 5 {
        case 0, 3:
            if form % 5 == 3 { put(UInt8(ascii: "-")) }
            putDigits(digits[0..<1])
            if length > 1 {
                put(UInt8(ascii: "."))
                putDigits(digits[1...])
            }
            putExponent(exponent)
        case 1:
            putDigits(digits[...])
            putExponent(exponent - (length - 1))
        case 2 where exponent >= -25 && exponent < 25:
            if exponent < 0 {
                put(UInt8(ascii: "0"))
                put(UInt8(ascii: "."))
                for _ in 0..<(-exponent - 1) { put(UInt8(ascii: "0")) }
                putDigits(digits[...])
            } else if exponent >= length - 1 {
                putDigits(digits[...])
                for _ in 0..<(exponent - (length - 1)) { put(UInt8(ascii: "0")) }
            } else {
                putDigits(digits[0...exponent])
                put(UInt8(ascii: "."))
                putDigits(digits[(exponent + 1)...])
            }
        default:
            put(UInt8(ascii: "0"))
            put(UInt8(ascii: "."))
            putDigits(digits[...])
            putExponent(exponent + 1)
        }
        return count
    }

    /// `value` written with 17 significant digits (`%.17e`'s digits), enough to name any Double exactly.
    package static func seventeenDigits(_ value: Double) -> String {
        // The shortest form's digits, padded with zeros to 17, keep the same value; a random last
        // digit is not needed here (the generated strings cover those).
        let shortest = "\(value)"
        let e = shortest.firstIndex(where: { $0 == "e" || $0 == "E" }) ?? shortest.endIndex
        let padding = shortest[..<e].contains(".") ? "0000000" : ".0000000"
        return shortest[..<e] + padding + shortest[e...]
    }
}
