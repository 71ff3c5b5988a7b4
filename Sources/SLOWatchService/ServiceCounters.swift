import Synchronization

/// Service-wide counters for the Prometheus exposition: each only ever grows while the process runs.
///
/// Every counter is an `Atomic` added to with relaxed ordering (one uncontended `lock xadd` on the path
/// that counts), and read the same way when `/metrics` is scraped; no count depends on another, so no
/// stronger ordering is needed.
final class ServiceCounters: Sendable {
    /// Samples recorded into the registry, from every source (JSON and text `POST /samples`, StatsD).
    let samplesAccepted = Atomic<UInt64>(0)
    /// StatsD lines recorded as samples (`|ms`, `|h`, `|d`, `|g`).
    let statsdLinesAccepted = Atomic<UInt64>(0)
    /// StatsD lines that were well formed but of a type slowatch does not keep (`|c` counters, `|s` sets),
    /// or whose new metric did not fit under the registry's `--max-metrics` limit.
    let statsdLinesRejected = Atomic<UInt64>(0)
    /// StatsD lines that could not be read (bad name, value, type or field).
    let statsdLinesBad = Atomic<UInt64>(0)
    /// Alerts that an Alertmanager accepted (one per alert per endpoint per successful post).
    let alertsSent = Atomic<UInt64>(0)
    /// Posts to an Alertmanager that failed (connection error, timeout or non-2xx), retries included.
    let alertDeliveryFailures = Atomic<UInt64>(0)

    /// Answers sent gzip-coded (`Content-Encoding: gzip`, see ``HTTPRouter/addCompressedAPI``), HEAD
    /// included.
    let gzipResponses = Atomic<UInt64>(0)

    /// All zero.
    init() {}

    /// Adds `amount` to `counter`.
    static func add(_ amount: Int, to counter: borrowing Atomic<UInt64>) {
        counter.wrappingAdd(UInt64(truncatingIfNeeded: amount), ordering: .relaxed)
    }

    /// The value of `counter` now.
    static func read(_ counter: borrowing Atomic<UInt64>) -> UInt64 { counter.load(ordering: .relaxed) }
}
