import SLOWatchCore

/// The text of one history tier: `slice:retention`, two durations such as `10s:6h` or `1h:35d`.
enum HistoryTierText {
    /// Completes "it must be …".
    static let rule =
        "slice:retention, two durations such as 10s:6h, 1m:48h or 1h:35d (whole ms, each ms, s, m, h or d), "
        + "the retention a whole number of slices and at most 400d"

    /// The tier `text` writes, or nil when it breaks ``rule``. The rules between tiers (each slice a
    /// multiple of the finer one, …) are checked when the three are put together (``HistoryTiers``).
    static func tier(_ text: String) -> HistoryTiers.Tier? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let slice = milliseconds(parts[0]), let retention = milliseconds(parts[1]),
            retention % slice == 0, retention <= HistoryTiers.maximumRetentionMilliseconds
        else { return nil }
        return HistoryTiers.Tier(sliceMilliseconds: slice, retentionMilliseconds: retention)
    }

    /// A duration of at least 1 ms and at most 400 days, in whole ms; nil otherwise.
    private static func milliseconds(_ text: Substring) -> Int64? {
        guard let value = DurationText.milliseconds(String(text)), value >= 1,
            value <= Double(HistoryTiers.maximumRetentionMilliseconds), value == value.rounded()
        else { return nil }
        return Int64(value)
    }

    /// `10s:6h`: the spelling ``tier(_:)`` reads back.
    /// Days are used from a week up (`35d`), hours below (`48h`).
    static func format(_ tier: HistoryTiers.Tier) -> String {
        text(tier.sliceMilliseconds) + ":" + text(tier.retentionMilliseconds)
    }

    /// One duration, in days from a week up.
    private static func text(_ milliseconds: Int64) -> String {
        DurationText.format(milliseconds: Double(milliseconds), days: milliseconds >= 7 * 86_400_000)
    }
}
