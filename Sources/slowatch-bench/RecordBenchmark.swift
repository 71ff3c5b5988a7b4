import Dispatch
import SLOWatchCore
import SLOWatchSync

/// `record`, marks, and `record` from two threads.
enum RecordBenchmark {
    /// Calls per timed batch; see `Bench.time`.
    static let batch = 100

    /// `record` on one thread into one existing metric, with the wall clock stamping each sample.
    static func singleThread(_ bench: inout Bench) {
        let registry = MetricsRegistry()
        let timings = Bench.time(samples: 20_000, warmUp: 2_000, operationsPerRun: batch) { run in
            let base = Double(run & 1023)
            for index in 0..<batch { try? registry.record("api.latency", value: base + Double(index)) }
        }
        bench.report("record", timings)
        bench.checkTime("record", "p50", actual: timings.p50, budget: 100)
        bench.checkTime("record", "p99", actual: timings.p99, budget: 1_000)

        let stamped = Bench.time(samples: 20_000, warmUp: 2_000, operationsPerRun: batch) { run in
            let stamp = 1_764_393_600_000 + Double(run)
            for index in 0..<batch {
                try? registry.record("api.latency", value: Double(index), timestamp: stamp)
            }
        }
        bench.report("record_with_timestamp", stamped)

        let handle = try? registry.handle(for: "api.latency")
        if let handle {
            let viaHandle = Bench.time(samples: 20_000, warmUp: 2_000, operationsPerRun: batch) { run in
                for index in 0..<batch { try? registry.record(handle, value: Double(index + run & 7)) }
            }
            bench.report("record_handle", viaHandle)
        }
    }

    /// `record` from two threads, into different metrics and into the same one; no budget.
    static func twoThreads(_ bench: inout Bench) {
        for (name, metrics) in [
            ("record_2threads_different", ["a.latency", "b.latency"]),
            ("record_2threads_same", ["shared.latency", "shared.latency"]),
        ] {
            let registry = MetricsRegistry()
            let results = PThreadLock<[Timings]>([])
            DispatchQueue.concurrentPerform(iterations: 2) { thread in
                let metric = metrics[thread]
                let timings = Bench.time(samples: 20_000, warmUp: 2_000, operationsPerRun: batch) { run in
                    for index in 0..<batch { try? registry.record(metric, value: Double(index + run & 7)) }
                }
                results.withLock { $0.append(timings) }
            }
            bench.report(name, results.withLock { $0 }.reduce(Timings(perOperation: [], operations: 0), +))
        }
    }

    /// `markStart` followed by `markEnd`, which records into the metric.
    static func marks(_ bench: inout Bench) {
        let registry = MetricsRegistry()
        let timings = Bench.time(samples: 20_000, warmUp: 2_000, operationsPerRun: batch) { _ in
            for _ in 0..<batch { registry.markEnd(registry.markStart("input-to-echo")) }
        }
        bench.report("mark_start_end", timings)
        bench.checkTime("mark_start_end", "p50", actual: timings.p50, budget: 200)
    }
}
