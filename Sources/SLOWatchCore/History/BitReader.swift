/// Reads what a ``BitWriter`` wrote; reading past the end gives zero bits (never traps).
///
/// It reads a range of an array (a whole coded slice, or one slice of a tier's arena) without
/// copying it: byte `n` of the stream is `storage[base + n]`.
struct BitReader {
    private let storage: [UInt8]
    /// Where the stream starts in `storage`.
    private let base: Int
    /// The stream's length, in bytes.
    private let count: Int
    private var bitPosition = 0

    /// Reads all of `bytes`.
    init(_ bytes: [UInt8]) { self.init(bytes, range: bytes.startIndex..<bytes.endIndex) }

    /// Reads `storage[range]`; the range lies within the array.
    init(_ storage: [UInt8], range: Range<Int>) {
        self.storage = storage
        base = range.lowerBound
        count = range.count
    }

    /// Reads one bit.
    mutating func readBit() -> UInt64 {
        let byte = bitPosition >> 3
        guard byte < count else {
            bitPosition += 1
            return 0
        }
        let bit = UInt64(storage[base + byte] >> UInt8(bitPosition & 7)) & 1
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
        if byte + 8 <= count {
            storage.withUnsafeBytes { word = $0.loadUnaligned(fromByteOffset: base + byte, as: UInt64.self) }
            word = UInt64(littleEndian: word)
        } else {
            for offset in 0..<8 where byte + offset < count {
                word |= UInt64(storage[base + byte + offset]) << UInt64(offset * 8)
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

    /// Reads a value written by ``BitWriter/writeLong(_:)``.
    mutating func readLong() -> UInt64 {
        let length = Int(min(readRice(k: 4), 64))
        guard length > 1 else { return UInt64(length) }
        return (1 << UInt64(length - 1)) | read(width: length - 1)
    }

    /// Reads a value written by ``BitWriter/writeUniversal(_:)``.
    mutating func readUniversal() -> UInt64 {
        let length = Int(min(readRice(k: 3), 64))
        guard length > 1 else { return UInt64(length) }
        return (1 << UInt64(length - 1)) | read(width: length - 1)
    }
}
