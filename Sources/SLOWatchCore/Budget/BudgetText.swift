/// Durations in Core's error messages, in the spelling the service reads (`30d`, `6h`, `5m`, `10s`,
/// `1500ms`): the largest unit that keeps the value whole.
enum BudgetText {
    /// `milliseconds` in the largest whole unit of d, h, m, s, else ms.
    static func duration(_ milliseconds: Int64) -> String {
        let units: [(Int64, String)] = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1_000, "s")]
        for (length, suffix) in units where milliseconds != 0 && milliseconds % length == 0 {
            return "\(milliseconds / length)\(suffix)"
        }
        return "\(milliseconds)ms"
    }
}
