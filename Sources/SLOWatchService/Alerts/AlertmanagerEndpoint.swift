#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One Alertmanager that SLO alerts are sent to: `http://host[:port][/path-prefix]`.
///
/// The host is an IPv4 literal, a bracketed IPv6 literal (`[::1]`) or a DNS name, resolved with
/// `getaddrinfo` at every send so that a restarted Alertmanager with a new address is found. The port
/// defaults to 80. The path prefix is for an Alertmanager run with `--web.route-prefix` or behind a
/// proxy path; alerts go to `<prefix>/api/v2/alerts`.
///
/// Only `http` is accepted: slowatch links no TLS library, so an `https://` URL is refused with a
/// message pointing at a local Alertmanager or a TLS-terminating proxy rather than silently sent in
/// clear text.
public struct AlertmanagerEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// The host as it goes into the `Host` header and `getaddrinfo`: a DNS name in lowercase, an IPv4
    /// literal, or an IPv6 literal without brackets.
    public let host: String
    /// The TCP port, 1...65535.
    public let port: Int
    /// The path prefix without a trailing slash, e.g. `/alertmanager`; empty for none.
    public let pathPrefix: String

    /// What a valid URL looks like, completing "it must be …".
    public static let rule =
        "an http://host[:port][/path-prefix] URL, the host an IP address or a DNS name and the port 80 "
        + "when left out"

    /// Parses one URL.
    /// - Throws: ``AlertmanagerEndpointError`` saying which part breaks which rule.
    public init(parsing text: String) throws(AlertmanagerEndpointError) {
        let lowered = text.lowercased()
        if lowered.hasPrefix("https://") { throw .init("https is not supported: \(Self.tlsAdvice)") }
        guard lowered.hasPrefix("http://") else {
            throw .init(text.isEmpty ? "it is empty: it must be \(Self.rule)" : "it must start with http://")
        }
        let rest = text.dropFirst("http://".count)
        if rest.contains("?") { throw .init("it has a query (?…), which an Alertmanager URL cannot have") }
        if rest.contains("#") { throw .init("it has a fragment (#…), which an Alertmanager URL cannot have") }
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        if authority.contains("@") {
            throw .init("it has user information (user@host), which slowatch does not send: leave it out")
        }
        let (host, port) = try Self.hostAndPort(authority)
        self.host = host
        self.port = port
        self.pathPrefix = try Self.pathPrefix(path)
    }

    /// Creates an endpoint from parts that are already valid (for tests and embedding).
    init(host: String, port: Int, pathPrefix: String = "") {
        self.host = host
        self.port = port
        self.pathPrefix = pathPrefix
    }

    /// The path alerts are posted to: `<prefix>/api/v2/alerts`.
    public var alertsPath: String { pathPrefix + "/api/v2/alerts" }

    /// `host:port`, with the IPv6 literal in brackets: the `Host` header and the authority of URLs.
    public var authority: String { (host.contains(":") ? "[\(host)]" : host) + ":\(port)" }

    /// The normalised URL, `http://host:port/prefix` (the port always written), as `check-config`
    /// prints it and the flags accept it.
    public var description: String { "http://\(authority)\(pathPrefix)" }

    /// Why https is refused, and what to do instead.
    static let tlsAdvice =
        "slowatch has no TLS library, so it sends alerts over plain http. Point it at an Alertmanager "
        + "on this machine or a trusted network (http://127.0.0.1:9093), or at a TLS-terminating proxy "
        + "(nginx, stunnel) that forwards to the remote https Alertmanager."

    /// Splits `authority` into a host (checked) and a port (80 when absent).
    private static func hostAndPort(_ authority: Substring) throws(AlertmanagerEndpointError) -> (String, Int)
    {
        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw .init("the IPv6 address has no closing ]")
            }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .init("after ] only :port may follow") }
                portText = after.dropFirst()
            }
            var address = in6_addr()
            guard inet_pton(AF_INET6, String(host), &address) == 1 else {
                throw .init("\(MessageText.quoted(host)) in brackets is not an IPv6 address")
            }
        } else {
            if let colon = authority.firstIndex(of: ":") {
                host = authority[..<colon]
                portText = authority[authority.index(after: colon)...]
            } else {
                host = authority
            }
            guard !host.isEmpty else { throw .init("it has no host: it must be \(rule)") }
            guard isDNSName(host) else {
                throw .init(
                    "the host \(MessageText.quoted(host)) is neither an IP address nor a DNS name (letters, "
                        + "digits and '-' in dot-separated labels of at most 63; IPv6 goes in brackets)")
            }
        }
        guard let portText else { return (host.lowercased(), 80) }
        guard !portText.isEmpty, portText.count <= 5, portText.allSatisfy(\.isASCII),
            portText.allSatisfy(\.isNumber),
            let port = Int(portText), (1...65_535).contains(port)
        else {
            throw .init("the port \(MessageText.quoted(portText)) is not a whole number from 1 to 65535")
        }
        return (host.lowercased(), port)
    }

    /// Whether `host` is a DNS name (which includes IPv4 literals): dot-separated labels of 1 to 63
    /// letters, digits and `-`, not starting or ending with `-`, at most 253 characters in all.
    private static func isDNSName(_ host: Substring) -> Bool {
        guard host.utf8.count <= 253 else { return false }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            let bytes = Array(label.utf8)
            guard (1...63).contains(bytes.count), bytes.first != UInt8(ascii: "-"),
                bytes.last != UInt8(ascii: "-")
            else { return false }
            return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// The path prefix without its trailing slash; only RFC 3986 unreserved characters, `/` and `%XX`
    /// escapes, so it can go into a request line as it is (and a comma, which separates URLs in
    /// `SLOWATCH_ALERTMANAGER`, cannot appear).
    private static func pathPrefix(_ path: Substring) throws(AlertmanagerEndpointError) -> String {
        let bytes = Array(path.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, isHexDigit(bytes[index + 1]), isHexDigit(bytes[index + 2])
                else {
                    throw .init("the path has a % that is not followed by two hex digits")
                }
                index += 3
                continue
            }
            guard isAlphanumeric(byte) || "-._~/".utf8.contains(byte) else {
                throw .init(
                    "the path \(MessageText.quoted(path)) may only hold letters, digits, '-', '.', '_', '~', '/' "
                        + "and %XX escapes")
            }
            index += 1
        }
        var prefix = String(path)
        while prefix.hasSuffix("/") { prefix.removeLast() }
        return prefix
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
}

extension AlertmanagerEndpoint {
    /// Parses a comma-separated list (`SLOWATCH_ALERTMANAGER`, or repeated `--alertmanager` flags joined
    /// with commas). Spaces around each URL are ignored. `none` is the empty list, so a flag or the
    /// environment can turn off forwarding that the configuration file turns on.
    /// - Throws: ``AlertmanagerEndpointError`` for the first URL that is empty, invalid, or names the same
    ///   Alertmanager as an earlier one (it would get every alert twice), with that URL in ``AlertmanagerEndpointError/url``.
    public static func parseList(_ text: String) throws(AlertmanagerEndpointError) -> [AlertmanagerEndpoint] {
        if text == "none" { return [] }
        var endpoints: [AlertmanagerEndpoint] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let url = item.trimmingSpaces
            do throws(AlertmanagerEndpointError) {
                let endpoint = try AlertmanagerEndpoint(parsing: url)
                if endpoints.contains(endpoint) {
                    throw AlertmanagerEndpointError(
                        "it names the same Alertmanager as an earlier URL (\(endpoint)): each is listed once, "
                            + "or it would get every alert twice")
                }
                endpoints.append(endpoint)
            } catch {
                throw AlertmanagerEndpointError(error.reason, url: url)
            }
        }
        return endpoints
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
