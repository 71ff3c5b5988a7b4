/// A request method. The ten standard methods are "known": a known path that does not serve one
/// answers 405; any other token answers 501.
public enum HTTPMethod: Sendable, Hashable, CustomStringConvertible {
    case get
    case head
    case post
    case put
    case delete
    case options
    case patch
    case trace
    case connect
    case query
    /// Any other method token, exactly as sent (methods are case-sensitive).
    case other(String)

    /// Creates the method named by `rawValue` (case-sensitive: "get" is `.other("get")`).
    public init(rawValue: String) {
        var text = rawValue
        self = text.withUTF8 { HTTPMethod(token: UnsafeRawBufferPointer($0)) }
    }

    /// Creates the method named by the token bytes of a request line, without building a `String` for
    /// a known method.
    package init(token bytes: UnsafeRawBufferPointer) {
        self = Self.known(bytes) ?? .other(String(decoding: bytes, as: UTF8.self))
    }

    /// The known method spelled by `bytes` (case-sensitive), or nil.
    private static func known(_ bytes: UnsafeRawBufferPointer) -> HTTPMethod? {
        func equals(_ literal: StaticString) -> Bool {
            bytes.count == literal.utf8CodeUnitCount
                && bytes.elementsEqual(UnsafeBufferPointer(start: literal.utf8Start, count: bytes.count))
        }
        switch bytes.count {
        case 3: if equals("GET") { return .get } else if equals("PUT") { return .put }
        case 4: if equals("POST") { return .post } else if equals("HEAD") { return .head }
        case 5:
            if equals("PATCH") {
                return .patch
            } else if equals("TRACE") {
                return .trace
            } else if equals("QUERY") {
                return .query
            }
        case 6: if equals("DELETE") { return .delete }
        case 7: if equals("OPTIONS") { return .options } else if equals("CONNECT") { return .connect }
        default: break
        }
        return nil
    }

    /// The method token as sent on the wire ("GET").
    public var rawValue: String {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .put: "PUT"
        case .delete: "DELETE"
        case .options: "OPTIONS"
        case .patch: "PATCH"
        case .trace: "TRACE"
        case .connect: "CONNECT"
        case .query: "QUERY"
        case .other(let token): token
        }
    }

    /// The method token.
    public var description: String { rawValue }

    /// True for the ten standard methods, which get 405 rather than 501 where a path does not serve them.
    public var isKnown: Bool {
        if case .other = self { return false }
        return true
    }
}
