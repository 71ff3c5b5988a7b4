/// The HTTP version of a request. `HTTP/1.2` … `HTTP/1.9` are treated as `HTTP/1.1`.
public enum HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    /// HTTP/1.0: persistent only with `Connection: keep-alive`.
    // swift-format-ignore: AlwaysUseLowerCamelCase
    case http1_0
    /// HTTP/1.1: persistent by default.
    // swift-format-ignore: AlwaysUseLowerCamelCase
    case http1_1

    /// "HTTP/1.0" or "HTTP/1.1".
    public var description: String {
        switch self {
        case .http1_0: "HTTP/1.0"
        case .http1_1: "HTTP/1.1"
        }
    }
}
