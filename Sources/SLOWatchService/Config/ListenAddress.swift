/// A host and port to listen on, written `127.0.0.1:8125`, `localhost:8125` or `[::1]:8125`.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// An IPv4 or IPv6 literal (`localhost` is read as 127.0.0.1); IPv6 without brackets.
    public var host: String
    /// The port, 0...65535; 0 picks a free one when binding.
    public var port: Int

    /// Creates an address from parts already checked.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `host:port`, with an IPv6 host in brackets.
    /// - Returns: nil when the host is not an IP literal or `localhost`, or the port is not a whole number
    ///   from 0 to 65535.
    public init?(parsing text: String) {
        let host: Substring
        let port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[close...].hasPrefix("]:") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            port = text[text.index(close, offsetBy: 2)...]
            // `[127.0.0.1]:1` and `[localhost]:1` are not how anyone writes those.
            guard host.contains(":") else { return nil }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
            // A bare IPv6 address's last group would be read as the port.
            guard !host.contains(":") else { return nil }
        }
        guard let literal = SettingKey.hostLiteral(String(host)),
            !port.isEmpty, port.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            port.count <= 5, let number = Int(port), number <= 65_535
        else { return nil }
        self.init(host: literal, port: number)
    }

    /// `127.0.0.1:8125`, or `[::1]:8125` for IPv6: the spelling ``init(parsing:)`` reads back.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
