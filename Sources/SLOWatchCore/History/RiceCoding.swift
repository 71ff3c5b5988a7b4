/// Golomb–Rice coding of unsigned integers into a bit stream.
///
/// A value `v` with parameter `k` is written as `q = v >> k` one-bits, a zero-bit, then the `k` low
/// bits of `v`. A quotient of ``escapeQuotient`` or more is written as ``escapeQuotient`` one-bits
/// followed by the 64 bits of `v`, so no value makes the stream long (at most 88 bits).
package enum RiceCoding {
    /// Quotients from here on are escaped.
    static let escapeQuotient: UInt64 = 24

    /// Maps a signed value to an unsigned one, small magnitudes to small values: 0, −1, 1, −2, … →
    /// 0, 1, 2, 3, … (a bijection on 64 bits).
    @inline(__always)
    static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    /// The bits `values` take with parameter `k`.
    static func cost(_ values: ArraySlice<UInt64>, k: Int) -> Int {
        var total = 0
        for value in values { total += bits(value, k: k) }
        return total
    }

    /// The bits one `value` takes with parameter `k` (0 ... 64).
    @inline(__always)
    static func bits(_ value: UInt64, k: Int) -> Int {
        let quotient = k >= 64 ? 0 : value >> UInt64(k)
        return quotient >= escapeQuotient ? Int(escapeQuotient) + 64 : Int(quotient) + 1 + k
    }

    /// The parameter (0 ... 63) that codes `values` in the fewest bits, among the three around
    /// `⌊log2(mean)⌋` (the optimum for geometric-like data lies there).
    static func bestParameter(_ values: ArraySlice<UInt64>) -> Int {
        best(values).parameter
    }

    /// ``bestParameter(_:)`` with the bits it codes `values` in (``cost(_:k:)``), the lowest parameter
    /// on a tie. Two passes over `values` (the mean, then every candidate's cost at once): it runs for
    /// every block of every slice coded.
    static func best(_ values: ArraySlice<UInt64>) -> (parameter: Int, bits: Int) {
        guard !values.isEmpty else { return (0, 0) }
        var total = 0.0
        for value in values { total += Double(value) }
        let mean = UInt64(min(total / Double(values.count), 0x1p62))
        let estimate = mean == 0 ? 0 : UInt64.bitWidth - mean.leadingZeroBitCount - 1
        let low = max(0, estimate - 1)
        let high = min(63, estimate + 1)
        // Candidates low, low + 1 and (when high allows) low + 2.
        var costs = (0, 0, 0)
        for value in values {
            costs.0 += bits(value, k: low)
            costs.1 += bits(value, k: low + 1)
            if high >= low + 2 { costs.2 += bits(value, k: low + 2) }
        }
        var chosen = (parameter: low, bits: costs.0)
        if costs.1 < chosen.bits { chosen = (low + 1, costs.1) }
        if high >= low + 2 && costs.2 < chosen.bits { chosen = (low + 2, costs.2) }
        return chosen
    }

    /// The inverse of ``zigzag(_:)``.
    @inline(__always)
    static func unzigzag(_ value: UInt64) -> Int64 {
        Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
    }
}

/// Appends bits, least significant first within each byte.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private var pending: UInt64 = 0
    private var pendingBits = 0

    /// A writer whose buffer first holds `capacity` bytes (it grows past them as needed).
    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

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

    /// Writes `value` Rice-coded with parameter `k` (0 ... 64).
    mutating func writeRice(_ value: UInt64, k: Int) {
        let quotient = k >= 64 ? 0 : value >> UInt64(k)
        if quotient >= RiceCoding.escapeQuotient {
            write((1 << RiceCoding.escapeQuotient) - 1, width: Int(RiceCoding.escapeQuotient))
            write(value, width: 64)
            return
        }
        // The quotient's one-bits, then its terminating zero-bit.
        write((1 << quotient) - 1, width: Int(quotient) + 1)
        write(value, width: k)
    }

    /// Writes any `value` in a few bits when it is small: its bit length `n` (0 ... 64) Rice-coded
    /// with parameter 3, then its `n − 1` bits below the leading one (0 takes 4 bits, 1,000 takes 15).
    mutating func writeUniversal(_ value: UInt64) {
        let length = UInt64.bitWidth - value.leadingZeroBitCount
        writeRice(UInt64(length), k: 3)
        if length > 1 { write(value, width: length - 1) }
    }

    /// Writes any `value`, in fewer bits than ``writeUniversal(_:)`` when it is long (40 bits or
    /// more, as a minimum's or maximum's distance from its bucket bound): its bit length Rice-coded
    /// with parameter 4, then its bits below the leading one.
    mutating func writeLong(_ value: UInt64) {
        let length = UInt64.bitWidth - value.leadingZeroBitCount
        writeRice(UInt64(length), k: 4)
        if length > 1 { write(value, width: length - 1) }
    }

    /// The bytes written, the last one padded with zero bits, in an array no larger than they need
    /// (its capacity is what the allocator rounds the count up to).
    mutating func finish() -> [UInt8] {
        if pendingBits > 0 {
            bytes.append(UInt8(truncatingIfNeeded: pending))
            pending = 0
            pendingBits = 0
        }
        return [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, initialized in
            initialized = buffer.initialize(fromContentsOf: bytes)
        }
    }
}
