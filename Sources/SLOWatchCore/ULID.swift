/// A Universally Unique Lexicographically Sortable Identifier: a 48-bit timestamp in ms since the
/// Unix epoch followed by 80 random bits, written as 26 characters of Crockford base32.
///
/// Identifiers made by one ``ULID/Generator`` sort in the order they were made, as values and as
/// strings, even within the same millisecond.
package struct ULID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The upper 64 bits: the 48-bit timestamp (ms) and the top 16 random bits.
    package let high: UInt64
    /// The lower 64 random bits.
    package let low: UInt64

    private static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// The largest timestamp a ULID can hold, in ms since the Unix epoch (2^48 - 1).
    package static let maxMilliseconds: UInt64 = (1 << 48) - 1

    /// Creates a ULID from its raw bits.
    package init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Creates a ULID from a timestamp and 80 bits of randomness.
    /// - Parameters:
    ///   - milliseconds: ms since the Unix epoch; values above ``maxMilliseconds`` are clamped.
    ///   - randomHigh: the top 16 random bits.
    ///   - randomLow: the lower 64 random bits.
    package init(milliseconds: UInt64, randomHigh: UInt16, randomLow: UInt64) {
        high = (min(milliseconds, Self.maxMilliseconds) << 16) | UInt64(randomHigh)
        low = randomLow
    }

    /// The timestamp part, in ms since the Unix epoch.
    package var milliseconds: UInt64 { high >> 16 }

    /// The 26-character Crockford base32 form, upper case.
    package var description: String {
        var bytes = [UInt8](repeating: 0, count: 26)
        for index in 0..<26 {
            bytes[index] = Self.alphabet[Int(fiveBits(at: 5 * (25 - index)))]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The five bits that start `shift` bits above the least significant bit of the 128-bit value.
    private func fiveBits(at shift: Int) -> UInt64 {
        if shift >= 64 { return (high >> UInt64(shift - 64)) & 31 }
        if shift + 5 <= 64 { return (low >> UInt64(shift)) & 31 }
        return ((low >> UInt64(shift)) | (high << UInt64(64 - shift))) & 31
    }

    /// Orders by timestamp, then by the random bits.
    package static func < (lhs: ULID, rhs: ULID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}

extension ULID {
    /// Makes ULIDs that increase strictly: within one millisecond, or when the clock steps back, the
    /// previous random part is incremented instead of drawing a new one.
    ///
    /// Not thread-safe on its own; the owner confines it (the event bus keeps it under its lock).
    package struct Generator: Sendable {
        private var last: ULID?

        /// Creates a generator with no history.
        package init() {}

        /// Makes the next ULID.
        /// - Parameters:
        ///   - milliseconds: the current wall time, in ms since the Unix epoch.
        ///   - generator: the source of the random bits.
        package mutating func next<R: RandomNumberGenerator>(
            milliseconds: UInt64, using generator: inout R
        ) -> ULID {
            if let repeated = incrementIfNotLater(milliseconds) { return repeated }
            return remember(
                ULID(milliseconds: milliseconds, randomHigh: generator.next(), randomLow: generator.next()))
        }

        /// Makes the next ULID with the system's random generator.
        /// - Parameter milliseconds: the current wall time, in ms since the Unix epoch.
        package mutating func next(milliseconds: UInt64) -> ULID {
            if let repeated = incrementIfNotLater(milliseconds) { return repeated }
            // `random(in:)` rather than an `inout SystemRandomNumberGenerator`: ThreadSanitizer crashes
            // on the access instrumentation of that empty struct's placeholder address.
            return remember(
                ULID(
                    milliseconds: milliseconds, randomHigh: .random(in: .min ... .max),
                    randomLow: .random(in: .min ... .max)))
        }

        /// When `milliseconds` is not later than the last ULID's time, returns (and remembers) the last
        /// ULID plus one, so that order holds within a millisecond and across a clock step back.
        private mutating func incrementIfNotLater(_ milliseconds: UInt64) -> ULID? {
            guard let last, min(milliseconds, ULID.maxMilliseconds) <= last.milliseconds else { return nil }
            return remember(Self.increment(last))
        }

        private mutating func remember(_ ulid: ULID) -> ULID {
            last = ulid
            return ulid
        }

        /// Adds one to the 80-bit random part; when it wraps, the timestamp moves on by 1 ms.
        private static func increment(_ ulid: ULID) -> ULID {
            let (low, carry) = ulid.low.addingReportingOverflow(1)
            guard carry else { return ULID(high: ulid.high, low: low) }
            let (high, _) = ulid.high.addingReportingOverflow(1)
            return ULID(high: high, low: low)
        }
    }
}
