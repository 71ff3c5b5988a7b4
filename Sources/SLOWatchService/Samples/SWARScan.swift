/// Byte searches over a body 8 bytes at a time (SWAR: SIMD within a register), for
/// ``SampleBodyScanner``'s structural scan: each step loads one unaligned little-endian `UInt64` and
/// finds the first byte of interest with a few integer operations, instead of a test per byte.
///
/// Every function reads only inside `bytes` (whole words while 8 bytes remain, then byte by byte) and
/// returns an offset in `from...bytes.count` (or `before`).
enum SWARScan {
    /// 0x01 in every byte.
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    /// 0x80 in every byte.
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// A word with the high bit set in each byte of `word` that is zero. Exact for the lowest such byte
    /// (a borrow can mark bytes above it, never below), which is the only one these searches use.
    @inline(__always)
    private static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- ones) & ~word & highBits
    }

    /// The offset of the first `"` at or after `from` and before `before`, or `before` when none is.
    /// - Parameter before: at most `bytes.count`.
    @inline(__always)
    static func firstQuote(in bytes: UnsafeBufferPointer<UInt8>, from: Int, before: Int) -> Int {
        var offset = from
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while offset + 8 <= before {
                let found = zeroBytes(
                    raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) ^ (ones &* 0x22))
                if found != 0 { return offset + found.trailingZeroBitCount >> 3 }
                offset += 8
            }
        }
        while offset < before, bytes[offset] != UInt8(ascii: "\"") { offset += 1 }
        return offset
    }

    /// The offset of the first byte at or after `from` that is not an ASCII digit, or `bytes.count`.
    @inline(__always)
    static func firstNonDigit(in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        var offset = from
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while offset + 8 <= bytes.count {
                let found = nonDigitBytes(raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                if found != 0 { return offset + found.trailingZeroBitCount >> 3 }
                offset += 8
            }
        }
        while offset < bytes.count, bytes[offset] &- UInt8(ascii: "0") < 10 { offset += 1 }
        return offset
    }

    /// A word with the high bit set in each byte of `word` that is not an ASCII digit. Exact in every
    /// byte (no carry crosses a byte), unlike ``zeroBytes(_:)``.
    @inline(__always)
    static func nonDigitBytes(_ word: UInt64) -> UInt64 {
        // Digits become 0...9 after `^ 0x30`; adding 0x76 to the low 7 bits sets the high bit of every
        // byte of 10 or more, and `| t` catches 0x80 and up.
        let t = word ^ (ones &* 0x30)
        return (((t & ~highBits) &+ (ones &* 0x76)) | t) & highBits
    }

    /// The value of the 8 digits of `word` (little-endian, the first digit in the lowest byte), where
    /// every byte is an ASCII digit or zero (read as the digit 0): digits paired up in three
    /// multiplications (d0·10 + d1, then pairs of those ·100, then ·10,000).
    @inline(__always)
    static func eightDigits(_ word: UInt64) -> UInt64 {
        var value = word & (ones &* 0x0F)
        value = (value &* (10 << 8 + 1)) >> 8
        value = ((value & 0x00FF_00FF_00FF_00FF) &* (100 << 16 + 1)) >> 16
        return ((value & 0x0000_FFFF_0000_FFFF) &* (10_000 << 32 + 1)) >> 32
    }

    /// 10^`exponent` for `exponent` in 0...7 (a constant per case, no table to load).
    @inline(__always)
    static func powerOfTen(_ exponent: Int) -> UInt64 {
        switch exponent {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1_000
        case 4: 10_000
        case 5: 100_000
        case 6: 1_000_000
        default: 10_000_000
        }
    }

    /// The offset of the first byte at or after `from` that is not a space (0x20), or `bytes.count`:
    /// the runs of indentation in pretty-printed bodies. Other whitespace is left to the caller.
    @inline(__always)
    static func firstNonSpace(in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        var offset = from
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while offset + 8 <= bytes.count {
                let other = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self) ^ (ones &* 0x20)
                if other != 0 { return offset + other.trailingZeroBitCount >> 3 }
                offset += 8
            }
        }
        while offset < bytes.count, bytes[offset] == 0x20 { offset += 1 }
        return offset
    }
}
