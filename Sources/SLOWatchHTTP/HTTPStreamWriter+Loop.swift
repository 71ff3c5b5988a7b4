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

    /// Writes `chunk` like ``write(_:)``, but from the loop's own thread (inside ``runOnLoop(_:)``)
    /// straight to the socket when nothing waits before it: one `send` of the chunk framed once for
    /// every stream, with no command to the loop, no copy into the connection's output and no lock
    /// beyond the writer's own.
    ///
    /// Anywhere else (another thread, bytes already waiting, a full socket) it falls back to
    /// ``write(_:)``, with its bounds (`maxOutboundBytes`, the streams' byte budget). When the socket
    /// takes only part of the chunk, the rest (less than one chunk, at most `maxOutboundBytes`) waits
    /// in the connection's output for the socket's next `EPOLLOUT`, and the write-stall timeout
    /// applies to it.
    /// - Returns: false once the client is gone, was dropped, or the stream was finished.
    @discardableResult public func writeOnLoop(_ chunk: HTTPStreamChunk) -> Bool {
        let bytes = isChunked ? chunk.framed : chunk.payload
        // A chunk larger than the outbound bound could leave more than it unsent: `write` refuses it.
        guard !bytes.isEmpty, bytes.count <= maxOutboundBytes, let connection,
            connection.loop.isCurrentThread, connection.canSendStreamDirectly
        else { return write(chunk.payload) }
        guard let sent = ifNothingPending({ connection.sendNow(bytes) }) else { return write(chunk.payload) }
        return connection.directSendEnded(bytes, sent: sent)
    }
}
