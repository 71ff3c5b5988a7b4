import CoreMetrics

/// A `Recorder`'s handler: each value lands in the registry unchanged.
final class RegistryRecorder: RecorderHandler {
    private let name: String
    private let sink: RegistrySink

    init(name: String, sink: RegistrySink) {
        self.name = name
        self.sink = sink
    }

    func record(_ value: Int64) { sink.record(name, Double(value)) }

    func record(_ value: Double) { sink.record(name, value) }
}
