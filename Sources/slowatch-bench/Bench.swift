import SLOWatchCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Timing, reporting and budget bookkeeping for the microbenchmarks.
struct Bench {
    /// Whether time budgets are doubled (`CI=true`: shared, noisy machines).
    let isCI: Bool
    /// Budget misses, as human sentences.
    private(set) var failures: [String] = []
    /// One line per budget checked, for the stderr summary.
    private(set) var checks: [String] = []

    /// Reads `CI` from the environment.
    init() {
        isCI = getenv("CI").map { String(cString: $0) } == "true"
    }

    /// Monotonic time in ns.
    @inline(__always)
    static func now() -> UInt64 { SystemMonotonicClock().nowNanoseconds() }

    /// Times `samples` runs of `body`, each run counting as `operationsPerRun` operations, after
    /// `warmUp` untimed runs.
    ///
    /// Reading the clock costs about 20 ns, so sub-microsecond operations are timed in batches
    /// (`operationsPerRun` calls inside `body`) and each batch's time is divided by its size.
    /// - Returns: per-operation timings in ns.
    static func time(
        samples: Int, warmUp: Int, operationsPerRun: Int = 1, _ body: (_ run: Int) -> Void
    ) -> Timings {
        for run in 0..<warmUp { body(run) }
        var perOperation: [Double] = []
        perOperation.reserveCapacity(samples)
        for run in 0..<samples {
            let start = now()
            body(warmUp + run)
            let end = now()
            perOperation.append(Double(end - start) / Double(operationsPerRun))
        }
        return Timings(perOperation: perOperation, operations: samples * operationsPerRun)
    }

    /// Prints the timing line.
    func report(_ name: String, _ timings: Timings) {
        print(
            #"{"benchmark":"\#(name)","iterations":\#(timings.operations),"#
                + #""p50_ns":\#(format(timings.p50)),"p99_ns":\#(format(timings.p99)),"#
                + #""mean_ns":\#(format(timings.mean))}"#)
    }

    /// Prints a memory line.
    func report(_ name: String, bytes: Int) {
        print(#"{"benchmark":"\#(name)","bytes":\#(bytes)}"#)
    }

    /// Records whether `actual` (ns) is within `budget` (ns), doubled on CI.
    mutating func checkTime(_ name: String, _ statistic: String, actual: Double, budget: Double) {
        let limit = isCI ? budget * 2 : budget
        check("\(name) \(statistic) \(format(actual)) ns", limit: "\(format(limit)) ns", ok: actual <= limit)
    }

    /// Records whether `actual` bytes are within `budget` bytes.
    mutating func checkBytes(_ name: String, actual: Int, budget: Int) {
        check("\(name) \(actual) bytes", limit: "\(budget) bytes", ok: actual <= budget)
    }

    private mutating func check(_ what: String, limit: String, ok: Bool) {
        checks.append("\(ok ? "ok  " : "MISS") \(what) (budget \(limit))")
        if !ok { failures.append("\(what) is over its budget of \(limit)") }
    }

    private func format(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

/// Per-operation timings of one benchmark, in ns.
struct Timings {
    /// The time of each timed run divided by its operations, in ns, unsorted.
    let perOperation: [Double]
    /// Operations timed in total.
    let operations: Int
    /// `perOperation`, sorted once for the percentiles.
    private let sorted: [Double]

    /// Keeps the timings and sorts them once.
    init(perOperation: [Double], operations: Int) {
        self.perOperation = perOperation
        self.operations = operations
        sorted = perOperation.sorted()
    }

    /// The nearest-rank percentile `q` of the per-operation times, in ns.
    func percentile(_ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[QuantileSelection.rank(of: q, count: sorted.count) - 1]
    }

    /// The median, in ns.
    var p50: Double { percentile(0.5) }
    /// The 99th percentile, in ns.
    var p99: Double { percentile(0.99) }
    /// The mean, in ns.
    var mean: Double { perOperation.isEmpty ? 0 : perOperation.reduce(0, +) / Double(perOperation.count) }

    /// Both threads' timings together.
    static func + (lhs: Timings, rhs: Timings) -> Timings {
        Timings(
            perOperation: lhs.perOperation + rhs.perOperation, operations: lhs.operations + rhs.operations)
    }
}
