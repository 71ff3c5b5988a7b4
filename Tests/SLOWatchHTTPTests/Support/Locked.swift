import SLOWatchSync

/// A value shared between a test and handlers running on server threads, guarded by a pthread mutex
/// (`PThreadLock`), which ThreadSanitizer can see even when the lock is contended.
final class Locked<Value: Sendable>: Sendable {
    private let lock: PThreadLock<Value>

    /// Wraps `value`.
    init(_ value: Value) {
        lock = PThreadLock(value)
    }

    /// The current value.
    var value: Value {
        lock.withLock { $0 }
    }

    /// Mutates the value under the lock and returns `body`'s result.
    @discardableResult
    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        lock.withLock { body(&$0) }
    }
}
