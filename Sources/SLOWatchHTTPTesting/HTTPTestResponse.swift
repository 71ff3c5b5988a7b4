/// A response from ``HTTPTestClient``: the bytes a connection would write, and their parts.
public struct HTTPTestResponse: Sendable {
    /// The whole response as it would go on the wire: status line, header section, body.
    public let bytes: [UInt8]
    /// True when the route streams: ``bytes`` hold only the head written before the first chunk.
    public let isStream: Bool
    /// The status code, e.g. 200; 0 when ``bytes`` hold no status line (never for a router's answer).
    public let status: Int
    /// The header fields in order, the server's (`Date`, `Server`, `Content-Length`, …) included.
    public let headers: [(name: String, value: String)]
    /// The body bytes (empty for HEAD, 204, 304, and a stream's head).
    public let body: [UInt8]

    /// Splits `bytes` into status, fields and body.
    init(bytes: [UInt8], isStream: Bool) {
        self.bytes = bytes
        self.isStream = isStream
        let end = Self.headEnd(bytes)
        let head = String(decoding: bytes[..<(end ?? bytes.count)], as: UTF8.self)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusLine = lines.isEmpty ? "" : lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        status = parts.count >= 2 ? Int(parts[1]) ?? 0 : 0
        headers = lines.compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let value = line[line.index(after: colon)...].drop { $0 == " " }
            return (name: String(line[..<colon]), value: String(value))
        }
        body = end.map { Array(bytes[($0 + 4)...]) } ?? []
    }

    /// The first value of the field `name` (case-insensitive), or nil.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Every value of the field `name` (case-insensitive), in order.
    public func values(_ name: String) -> [String] {
        headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// The body as UTF-8 text (invalid bytes replaced).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The index of the `\r\n\r\n` that ends the head, or nil.
    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10
        {
            return index
        }
        return nil
    }
}
