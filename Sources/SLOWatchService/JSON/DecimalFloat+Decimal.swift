extension DecimalFloat {
    /// Decimal number text as w × 10^q: its first 19 significant digits as an integer and the power of
    /// ten that scales them.
    struct Decimal: Equatable {
        /// The most significant digits written, at most 19 of them (so below 10^19), leading zeros dropped.
        var mantissa: UInt64
        /// The decimal exponent q (the value is `mantissa` × 10^q); the written exponent is below
        /// ``exponentLimit`` in magnitude, the rest is bounded by the text's length.
        var exponent: Int
        /// Whether a `-` led the text.
        var negative: Bool
        /// Whether a non-zero digit after the first 19 significant ones was dropped.
        var truncated: Bool

        /// The written exponents at or past which the slow path decides: far past any Double's range.
        static let exponentLimit = 100_000

        /// The most significant digits ``mantissa`` keeps (10^19 < 2^64).
        static let maximumDigits = 19

        /// Reads `text`: an optional sign, digits with an optional `.` and fraction (at least one digit in
        /// all), an optional exponent. Nil for anything else, including trailing bytes.
        init?(_ text: UnsafeBufferPointer<UInt8>) {
            let count = text.count
            var index = 0
            negative = false
            if index < count, text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
                negative = text[index] == UInt8(ascii: "-")
                index += 1
            }
            var w: UInt64 = 0
            var digits = 0  // significant digits in w, counted from the first non-zero one
            var q = 0
            var dropped = false
            let integerStart = index
            while index < count, case let digit = text[index] &- UInt8(ascii: "0"), digit < 10 {
                if digits < Self.maximumDigits {
                    w = w &* 10 &+ UInt64(digit)
                    if w != 0 { digits += 1 }
                } else {
                    q += 1
                    if digit != 0 { dropped = true }
                }
                index += 1
            }
            var written = index - integerStart
            if index < count, text[index] == UInt8(ascii: ".") {
                index += 1
                let fractionStart = index
                while index < count, case let digit = text[index] &- UInt8(ascii: "0"), digit < 10 {
                    if digits < Self.maximumDigits {
                        w = w &* 10 &+ UInt64(digit)
                        if w != 0 { digits += 1 }
                        q -= 1
                    } else if digit != 0 {
                        dropped = true
                    }
                    index += 1
                }
                written += index - fractionStart
            }
            guard written > 0 else { return nil }
            if index < count, text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E") {
                index += 1
                var exponentNegative = false
                if index < count, text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
                    exponentNegative = text[index] == UInt8(ascii: "-")
                    index += 1
                }
                let exponentStart = index
                var written = 0
                while index < count, case let digit = text[index] &- UInt8(ascii: "0"), digit < 10 {
                    if written < Self.exponentLimit { written = written * 10 + Int(digit) }
                    index += 1
                }
                // Past the limit the slow path decides (the digits' own shift may offset the exponent).
                guard index > exponentStart, written < Self.exponentLimit else { return nil }
                q += exponentNegative ? -written : written
            }
            guard index == count else { return nil }
            mantissa = w
            exponent = q
            truncated = dropped
        }

        /// A decimal from its parts (for tests and the benchmark).
        init(mantissa: UInt64, exponent: Int, negative: Bool = false, truncated: Bool = false) {
            self.mantissa = mantissa
            self.exponent = exponent
            self.negative = negative
            self.truncated = truncated
        }
    }
}
