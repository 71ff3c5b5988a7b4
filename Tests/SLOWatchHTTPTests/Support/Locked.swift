import Synchronization

/// A value shared between a test and handlers running on server threads, guarded by a `Mutex`.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    /// Wraps `value`.
    init(_ value: Value) {
        mutex = Mutex(value)
    }

    /// The current value.
    var value: Value {
        mutex.withLock { $0 }
    }

    /// Mutates the value under the lock and returns `body`'s result.
    @discardableResult
    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        mutex.withLock { body(&$0) }
    }
}
