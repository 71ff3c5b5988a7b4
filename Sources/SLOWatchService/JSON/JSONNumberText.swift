import CNumberText

/// Converts number text that already follows RFC 8259's grammar to the nearest Double.
///
/// Both JSON readers (the general ``JSONParser`` and ``SampleBodyScanner``) and the StatsD reader use
/// this one function, so they cannot disagree on a number's bits.
enum JSONNumberText {
    /// The Double nearest to `text`, correctly rounded: by ``DecimalFloat``'s exact fast path when it can
    /// decide, else by the C library's `strtod_l` in the POSIX locale (the two agree to the bit:
    /// `DecimalFloatDifferentialTests`).
    /// - Parameter text: the number's bytes, already checked against the JSON number grammar.
    /// - Returns: the value, or nil when it overflows to infinity (`1e999`). Tiny values round to a
    ///   subnormal or to zero, as `strtod` does.
    static func double(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        let value = DecimalFloat.double(text) ?? correctlyRounded(text)
        return value.isFinite ? value : nil
    }

    /// The slow path alone: `strtod_l` in the POSIX locale on `text` (±infinity on overflow; NaN when
    /// the conversion could not run, which the caller refuses like an overflow).
    static func correctlyRounded(_ text: UnsafeBufferPointer<UInt8>) -> Double {
        guard let start = text.baseAddress else { return .nan }
        return cnumbertext_strtod(start, text.count)
    }
}
