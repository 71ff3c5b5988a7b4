extension Connection {
    /// How many ``HTTPStreamWriter/loopChunkBytes`` slices one service of a stream copies and sends at
    /// most, so that a fast reader with a long backlog cannot hold the loop for long; the rest follows on
    /// the next loop iteration.
    static let streamRoundsPerService = 4

    /// Refuses a stream request because every stream slot is taken: 503 `too_many_streams` with
    /// `Retry-After: 2` (the SSE reconnection delay), then the connection closes, freeing its slot.
    func refuseStream(head: RequestHead) {
        respondError(
            .tooManyStreams(limit: loop.streamBudget.maxStreams), close: true,
            extraHeaders: ["Retry-After": "2"], head: head)
    }

    /// The writer has bytes or a finish queued (its `streamReady` command).
    ///
    /// A client that has not taken what already waits gets nothing more copied now: the `EPOLLOUT` edge
    /// of its socket resumes the stream (``serviceStream()``). So a stalled stream costs the loop one
    /// check per event, and its writer posts no further command until the loop takes its bytes.
    func pullStream() {
        guard writer != nil, case .streaming = machine.state, !sendBlocked else { return }
        serviceStream()
    }

    /// Copies the writer's queued bytes into the output a slice at a time and sends them, for at most
    /// ``streamRoundsPerService`` slices; asks to be serviced again at the end of the loop iteration when
    /// more waits and the socket can take it.
    func serviceStream() {
        for _ in 0..<Self.streamRoundsPerService {
            refillStream()
            flush()
            if isClosed { return }
            if sendBlocked || writer?.hasPending != true { break }
        }
        if machine.inputClosed {
            perform(machine.inputEnded(outputPending: unsentBytes > 0))
            return
        }
        if !sendBlocked, writer?.hasPending == true { loop.deferService(self) }
    }

    /// Moves up to ``HTTPStreamWriter/loopChunkBytes`` of the writer's queued bytes into the output
    /// (framed), unless that much already waits there.
    private func refillStream() {
        guard let writer, case .streaming = machine.state else { return }
        let room = HTTPStreamWriter.loopChunkBytes - unsentBytes
        guard room > 0 else { return }
        if writer.takePending(into: &output, limit: room) { machine.streamFinished() }
    }
}
