/// The two decimal-to-Double conversions behind ``JSONNumberText``, side by side, for the differential
/// fuzz target (Fuzz/FuzzNumberText) and the long differential run (`slowatch-bench float-differential`),
/// which live outside this module.
public enum NumberConversionCheck {
    /// The exact fast path's answer for `text` (sign, digits, optional fraction and exponent), or nil
    /// when it leaves the value to the slow path or the text is outside that grammar.
    public static func fastPath(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        DecimalFloat.double(text)
    }

    /// The C library's correctly rounded `strtod_l` answer for `text` (NaN when it could not run).
    public static func slowPath(_ text: UnsafeBufferPointer<UInt8>) -> Double {
        JSONNumberText.correctlyRounded(text)
    }

    /// The fast path's answer for w × 10^q (the Double's magnitude), or nil when undecided, skipping
    /// the text: for generators that produce the decimal's parts directly.
    /// - Parameters:
    ///   - mantissa: the significant digits, below 10^19.
    ///   - exponent: the decimal exponent.
    public static func fastPath(mantissa: UInt64, exponent: Int) -> Double? {
        DecimalFloat.binaryBits(DecimalFloat.Decimal(mantissa: mantissa, exponent: exponent)).map {
            Double(bitPattern: $0)
        }
    }
}
