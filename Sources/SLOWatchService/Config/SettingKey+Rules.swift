#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension SettingKey {
    /// The shortest ``snapshotInterval``, in ms: each snapshot copies every ring buffer to disk.
    public static let minimumSnapshotIntervalMilliseconds: Double = 1_000

    /// The most events ``history`` may keep: each retained event is replayed to reconnecting streams,
    /// so the bound keeps memory and replay time predictable.
    public static let maximumHistory = 1_000_000

    /// The most connections ``maxConnections`` may allow: each open connection holds a file descriptor
    /// and a read buffer, and a million is already far past what one process's descriptor limit allows
    /// on a stock system, so a larger value can only be a typo.
    public static let maximumConnections = 1_000_000

    /// What a valid value looks like, completing "it must be …".
    public var rule: String { spec.rule }

    /// Whether the configuration file may give this setting: every one but ``token``, since a secret does
    /// not belong in a file that is committed, shared and printed by `check-config`.
    public var isFileKey: Bool { spec.isFileKey }

    /// Parses `text` (a flag, an environment value, or a file scalar as written).
    /// - Returns: the value, or nil when `text` breaks ``rule``.
    public func parse(_ text: String) -> SettingValue? { spec.parse(text) }

    /// The host as given when it is an address literal, 127.0.0.1 for `localhost`, else nil.
    static func hostLiteral(_ text: String) -> String? {
        if text == "localhost" { return "127.0.0.1" }
        var address4 = in_addr()
        var address6 = in6_addr()
        guard inet_pton(AF_INET, text, &address4) == 1 || inet_pton(AF_INET6, text, &address6) == 1 else {
            return nil
        }
        return text
    }
}

extension SettingKey {
    /// `The value "5x" of --check-interval is not valid: it must be …`, naming where it was written.
    /// - Parameters:
    ///   - text: the value as written.
    ///   - source: the flag, environment variable or file key it came from.
    public func invalidValueMessage(_ text: String, source: String) -> String {
        if self == .token {
            // The value is a secret, or most of one: never echo it.
            return "The value of \(source) is not valid: it must be \(rule). (The value is not shown.)"
        }
        if self == .alertmanager {
            do {
                _ = try AlertmanagerEndpoint.parseList(text)
            } catch {
                // Name the one URL at fault and what is wrong with it, not the whole list.
                return "The value \(MessageText.quoted(error.url ?? text)) of \(source) is not valid: "
                    + "\(error.reason)\(error.reason.hasSuffix(".") ? "" : ".")"
            }
        }
        return "The value \(MessageText.quoted(text)) of \(source) is not valid: it must be \(rule)."
    }
}
