import SLOWatchCore

extension ServiceConfiguration {
    /// The three history tiers put together (``historyFine``, ``historyMedium``, ``historyCoarse``).
    /// - Throws: ``HistoryTiersError`` naming the tier (0: fine, 1: medium, 2: coarse) and the rule.
    public func historyTiers() throws(HistoryTiersError) -> HistoryTiers {
        try HistoryTiers([historyFine, historyMedium, historyCoarse])
    }

    /// The history memory in effect, in bytes: ``historyMemoryBytes``, at most half the memory budget
    /// (the registry's rule, ``MetricsRegistry/Configuration/historyMemoryLimit``), reserved in it.
    public var effectiveHistoryMemoryBytes: Int {
        MetricsRegistry.Configuration.historyMemoryLimit(
            requested: historyMemoryBytes, memoryBudget: effectiveMemoryLimitBytes)
    }

    /// Why the three history tiers do not fit together, or nil.
    /// - Parameter origin: where a setting came from (`flag --history-fine`), for the message.
    public func historyTiersProblem(origin: (SettingKey) -> String? = { _ in nil }) -> String? {
        do {
            _ = try historyTiers()
            return nil
        } catch {
            let keys: [SettingKey] = [.historyFine, .historyMedium, .historyCoarse]
            let given = zip(keys, [historyFine, historyMedium, historyCoarse]).map { key, tier in
                "\(key.flag.dropFirst(2)) \(HistoryTierText.format(tier))"
                    + (origin(key).map { " (from the \($0))" } ?? "")
            }
            return "The history tiers \(given.joined(separator: ", ")) do not fit together: "
                + "\(error.description) (tier 0 is history-fine, 1 history-medium, 2 history-coarse)."
        }
    }
}
