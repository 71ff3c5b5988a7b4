import CoreMetrics

/// A `Timer`'s handler: each duration lands in the registry in ms.
final class RegistryTimer: TimerHandler {
    private let name: String
    private let sink: RegistrySink

    init(name: String, sink: RegistrySink) {
        self.name = name
        self.sink = sink
    }

    /// Records `duration` ns as `duration / 1,000,000` ms.
    func recordNanoseconds(_ duration: Int64) {
        sink.record(name, Double(duration) / 1_000_000)
    }
}
