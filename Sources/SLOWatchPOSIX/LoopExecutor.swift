/// Something that runs closures on one event-loop thread, in the order they were handed over: how the
/// ``BlockingPool`` hands a result back.
package protocol LoopExecutor: Sendable {
    /// Queues `task` to run on the loop's thread. Never blocks.
    /// - Returns: false when the loop has stopped; `task` then never runs.
    @discardableResult func execute(_ task: @escaping @Sendable () -> Void) -> Bool
}
