/// Why a request was refused while parsing or routing, with the status the server answers.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The response status, e.g. 400.
    public let status: Int
    /// A sentence naming what was wrong.
    public let message: String

    /// `400: <message>`.
    public var description: String { "\(status): \(message)" }

    private init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    /// 400: malformed syntax or framing.
    static func badRequest(_ message: String) -> HTTPParseError { HTTPParseError(400, message) }
    /// 413: the body is larger than the limit (bytes).
    static func payloadTooLarge(limit: Int) -> HTTPParseError {
        HTTPParseError(413, "The request body is larger than the limit of \(limit) bytes.")
    }
    /// 414: the request line is longer than the limit (bytes).
    static func uriTooLong(limit: Int) -> HTTPParseError {
        HTTPParseError(414, "The request line is longer than the limit of \(limit) bytes.")
    }
    /// 431: the header section is too large or has too many fields.
    static func headerFieldsTooLarge(_ message: String) -> HTTPParseError { HTTPParseError(431, message) }
    /// 501: a method or transfer coding the server does not implement.
    static func notImplemented(_ message: String) -> HTTPParseError { HTTPParseError(501, message) }
    /// 505: an HTTP major version other than 1.
    static func versionNotSupported(_ version: String) -> HTTPParseError {
        HTTPParseError(505, "The HTTP version \"\(version)\" is not supported; this server speaks HTTP/1.x.")
    }
}
