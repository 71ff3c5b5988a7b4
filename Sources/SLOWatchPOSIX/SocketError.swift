#if canImport(Glibc)
    import Glibc
#endif

/// A socket could not be opened, bound or listened on: which call failed, on which address, and why.
///
/// An extensible error struct (as in NIO): the kinds are static constructors, so new ones can be added
/// without breaking a `switch`.
package struct SocketError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Whether the address itself was refused, or a system call failed.
    package enum Kind: Sendable, Equatable {
        /// The host is not an IPv4 or IPv6 literal, or the port is out of range.
        case invalidAddress
        /// A socket call failed; `errno` holds the system's code.
        case systemCall
    }

    /// What kind of failure this is.
    package let kind: Kind
    /// The `errno` of a failed call; 0 for ``Kind/invalidAddress``.
    package let errno: Int32
    /// A sentence naming the address, what failed and why.
    package let message: String

    /// The host is not an IPv4 or IPv6 literal, or the port is not in 0...65535.
    package static func invalidAddress(host: String, port: Int) -> SocketError {
        SocketError(
            kind: .invalidAddress, errno: 0,
            message:
                "The address \"\(host)\" port \(port) is not an IPv4 or IPv6 literal with a port in 0...65535."
        )
    }

    /// A socket call failed with `code`, e.g. `.socket("bind", host: "::1", port: 80, errno: EACCES)`.
    package static func socket(_ call: String, host: String, port: Int, errno code: Int32) -> SocketError {
        SocketError(
            kind: .systemCall, errno: code,
            message:
                "Could not \(call) \(host) port \(port): \(String(cString: strerror(code))) (errno \(code)).")
    }

    /// The message.
    package var description: String { message }
}
