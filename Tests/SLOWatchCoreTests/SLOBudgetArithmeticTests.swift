import Testing

@testable import SLOWatchCore

@Suite("Error-budget arithmetic is exact for decimal objectives")
struct SLOBudgetArithmeticTests {
    @Test(
        "allowed bad events and burn rates equal the decimal answers",
        arguments: [
            // (objective, total, bad, allowed bad, burn rate), each worked out by hand in decimals.
            (99.0, UInt64(1_000), UInt64(50), 10.0, 5.0),
            (99.9, 1_000, 50, 1.0, 50.0),
            (99.95, 1_000_000, 250, 500.0, 0.5),
            (99.99, 10_000, 1, 1.0, 1.0),
            (95.0, 200, 30, 10.0, 3.0),
            (50.0, 4, 4, 2.0, 2.0),
        ])
    func decimalObjectives(objective: Double, total: UInt64, bad: UInt64, allowed: Double, burn: Double)
        throws
    {
        let budget = try SLOBudget(slo: "s", objective: objective)
        #expect(budget.allowedBad(total: total) == allowed)
        #expect(budget.burnRate(bad: bad, total: total) == burn)
    }

    @Test("an objective with more than six decimals still gives a positive allowance")
    func manyDecimals() throws {
        let budget = try SLOBudget(slo: "s", objective: 99.999_999_99)
        #expect(budget.allowedBadPercent > 0)
        #expect(budget.allowedBadPercent < 1e-6)
    }
}
