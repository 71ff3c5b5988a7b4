import SLOWatchCore
import Testing

@testable import SLOWatchService

/// The history settings: `--history-scale`, `--history-fine`/`-medium`/`-coarse` and `--history-memory`.
@Suite("History settings")
struct HistorySettingTests {
    @Test(
        "a tier is slice:retention, two whole durations, the retention a whole number of slices, at most 400d",
        arguments: [
            ("10s:6h", HistoryTiers.Tier(sliceMilliseconds: 10_000, retentionMilliseconds: 21_600_000)),
            (
                "1h:400d",
                HistoryTiers.Tier(sliceMilliseconds: 3_600_000, retentionMilliseconds: 400 * 86_400_000)
            ),
            ("10s", nil), ("10s:6h:1d", nil), ("7s:1m", nil), ("1h:401d", nil), ("0s:1h", nil),
            ("1.5ms:3ms", nil), (":6h", nil),
        ])
    func tierText(text: String, tier: HistoryTiers.Tier?) {
        #expect(SettingKey.historyFine.parse(text) == tier.map(SettingValue.historyTier), "\(text)")
    }

    @Test("tiers that do not fit together are refused naming each tier, where it came from and the rule")
    func tiersMustFit() {
        #expect {
            try SettingsResolver(flags: [.historyMedium: "15s:48h"]).resolve()
        } throws: { error in
            let message = (error as? ConfigError)?.message ?? ""
            return message.contains("history-medium 15s:48h (from the flag --history-medium)")
                && message.contains(
                    "history tier 1: the slice must be a whole multiple of the finer tier's slice")
        }
        #expect(throws: (any Error).self) {
            try SettingsResolver(environment: ["SLOWATCH_HISTORY_COARSE": "1h:1d"]).resolve()
        }
        #expect(throws: (any Error).self) { try SettingsResolver(flags: [.historyScale: "9"]).resolve() }
    }

    @Test("the settings reach the registry: its tiers, scale and history memory")
    func reachTheRegistry() throws {
        let service = try InProcessService {
            $0.historyScale = 4
            $0.historyFine = .init(sliceMilliseconds: 5_000, retentionMilliseconds: 3_600_000)
            $0.historyMemoryBytes = 8 << 20
        }
        let configuration = service.service.registry.configuration
        #expect(configuration.historyScale == 4)
        #expect(configuration.historyTiers.finest.sliceMilliseconds == 5_000)
        #expect(configuration.historyTiers.tiers[2] == HistoryTiers.default.tiers[2])
        #expect(configuration.historyMemoryBytes == service.service.configuration.effectiveHistoryMemoryBytes)
        #expect(configuration.historyMemoryBytes <= 8 << 20)
    }
}
