import SLOWatchPOSIX

/// An error starting an `HTTPServer`: the address could not be parsed, bound or listened on.
public struct HTTPServerError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case invalidAddress
        case socket
        case alreadyStarted
    }

    private let code: Code
    /// A sentence naming what failed and why.
    public var message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The host is not an IPv4 or IPv6 literal, or the port is out of range.
    static func invalidAddress(host: String, port: Int) -> HTTPServerError {
        HTTPServerError(
            .invalidAddress,
            "The address \"\(host)\" port \(port) is not an IPv4 or IPv6 literal with a port in 0...65535.")
    }

    /// A socket call failed with `errno`.
    static func socket(_ call: String, host: String, port: Int, errno code: Int32) -> HTTPServerError {
        HTTPServerError(
            .socket,
            "Could not \(call) \(host) port \(port): \(String(cString: strerror(code))) (errno \(code)).")
    }

    /// The socket layer's failure, with its message unchanged.
    init(_ error: SocketError) {
        self.init(error.kind == .invalidAddress ? .invalidAddress : .socket, error.message)
    }

    /// `start()` was called on a server that was already started.
    static let alreadyStarted = HTTPServerError(
        .alreadyStarted, "The HTTP server was already started; a server starts at most once.")

    /// The message.
    public var description: String { message }
}

#if canImport(Glibc)
    import Glibc
#endif
