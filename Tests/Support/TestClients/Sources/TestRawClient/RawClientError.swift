/// A failure of the raw-socket test client.
public struct RawClientError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case system(Int32)
        case timeout
        case closed
        case malformed
    }

    private let code: Code

    /// A human sentence naming what failed.
    public let message: String

    private init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// A socket call failed with `errno`.
    public static func system(_ call: String, errno: Int32) -> RawClientError {
        RawClientError(code: .system(errno), message: "\(call) failed with errno \(errno).")
    }

    /// Nothing (or not enough) arrived within the read timeout.
    public static func timeout(after milliseconds: Int, waitingFor what: String) -> RawClientError {
        RawClientError(code: .timeout, message: "No \(what) arrived within \(milliseconds) ms.")
    }

    /// The server closed the connection before a complete `what` arrived.
    public static func closed(waitingFor what: String) -> RawClientError {
        RawClientError(code: .closed, message: "The server closed the connection before a complete \(what).")
    }

    /// The bytes received are not a valid HTTP/1.1 response.
    public static func malformed(_ detail: String) -> RawClientError {
        RawClientError(code: .malformed, message: "The response is malformed: \(detail).")
    }

    /// True when the failure was a read timeout.
    public var isTimeout: Bool { code == .timeout }

    /// True when the server closed before the expected bytes arrived.
    public var isClosed: Bool { code == .closed }

    /// The errno of a failed socket call, if that was the failure.
    public var errno: Int32? {
        if case .system(let value) = code { return value }
        return nil
    }

    public var description: String { message }
}
