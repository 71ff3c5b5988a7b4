import SeededRandom
import Testing

@testable import SLOWatchCore

@Suite("Tier slices: one arena per tier, garbage counted and reclaimed lazily")
struct TierSlicesTests {
    /// A slice of `samples` samples spread over a few hundred buckets.
    static func slice(_ samples: Int, seed: Int = 0) -> ExponentialHistogram {
        MetricHistoryTests.histogram((0..<samples).map { Double(($0 &* 7_919 &+ seed) % 5_000 + 1) / 10 })
    }

    @Test("a tier kept at a fixed count by appending and removing the oldest stays near its live bytes")
    func rollingTierStaysBounded() {
        var tier = TierSlices()
        let histogram = Self.slice(300)
        let sliceBytes = CompactHistogram(histogram).coded.count
        var peak = 0
        for index in 0..<5_000 as Range<Int64> {
            tier.add(histogram, at: index)
            _ = tier.removeThrough(index - 1_000)
            peak = max(peak, tier.bytes)
        }
        #expect(tier.count == 1_000)
        #expect(tier.liveBytes == 1_000 * sliceBytes)
        // Live bytes, 8 bytes of index and start per slice, and at most ~1/32 plus a few slices of
        // room and garbage, never a doubling.
        let bound = tier.liveBytes + tier.liveBytes / 16 + 1_000 * 8 * 17 / 16 + 8 * sliceBytes + 256
        #expect(tier.bytes <= bound, "\(tier.bytes) > \(bound)")
        #expect(peak <= bound, "\(peak) > \(bound)")
        #expect(tier.histogram(atPosition: 0) == histogram)
        #expect(tier.indices.first == 4_000)
    }

    @Test("replacing one slice again and again (late samples) leaves bounded garbage and exact slices")
    func replacedSliceGarbageIsCompacted() {
        var tier = TierSlices()
        for index in 0..<200 as Range<Int64> { tier.add(Self.slice(200, seed: Int(index)), at: index) }
        let others = (0..<200).map { tier.histogram(atPosition: $0) }
        var expected = tier.histogram(atPosition: 100)
        for round in 0..<2_000 {
            let late = MetricHistoryTests.histogram([Double(round % 300 + 1)])
            tier.add(late, at: 100)
            expected.merge(late)
            #expect(tier.bytes <= tier.liveBytes + tier.liveBytes / 8 + 200 * 8 * 2 + 4_096)
        }
        #expect(tier.slice(at: 100)?.histogram == expected)
        for position in 0..<200 where position != 100 {
            #expect(tier.histogram(atPosition: position) == others[position])
        }
    }

    @Test("removing the oldest slice frees its bytes at once; bytes count every array's capacity")
    func removeOldestFreesNow() {
        var tier = TierSlices()
        #expect(tier.bytes == 0)
        for index in 0..<50 as Range<Int64> { tier.add(Self.slice(100, seed: Int(index)), at: index) }
        let before = tier.bytes
        // The arena and the starts (4 bytes a slice); consecutive indices take nothing.
        #expect(before >= tier.liveBytes + 50 * 4 + 2 * 32)
        let first = tier.slice(at: 0)?.coded.count ?? 0
        let freed = tier.removeOldest()
        #expect(freed >= first)
        #expect(tier.bytes == before - freed)
        #expect(tier.bytes <= tier.liveBytes + 49 * 8 + 3 * 32 + 3 * 8, "no room or garbage kept")
        #expect(tier.indices.first == 1)
        // A slice inserted out of order lands in place.
        tier.add(Self.slice(10), at: -5)
        #expect(tier.indices.first == -5)
        #expect(tier.slice(at: -5)?.histogram == Self.slice(10))
    }

    @Test("slices inserted and replaced out of order keep every other slice's bytes, in index order")
    func outOfOrderStoresKeepNeighbours() {
        var tier = TierSlices()
        var expected: [Int64: ExponentialHistogram] = [:]
        var random = SplitMix64(seed: 41)
        for round in 0..<600 {
            let index = Int64.random(in: -50..<50, using: &random)
            let slice = Self.slice(Int.random(in: 1..<120, using: &random), seed: round)
            tier.add(slice, at: index)
            expected[index, default: ExponentialHistogram(scale: slice.scale)].merge(slice)
            if round % 97 == 0 {
                let cutoff = Int64.random(in: -60..<(-20), using: &random)
                _ = tier.removeThrough(cutoff)
                expected = expected.filter { $0.key > cutoff }
            }
        }
        #expect(Array(tier.indices) == expected.keys.sorted())
        for (index, histogram) in expected { #expect(tier.slice(at: index)?.histogram == histogram) }
    }

    @Test("a packed list holds indices 2^32 apart and far below its first, in order")
    func packedListWidens() {
        var list = PackedAscendingList()
        let values: [Int64] = [-5, 0, 7, 1 << 31, Int64(UInt32.max) - 5]
        for value in values { list.append(value) }
        #expect(Array(list) == values)
        #expect(list.bytes == 32 + list.capacity * 4)
        list.append(1 << 40)
        list.insert(Int64.min, at: 0)
        list.append(Int64.max)
        #expect(Array(list) == [Int64.min] + values + [1 << 40, Int64.max])
        list.removeFirst(1)
        list.add(-3, from: 5)
        #expect(Array(list) == values + [(1 << 40) - 3, Int64.max - 3])
        #expect(list.bytes >= 32 + list.count * 8)
    }

    @Test("consecutive indices take no storage, and a gap packs them again, in order")
    func consecutiveIndicesAreFree() {
        var list = PackedAscendingList()
        for value in 100..<1_100 as Range<Int64> { list.append(value) }
        #expect(list.bytes == 0)
        list.removeFirst(10)
        list.removeLast(10)
        #expect(Array(list) == Array(110..<1_090))
        list.append(2_000)
        #expect(Array(list) == Array(110..<1_090) + [2_000])
        #expect(list.bytes > 0)
        list.removeLast(1)
        list.reallocate(capacity: 0)
        #expect(list.bytes == 0 && Array(list) == Array(110..<1_090))
        // A busy tier: every slice present, so only the starts take bytes (4 a slice).
        var tier = TierSlices()
        for index in 0..<300 as Range<Int64> { tier.add(Self.slice(50, seed: Int(index)), at: index) }
        _ = tier.removeThrough(99)
        #expect(tier.indices.bytes == 0)
        #expect(Array(tier.indices) == Array(100..<300))
        #expect(tier.slice(at: 150)?.histogram == Self.slice(50, seed: 150))
    }
}
