import Testing

@testable import SLOWatchCore

@Suite("History tiers and the timeslice rule")
struct HistoryTiersTests {
    @Test("the default tiers slice at 10 s, 1 min and 1 h, keeping 6 h, 48 h and 35 days")
    func defaults() {
        let tiers = HistoryTiers.default.tiers
        #expect(tiers.map(\.sliceMilliseconds) == [10_000, 60_000, 3_600_000])
        #expect(tiers.map(\.sliceCount) == [2_160, 2_880, 840])
        #expect(HistoryTiers.default.retentionMilliseconds == 35 * 86_400_000)
    }

    @Test("slices are aligned to the epoch, negative times included")
    func alignment() {
        let tier = HistoryTiers.default.finest
        #expect(tier.sliceIndex(containing: 0) == 0)
        #expect(tier.sliceIndex(containing: 9_999.999) == 0)
        #expect(tier.sliceIndex(containing: 10_000) == 1)
        #expect(tier.sliceIndex(containing: -0.5) == -1)
        #expect(tier.sliceStart(3) == 30_000)
    }

    @Test("each broken rule is named with its tier")
    func rules() {
        func refusal(_ tiers: [(Int64, Int64)]) -> HistoryTiersError? {
            do {
                _ = try HistoryTiers(
                    tiers.map { .init(sliceMilliseconds: $0.0, retentionMilliseconds: $0.1) })
                return nil
            } catch { return error }
        }
        #expect(refusal([]) == .noTiers)
        #expect(refusal([(0, 10)]) == .notPositive(tier: 0))
        #expect(refusal([(10, 25)]) == .retentionNotWholeSlices(tier: 0))
        #expect(refusal([(10, 100), (15, 150)]) == .sliceNotMultipleOfFiner(tier: 1))
        #expect(refusal([(10, 100), (20, 60)]) == .retentionShorterThanFiner(tier: 1))
        #expect(refusal([(3_600_000, 401 * 86_400_000)]) == .retentionTooLong(tier: 0))
        #expect(refusal([(3_600_000, 400 * 86_400_000)]) == nil)
    }

    @Test("the finest tier keeping a start is found from the newest slice")
    func finestTierKeeping() {
        let tiers = HistoryTiers.default
        let now = 1_000 * 86_400_000.0
        #expect(tiers.finestTier(keeping: now - 3_600_000, now: now) == 0)
        #expect(tiers.finestTier(keeping: now - 24 * 3_600_000, now: now) == 1)
        #expect(tiers.finestTier(keeping: now - 30 * 86_400_000, now: now) == 2)
        #expect(tiers.finestTier(keeping: now - 36 * 86_400_000, now: now) == nil)
    }

    @Test("a timeslice is judged from its good and total counts exactly as the nearest rank would")
    func timesliceJudgement() {
        // Reference: sort the slice's values and take the nearest-rank value.
        let values: [Double] = (1...20).map(Double.init)
        for quantile in [0.5, 0.9, 0.95, 0.99, 1.0] {
            for threshold in stride(from: 0.5, through: 20.5, by: 0.5) {
                for direction in SLODirection.allCases {
                    let spec = BudgetCounterSpec(
                        sloID: "s", metric: "m", threshold: threshold, direction: direction)
                    let good = UInt64(values.filter(spec.isGood).count)
                    let rule = TimesliceRule(quantile: quantile, sliceMilliseconds: 60_000, minSamples: 1)
                    let rank = QuantileSelection.rank(of: quantile, count: values.count)
                    let actual = values.sorted()[rank - 1]
                    let expected = !direction.isBreached(actual: actual, threshold: threshold)
                    #expect(rule.judge(good: good, total: 20, direction: direction) == expected)
                }
            }
        }
        let sparse = TimesliceRule(quantile: 0.5, sliceMilliseconds: 60_000, minSamples: 5)
        #expect(sparse.judge(good: 4, total: 4, direction: .above) == nil)
        #expect(sparse.judge(good: 0, total: 0, direction: .above) == nil)
    }
}
