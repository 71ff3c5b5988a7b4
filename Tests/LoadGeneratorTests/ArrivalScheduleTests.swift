import Testing

@testable import LoadGeneratorKit

@Suite("ArrivalSchedule and PendingQueue")
struct ArrivalScheduleTests {
    @Test("constant arrivals are start + i/rate, with no drift after a million requests")
    func constant() {
        var schedule = ArrivalSchedule(rate: 3_000, start: 1_000, arrival: .constant)
        let first = schedule.next()
        let second = schedule.next()
        #expect(first == 1_000)
        #expect(second == 1_000 + 333_333)
        for _ in 2..<1_000_000 { _ = schedule.next() }
        // Request 1,000,000 is due exactly 1e6 / 3,000 s = 333.33 s after the start.
        let last = schedule.next()
        #expect(last >= 1_000 + 333_333_333_333 - 1 && last <= 1_000 + 333_333_333_334)
    }

    @Test("Poisson gaps average 1/rate, are never negative, and repeat for a seed")
    func poisson() {
        var schedule = ArrivalSchedule(rate: 10_000, start: 0, arrival: .poisson, seed: 42)
        var again = ArrivalSchedule(rate: 10_000, start: 0, arrival: .poisson, seed: 42)
        var previous = schedule.next()
        let repeated = again.next()
        #expect(previous == 0 && repeated == 0)
        var gaps: [UInt64] = []
        for _ in 0..<100_000 {
            let time = schedule.next()
            let same = again.next()
            #expect(same == time)
            #expect(time >= previous)
            gaps.append(time - previous)
            previous = time
        }
        let mean = Double(gaps.reduce(0, +)) / Double(gaps.count)
        #expect(abs(mean - 100_000) < 2_000)
        // Exponential gaps: about e^-1 ≈ 36.8 % exceed the mean (constant gaps would give 0 %).
        let above = Double(gaps.count(where: { Double($0) > 100_000 })) / Double(gaps.count)
        #expect(abs(above - 0.368) < 0.01)
    }

    @Test("the pending queue keeps FIFO order while it grows, and refuses past its limit")
    func pendingQueue() {
        var queue = PendingQueue(limit: 5_000)
        for time in 0..<3_000 as Range<UInt64> {
            let accepted = queue.append(time)
            #expect(accepted)
        }
        for expected in 0..<1_500 as Range<UInt64> {
            let time = queue.popFirst()
            #expect(time == expected)
        }
        for time in 3_000..<6_500 as Range<UInt64> {
            let accepted = queue.append(time)
            #expect(accepted)
        }
        let overflow = queue.append(6_500)
        #expect(!overflow)
        #expect(queue.count == 5_000)
        for expected in 1_500..<6_500 as Range<UInt64> {
            let time = queue.popFirst()
            #expect(time == expected)
        }
        let none = queue.popFirst()
        #expect(none == nil)
        #expect(queue.isEmpty)
    }
}
