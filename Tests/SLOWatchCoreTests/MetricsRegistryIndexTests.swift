import SLOWatchCoreTesting
import Testing

@testable import SLOWatchCore

@Suite("MetricsRegistry index")
struct MetricsRegistryIndexTests {
    @Test(
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func everyOneOfTenThousandNamesFindsItsOwnMetricAfterChurn() throws {
        let registry = MetricsRegistry(configuration: .init(defaultCapacity: 4))
        for index in 0..<10_000 {
            try registry.register(MetricDefinition(name: "m\(index)", capacity: 1 + index % 7))
        }
        for index in stride(from: 0, to: 10_000, by: 2) { try registry.unregister("m\(index)") }
        for index in 0..<10_000 {
            let definition = registry.definition(for: "m\(index)")
            if index.isMultiple(of: 2) {
                #expect(definition == nil, "m\(index)")
            } else {
                #expect(definition?.capacity == 1 + index % 7, "m\(index)")
            }
        }
        #expect(registry.metricCount == 5_000)
        #expect(registry.definition(for: "m10000") == nil)
        #expect(registry.definition(for: "") == nil)
    }

    @Test func aShardWhoseNamesAllCollideStillFindsEachName() throws {
        let storages = try (0..<40).map { index in
            try MetricStorage(definition: MetricDefinition(name: "c\(index)"), registrationID: UInt64(index))
        }
        // Every entry claims the same hash, so the probe runs exceed the limit and the shard falls back.
        let entries = storages.enumerated().map { index, storage in
            MetricTable.Entry(name: "c\(index)", storage: storage, hash: 42)
        }
        let table = MetricTable(entries)
        for (index, storage) in storages.enumerated() {
            #expect(table.lookup("c\(index)", hash: 42) === storage)
        }
        #expect(table.lookup("c40", hash: 42) == nil)
        // A few collisions stay within the probe limit and use the open-addressing slots.
        let small = MetricTable(Array(entries.prefix(5)))
        #expect(small.lookup("c3", hash: 42) === storages[3])
        #expect(small.lookup("c7", hash: 42) == nil)
    }

    @Test func namesLongerThanOneWordAndUnicodeCompareByBytes() {
        let seed: UInt64 = 7
        let long = String(repeating: "a", count: 100)
        #expect(MetricIndex.hash(long, seed: seed) != MetricIndex.hash(long + "b", seed: seed))
        #expect(MetricIndex.hash("api.latency", seed: seed) == MetricIndex.hash("api.latency", seed: seed))
        #expect(MetricIndex.hash("api.latency", seed: seed) != MetricIndex.hash("api.latency", seed: 8))
        #expect(MetricIndex.hash("abcdefgh", seed: seed) != MetricIndex.hash("abcdefgh\u{0}", seed: seed))
    }
}
