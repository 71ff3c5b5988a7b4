/// One header field as received: the name as the server spelled it, and the value without surrounding
/// whitespace.
package struct CurlHeaderField: Sendable, Equatable {
    /// The field name.
    package var name: String
    /// The field value.
    package var value: String
}

/// A completed response as libcurl saw it.
package struct CurlResponse: Sendable {
    /// The final status code (e.g. 200).
    package var status: Int
    /// Statuses of interim (1xx) responses seen before the final one, in order (e.g. `[100]`).
    package var interimStatuses: [Int]
    /// The final response's header fields, in order.
    package var headers: [CurlHeaderField]
    /// The body bytes (decoded from chunked framing when the server used it).
    package var body: [UInt8]
    /// `CURLINFO_NUM_CONNECTS`: new connections made for this transfer; 0 when a connection was reused.
    package var numConnects: Int
    /// True when the transfer was stopped early because `onChunk` returned false (streams only).
    package var stoppedByClient: Bool

    /// The first value of the header `name` (case-insensitive), if present.
    package func header(_ name: String) -> String? {
        values(name).first
    }

    /// All values of the header `name` (case-insensitive), in order.
    package func values(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// The body decoded as UTF-8 (invalid sequences repaired).
    package var bodyText: String {
        String(decoding: body, as: UTF8.self)
    }
}
