import CNumberText

/// Converts number text that already follows RFC 8259's grammar to the nearest Double.
///
/// Both JSON readers (the general ``JSONParser`` and ``SampleBodyScanner``) use this one function, so
/// they cannot disagree on a number's bits.
enum JSONNumberText {
    /// The Double nearest to `text`, correctly rounded by the C library's `strtod_l` in the POSIX locale.
    /// - Parameter text: the number's bytes, already checked against the JSON number grammar.
    /// - Returns: the value, or nil when it overflows to infinity (`1e999`). Tiny values round to a
    ///   subnormal or to zero, as `strtod` does.
    static func double(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let start = text.baseAddress else { return nil }
        let value = cnumbertext_strtod(start, text.count)
        return value.isFinite ? value : nil
    }
}
