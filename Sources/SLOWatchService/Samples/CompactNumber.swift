/// The number form latencies and timestamps are written in, read in one pass over a raw pointer: an
/// optional `-`, digits, and an optional `.` with digits, at most 19 digits in all and no exponent.
///
/// The digits are gathered into an integer as they are read and converted by
/// ``DecimalFloat/binaryBits(_:)``: the same `Decimal`, so the same bits, that ``JSONNumberText``
/// reads from the same text. Anything else, valid JSON or not (`1e3`, `01`, `1.`, 20 digits), is
/// declined, for the caller's general reader to decide.
enum CompactNumber {
    /// The most digits read here: below 10^19, the integer cannot wrap.
    static let maximumDigits = DecimalFloat.Decimal.maximumDigits

    /// Reads the number at `start`.
    /// - Parameters:
    ///   - base: the first byte of the text.
    ///   - start: the offset of the number's first byte.
    ///   - end: the offset past the last byte that may be read.
    /// - Returns: the value (always finite) and the offset after the number, or nil to decline.
    @inline(__always)
    static func read(_ base: UnsafePointer<UInt8>, from start: Int, end: Int) -> (value: Double, end: Int)? {
        var offset = start
        guard offset < end else { return nil }
        let negative = base[offset] == UInt8(ascii: "-")
        if negative { offset += 1 }
        let integerStart = offset
        var mantissa: UInt64 = 0
        offset = gatherDigits(base, from: offset, end: end, into: &mantissa)
        var digits = offset - integerStart
        // JSON allows no leading zero before another digit (`01`); the general reader refuses it.
        guard digits > 0, digits == 1 || base[integerStart] != UInt8(ascii: "0") else { return nil }
        var exponent = 0
        if offset < end, base[offset] == UInt8(ascii: ".") {
            offset += 1
            let fractionStart = offset
            offset = gatherDigits(base, from: offset, end: end, into: &mantissa)
            guard offset > fractionStart else { return nil }
            digits += offset - fractionStart
            exponent = fractionStart - offset
        }
        // An exponent mark (`e` or `E`; `| 0x20` folds the case) is the general reader's.
        guard digits <= maximumDigits, offset == end || base[offset] | 0x20 != UInt8(ascii: "e") else {
            return nil
        }
        if exponent == 0, !negative, digits <= 15 {
            // Below 2^53: the integer and its Double are equal, with nothing to round (timestamps in ms
            // since the epoch have 13 digits).
            return (Double(mantissa), offset)
        }
        guard
            let bits = DecimalFloat.binaryBits(
                DecimalFloat.Decimal(mantissa: mantissa, exponent: exponent, negative: negative))
        else { return nil }
        let magnitude = Double(bitPattern: bits)
        return (negative ? -magnitude : magnitude, offset)
    }

    /// Adds the run of ASCII digits at `start` to `mantissa` (× 10 per digit, wrapping) and returns the
    /// offset after the run. While 8 bytes remain it reads them as one word: all digits are converted
    /// at once (``SWARScan/eightDigits(_:)``), and a run that ends inside the word is shifted to its top
    /// so the same conversion reads just those digits; the last few bytes of the text go one at a time.
    @inline(__always)
    static func gatherDigits(
        _ base: UnsafePointer<UInt8>, from start: Int, end: Int, into mantissa: inout UInt64
    ) -> Int {
        var offset = start
        var value = mantissa
        let raw = UnsafeRawPointer(base)
        while offset + 8 <= end {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let others = SWARScan.nonDigitBytes(word)
            if others == 0 {
                value = value &* 100_000_000 &+ SWARScan.eightDigits(word)
                offset += 8
                continue
            }
            let count = others.trailingZeroBitCount >> 3
            if count > 0 {
                // The `count` digits moved to the top bytes; the zero bytes below read as leading zeros.
                value =
                    value &* SWARScan.powerOfTen(count)
                    &+ SWARScan.eightDigits(word << UInt64(64 - 8 * count))
                offset += count
            }
            mantissa = value
            return offset
        }
        while offset < end, case let digit = base[offset] &- UInt8(ascii: "0"), digit < 10 {
            value = value &* 10 &+ UInt64(digit)
            offset += 1
        }
        mantissa = value
        return offset
    }
}
