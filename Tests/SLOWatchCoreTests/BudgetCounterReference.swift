@testable import SLOWatchCore

/// A seeded SplitMix64 generator, so a failing run can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The test's own count of budget events over raw samples, independent of the counter's slices.
struct BudgetReference {
    /// Every sample the counter should have counted, in arrival order.
    var samples: [RecentSample] = []

    /// Good and total events among samples with `from ≤ timestamp < to` (ms).
    func occurrences(
        threshold: Double, direction: SLODirection, from: Int64, to: Int64
    ) -> (good: UInt64, total: UInt64) {
        var good: UInt64 = 0
        var total: UInt64 = 0
        for sample in samples where sample.timestamp >= Double(from) && sample.timestamp < Double(to) {
            total += 1
            let isGood = direction == .above ? sample.value <= threshold : sample.value >= threshold
            if isGood { good += 1 }
        }
        return (good, total)
    }

    /// Good and bad slices of length `slice` (ms) whose last millisecond lies in [from, to) and which
    /// are closed: they end by `closedBy` (the start of the newest sample's slice) or by `askedTo`. Each
    /// slice's values are sorted, and the value at the nearest rank ⌈q·n⌉ is compared with
    /// the threshold; slices of fewer than `minSamples` samples do not count. `q·n` must be exact in
    /// binary (q = 0.5, 0.75…).
    func timeslices(
        threshold: Double, direction: SLODirection, quantile: Double, slice: Int64, minSamples: Int,
        from: Int64, to: Int64, askedTo: Int64, closedBy: Int64
    ) -> (good: UInt64, bad: UInt64) {
        var bySlice: [Int64: [Double]] = [:]
        for sample in samples {
            let index = Int64((sample.timestamp / Double(slice)).rounded(.down))
            bySlice[index, default: []].append(sample.value)
        }
        var good: UInt64 = 0
        var bad: UInt64 = 0
        for (index, values) in bySlice {
            let end = (index + 1) * slice
            guard end - 1 >= from, end - 1 < to, end <= max(askedTo, closedBy), values.count >= minSamples
            else {
                continue
            }
            let sorted = values.sorted()
            let rank = max(1, Int((quantile * Double(sorted.count)).rounded(.up)))
            let value = sorted[rank - 1]
            let isGood = direction == .above ? value <= threshold : value >= threshold
            if isGood { good += 1 } else { bad += 1 }
        }
        return (good, bad)
    }

    /// Samples over `days` days from `start` (ms): gaps drawn so that some hours are busy and some
    /// sparse (slices below a `minSamples` of 5), integer values 0…99 with a few halves, and one in
    /// `lateEvery` sent up to `maxLag` ms late (behind the newest sample).
    static func traffic(
        start: Double, days: Double, seed: UInt64, lateEvery: Int = 20, maxLag: Double = 7_200_000
    ) -> [RecentSample] {
        var generator = SeededGenerator(seed: seed)
        var samples: [RecentSample] = []
        var time = start
        let end = start + days * 86_400_000
        while time < end {
            let hour = Int(time / 3_600_000)
            let meanGap = hour % 5 == 0 ? 40_000.0 : 2_000.0
            time += (Double.random(in: 0..<1, using: &generator) * 2 * meanGap).rounded()
            var value = Double(Int.random(in: 0...99, using: &generator))
            if Int.random(in: 0..<10, using: &generator) == 0 { value += 0.5 }
            var stamp = time
            if Int.random(in: 0..<lateEvery, using: &generator) == 0 {
                stamp -= Double.random(in: 0..<maxLag, using: &generator).rounded()
            }
            samples.append(RecentSample(value: value, timestamp: stamp))
        }
        return samples
    }
}
