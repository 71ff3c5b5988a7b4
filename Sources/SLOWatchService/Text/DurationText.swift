/// Parses durations written as a number and a unit: `1500ms`, `30s`, `5m`, `1h`, `7d`, `2.5s`.
///
/// Used by the `window` query parameter, SLO windows and the duration flags, so that every place that
/// takes a duration reads the same spellings and rejects the same mistakes.
enum DurationText {
    /// The accepted units and their length in ms.
    private static let units: [(suffix: String, milliseconds: Double)] = [
        ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    /// The rule, for error messages.
    static let rule = "a positive number followed by ms, s, m, h or d (e.g. 1500ms, 30s, 5m, 1h, 7d)"

    /// The duration in ms, or nil when `text` is not a positive number followed by a unit, or is too
    /// large for a Double.
    /// - Parameter text: e.g. `30s`; no spaces, no sign.
    static func milliseconds(_ text: String) -> Double? {
        for unit in units where text.hasSuffix(unit.suffix) {
            let number = text.dropLast(unit.suffix.count)
            // `5ms` also ends in `s`; the longer suffix is tried first, so only digits may remain here.
            guard !number.isEmpty,
                number.utf8.allSatisfy({
                    ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".")
                }),
                number.utf8.first != UInt8(ascii: "."), number.utf8.last != UInt8(ascii: "."),
                let value = Double(number), value.isFinite, value > 0
            else { return nil }
            let milliseconds = value * unit.milliseconds
            return milliseconds.isFinite ? milliseconds : nil
        }
        return nil
    }

    /// Writes `milliseconds` back in the largest unit up to hours that keeps it whole (`300000` → `5m`,
    /// `86400000` → `24h`, as before days were read), else in ms as a plain decimal (`1.5ms`,
    /// `0.00001ms`), never with an exponent, so that what is written reads back as the same value.
    /// - Parameter days: also use `d` (`30d`): for the error-budget fields (period, slice, alert
    ///   windows), which are new, so no earlier answer changes.
    static func format(milliseconds: Double, days: Bool = false) -> String {
        for unit in units.reversed() where unit.milliseconds > 1 && (days || unit.suffix != "d") {
            let count = milliseconds / unit.milliseconds
            if count >= 1, count == count.rounded(), count < 1e15 { return "\(Int64(count))\(unit.suffix)" }
        }
        return plainDecimal(milliseconds) + "ms"
    }

    /// `value` (finite, not negative) in positional notation with the shortest digits that read back
    /// as the same Double: `12.5`, `1500`, `0.00001`, `73257760745928090000000`.
    static func plainDecimal(_ value: Double) -> String {
        let text = value.description
        guard let marker = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        }
        let exponent = Int(text[text.index(after: marker)...]) ?? 0
        let parts = text[..<marker].split(separator: ".", omittingEmptySubsequences: false)
        let integerDigits = parts.first.map(String.init) ?? ""
        let digits = integerDigits + (parts.count > 1 ? String(parts[1]) : "")
        // Where the decimal point falls among `digits` once the exponent is applied.
        let point = integerDigits.count + exponent
        if point <= 0 { return "0." + String(repeating: "0", count: -point) + digits }
        if point >= digits.count { return digits + String(repeating: "0", count: point - digits.count) }
        return String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
    }
}
