import SLOWatchCore

extension SettingKey {
    /// The table entries of the history settings (``historyScale``, ``historyFine``, ``historyMedium``,
    /// ``historyCoarse``, ``historyMemory``); part of ``spec``.
    var historySpec: SettingSpec {
        switch self {
        case .historyScale:
            SettingSpec(
                .integer(3...8, rule: "a whole number from 3 to 8"), at: \.configuration.historyScale,
                value: "scale",
                help: "The bucket scale of every metric's history, 3 to 8 (higher: finer and larger)",
                meaning: "the bucket scale of every metric's history: quantiles from history are within "
                    + "(b − 1)/(b + 1), b = 2^(2^−scale), of the exact value (8: 0.14 %, 6: 0.54 %, 3: "
                    + "4.3 %); each step up about doubles the bytes of a slice")
        case .historyFine:
            tierSpec(
                at: \.configuration.historyFine, name: "finest",
                meaning: "the finest history tier, `slice:retention`: every sample is first counted in "
                    + "a slice of this length, kept this long")
        case .historyMedium:
            tierSpec(
                at: \.configuration.historyMedium, name: "middle",
                meaning: "the middle history tier, `slice:retention`: its slice a whole multiple of the "
                    + "finest one's, its retention at least the finest one's")
        case .historyCoarse:
            tierSpec(
                at: \.configuration.historyCoarse, name: "coarsest",
                meaning: "the coarsest history tier, `slice:retention` (retention at most `400d`): how far "
                    + "back `GET /metrics/{name}/history` and windowed percentiles reach")
        default:
            SettingSpec(
                .bytes, at: \.configuration.historyMemoryBytes, value: "size",
                help: "The memory every metric's history may take together, e.g. 256MiB, 1GiB",
                meaning: "the bytes every metric's history may take together (at most half of "
                    + "`memory-limit`, and reserved in it at start); past it the oldest, coarsest slices of the least recently written "
                    + "metrics are dropped and counted in `slowatch_history_dropped_slices_total`")
        }
    }

    /// The entry of one history tier setting.
    private func tierSpec(
        at path: any WritableKeyPath<ResolvedSettings, HistoryTiers.Tier> & Sendable, name: String,
        meaning: String
    ) -> SettingSpec {
        SettingSpec(
            .historyTier, at: path, value: "slice:retention",
            help: "The \(name) history tier: its slice and how long it is kept, e.g. "
                + HistoryTierText.format(ServiceConfiguration().historyFine),
            meaning: meaning)
    }
}

extension SettingType where Value == HistoryTiers.Tier {
    /// `slice:retention`, two durations (`10s:6h`, `1h:35d`).
    package static var historyTier: Self {
        Self(
            rule: HistoryTierText.rule, parse: HistoryTierText.tier, wrap: SettingValue.historyTier,
            unwrap: { if case .historyTier(let tier) = $0 { tier } else { nil } })
    }
}
