import SLOWatchCoreTesting
import Testing

@testable import SLOWatchCore

@Suite("MetricsRegistry")
struct MetricsRegistryTests {
    private let clock = ManualClock()

    private func makeRegistry(_ configuration: MetricsRegistry.Configuration = .init()) -> MetricsRegistry {
        MetricsRegistry(configuration: configuration, wallClock: clock, monotonicClock: clock)
    }

    @Test(arguments: [
        "input-to-echo", "api.latency", "http:server_duration", "a", "0", "A_b.c:d-e",
        String(repeating: "x", count: 128),
    ])
    func validNamesAreAccepted(name: String) throws {
        let registry = makeRegistry()
        try registry.register(MetricDefinition(name: name))
        #expect(registry.definition(for: name)?.name == name)
    }

    @Test(arguments: [
        "", String(repeating: "x", count: 129), "_leading", ".leading", "-leading", ":x",
        "with space", "tab\tname", "ünïcode", "emoji🙂", "slash/name", "new\nline",
    ])
    func invalidNamesAreRejectedByRegisterAndRecord(name: String) {
        let registry = makeRegistry()
        #expect(throws: MetricsError.invalidName(name)) {
            try registry.register(MetricDefinition(name: name))
        }
        #expect(throws: MetricsError.invalidName(name)) { try registry.record(name, value: 1) }
        #expect(registry.metricCount == 0)
    }

    @Test func invalidNameMessageNamesTheInputAndTheRule() {
        let message = MetricsError.invalidName("bad name").message
        #expect(message.contains("\"bad name\""))
        #expect(message.contains("1 to 128 characters"))
        #expect(MetricsError.invalidName("x").kind == .invalidName)
    }

    @Test func registeringANameTwiceIsADistinctError() throws {
        let registry = makeRegistry()
        try registry.register(MetricDefinition(name: "api.latency"))
        let error = #expect(throws: MetricsError.self) {
            try registry.register(MetricDefinition(name: "api.latency", unit: "s"))
        }
        #expect(error == .alreadyRegistered("api.latency"))
        #expect(error?.kind == .alreadyRegistered)
        #expect(registry.definition(for: "api.latency")?.unit == "ms")
    }

    @Test func theMetricAfterTheCardinalityCapIsRejected() throws {
        let registry = makeRegistry(.init(maxMetrics: 3))
        try registry.register(MetricDefinition(name: "a"))
        try registry.record("b", value: 1)
        try registry.upsert(MetricDefinition(name: "c"))
        #expect(throws: MetricsError.metricLimitReached("d", limit: 3)) { try registry.record("d", value: 1) }
        #expect(throws: MetricsError.metricLimitReached("e", limit: 3)) {
            try registry.register(MetricDefinition(name: "e"))
        }
        #expect(throws: MetricsError.metricLimitReached("f", limit: 3)) {
            try registry.upsert(MetricDefinition(name: "f"))
        }
        // Existing metrics still record, and unregistering frees a place.
        try registry.record("a", value: 2)
        try registry.unregister("a")
        try registry.record("d", value: 1)
        #expect(registry.list().map(\.definition.name) == ["b", "c", "d"])
    }

    @Test(
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func theDefaultCardinalityCapIsTenThousand() throws {
        let registry = makeRegistry()
        for index in 0..<10_000 { try registry.register(MetricDefinition(name: "m\(index)")) }
        #expect(registry.metricCount == 10_000)
        #expect(throws: MetricsError.metricLimitReached("one.more", limit: 10_000)) {
            try registry.record("one.more", value: 1)
        }
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity, .signalingNaN])
    func nonFiniteValuesAndTimestampsAreRejected(bad: Double) throws {
        let registry = makeRegistry()
        let valueError = #expect(throws: MetricsError.self) { try registry.record("x", value: bad) }
        #expect(valueError?.kind == .nonFiniteValue)
        let timeError = #expect(throws: MetricsError.self) {
            try registry.record("x", value: 1, timestamp: bad)
        }
        #expect(timeError?.kind == .nonFiniteValue)
        #expect(timeError?.message.contains("timestamp") == true)
        #expect(registry.summary(for: "x")?.count ?? 0 == 0)
        #expect(registry.totalRecorded == 0)
    }

    @Test func autoRegistrationUsesTheConfiguredDefaults() throws {
        let registry = makeRegistry(
            .init(autoRegisterType: .gauge, autoRegisterUnit: "bytes", defaultCapacity: 3))
        try registry.record("queue.depth", value: 7)
        let definition = try #require(registry.definition(for: "queue.depth"))
        #expect(definition == MetricDefinition(name: "queue.depth", type: .gauge, unit: "bytes", capacity: 3))
        let summary = try #require(registry.summary(for: "queue.depth"))
        #expect(summary.count == 1)
        #expect(summary.newestTimestamp == clock.nowMilliseconds())
    }

    @Test func withAutoRegistrationOffAnUnknownNameIsAnError() throws {
        let registry = makeRegistry(.init(autoRegister: false))
        #expect(throws: MetricsError.unknownMetric("ghost")) { try registry.record("ghost", value: 1) }
        #expect(registry.metricCount == 0)
        try registry.register(MetricDefinition(name: "ghost"))
        try registry.record("ghost", value: 1)
        #expect(registry.summary(for: "ghost")?.count == 1)
    }

    @Test func unregisterRemovesTheMetricAndKeepsTheTotals() throws {
        let registry = makeRegistry(.init(autoRegister: false))
        try registry.register(MetricDefinition(name: "a", capacity: 2))
        for value in 1...5 { try registry.record("a", value: Double(value)) }
        let handle = try registry.handle(for: "a")
        try registry.unregister("a")
        #expect(registry.definition(for: "a") == nil)
        #expect(registry.registrationID(for: "a") == nil)
        #expect(throws: MetricsError.unknownMetric("a")) { try registry.record("a", value: 1) }
        #expect(throws: MetricsError.unknownMetric("a")) { try registry.unregister("a") }
        #expect(throws: MetricsError.unknownMetric("a")) { try registry.percentiles(for: "a") }
        #expect(throws: MetricsError.unknownMetric("a")) { try registry.record(handle, value: 1) }
        #expect(registry.totalRecorded == 5)
        #expect(registry.totalOverflow == 3)
        // Registering the name again starts from an empty buffer; the old handle stays dead.
        try registry.register(MetricDefinition(name: "a"))
        #expect(registry.summary(for: "a")?.count == 0)
        #expect(throws: MetricsError.unknownMetric("a")) { try registry.record(handle, value: 1) }
    }

    @Test func upsertCreatesThenReplacesWithANewRegistrationID() throws {
        let registry = makeRegistry()
        #expect(try registry.upsert(MetricDefinition(name: "api", capacity: 5)) == .created)
        let first = try #require(registry.registrationID(for: "api"))
        for value in 1...5 { try registry.record("api", value: Double(value), timestamp: Double(value)) }
        let replacement = MetricDefinition(
            name: "api", type: .gauge, unit: "s", description: "d", capacity: 5)
        #expect(try registry.upsert(replacement) == .replaced)
        let second = try #require(registry.registrationID(for: "api"))
        #expect(second != first)
        #expect(registry.definition(for: "api") == replacement)
        #expect(registry.summary(for: "api")?.count == 5)
        try registry.unregister("api")
        try registry.register(MetricDefinition(name: "api"))
        let third = try #require(registry.registrationID(for: "api"))
        #expect(third != first && third != second)
    }

    @Test func upsertThatShrinksCapacityKeepsTheNewestSamples() throws {
        let registry = makeRegistry()
        try registry.register(MetricDefinition(name: "api", capacity: 10))
        for value in 1...8 { try registry.record("api", value: Double(value), timestamp: Double(value)) }
        #expect(try registry.percentiles(for: "api").max == 8)
        try registry.upsert(MetricDefinition(name: "api", capacity: 3))
        let summary = try registry.percentiles(for: "api")
        #expect(summary.count == 3)
        #expect(summary.min == 6 && summary.max == 8)
        #expect(summary.oldestTimestamp == 6 && summary.newestTimestamp == 8)
        try registry.record("api", value: 9, timestamp: 9)
        #expect(try registry.percentiles(for: "api").min == 7)
    }

    @Test func upsertAndRegisterValidateTheCapacity() {
        let registry = makeRegistry()
        for capacity in [0, -5, MetricDefinition.maximumCapacity + 1] {
            #expect(throws: MetricsError.invalidCapacity(capacity, metric: "x")) {
                try registry.upsert(MetricDefinition(name: "x", capacity: capacity))
            }
            #expect(throws: MetricsError.invalidCapacity(capacity, metric: "x")) {
                try registry.register(MetricDefinition(name: "x", capacity: capacity))
            }
        }
        #expect(registry.metricCount == 0)
    }

    @Test func anUnsampledMetricHasNoSampleStorage() throws {
        let registry = makeRegistry()
        try registry.register(MetricDefinition(name: "quiet", capacity: 10_000))
        #expect(registry.storageBytes(for: "quiet") == 0)
        try registry.record("quiet", value: 1)
        #expect(registry.storageBytes(for: "quiet") == 160_000)
    }

    @Test func listIsSortedByNameWithCountsAndOverflow() throws {
        let registry = makeRegistry(.init(defaultCapacity: 2))
        for name in ["zeta", "alpha", "mid"] { try registry.record(name, value: 1, timestamp: 5) }
        try registry.record("zeta", value: 2, timestamp: 6)
        try registry.record("zeta", value: 3, timestamp: 7)
        let list = registry.list()
        #expect(list.map(\.definition.name) == ["alpha", "mid", "zeta"])
        #expect(list.map(\.count) == [1, 1, 2])
        #expect(list.map(\.overflow) == [0, 0, 1])
        #expect(list.last?.newestTimestamp == 7)
        #expect(registry.totalRecorded == 5)
        #expect(registry.totalOverflow == 1)
    }

    @Test func recordingWithoutATimestampUsesTheInjectedWallClock() throws {
        let registry = makeRegistry()
        clock.advance(by: .milliseconds(1_500))
        try registry.record("a", value: 1)
        #expect(registry.summary(for: "a")?.newestTimestamp == clock.nowMilliseconds())
        #expect(registry.wallClock.nowMilliseconds() == clock.nowMilliseconds())
    }

    @Test func aHandleRecordsIntoTheSameMetricAsTheName() throws {
        let registry = makeRegistry()
        let handle = try registry.handle(for: "fast")
        try registry.record(handle, value: 1)
        try registry.record("fast", value: 2)
        #expect(registry.summary(for: "fast")?.count == 2)
        let error = #expect(throws: MetricsError.self) { try registry.record(handle, value: .nan) }
        #expect(error?.kind == .nonFiniteValue)
    }
}
