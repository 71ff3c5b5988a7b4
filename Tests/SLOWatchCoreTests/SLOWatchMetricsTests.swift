import CoreMetrics
import SLOWatchCore
import SLOWatchCoreTesting
import SLOWatchMetrics
import Testing

/// The swift-metrics backend, driven through factories passed explicitly (never `bootstrap`, which
/// a process may call only once).
@Suite struct SLOWatchMetricsTests {
    private let clock = ManualClock()
    private let registry: MetricsRegistry
    private let metrics: SLOWatchMetrics

    init() {
        registry = MetricsRegistry(wallClock: clock, monotonicClock: clock)
        metrics = SLOWatchMetrics(registry: registry)
    }

    private func samples(_ name: String) throws -> [Double] {
        Array(try registry.recentSamples(for: name, limit: 100).map(\.value).reversed())
    }

    @Test func aTimerLandsInMilliseconds() throws {
        let timer = CoreMetrics.Timer(label: "checkout", dimensions: [], factory: metrics)
        timer.recordNanoseconds(1_500_000)
        timer.recordMilliseconds(250)
        timer.recordSeconds(2)
        #expect(try samples("checkout") == [1.5, 250, 2_000])
        #expect(registry.definition(for: "checkout")?.unit == "ms")
        #expect(
            try registry.recentSamples(for: "checkout", limit: 10).allSatisfy {
                $0.timestamp == clock.nowMilliseconds()
            })
    }

    @Test func aRecorderOrGaugeLandsUnchanged() throws {
        let recorder = Recorder(label: "payload.bytes", dimensions: [], aggregate: true, factory: metrics)
        recorder.record(512)
        recorder.record(0.25)
        #expect(try samples("payload.bytes") == [512, 0.25])
        let gauge = Gauge(label: "temperature", dimensions: [], factory: metrics)
        gauge.record(21.5)
        gauge.record(19)
        #expect(try samples("temperature") == [21.5, 19])
    }

    @Test func aMeterRecordsTheValueItHoldsAfterEachChange() throws {
        let meter = Meter(label: "queue.depth", dimensions: [], factory: metrics)
        meter.set(10)
        meter.increment(by: 5)
        meter.decrement(by: 12)
        #expect(try samples("queue.depth") == [10, 15, 3])
    }

    @Test func countersRecordTheirRunningTotal() throws {
        let counter = Counter(label: "requests", dimensions: [], factory: metrics)
        counter.increment(by: 2)
        counter.increment()
        counter.reset()
        counter.increment(by: Int64.max)
        counter.increment(by: 1)
        #expect(try samples("requests") == [2, 3, 0, Double(Int64.max), Double(Int64.max)])
        let floating = FloatingPointCounter(label: "energy", dimensions: [], factory: metrics)
        floating.increment(by: 0.5)
        floating.increment(by: 1.25)
        floating.reset()
        #expect(try samples("energy") == [0.5, 1.75, 0])
    }

    @Test func dimensionsAndForbiddenCharactersStillMakeAValidName() throws {
        #expect(
            SLOWatchMetrics.metricName(label: "checkout", dimensions: [("region", "eu")])
                == "checkout:region:eu")
        #expect(SLOWatchMetrics.metricName(label: "http request/s", dimensions: []) == "http_request_s")
        #expect(SLOWatchMetrics.metricName(label: "_x", dimensions: []) == "m_x")
        #expect(SLOWatchMetrics.metricName(label: "", dimensions: []) == "m")
        #expect(
            SLOWatchMetrics.metricName(label: String(repeating: "a", count: 300), dimensions: []).count == 128
        )
        let timer = CoreMetrics.Timer(label: "Ünïcode label", dimensions: [("k", "v w")], factory: metrics)
        timer.recordMilliseconds(3)
        #expect(try samples("m_n_code_label:k:v_w") == [3])
        #expect(metrics.rejectedSamples == 0)
    }

    @Test func aRefusedValueIsCountedAndLoggedNotDroppedSilently() throws {
        let strict = MetricsRegistry(
            configuration: .init(autoRegister: false), wallClock: clock, monotonicClock: clock)
        let log = LogCapture()
        let backend = SLOWatchMetrics(registry: strict, logger: log.logger)
        let timer = CoreMetrics.Timer(label: "unknown", dimensions: [], factory: backend)
        timer.recordMilliseconds(7)
        Recorder(label: "nan", dimensions: [], factory: backend).record(Double.nan)
        #expect(backend.rejectedSamples == 2)
        let warnings = log.messages(atLeast: .warning)
        #expect(warnings.count == 2)
        #expect(warnings.first?.contains("unknown") == true)
    }
}
