import Foundation

/// One default burn-rate tier of an SLO whose period is 1 h: the SRE workbook's table for 30 days
/// (issue 16), each window scaled by 1 h / 30 d = 1/720 and rounded to whole ms. The test's own copy,
/// so that the moments it expects do not come from the code under test.
struct CompressedTier: Sendable {
    let name: String
    /// The burn rate both windows must exceed, in tenths (14.4 is 144).
    let factorTenths: Int
    /// The long window, in ms.
    let longMilliseconds: Int64
    /// The short window, in ms.
    let shortMilliseconds: Int64

    /// page-fast 14.4 over 5 s and 417 ms, page-slow 6 over 30 s and 2.5 s, ticket-fast 3 over 2 min and
    /// 10 s, ticket-slow 1 over 6 min and 30 s.
    static let defaults: [CompressedTier] = [
        ("page-fast", 144, 3_600_000, 300_000), ("page-slow", 60, 21_600_000, 1_800_000),
        ("ticket-fast", 30, 86_400_000, 7_200_000), ("ticket-slow", 10, 259_200_000, 21_600_000),
    ].map { name, factor, long, short in
        CompressedTier(
            name: name, factorTenths: factor, longMilliseconds: Int64((Double(long) / 720).rounded()),
            shortMilliseconds: Int64((Double(short) / 720).rounded()))
    }
}

/// The samples a test posts for one metric with explicit timestamps, and when each default tier must
/// fire and resolve because of them.
///
/// Time is cut in 100 ms slices (the service runs with `--history-fine 100ms:10m`), slice `j` covering
/// [base + 100·j, base + 100·(j + 1)) ms. Every slice from 7 min before `base` to 60 s after it gets
/// ``perSlice`` samples, so that the longest window (6 min) is full; in the leak's slices, the first
/// `pattern[j mod pattern.count]` of them are bad (1,000 ms against a threshold of 250 ms), the others
/// good (100 ms). The slices after `base` stand for traffic that goes on: the service accepts
/// timestamps up to 5 minutes ahead.
///
/// The model: at a check at time t (ms), a window of w ms covers the slices from ⌊(t − w)/100⌋ up to,
/// not including, ⌈t/100⌉: the span widened to slice boundaries, as `BudgetCounts` documents. It burns
/// faster than a factor f when bad·100 / total > f (exactly, in integers); a tier fires while both its
/// windows do.
struct BurnTrafficPlan: Sendable {
    /// Samples per 100 ms slice.
    static let perSlice = 10
    /// The first and the end slice posted, relative to `base`.
    static let slices = -4_200..<600

    /// The metric.
    let metric: String
    /// A slice boundary, ms since the epoch.
    let base: Int64
    /// The slices of the leak, relative to `base`.
    let leak: Range<Int>
    /// Bad samples per leak slice, repeating.
    let pattern: [Int]
    /// Bad and all samples before each slice (index 0 is `slices.lowerBound`).
    private let badBefore: [Int]
    private let totalBefore: [Int]

    init(metric: String, base: Int64, leak: Range<Int>, pattern: [Int]) {
        self.metric = metric
        self.base = base
        self.leak = leak
        self.pattern = pattern
        var bad = [0]
        var total = [0]
        for slice in Self.slices {
            let count =
                leak.contains(slice) ? pattern[((slice % pattern.count) + pattern.count) % pattern.count] : 0
            bad.append(bad[bad.count - 1] + count)
            total.append(total[total.count - 1] + Self.perSlice)
        }
        badBefore = bad
        totalBefore = total
    }

    /// The `POST /samples` bodies, each within the service's 10,000 samples a batch: the good samples
    /// first, then every bad one in the last body, so that nothing can fire before the last one lands
    /// and then the whole plan is in.
    var bodies: [String] {
        var good: [String] = []
        var bad: [String] = []
        good.reserveCapacity(Self.slices.count * Self.perSlice)
        for slice in Self.slices {
            let position = slice - Self.slices.lowerBound
            let badCount = badBefore[position + 1] - badBefore[position]
            for index in 0..<Self.perSlice {
                let time = base + Int64(slice) * 100 + 5 + Int64(index) * 9
                if index < badCount {
                    bad.append(#"{"metric":"\#(metric)","value":1000,"timestamp":\#(time)}"#)
                } else {
                    good.append(#"{"metric":"\#(metric)","value":100,"timestamp":\#(time)}"#)
                }
            }
        }
        let batches = stride(from: 0, to: good.count, by: 10_000).map {
            Array(good[$0..<min($0 + 10_000, good.count)])
        }
        return (batches + [bad]).map { #"{"samples":["# + $0.joined(separator: ",") + "]}" }
    }

    /// The tiers that fire at a check at `time` (ms since the epoch).
    func firing(at time: Int64) -> Set<String> {
        Set(
            CompressedTier.defaults.filter {
                burnsFaster(window: $0.longMilliseconds, at: time, factorTenths: $0.factorTenths)
                    && burnsFaster(window: $0.shortMilliseconds, at: time, factorTenths: $0.factorTenths)
            }
            .map(\.name))
    }

    /// The model's firing tiers from `origin` to `origin + span` (ms since the epoch): each change, at
    /// the first whole ms where it shows, starting with the set at `origin`. Computed ahead, so that
    /// the test watches the stream as soon as the samples land.
    func timeline(from origin: Int64, span: Int64) -> [(time: Int64, firing: Set<String>)] {
        var changes = [(time: origin, firing: firing(at: origin))]
        for time in (origin + 1)...(origin + span) {
            let now = firing(at: time)
            if now != changes[changes.count - 1].firing { changes.append((time, now)) }
        }
        return changes
    }

    /// `(kind, tier, due)` of every event a `timeline` implies once the samples were acknowledged at
    /// `start` (ms): an alert for each tier firing at `start`, due then, and each later change of a
    /// tier, due when the timeline shows it.
    static func expectedEvents(
        _ timeline: [(time: Int64, firing: Set<String>)], from start: Int64
    ) -> [(kind: String, tier: String, due: Int64)] {
        var previous = Set<String>()
        var events: [(kind: String, tier: String, due: Int64)] = []
        let atStart = timeline.last { $0.time <= start }?.firing ?? []
        for (time, now) in [(start, atStart)] + timeline.filter({ $0.time > start }) {
            for tier in CompressedTier.defaults.map(\.name)
            where now.contains(tier) != previous.contains(tier) {
                events.append((now.contains(tier) ? "alert" : "resolved", tier, time))
            }
            previous = now
        }
        return events
    }

    private func burnsFaster(window: Int64, at time: Int64, factorTenths: Int) -> Bool {
        let first = Int(floorDivide(time - window, 100) - base / 100)
        let end = Int(-floorDivide(-time, 100) - base / 100)
        let from = min(max(first, Self.slices.lowerBound), Self.slices.upperBound) - Self.slices.lowerBound
        let upTo = min(max(end, Self.slices.lowerBound), Self.slices.upperBound) - Self.slices.lowerBound
        guard upTo > from else { return false }
        let bad = badBefore[upTo] - badBefore[from]
        let total = totalBefore[upTo] - totalBefore[from]
        return total > 0 && bad * 1_000 > factorTenths * total
    }

    private func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }
}
