import CoreMetrics
import SLOWatchSync

/// A `FloatingPointCounter`'s handler: the running total lands in the registry after each change.
final class RegistryFloatingPointCounter: FloatingPointCounterHandler {
    private let name: String
    private let sink: RegistrySink
    /// The total; samples are recorded under the lock so that they land in change order.
    private let total = PThreadLock<Double>(0)

    init(name: String, sink: RegistrySink) {
        self.name = name
        self.sink = sink
    }

    /// Adds `amount` and records the new total.
    func increment(by amount: Double) {
        total.withLock {
            $0 += amount
            sink.record(name, $0)
        }
    }

    /// Sets the total to 0 and records it.
    func reset() {
        total.withLock {
            $0 = 0
            sink.record(name, 0)
        }
    }
}
