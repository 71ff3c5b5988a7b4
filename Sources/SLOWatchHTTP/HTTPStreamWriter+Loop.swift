extension HTTPStreamWriter {
    /// Identifies the event loop that serves this stream's connection: equal for every stream of one
    /// loop, different between loops; nil for a writer outside a server.
    ///
    /// A route that feeds many streams groups them by this key, so that it can hand each loop one batch
    /// of work (``runOnLoop(_:)``) instead of one cross-thread message per stream.
    public var loopKey: ObjectIdentifier? { mailbox.map { ObjectIdentifier($0.mailbox) } }

    /// Runs `body` on the thread of this stream's event loop, after the work already queued for it.
    ///
    /// `body` must be quick and must not block: every connection of the loop waits while it runs.
    /// - Returns: false, without running `body`, when the writer has no loop or the loop has stopped.
    @discardableResult public func runOnLoop(_ body: @escaping @Sendable () -> Void) -> Bool {
        mailbox?.post(.run(body)) ?? false
    }
}
