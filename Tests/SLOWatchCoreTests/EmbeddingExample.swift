import CoreMetrics
import SLOWatchCore
import SLOWatchMetrics
import SLOWatchSync

/// The embedding example of docs/library.md, verbatim between the markers (one indent level removed): an app
/// feeds the core through swift-metrics and gets an SLO violation in-process, without HTTP.
/// `ReadmeExampleTests` runs it and checks that the page's block is this text.
enum EmbeddingExample {
    static func run() async throws {
        // README:begin
        // The app's registry, fed through swift-metrics: a Timer's durations land in it, in ms.
        let registry = MetricsRegistry()
        MetricsSystem.bootstrap(SLOWatchMetrics(registry: registry))

        // One SLO, checked by a monitor that publishes to an in-process event bus.
        let bus = EventBus()
        let violations = try bus.stream(topics: ["perf.slo_violation"]).stream
        let slo = try SLODefinition(id: "checkout-p95", metric: "checkout", percentile: "p95", threshold: 250)
        let monitor = try SLOMonitor(registry: registry, slos: [slo], publisher: bus)

        // The app measures as it always did.
        let timer = Timer(label: "checkout")
        for milliseconds in [120, 180, 240, 900] {
            timer.recordMilliseconds(milliseconds)
        }

        // A check (or `monitor.start(interval: .seconds(5))` for one every 5 s) finds the breach,
        // and the violation arrives on the bus.
        monitor.checkAll()
        for await event in violations.events {
            print(event.topic, event.sequence)  // perf.slo_violation 1
            break
        }
        violations.cancel()
        // README:end
    }

    /// What the example printed, one line per `print` call.
    static var printed: [String] { lines.withLock { $0 } }

    fileprivate static let lines = PThreadLock<[String]>([])
}

/// Catches the example's output, so the test checks what a reader would see.
private func print(_ items: Any...) {
    let line = items.map { "\($0)" }.joined(separator: " ")
    EmbeddingExample.lines.withLock { $0.append(line) }
}
