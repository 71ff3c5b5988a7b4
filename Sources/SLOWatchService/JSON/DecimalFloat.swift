/// An exact conversion of decimal number text to the nearest binary64 `Double`, without the C library,
/// for the values it can decide; ``JSONNumberText`` falls back to `strtod_l` for the rest.
///
/// Two algorithms, both correctly rounded (round to nearest, ties to even) whenever they answer:
/// - Clinger's fast path: at most 2^53 as the digits' integer `w` and a decimal exponent `q` with
///   |q| ≤ 22, so `w` and 10^|q| are both exact Doubles and one IEEE multiplication or division rounds
///   once, correctly.
/// - Eisel–Lemire: `w` (at most 19 significant digits) times the 128-bit truncated 5^q of
///   ``powersOfFive`` gives the top bits of w × 10^q; when the truncation cannot change the rounding the
///   result is exact. It declines (nil) when the product's lower bits leave the result undecided.
///
/// With more than 19 significant digits the first 19 are `w` and the rest are dropped: when `w` and
/// `w + 1` convert to the same Double the digits dropped cannot matter; otherwise it declines.
/// `DecimalFloatDifferentialTests` checks every answer against `strtod` on generated and hard cases.
enum DecimalFloat {
    /// The smallest decimal exponent in ``powersOfFive``; below it every value of 19 digits rounds to 0.
    static let smallestPowerOfFive = -342
    /// The largest decimal exponent in ``powersOfFive``; above it every non-zero value overflows.
    static let largestPowerOfFive = 308

    /// The bits of positive infinity, what overflow gives.
    static let infinityBits: UInt64 = 0x7FF0_0000_0000_0000

    /// 10^`exponent` for `exponent` in 0...22, each exactly representable as a Double. A function of
    /// literals rather than a table, so the fast path reads no lazily made global.
    @inline(__always)
    static func exactPowerOfTen(_ exponent: Int) -> Double {
        switch exponent {
        case 0: 1e0
        case 1: 1e1
        case 2: 1e2
        case 3: 1e3
        case 4: 1e4
        case 5: 1e5
        case 6: 1e6
        case 7: 1e7
        case 8: 1e8
        case 9: 1e9
        case 10: 1e10
        case 11: 1e11
        case 12: 1e12
        case 13: 1e13
        case 14: 1e14
        case 15: 1e15
        case 16: 1e16
        case 17: 1e17
        case 18: 1e18
        case 19: 1e19
        case 20: 1e20
        case 21: 1e21
        default: 1e22
        }
    }

    /// The Double nearest to `text`: an optional `-` or `+`, decimal digits with an optional `.` and
    /// fraction (at least one digit in all), and an optional exponent (`e` or `E`, optional sign, digits).
    /// - Returns: the correctly rounded value (±infinity on overflow, ±0 or a subnormal for tiny values),
    ///   or nil when the text is outside that grammar or the value needs the slow path.
    static func double(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let decimal = Decimal(text) else { return nil }
        guard let bits = binaryBits(decimal) else { return nil }
        let magnitude = Double(bitPattern: bits)
        return decimal.negative ? -magnitude : magnitude
    }

    /// The bits of the Double nearest to `decimal`'s magnitude, or nil when undecided.
    static func binaryBits(_ decimal: Decimal) -> UInt64? {
        let w = decimal.mantissa
        let q = decimal.exponent
        if w == 0 { return 0 }
        if !decimal.truncated, w <= 1 << 53, q >= -22, q <= 22 {
            // Clinger: both operands are exact, so the one rounding of `*` or `/` is the correct one.
            let value =
                q < 0 ? Double(w) / exactPowerOfTen(-q) : Double(w) * exactPowerOfTen(q)
            return value.bitPattern
        }
        guard let bits = eiselLemire(w, q) else { return nil }
        if !decimal.truncated { return bits }
        // The dropped digits put the exact value between w × 10^q and (w + 1) × 10^q.
        guard let upper = eiselLemire(w + 1, q), upper == bits else { return nil }
        return bits
    }

    /// Eisel–Lemire: the bits of the Double nearest to w × 10^q (fast_float's `compute_float` for
    /// binary64), or nil when the 128-bit product cannot decide the rounding.
    /// - Parameters:
    ///   - w: the significant digits' integer, at most 10^19.
    ///   - q: the decimal exponent.
    static func eiselLemire(_ w: UInt64, _ q: Int) -> UInt64? {
        if w == 0 || q < smallestPowerOfFive { return 0 }
        if q > largestPowerOfFive { return infinityBits }
        let leadingZeros = w.leadingZeroBitCount
        let normalized = w << UInt64(leadingZeros)
        let index = 2 * (q - smallestPowerOfFive)
        var (high, low) = normalized.multipliedFullWidth(by: powersOfFive[index])
        // 52 explicit bits + 3: when the bits below those are all ones, the truncated table entry's
        // lower half may carry into them, so it is added.
        let precisionMask: UInt64 = 0xFFFF_FFFF_FFFF_FFFF >> 55
        if high & precisionMask == precisionMask {
            let second = normalized.multipliedFullWidth(by: powersOfFive[index + 1])
            let (sum, carry) = low.addingReportingOverflow(second.high)
            low = sum
            if carry { high &+= 1 }
        }
        // Lemire's original error check: outside 5^q exact range a saturated low word may hide a carry.
        if low == .max, q < -27 || q > 55 { return nil }
        let upperBit = Int(high >> 63)
        let shift = UInt64(upperBit + 64 - 52 - 3)
        var mantissa = high >> shift
        // floor(log2(10^q)) + 63, plus the product's top bit, minus the normalisation, biased by 1023.
        var power2 = (((152_170 + 65_536) * q) >> 16) + 63 + upperBit - leadingZeros + 1023
        if power2 <= 0 {
            // Subnormal (or zero): shift to the fixed exponent, then round; ties cannot occur here.
            if -power2 + 1 >= 64 { return 0 }
            mantissa >>= UInt64(-power2 + 1)
            mantissa += mantissa & 1
            mantissa >>= 1
            power2 = mantissa < 1 << 52 ? 0 : 1
            return UInt64(power2) << 52 | (mantissa & ((1 << 52) - 1))
        }
        // An exact halfway case (possible only for -4 ≤ q ≤ 23): round to even, not up.
        if low <= 1, q >= -4, q <= 23, mantissa & 3 == 1, mantissa << shift == high {
            mantissa &= ~1
        }
        mantissa += mantissa & 1
        mantissa >>= 1
        if mantissa >= 2 << 52 {
            mantissa = 1 << 52
            power2 += 1
        }
        mantissa &= ~(1 << 52)
        if power2 >= 0x7FF { return infinityBits }
        return UInt64(power2) << 52 | mantissa
    }
}
