import Testing

@testable import SLOWatchCore

/// The registry's memory budget: what registration, resizing and removal reserve and give back.
@Suite("Memory budget")
struct MemoryBudgetTests {
    /// The marks' preallocated slots, reserved at creation.
    private static let marks = 4 * MetricsRegistry.Configuration.bytesPerMarkSlot

    /// A registry whose histories reserve nothing, so that the figures below are the rings' alone
    /// (the history's reservation has its own test).
    private static func registry(budget: Int, capacity: Int = 10_000) -> MetricsRegistry {
        var configuration = MetricsRegistry.Configuration(
            defaultCapacity: capacity, maxConcurrentMarks: 4, memoryBudget: budget)
        configuration.historyMemoryBytes = 0
        return MetricsRegistry(configuration: configuration)
    }

    /// (budget, requested history bytes, history limit in effect), in bytes.
    private static let historyCases: [(Int, Int, Int)] = [
        (1_073_741_824, 1_048_576, 1_048_576), (1_048_576, 1_073_741_824, 524_288),
        (Int.max, 1_073_741_824, 1_073_741_824),
    ]

    @Test(
        "the histories' limit is reserved at creation, at most half the budget, and rings cannot take it",
        arguments: Self.historyCases)
    func historyLimitIsReserved(budget: Int, requested: Int, expected: Int) throws {
        var configuration = MetricsRegistry.Configuration(maxConcurrentMarks: 4, memoryBudget: budget)
        configuration.historyMemoryBytes = requested
        let registry = MetricsRegistry(configuration: configuration)
        #expect(configuration.historyMemoryLimit == expected)
        #expect(registry.historyMemory.limit == expected)
        #expect(registry.memory.reservedByPurpose[MetricsRegistry.historyMemoryPurpose] == expected)
        #expect(registry.memory.reserved == Self.marks + expected)
    }

    @Test("a ring that fits beside the histories' reservation is taken; one that needs it is refused")
    func ringsCannotTakeTheHistoryReservation() throws {
        let history = 4 << 20
        let budget = 2 * history
        var configuration = MetricsRegistry.Configuration(
            defaultCapacity: 1_000, maxConcurrentMarks: 4, memoryBudget: budget)
        configuration.historyMemoryBytes = history
        let registry = MetricsRegistry(configuration: configuration)
        let free = budget - Self.marks - history
        // The largest capacity whose ring, overhead and scratch fit in what the history left free.
        let fits = (1...1_000_000).last { Self.cost($0) <= free } ?? 0
        #expect(fits > 0)
        try registry.register(MetricDefinition(name: "fits", capacity: fits))
        let error = #expect(throws: MetricsError.self) {
            try registry.register(MetricDefinition(name: "more", capacity: 1))
        }
        #expect(error?.kind == .memoryLimitReached)
        #expect(registry.memory.reservedByPurpose[MetricsRegistry.historyMemoryPurpose] == history)
    }

    /// What one metric of `capacity` costs when it is the largest: its ring, its overhead and scratch.
    private static func cost(_ capacity: Int) -> Int {
        MetricReservations.metricBytes(capacity: capacity)
            + ScratchPool.reservedBytes(largestCapacity: capacity)
    }

    @Test("registering reserves capacity × 16 B, the overhead and the scratch, before any sample")
    func registrationReserves() throws {
        let registry = Self.registry(budget: 1 << 30)
        #expect(registry.memory.reserved == Self.marks)
        try registry.register(MetricDefinition(name: "big", capacity: 1_000_000))
        #expect(registry.storageBytes(for: "big") == 0)
        #expect(registry.memory.reserved == Self.marks + Self.cost(1_000_000))
        #expect(
            registry.memory.reservedByPurpose["metrics"] == 16_000_000
                + MetricReservations.perMetricOverheadBytes)
        #expect(registry.memory.reservedByPurpose["scratch"] == 2 * 8 * 1_000_000)
    }

    @Test("a registration past the budget is refused, names the budget, use and request, and changes nothing")
    func registrationPastBudgetIsRefused() throws {
        let budget = Self.marks + Self.cost(1_000_000) + 1_000_000
        let registry = Self.registry(budget: budget)
        try registry.upsert(MetricDefinition(name: "q1", capacity: 1_000_000))
        let before = registry.memory.reserved
        let error = #expect(throws: MetricsError.self) {
            try registry.upsert(MetricDefinition(name: "q2", capacity: 1_000_000))
        }
        #expect(error?.kind == .memoryLimitReached)
        let message = error?.message ?? ""
        #expect(
            message.contains(
                "metric \"q2\" needs \(16_000_000 + MetricReservations.perMetricOverheadBytes) bytes"))
        #expect(message.contains("\(before) of the memory budget's \(budget) bytes"))
        #expect(registry.definition(for: "q2") == nil)
        #expect(registry.memory.reserved == before)
    }

    @Test("a resize reserves the difference, a refused one changes nothing, a shrink gives back")
    func resizeReservesTheDifference() throws {
        let registry = Self.registry(budget: Self.marks + Self.cost(2_000_000))
        try registry.upsert(MetricDefinition(name: "r", capacity: 1_000_000))
        try registry.record("r", value: 1, timestamp: 1)
        try registry.upsert(MetricDefinition(name: "r", capacity: 2_000_000))
        #expect(registry.memory.reserved == Self.marks + Self.cost(2_000_000))
        #expect(throws: MetricsError.self) {
            try registry.upsert(MetricDefinition(name: "r", capacity: 2_000_001))
        }
        #expect(registry.definition(for: "r")?.capacity == 2_000_000)
        #expect(registry.summary(for: "r")?.count == 1)
        try registry.upsert(MetricDefinition(name: "r", capacity: 10))
        #expect(registry.memory.reserved == Self.marks + Self.cost(10))
    }

    @Test("unregistering gives the whole reservation back")
    func unregisterReleases() throws {
        let registry = Self.registry(budget: 1 << 30)
        try registry.upsert(MetricDefinition(name: "a", capacity: 3_000_000))
        try registry.upsert(MetricDefinition(name: "b", capacity: 100))
        try registry.unregister("a")
        #expect(registry.memory.reserved == Self.marks + Self.cost(100))
        try registry.unregister("b")
        #expect(registry.memory.reserved == Self.marks)
        #expect(registry.memory.reservedByPurpose["metrics"] == nil)
    }

    @Test("auto-registration past the budget throws memoryLimitReached and records nothing")
    func autoRegistrationIsRefused() throws {
        let registry = Self.registry(budget: Self.marks + Self.cost(1_000) + 100, capacity: 1_000)
        try registry.record("first", value: 1)
        let error = #expect(throws: MetricsError.self) { try registry.record("second", value: 1) }
        #expect(error?.kind == .memoryLimitReached)
        #expect(registry.metricCount == 1)
        #expect(registry.totalRecorded == 1)
    }

    @Test("a batch of new metrics is registered whole or, past the budget, not at all")
    func batchIsAllOrNothing() throws {
        let perMetric = MetricReservations.metricBytes(capacity: 1_000)
        let fixed = Self.marks + ScratchPool.reservedBytes(largestCapacity: 1_000)
        let registry = Self.registry(budget: fixed + 10 * perMetric, capacity: 1_000)
        try registry.record("known", value: 1)
        let names = ["known"] + (1...10).map { "new\($0)" }
        let error = #expect(throws: MetricsError.self) { _ = try registry.handles(for: names) }
        #expect(error?.kind == .memoryLimitReached)
        #expect(error?.message.contains("a batch of 10 new metrics (metric \"new1\" first)") == true)
        #expect(registry.metricCount == 1)
        #expect(registry.memory.reserved == fixed + perMetric)
        let handles = try registry.handles(for: Array(names.prefix(10)))
        #expect(handles.map(\.name) == Array(names.prefix(10)))
        #expect(registry.metricCount == 10)
        #expect(registry.memory.reserved == fixed + 10 * perMetric)
    }

    @Test("a batch past the metric limit registers none of its new metrics")
    func batchPastMetricLimit() throws {
        let registry = MetricsRegistry(configuration: .init(maxMetrics: 3))
        #expect(throws: MetricsError.metricLimitReached("d", limit: 3)) {
            _ = try registry.handles(for: ["a", "b", "c", "d"])
        }
        #expect(registry.metricCount == 0)
    }

    @Test("fixed reservations count against the budget and can be given back")
    func fixedReservations() throws {
        let budget = MemoryBudget(limit: 1_000)
        try budget.reserveFixed(bytes: 600, purpose: "streams")
        let error = #expect(throws: MetricsError.self) {
            try budget.reserveFixed(bytes: 401, purpose: "history")
        }
        #expect(
            error?.message
                == "history needs 401 bytes of memory, but 600 of the memory budget's 1000 bytes are already reserved (400 free)"
        )
        try budget.reserve(bytes: 400, for: "history")
        #expect(budget.reserved == 1_000)
        budget.release(bytes: 5_000, for: "streams")
        #expect(budget.reserved == 400)
        #expect(budget.reservedByPurpose == ["history": 400])
    }
}
