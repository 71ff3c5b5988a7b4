import SLOWatchCore
import SLOWatchService

/// Events for tests that go through a live service: an SLO event published as the monitor would, and an
/// event stream that is known to be subscribed. SLOWatchIntegrationTests links this file into its Support/.
enum TestEvents {
    /// Publishes an SLO event shaped like the monitor's, for metric `metric` and SLO `<metric>-p95`.
    @discardableResult
    static func publish(
        _ kind: SLOEvent.Kind, metric: String, on bus: EventBus, actual: Double = 75
    ) throws -> Event {
        let event = SLOEvent(
            kind: kind, slo: "\(metric)-p95", metric: metric, percentile: "p95", quantile: 0.95,
            threshold: 60,
            actual: actual, unit: "ms", direction: .above, count: 20, timestamp: 1_764_393_600_000,
            violatingForMs: kind == .recovery ? 1500 : nil, reason: kind == .recovery ? .withinThreshold : nil
        )
        return try bus.publish(topic: event.topic, payload: event.payload)
    }

    /// Connects a reader and waits until the service has `subscribers` live streams (each gets every
    /// event published from then on).
    static func connect(
        _ service: TestService, _ path: String = "/slo/violations", headers: [(String, String)] = [],
        subscribers: Int = 1
    ) throws -> SSEReader {
        let reader = SSEReader(url: service.url(path), headers: headers)
        let live = reader.wait { _ in service.service.openEventStreams >= subscribers }
        guard live else { throw TestServiceError("the stream \(path) did not subscribe within 10 s") }
        return reader
    }
}
