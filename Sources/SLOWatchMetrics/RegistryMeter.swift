import CoreMetrics
import SLOWatchSync

/// A `Meter`'s handler: the meter's value lands in the registry after each change.
final class RegistryMeter: MeterHandler {
    private let name: String
    private let sink: RegistrySink
    /// The current value; samples are recorded under the lock so that they land in change order.
    private let value = PThreadLock<Double>(0)

    init(name: String, sink: RegistrySink) {
        self.name = name
        self.sink = sink
    }

    func set(_ value: Int64) { set(Double(value)) }

    func set(_ value: Double) { change { $0 = value } }

    func increment(by amount: Double) { change { $0 += amount } }

    func decrement(by amount: Double) { change { $0 -= amount } }

    private func change(_ body: (inout Double) -> Void) {
        value.withLock {
            body(&$0)
            sink.record(name, $0)
        }
    }
}
