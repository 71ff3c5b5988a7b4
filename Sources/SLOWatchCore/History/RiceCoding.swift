/// Golomb–Rice coding of unsigned integers into a bit stream, with the parameter chosen per run.
///
/// A value `v` with parameter `k` is written as `q = v >> k` one-bits, a zero-bit, then the `k` low
/// bits of `v`. A quotient of ``escapeQuotient`` or more is written as ``escapeQuotient`` one-bits
/// followed by the 64 bits of `v`, so no value makes the stream long.
package enum RiceCoding {
    /// Quotients from here on are escaped.
    static let escapeQuotient: UInt64 = 24

    /// The bits `values` take with parameter `k`.
    static func cost(_ values: [UInt64], k: Int) -> Int {
        values.reduce(0) { total, value in
            let quotient = value >> UInt64(k)
            return total + (quotient >= escapeQuotient ? Int(escapeQuotient) + 64 : Int(quotient) + 1 + k)
        }
    }

    /// The parameter (0 ... 40) that codes `values` in the fewest bits, among the three around
    /// `⌊log2(mean)⌋` (the optimum for geometric-like data lies there).
    static func bestParameter(_ values: [UInt64]) -> Int {
        guard !values.isEmpty else { return 0 }
        let total = values.reduce(0.0) { $0 + Double($1) }
        let mean = UInt64(min(total / Double(values.count), 0x1p62))
        let estimate = mean == 0 ? 0 : UInt64.bitWidth - mean.leadingZeroBitCount - 1
        var best = 0
        var bestCost = Int.max
        for k in max(0, estimate - 1)...min(40, estimate + 1) {
            let bits = cost(values, k: k)
            if bits < bestCost {
                best = k
                bestCost = bits
            }
        }
        return best
    }
}

/// Appends bits, least significant first within each byte.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private var pending: UInt64 = 0
    private var pendingBits = 0

    /// Writes the `width` (0 ... 64) low bits of `value`.
    mutating func write(_ value: UInt64, width: Int) {
        var value = width == 64 ? value : value & ((1 << UInt64(width)) - 1)
        var width = width
        while width > 0 {
            let room = 64 - pendingBits
            let take = min(room, width)
            let part = take == 64 ? value : value & ((1 << UInt64(take)) - 1)
            pending |= part << UInt64(pendingBits)
            pendingBits += take
            width -= take
            value = take == 64 ? 0 : value >> UInt64(take)
            while pendingBits >= 8 {
                bytes.append(UInt8(truncatingIfNeeded: pending))
                pending >>= 8
                pendingBits -= 8
            }
        }
    }

    /// Writes `value` Rice-coded with parameter `k`.
    mutating func writeRice(_ value: UInt64, k: Int) {
        let quotient = value >> UInt64(k)
        if quotient >= RiceCoding.escapeQuotient {
            for _ in 0..<RiceCoding.escapeQuotient { write(1, width: 1) }
            write(value, width: 64)
            return
        }
        for _ in 0..<quotient { write(1, width: 1) }
        write(0, width: 1)
        write(value, width: k)
    }

    /// The bytes written, the last one padded with zero bits.
    mutating func finish() -> [UInt8] {
        if pendingBits > 0 {
            bytes.append(UInt8(truncatingIfNeeded: pending))
            pending = 0
            pendingBits = 0
        }
        return bytes
    }
}

/// Reads what a ``BitWriter`` wrote; reading past the end gives zero bits.
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
        var value: UInt64 = 0
        for shift in 0..<width { value |= readBit() << UInt64(shift) }
        return value
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
        return (quotient << UInt64(k)) | read(width: k)
    }
}
