import Logging
import SLOWatchCore
import Synchronization

/// The registry and the refusal count that every handler of one ``SLOWatchMetrics`` shares.
final class RegistrySink: Sendable {
    let registry: MetricsRegistry
    private let logger: Logger
    private let rejectedCount = Atomic<UInt64>(0)

    init(registry: MetricsRegistry, logger: Logger) {
        self.registry = registry
        self.logger = logger
    }

    /// How many values the registry refused.
    var rejected: UInt64 { rejectedCount.load(ordering: .relaxed) }

    /// Records `value` into `name` at the registry's wall-clock time; a refusal is counted and logged.
    func record(_ name: String, _ value: Double) {
        do {
            try registry.record(name, value: value)
        } catch {
            rejectedCount.add(1, ordering: .relaxed)
            logger.warning("swift-metrics value \(value) for \(name) refused: \(error.message)")
        }
    }
}
