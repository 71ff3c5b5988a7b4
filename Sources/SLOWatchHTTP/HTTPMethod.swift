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
        switch rawValue {
        case "GET": self = .get
        case "HEAD": self = .head
        case "POST": self = .post
        case "PUT": self = .put
        case "DELETE": self = .delete
        case "OPTIONS": self = .options
        case "PATCH": self = .patch
        case "TRACE": self = .trace
        case "CONNECT": self = .connect
        case "QUERY": self = .query
        default: self = .other(rawValue)
        }
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
