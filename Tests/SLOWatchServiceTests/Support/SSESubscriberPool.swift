import Glibc

/// Many raw SSE subscribers to `GET /slo/violations`, driven from one thread with `poll`, for churn
/// tests: each slot holds one connection at a time; reconnecting a slot sends `Last-Event-ID` with the
/// last id the slot saw, so the ids a slot receives across all its connections must strictly increase.
///
/// The requests are HTTP/1.0, so the body arrives unframed (no chunk sizes to strip) and every `id: N`
/// line of it is an event id. Not `Sendable`: confined to the test that created it.
final class SSESubscriberPool {
    /// One slot's current connection and everything it has seen.
    private struct Slot {
        var fd: Int32 = -1
        /// Bytes after the last complete line.
        var pending: [UInt8] = []
        /// The last event id received by this slot (over all its connections); 0 for none.
        var lastID = 0
        /// Events received by this slot.
        var events = 0
        /// Ids that repeated or went backwards, as "previous→received".
        var misordered: [String] = []
    }

    private let port: Int
    private var slots: [Slot]
    /// The read buffer, reused by every read.
    private var chunk = [UInt8](repeating: 0, count: 64 * 1024)
    /// Connections that failed to connect or to send their request.
    private(set) var connectFailures = 0
    /// Connections made, reconnections included.
    private(set) var connections = 0

    /// Creates `count` empty slots for the server on 127.0.0.1:`port`.
    init(port: Int, count: Int) {
        self.port = port
        slots = Array(repeating: Slot(), count: count)
    }

    deinit {
        for slot in slots where slot.fd >= 0 { Glibc.close(slot.fd) }
    }

    /// The number of slots.
    var count: Int { slots.count }

    /// Events received over every slot.
    var totalEvents: Int { slots.reduce(0) { $0 + $1.events } }

    /// Every repeated or backwards id, with its slot.
    var misordered: [String] {
        slots.indices.flatMap { index in slots[index].misordered.map { "slot \(index): \($0)" } }
    }

    /// Slots with an open connection.
    var openCount: Int { slots.filter { $0.fd >= 0 }.count }

    /// Whether slot `index` has an open connection.
    func isOpen(_ index: Int) -> Bool { slots[index].fd >= 0 }

    /// Closes slot `index`'s connection, if any, after reading what already arrived.
    func disconnect(_ index: Int) {
        guard slots[index].fd >= 0 else { return }
        readAvailable(index)
        if slots[index].fd >= 0 { Glibc.close(slots[index].fd) }
        slots[index].fd = -1
        slots[index].pending = []
    }

    /// Opens a new connection for slot `index` (closing the old one), resuming after its last id.
    func connect(_ index: Int) {
        disconnect(index)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else {
            connectFailures += 1
            return
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        var request = "GET /slo/violations HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
        if slots[index].lastID > 0 { request += "Last-Event-ID: \(slots[index].lastID)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8)
        let sent =
            connected == 0
            ? bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } : -1
        guard sent == bytes.count else {
            Glibc.close(fd)
            connectFailures += 1
            return
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        slots[index].fd = fd
        connections += 1
    }

    /// Waits up to `milliseconds` for input on any open connection and reads all that arrived.
    func pump(milliseconds: Int32) {
        var entries: [pollfd] = []
        var owners: [Int] = []
        for index in slots.indices where slots[index].fd >= 0 {
            entries.append(pollfd(fd: slots[index].fd, events: Int16(POLLIN), revents: 0))
            owners.append(index)
        }
        guard !entries.isEmpty else { return }
        let ready = poll(&entries, nfds_t(entries.count), milliseconds)
        guard ready > 0 else { return }
        for (position, entry) in entries.enumerated() where entry.revents != 0 {
            readAvailable(owners[position])
        }
    }

    /// Reads what slot `index`'s socket holds and parses its complete lines; closes it at EOF or error.
    private func readAvailable(_ index: Int) {
        while slots[index].fd >= 0 {
            let fd = slots[index].fd
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                slots[index].pending += chunk[..<count]
                parseLines(index)
                continue
            }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            if count < 0 && errno == EINTR { continue }
            Glibc.close(slots[index].fd)
            slots[index].fd = -1
            slots[index].pending = []
        }
    }

    /// Takes the complete lines off slot `index`'s pending bytes and checks each `id:` line's order.
    private func parseLines(_ index: Int) {
        // Taken out of the slot while parsing, so that trimming it does not copy it.
        var slot = Slot()
        swap(&slot, &slots[index])
        defer { swap(&slot, &slots[index]) }
        var lineStart = 0
        slot.pending.withUnsafeBufferPointer { bytes in
            for position in bytes.indices where bytes[position] == 10 {
                if let id = Self.eventID(bytes[lineStart..<position]) {
                    if id <= slot.lastID { slot.misordered.append("\(slot.lastID)→\(id)") }
                    slot.lastID = max(slot.lastID, id)
                    slot.events += 1
                }
                lineStart = position + 1
            }
        }
        slot.pending.removeFirst(lineStart)
    }

    /// The number of an `id: N` line (without its newline), else nil.
    private static func eventID(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
        guard line.count > 4, line.starts(with: "id: ".utf8) else { return nil }
        var value = 0
        for byte in line.dropFirst(4) {
            guard byte >= 48 && byte <= 57, value < Int.max / 10 - 9 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        return value
    }
}
