extension MetricsRegistry {
    /// The registry's limits and auto-registration defaults.
    public struct Configuration: Sendable {
        /// The most metrics registered at once (default 10,000); a new name beyond it is rejected with
        /// `MetricsError.metricLimitReached`.
        public var maxMetrics = 10_000
        /// Whether `record` registers an unknown (valid) name by itself (default true).
        public var autoRegister = true
        /// The type given to auto-registered metrics (default `.latency`).
        public var autoRegisterType: MetricType = .latency
        /// The unit given to auto-registered metrics (default `ms`).
        public var autoRegisterUnit = "ms"
        /// The capacity, in samples, of auto-registered metrics (default 10,000).
        public var defaultCapacity = MetricDefinition.defaultCapacity
        /// How many `markStart` marks can be open at once (default 1,024); slots are preallocated
        /// (about 33 bytes each), so values are clamped to 0...`maximumConcurrentMarks`.
        public var maxConcurrentMarks = 1_024
        /// How far ahead of the wall clock a sample's timestamp may be, in ms (default 300,000: five
        /// minutes); a later one is refused with `MetricsError.futureTimestamp`, since it would stay
        /// inside every window. Samples without a timestamp take the clock's reading and always pass;
        /// `.infinity` turns the check off.
        public var maxFutureSkewMilliseconds: Double = 300_000

        /// The memory budget, in bytes (default `Int.max`: unbounded): every metric's ring capacity
        /// (16 B a sample) and fixed overhead, the percentile scratch and the mark slots are reserved in
        /// it, and a registration or resize that does not fit is refused with
        /// `MetricsError.memoryLimitReached`. See ``MemoryBudget``.
        public var memoryBudget = Int.max

        /// How every metric's history and every error-budget counter slice time (default
        /// ``HistoryTiers/default``: 10 s for 6 h, 1 min for 48 h, 1 h for 35 days).
        public var historyTiers = HistoryTiers.default

        /// The bucket scale of every metric's history (default 6: quantiles from history within
        /// 0.542 % of the exact value); clamped to 3 ... 8. See `ExponentialBucketLayout`.
        public var historyScale = 6

        /// The most bytes all metrics' histories may hold together (default 1 GiB), before the clamp
        /// of ``historyMemoryLimit``. Past the limit, the oldest coarsest slices of the least recently
        /// written metrics are dropped, and counted.
        public var historyMemoryBytes = 1 << 30

        /// The history memory in effect, in bytes: ``historyMemoryBytes``, at most half of
        /// ``memoryBudget``. The registry reserves it in its ``MemoryBudget`` when it is created (purpose
        /// `history`), so ring buffers can never take the memory the histories are promised.
        public var historyMemoryLimit: Int {
            Self.historyMemoryLimit(requested: historyMemoryBytes, memoryBudget: memoryBudget)
        }

        /// The clamp of ``historyMemoryLimit``: `requested` (0 or more), at most half of `memoryBudget`.
        public static func historyMemoryLimit(requested: Int, memoryBudget: Int) -> Int {
            max(0, min(requested, memoryBudget / 2))
        }

        /// The bytes one preallocated mark slot costs, as reserved in the memory budget.
        static let bytesPerMarkSlot = 40

        /// The most mark slots a registry preallocates, whatever `maxConcurrentMarks` asks for: 65,536
        /// (about 2 MB).
        public static let maximumConcurrentMarks = 65_536

        /// Creates a configuration; every parameter has the default documented on its property.
        public init(
            maxMetrics: Int = 10_000,
            autoRegister: Bool = true,
            autoRegisterType: MetricType = .latency,
            autoRegisterUnit: String = "ms",
            defaultCapacity: Int = MetricDefinition.defaultCapacity,
            maxConcurrentMarks: Int = 1_024,
            memoryBudget: Int = .max,
            maxFutureSkewMilliseconds: Double = 300_000
        ) {
            self.maxMetrics = maxMetrics
            self.autoRegister = autoRegister
            self.autoRegisterType = autoRegisterType
            self.autoRegisterUnit = autoRegisterUnit
            self.defaultCapacity = defaultCapacity
            self.maxConcurrentMarks = maxConcurrentMarks
            self.memoryBudget = memoryBudget
            self.maxFutureSkewMilliseconds = maxFutureSkewMilliseconds
        }
    }
}
