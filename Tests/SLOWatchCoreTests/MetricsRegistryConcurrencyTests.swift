import Dispatch
import Testing

@testable import SLOWatchCore

@Suite("MetricsRegistry concurrency")
struct MetricsRegistryConcurrencyTests {
    @Test func concurrentWritersToSharedAndOwnMetricsLoseNoSample() throws {
        let registry = MetricsRegistry(configuration: .init(defaultCapacity: 100_000))
        let workers = 8
        let perWorker = 5_000
        DispatchQueue.concurrentPerform(iterations: workers + 2) { worker in
            if worker >= workers {
                // Readers run alongside the writers.
                for _ in 0..<200 {
                    _ = try? registry.percentiles(for: "shared", quantiles: [0.3])
                    _ = registry.list()
                    _ = registry.totalRecorded
                }
                return
            }
            let handle = try? registry.handle(for: "own.\(worker)")
            for index in 0..<perWorker {
                try? registry.record("shared", value: Double(index))
                try? registry.record("own.\(worker)", value: Double(index))
                if let handle { try? registry.record(handle, value: 1) }
            }
        }
        #expect(registry.summary(for: "shared")?.count == workers * perWorker)
        for worker in 0..<workers {
            #expect(registry.summary(for: "own.\(worker)")?.count == 2 * perWorker)
        }
        #expect(registry.totalRecorded == UInt64(3 * workers * perWorker))
        #expect(try registry.percentiles(for: "shared").count == workers * perWorker)
    }

    @Test func concurrentAutoRegistrationOfTheSameNamesRegistersEachOnce() throws {
        let registry = MetricsRegistry()
        let names = (0..<50).map { "auto.\($0)" }
        DispatchQueue.concurrentPerform(iterations: 6) { _ in
            for name in names { try? registry.record(name, value: 1) }
        }
        #expect(registry.metricCount == names.count)
        #expect(registry.list().allSatisfy { $0.count == 6 })
        let ids = Set(names.compactMap { registry.registrationID(for: $0) })
        #expect(ids.count == names.count)
    }

    @Test func recordingWhileOtherThreadsRegisterAndUnregisterKeepsExactTotals() throws {
        let registry = MetricsRegistry(configuration: .init(defaultCapacity: 100_000))
        let perWriter = 20_000
        let accepted = DispatchQueue.concurrentPerform(counting: 3) { worker -> Int in
            guard worker > 0 else {
                for round in 0..<300 {
                    try? registry.register(MetricDefinition(name: "churn.\(round % 7)"))
                    _ = try? registry.upsert(MetricDefinition(name: "steady.\(round % 2)", capacity: 100_000))
                    try? registry.unregister("churn.\((round + 3) % 7)")
                }
                return 0
            }
            var accepted = 0
            for index in 0..<perWriter {
                if (try? registry.record("steady.\(worker - 1)", value: Double(index))) != nil {
                    accepted += 1
                }
            }
            return accepted
        }
        #expect(accepted == 2 * perWriter)
        #expect(registry.summary(for: "steady.0")?.count == perWriter)
        #expect(registry.summary(for: "steady.1")?.count == perWriter)
        #expect(registry.totalRecorded == UInt64(2 * perWriter))
    }
}

extension DispatchQueue {
    /// Runs `body` on `iterations` threads at once and returns the sum of what they return.
    fileprivate static func concurrentPerform(counting iterations: Int, _ body: @Sendable (Int) -> Int) -> Int
    {
        let results = UnsafeMutableBufferPointer<Int>.allocate(capacity: iterations)
        defer { results.deallocate() }
        nonisolated(unsafe) let slots = results
        concurrentPerform(iterations: iterations) { slots[$0] = body($0) }
        return results.reduce(0, +)
    }
}
