import SLOWatchCore

#if canImport(Glibc)
    import Glibc
#endif

/// Heap used by metrics, from glibc's `mallinfo2()` (in-use heap plus mmapped blocks) before and after.
enum MemoryBenchmark {
    static func run(_ bench: inout Bench) {
        #if canImport(Glibc)
            let full = heapGrowth {
                let registry = MetricsRegistry()
                for index in 0..<20 {
                    let name = "api.latency.\(index < 10 ? "0" : "")\(index)"
                    for sample in 0..<10_000 { try? registry.record(name, value: Double(sample)) }
                }
                return registry
            }
            bench.report("memory_20_metrics_10k_samples", bytes: full)
            bench.checkBytes("memory_20_metrics_10k_samples", actual: full, budget: 3_500_000)

            let empty = heapGrowth {
                let registry = MetricsRegistry()
                for index in 0..<20 { try? registry.register(MetricDefinition(name: "idle.metric.\(index)")) }
                return registry
            }
            bench.report("memory_20_metrics_empty", bytes: empty)
            bench.checkBytes("memory_20_metrics_empty", actual: empty, budget: 100_000)
        #endif
    }

    #if canImport(Glibc)
        /// Heap bytes still in use after `build` returns, while its result is kept alive (the registry,
        /// its mark slots and every metric).
        private static func heapGrowth(_ build: () -> MetricsRegistry) -> Int {
            _ = inUse()  // the first call may allocate for the symbol lookup itself
            let before = inUse()
            let registry = build()
            let after = inUse()
            withExtendedLifetime(registry) {}
            return after - before
        }

        /// `mallinfo2().uordblks + mallinfo2().hblkhd`: heap bytes in use plus mmapped blocks.
        private static func inUse() -> Int {
            // Swift's Glibc module leaves out <malloc.h>, so mallinfo2 is looked up with dlsym.
            // `struct mallinfo2 mallinfo2(void)` returns its ten size_t fields through a hidden result
            // pointer, which the x86-64 System V ABI passes as the first argument (in rdi): calling it
            // as `(pointer) -> Void` is that exact call. Other architectures pass it elsewhere.
            #if arch(x86_64)
                guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallinfo2") else {
                    return 0
                }
                typealias MallInfo2 = @convention(c) (UnsafeMutablePointer<Int>) -> Void
                let mallinfo2 = unsafeBitCast(symbol, to: MallInfo2.self)
                var fields = [Int](repeating: 0, count: 10)
                fields.withUnsafeMutableBufferPointer { buffer in
                    if let base = buffer.baseAddress { mallinfo2(base) }
                }
                // arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost
                return fields[7] + fields[4]
            #else
                return 0
            #endif
        }
    #endif
}
