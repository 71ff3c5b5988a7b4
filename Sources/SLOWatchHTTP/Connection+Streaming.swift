#if canImport(Glibc)
    import Glibc
#endif

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

extension Connection {
    /// True when a stream chunk may go straight to the socket (``HTTPStreamWriter/writeOnLoop(_:)``):
    /// the stream is live, and the last send left nothing waiting.
    var canSendStreamDirectly: Bool {
        guard writer != nil, case .streaming(finished: false) = machine.state else { return false }
        return !sendBlocked && unsentBytes == 0
    }

    /// One `send` of `bytes` (retried on `EINTR`): the bytes the socket took (0 when it is full), or
    /// `-errno` when the connection failed. Calls nothing else, so it may run under the writer's lock.
    func sendNow(_ bytes: [UInt8]) -> Int {
        while true {
            let count = bytes.withUnsafeBytes { buffer in
                send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            }
            if count >= 0 { return count }
            let code = errno
            if code == EINTR { continue }
            return code == EAGAIN || code == EWOULDBLOCK ? 0 : -Int(code)
        }
    }

    /// After ``sendNow(_:)`` sent `sent` of `bytes` directly: keeps the rest in the output until the
    /// socket's next `EPOLLOUT` (the write-stall clock starts now), or closes on a failed send.
    /// - Returns: false when the connection closed.
    func directSendEnded(_ bytes: [UInt8], sent: Int) -> Bool {
        guard sent >= 0 else {
            close()
            return false
        }
        guard sent < bytes.count else { return true }
        output.append(contentsOf: bytes[sent...])
        outputSent = 0
        lastWriteProgress = loop.now
        sentSinceProgress = 0
        sendBlocked = true
        loop.watchTimers(self)
        writer?.setUnsent(unsentBytes)
        return true
    }
}
