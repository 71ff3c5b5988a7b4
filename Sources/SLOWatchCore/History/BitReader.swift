/// Reads what a ``BitWriter`` wrote; reading past the end gives zero bits (never traps).
struct BitReader {
    private let bytes: [UInt8]
    private var bitPosition = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Reads one bit.
    mutating func readBit() -> UInt64 {
        let byte = bitPosition >> 3
        guard byte < bytes.count else {
            bitPosition += 1
            return 0
        }
        let bit = UInt64(bytes[byte] >> UInt8(bitPosition & 7)) & 1
        bitPosition += 1
        return bit
    }

    /// Reads `width` (0 ... 64) bits written by ``BitWriter/write(_:width:)``.
    mutating func read(width: Int) -> UInt64 {
        guard width > 0 else { return 0 }
        if width <= 56 {
            let word = peekWord()
            bitPosition += width
            return word & ((1 << UInt64(width)) - 1)
        }
        // Wider than one peek guarantees: two reads.
        let low = read(width: 32)
        return low | (read(width: min(width, 64) - 32) << 32)
    }

    /// The next 64 bits without consuming them (zero bits past the end); at least 57 of them are the
    /// stream's, the rest may be zeros.
    @inline(__always)
    private func peekWord() -> UInt64 {
        let byte = bitPosition >> 3
        var word: UInt64 = 0
        if byte + 8 <= bytes.count {
            bytes.withUnsafeBytes { word = $0.loadUnaligned(fromByteOffset: byte, as: UInt64.self) }
            word = UInt64(littleEndian: word)
        } else {
            for offset in 0..<8 where byte + offset < bytes.count {
                word |= UInt64(bytes[byte + offset]) << UInt64(offset * 8)
            }
        }
        return word >> UInt64(bitPosition & 7)
    }

    /// Reads a value written by ``BitWriter/writeRice(_:k:)``: one word read for all but escaped or
    /// very long codes.
    @inline(__always)
    mutating func readRice(k: Int) -> UInt64 {
        let word = peekWord()
        let ones = (~word).trailingZeroBitCount
        if UInt64(ones) < RiceCoding.escapeQuotient, ones + 1 + k <= 56 {
            let rest = word >> UInt64(ones + 1)
            let low = k == 0 ? 0 : rest & ((1 << UInt64(k)) - 1)
            bitPosition += ones + 1 + k
            return (UInt64(ones) << UInt64(k)) | low
        }
        var quotient: UInt64 = 0
        while quotient < RiceCoding.escapeQuotient, readBit() == 1 { quotient += 1 }
        if quotient >= RiceCoding.escapeQuotient { return read(width: 64) }
        return (quotient << UInt64(min(k, 63))) | read(width: k)
    }

    /// Reads a value written by ``BitWriter/writeUniversal(_:)``.
    mutating func readUniversal() -> UInt64 {
        let length = Int(min(readRice(k: 3), 64))
        guard length > 1 else { return UInt64(length) }
        return (1 << UInt64(length - 1)) | read(width: length - 1)
    }
}
