import CoreMetrics
import SLOWatchSync

/// A `Counter`'s handler: the running total lands in the registry after each change.
final class RegistryCounter: CounterHandler {
    private let name: String
    private let sink: RegistrySink
    /// The total; samples are recorded under the lock so that they land in change order.
    private let total = PThreadLock<Int64>(0)

    init(name: String, sink: RegistrySink) {
        self.name = name
        self.sink = sink
    }

    /// Adds `amount` (saturating at `Int64.max`) and records the new total.
    func increment(by amount: Int64) {
        total.withLock {
            let (sum, overflow) = $0.addingReportingOverflow(amount)
            $0 = overflow ? (amount > 0 ? .max : .min) : sum
            sink.record(name, Double($0))
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
