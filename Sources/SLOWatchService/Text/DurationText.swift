/// Parses durations written as a number and a unit: `1500ms`, `30s`, `5m`, `1h`, `2.5s`.
///
/// Used by the `window` query parameter, SLO windows and the duration flags, so that every place that
/// takes a duration reads the same spellings and rejects the same mistakes.
enum DurationText {
    /// The accepted units and their length in ms.
    private static let units: [(suffix: String, milliseconds: Double)] = [
        ("ms", 1), ("s", 1_000), ("m", 60_000), ("h", 3_600_000),
    ]

    /// The shortest duration accepted, in ms: timestamps are whole-ms readings, so less means nothing.
    static let minimumMilliseconds: Double = 1
    /// The longest duration accepted, in ms (one year, 8,760 h), so every value is written back in
    /// plain decimal, never with an exponent.
    static let maximumMilliseconds: Double = 8_760 * 3_600_000

    /// The rule, for error messages.
    static let rule = "a number followed by ms, s, m or h, from 1ms to 8760h (e.g. 1500ms, 30s, 5m, 1h)"

    /// The duration in ms, or nil when `text` is not a number followed by a unit, from 1 ms to 8,760 h.
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
            guard milliseconds >= minimumMilliseconds, milliseconds <= maximumMilliseconds else { return nil }
            return milliseconds
        }
        return nil
    }

    /// Writes `milliseconds` back in the largest unit that keeps it whole (`300000` → `5m`), else in ms.
    static func format(milliseconds: Double) -> String {
        for unit in units.reversed() where unit.milliseconds > 1 {
            let count = milliseconds / unit.milliseconds
            if count >= 1, count == count.rounded(), count < 1e15 { return "\(Int64(count))\(unit.suffix)" }
        }
        if milliseconds == milliseconds.rounded(), abs(milliseconds) < 1e15 {
            return "\(Int64(milliseconds))ms"
        }
        return "\(milliseconds)ms"
    }
}
