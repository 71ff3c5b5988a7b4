/// Decimal text for OpenSLO's fractions: `target: 0.999` is the objective 99.9 %, and `timeSliceTarget:
/// 0.95` the percentile p95. The point is moved in the shortest decimal text of the number rather than by
/// multiplying, so `0.29` becomes `29` (not 28.999999999999996) and a value written back reads the same.
enum OpenSLONumberText {
    /// `value` (finite, not negative) with its decimal point moved `places` to the right (left when
    /// negative), in positional notation without trailing zeros: `0.999` by 2 → `99.9`, `95` by −2 →
    /// `0.95`.
    static func shifted(_ value: Double, by places: Int) -> String {
        shifted(DurationText.plainDecimal(value), by: places)
    }

    /// `text` (digits with at most one `.`) with its decimal point moved `places` to the right.
    static func shifted(_ text: String, by places: Int) -> String {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let whole = parts.first.map(String.init) ?? ""
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = whole + fraction
        var point = whole.count + places
        if point < 0 {
            digits = String(repeating: "0", count: -point) + digits
            point = 0
        }
        if point > digits.count { digits += String(repeating: "0", count: point - digits.count) }
        var integer = String(digits.prefix(point).drop { $0 == "0" })
        if integer.isEmpty { integer = "0" }
        var decimals = String(digits.dropFirst(point))
        while decimals.hasSuffix("0") { decimals.removeLast() }
        return decimals.isEmpty ? integer : "\(integer).\(decimals)"
    }

    /// `value` as a YAML number that reads back as the same Double: positional, shortest digits, with a
    /// sign when negative (`250`, `12.5`, `-3`).
    static func yamlNumber(_ value: Double) -> String {
        value < 0 ? "-" + DurationText.plainDecimal(-value) : DurationText.plainDecimal(value)
    }
}
