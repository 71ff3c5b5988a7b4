/// One TCP connection of the StatsD listener: its descriptor and the part of a line read so far.
///
/// Not thread-safe: owned by the listener's thread.
struct StatsDConnection {
    /// The socket.
    let fd: Int32
    /// The bytes of the current line read so far, without a `\n` (at most the line limit).
    var pending: [UInt8] = []
    /// Whether the current line went over the line limit: it was counted as bad, and its bytes are
    /// skipped up to the next `\n`.
    var discarding = false
    /// When the connection last sent bytes, in ns on the monotonic clock.
    var lastActivity: UInt64
    /// Set once the connection is to be closed (end of stream, error, idle).
    var isClosed = false

    /// A new connection, active `now` (ns).
    init(fd: Int32, now: UInt64) {
        self.fd = fd
        lastActivity = now
    }

    /// Splits `bytes` (the next part of the stream) into lines and hands each complete one to `ingest`;
    /// keeps an unfinished last line for the next read.
    /// - Parameters:
    ///   - bytes: what was read.
    ///   - maxLineBytes: the longest line taken; a longer one is counted as bad once and skipped.
    ///   - ingest: takes the lines.
    ///   - now: the monotonic time, in ns.
    mutating func receive(
        _ bytes: UnsafeBufferPointer<UInt8>, maxLineBytes: Int, into ingest: inout StatsDIngest, now: UInt64
    ) {
        lastActivity = now
        var start = 0
        while start < bytes.count {
            guard let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                keep(
                    UnsafeBufferPointer(rebasing: bytes[start...]), maxLineBytes: maxLineBytes,
                    ingest: &ingest, now: now)
                return
            }
            let segment = UnsafeBufferPointer(rebasing: bytes[start..<newline])
            start = newline + 1
            if discarding {
                discarding = false
                continue
            }
            if pending.isEmpty {
                take(segment, maxLineBytes: maxLineBytes, ingest: &ingest, now: now)
            } else {
                pending.append(contentsOf: segment)
                pending.withUnsafeBufferPointer {
                    take($0, maxLineBytes: maxLineBytes, ingest: &ingest, now: now)
                }
                pending.removeAll(keepingCapacity: pending.capacity <= 4_096)
            }
        }
    }

    /// The stream ended: a last line without `\n` counts, as a StatsD client may not end its last line.
    mutating func finish(into ingest: inout StatsDIngest, now: UInt64) {
        if !discarding, !pending.isEmpty {
            pending.withUnsafeBufferPointer { ingest.add(line: $0, from: .tcp, now: now) }
        }
        pending = []
        isClosed = true
    }

    /// The connection idled out: an unfinished line was cut off, and is counted as bad.
    mutating func expire(into ingest: inout StatsDIngest, now: UInt64) {
        if !discarding, !pending.isEmpty {
            pending.withUnsafeBufferPointer { ingest.refuse(.cutOff, line: $0, from: .tcp, now: now) }
        }
        pending = []
        isClosed = true
    }

    /// Hands a complete line to `ingest`, or counts it as bad when over the limit.
    private func take(
        _ line: UnsafeBufferPointer<UInt8>, maxLineBytes: Int, ingest: inout StatsDIngest, now: UInt64
    ) {
        if line.count > maxLineBytes {
            ingest.refuse(.tooLong(limit: maxLineBytes), line: line, from: .tcp, now: now)
        } else {
            ingest.add(line: line, from: .tcp, now: now)
        }
    }

    /// Keeps the start of an unfinished line, or, once it passes the limit, counts it as bad and skips
    /// the rest of it.
    private mutating func keep(
        _ part: UnsafeBufferPointer<UInt8>, maxLineBytes: Int, ingest: inout StatsDIngest, now: UInt64
    ) {
        guard !discarding else { return }
        if pending.count + part.count > maxLineBytes {
            pending.append(contentsOf: part.prefix(max(maxLineBytes - pending.count, 0)))
            pending.withUnsafeBufferPointer {
                ingest.refuse(.tooLong(limit: maxLineBytes), line: $0, from: .tcp, now: now)
            }
            pending = []
            discarding = true
        } else {
            pending.append(contentsOf: part)
        }
    }
}
