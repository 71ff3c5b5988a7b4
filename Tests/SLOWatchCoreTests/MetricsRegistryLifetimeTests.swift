import Dispatch
import Testing

@testable import SLOWatchCore

/// What a registry leaves behind in the per-thread index caches once it is gone.
@Suite struct MetricsRegistryLifetimeTests {
    @Test func aDeallocatedRegistryFreesItsSamplesEvenWhileAnotherThreadCachesItsIndex() throws {
        let metric = try Self.metricOfARegistryThatAnotherThreadUsed()
        // The other thread's cache still holds the registry's last index, and with it this metric.
        #expect(!metric.withLock { $0.buffer.isAllocated })
        #expect(metric.withLock { $0.isRemoved && $0.cached == nil })
    }

    /// A metric with 10,000 samples, of a registry that is gone when this returns.
    private static func metricOfARegistryThatAnotherThreadUsed() throws -> MetricStorage {
        let registry = MetricsRegistry()
        for value in 0..<10_000 { try registry.record("big", value: Double(value)) }
        _ = try registry.percentiles(for: "big")
        let metric = try #require(registry.lookup("big"))
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { _ = registry.lookup("big") }
        group.wait()
        #expect(metric.withLock { $0.buffer.isAllocated && $0.cached != nil })
        return metric
    }

    @Test func theDeallocatingThreadDropsItsCachedIndexOfTheRegistry() throws {
        weak var metric: MetricStorage?
        do {
            let registry = MetricsRegistry()
            try registry.record("x", value: 1)
            metric = registry.lookup("x")
            #expect(metric != nil)
        }
        #expect(metric == nil)
    }

    @Test func aNewRegistryNeverSeesTheMetricsOfADeallocatedOne() throws {
        // Registries made and dropped in a loop often reuse one address; each must start empty.
        for round in 0..<200 {
            let registry = MetricsRegistry(configuration: .init(autoRegister: round.isMultiple(of: 2)))
            #expect(registry.lookup("x") == nil, "round \(round)")
            #expect(registry.definition(for: "x") == nil, "round \(round)")
            if round.isMultiple(of: 2) {
                try registry.record("x", value: Double(round))
                #expect(try registry.percentiles(for: "x").max == Double(round), "round \(round)")
            } else {
                #expect(throws: MetricsError.unknownMetric("x")) { try registry.record("x", value: 1) }
            }
        }
    }
}
