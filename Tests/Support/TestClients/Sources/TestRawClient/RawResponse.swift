import Foundation

/// One HTTP response parsed by `RawClient`.
public struct RawResponse: Sendable {
    /// The status line's version, e.g. "HTTP/1.1".
    public var version: String
    /// The status code.
    public var status: Int
    /// The reason phrase.
    public var reason: String
    /// Header fields in order, as received.
    public var headers: [(name: String, value: String)]
    /// The body, decoded from chunked framing when the server used it.
    public var body: [UInt8]
    /// Trailer fields of a chunked body.
    public var trailers: [(name: String, value: String)] = []

    /// The first value of `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        values(name).first
    }

    /// All values of `name` (case-insensitive), in order.
    public func values(_ name: String) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.name.lowercased() == wanted }.map(\.value)
    }

    /// The comma-separated tokens of every `name` field, trimmed (e.g. `Allow`, `Connection`).
    public func tokens(_ name: String) -> [String] {
        values(name).flatMap { $0.split(separator: ",") }.map {
            $0.trimmingCharacters(in: .whitespaces)
        }
    }

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The `error.code` of a JSON error body `{"error":{"code":…,"message":…}}`, or nil when the body is
    /// not such a document.
    public var errorCode: String? { errorBody?.error.code }

    /// The `error.message` of a JSON error body, or nil when the body is not such a document.
    public var errorMessage: String? { errorBody?.error.message }

    private var errorBody: ErrorDocument? {
        try? JSONDecoder().decode(ErrorDocument.self, from: Data(body))
    }

    /// Status, body, and headers other than `Date`, for comparing two responses to the same request.
    public var comparable: String {
        let fields = headers.filter { $0.name.lowercased() != "date" }.map { "\($0.name): \($0.value)" }
        return "\(status)\n\(fields.joined(separator: "\n"))\n\n\(bodyText)"
    }
}

private struct ErrorDocument: Decodable {
    struct Detail: Decodable {
        var code: String
        var message: String
    }

    public var error: Detail
}
