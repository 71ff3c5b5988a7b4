import Logging
import SLOWatchCoreTesting
import SLOWatchSync
import Testing

@testable import SLOWatchCore

/// Captures the core's log lines so tests can check what was logged.
typealias SLOTestLog = LogCapture

extension Logger {
    /// A logger that discards every line, for tests that do not look at the log.
    static let silent = Logger(label: "slowatch.test", factory: { _ in SwiftLogNoOpLogHandler() })
}

/// Collects values from any thread.
final class SLOTestCollector<Value: Sendable>: Sendable {
    private let storage = PThreadLock<[Value]>([])

    func append(_ value: Value) { storage.withLock { $0.append(value) } }
    var values: [Value] { storage.withLock { $0 } }
    var count: Int { storage.withLock { $0.count } }
}

/// Polls `condition` every 2 ms until it holds or `timeout` passes; returns its last value.
///
/// The default timeout is long (30 s) on purpose: a passing test returns as soon as the condition
/// holds, and on a loaded 2-core CI machine the polling task itself may not run for seconds.
func sloWaitUntil(timeout: Duration = .seconds(30), _ condition: @Sendable () -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(2))
    }
    return condition()
}

@Suite struct EventBusTestSupportTests {
    @Test func waitUntilReportsAConditionThatNeverHolds() async {
        #expect(await sloWaitUntil(timeout: .milliseconds(20)) { false } == false)
    }
}
