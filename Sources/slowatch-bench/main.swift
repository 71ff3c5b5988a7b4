// Microbenchmarks for the hot paths of SLOWatchCore. Run with `swift run -c release slowatch-bench`.
//
// Each benchmark warms up first, then prints one JSON object per line on stdout. The process exits
// with status 1 when a budget is missed; with CI=true the time budgets are doubled.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// `float-differential [COUNT]` is a long correctness run, not a budget: it runs alone.
if CommandLine.arguments.count > 1, CommandLine.arguments[1] == "float-differential" {
    let count = CommandLine.arguments.count > 2 ? Int(CommandLine.arguments[2]) ?? 100_000_000 : 100_000_000
    exit(FloatDifferentialRun.run(count: count))
}

var bench = Bench()
// Arguments, when given, pick groups by name: memory, record, threads, marks, percentiles, monitor,
// budgets, history.
let groups: [(name: String, run: (inout Bench) -> Void)] = [
    // Memory first, before the other benchmarks leave blocks in the allocator's free lists.
    ("memory", MemoryBenchmark.run),
    ("record", RecordBenchmark.singleThread),
    ("threads", RecordBenchmark.twoThreads),
    ("marks", RecordBenchmark.marks),
    ("percentiles", PercentileBenchmark.run),
    ("monitor", MonitorBenchmark.run),
    ("budgets", BudgetCounterBenchmark.run),
    ("history", HistoryBenchmark.run),
]
let selected = Set(CommandLine.arguments.dropFirst())
for group in groups where selected.isEmpty || selected.contains(group.name) { group.run(&bench) }

/// Writes one line to standard error.
func printError(_ line: String) {
    let text = "slowatch-bench: \(line)\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
}

for line in bench.checks { printError(line) }
let verdict =
    bench.failures.isEmpty
    ? "all \(bench.checks.count) budgets met"
    : "\(bench.failures.count) of \(bench.checks.count) budgets missed: "
        + bench.failures.joined(separator: "; ")
printError(verdict + (bench.isCI ? " (CI: time budgets doubled)" : ""))
exit(bench.failures.isEmpty ? 0 : 1)
