import Logging
import SLOWatchCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A setting that can come from a flag, an environment variable or the configuration file.
///
/// The raw value is the configuration file key (`checkInterval`); the flag is its kebab-case form
/// (`--check-interval`) and the environment variable its upper snake-case form with a `SLOWATCH_`
/// prefix (`SLOWATCH_CHECK_INTERVAL`). Flags and environment variables are text; the file may use
/// YAML/JSON numbers where a number is expected.
public enum SettingKey: String, Sendable, CaseIterable {
    /// The address to bind: an IPv4 or IPv6 literal, or `localhost` (read as 127.0.0.1).
    case host
    /// The TCP port, 0...65535 (0 picks a free one).
    case port
    /// How often the SLO monitor checks (a duration).
    case checkInterval
    /// At most one violation event per SLO in this window (a duration).
    case rateLimitWindow
    /// The ring-buffer capacity, in samples, of metrics registered on first use.
    case capacity
    /// The most metrics the registry holds.
    case maxMetrics
    /// The largest request body accepted (a byte size).
    case maxBody
    /// The most client connections open at once; one beyond it gets 503 and is closed.
    case maxConnections
    /// How many events the bus keeps for replay.
    case history
    /// The lowest log level written: trace, debug, info, notice, warning, error or critical.
    case logLevel
    /// The log line format: text or json.
    case logFormat
    /// How often every event stream gets a `: keepalive` comment (a duration).
    case keepaliveInterval
    /// How long a graceful shutdown waits for in-flight requests (a duration).
    case shutdownGrace
    /// Where to take StatsD lines over UDP and TCP (`127.0.0.1:8125`), or `off` (the default).
    case statsd
    /// The Alertmanagers that SLO alerts are sent to: `http://host[:port][/prefix]` URLs. A flag may be
    /// repeated, the environment variable holds a comma-separated list, and the file a list or one URL.
    case alertmanager
    /// The bearer token writes (and, with ``protectReads``, reads) must present, or `none`. A secret:
    /// flag or environment only, never the configuration file, and never printed.
    case token
    /// A file holding the token (one trailing newline is dropped), e.g. a Docker secret, or `none`.
    case tokenFile
    /// Whether reads need the token too (`true` or `false`).
    case protectReads
    /// Whether a non-loopback host may be served without a token (`true` or `false`).
    case insecure
    /// Whether the StatsD listener may use a non-loopback address (`true` or `false`).
    case statsdAllowRemote
    /// How long a request head may take to arrive once it started (a duration); then 408 and close.
    case headTimeout
    /// How long a request body may stall without a byte arriving (a duration); then 408 and close.
    case bodyTimeout
    /// How long a keep-alive connection may sit idle between requests (a duration); then it is closed.
    case idleTimeout
    /// How long queued response bytes may wait without the client reading any (a duration); then the
    /// connection is closed. Idle event streams are not affected.
    case writeStallTimeout
    /// The folder where definitions, the violation log and ring-buffer snapshots are kept across
    /// restarts; none (the default) keeps everything in memory.
    case dataDir
    /// How often the ring buffers are snapshotted to the data directory (a duration, at least 1s).
    case snapshotInterval

    /// The shortest ``snapshotInterval``, in ms: each snapshot copies every ring buffer to disk.
    public static let minimumSnapshotIntervalMilliseconds: Double = 1_000

    /// The most events ``history`` may keep: each retained event is replayed to reconnecting streams,
    /// so the bound keeps memory and replay time predictable.
    public static let maximumHistory = 1_000_000

    /// The most connections ``maxConnections`` may allow: each open connection holds a file descriptor
    /// and a read buffer, and a million is already far past what one process's descriptor limit allows
    /// on a stock system, so a larger value can only be a typo.
    public static let maximumConnections = 1_000_000

    /// The configuration file key, e.g. `checkInterval`.
    public var fileKey: String { rawValue }

    /// The flag, e.g. `--check-interval`.
    public var flag: String { "--" + words.joined(separator: "-") }

    /// The environment variable, e.g. `SLOWATCH_CHECK_INTERVAL`.
    public var environmentVariable: String { "SLOWATCH_" + words.joined(separator: "_").uppercased() }

    /// The lowercase words of the camelCase key: `checkInterval` → `check`, `interval`.
    private var words: [String] {
        var words: [String] = []
        var current = ""
        for character in rawValue {
            if character.isUppercase, !current.isEmpty {
                words.append(current)
                current = ""
            }
            current.append(character.lowercased())
        }
        words.append(current)
        return words
    }

    /// What a valid value looks like, completing "it must be …".
    public var rule: String {
        switch self {
        case .host: "an IPv4 or IPv6 address literal such as 127.0.0.1, 0.0.0.0 or ::1, or localhost"
        case .port: "a whole number from 0 to 65535 (0 picks a free port)"
        case .checkInterval, .rateLimitWindow, .keepaliveInterval, .shutdownGrace, .headTimeout, .bodyTimeout,
            .idleTimeout, .writeStallTimeout:
            DurationText.rule
        case .capacity: "a whole number of samples from 1 to \(MetricDefinition.maximumCapacity)"
        case .maxMetrics: "a whole number of metrics, at least 1"
        case .maxBody: ByteSizeText.rule
        case .maxConnections: "a whole number of connections from 1 to \(Self.maximumConnections)"
        case .history: "a whole number of events from 1 to \(Self.maximumHistory)"
        case .logLevel:
            "one of " + Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
        case .logFormat: "one of " + LogFormat.allCases.map(\.rawValue).joined(separator: ", ")
        case .statsd:
            "off, or host:port such as 127.0.0.1:8125, localhost:8125 or [::1]:8125, with an IP address "
                + "literal or localhost and a port from 0 to 65535 (0 picks a free one)"
        case .alertmanager:
            AlertmanagerEndpoint.rule + "; several are separated by commas, and none means no Alertmanager"
        case .token: AccessToken.rule + ", or none"
        case .tokenFile: "the path of a readable file that holds the token, or none"
        case .protectReads, .insecure, .statsdAllowRemote: "true or false"
        case .dataDir: "the path of a directory (created when absent), or none"
        case .snapshotInterval: "a duration of at least 1s, such as 30s, 1m or 1h"
        }
    }

    /// Whether the configuration file may give this setting: every one but ``token``, since a secret does
    /// not belong in a file that is committed, shared and printed by `check-config`.
    public var isFileKey: Bool { self != .token }

    /// Whether the file must give this setting as a YAML/JSON integer rather than text.
    var isInteger: Bool {
        switch self {
        case .port, .capacity, .maxMetrics, .maxConnections, .history: true
        default: false
        }
    }

    /// Whether the file must give this setting as a YAML/JSON boolean rather than text.
    var isBoolean: Bool {
        switch self {
        case .protectReads, .insecure, .statsdAllowRemote: true
        default: false
        }
    }

    /// Parses `text` (a flag, an environment value, or a file scalar as written).
    /// - Returns: the value, or nil when `text` breaks ``rule``.
    public func parse(_ text: String) -> SettingValue? {
        switch self {
        case .host: Self.hostLiteral(text).map(SettingValue.text)
        case .port: Self.integer(text, in: 0...65_535).map(SettingValue.integer)
        case .checkInterval, .rateLimitWindow, .keepaliveInterval, .shutdownGrace, .headTimeout, .bodyTimeout,
            .idleTimeout, .writeStallTimeout:
            DurationText.milliseconds(text).map(SettingValue.milliseconds)
        case .capacity:
            Self.integer(text, in: 1...MetricDefinition.maximumCapacity).map(SettingValue.integer)
        case .maxMetrics: Self.integer(text, in: 1...Int.max).map(SettingValue.integer)
        case .maxBody: ByteSizeText.bytes(text).map(SettingValue.bytes)
        case .maxConnections:
            Self.integer(text, in: 1...Self.maximumConnections).map(SettingValue.integer)
        case .history: Self.integer(text, in: 1...Self.maximumHistory).map(SettingValue.integer)
        case .logLevel: Logger.Level(rawValue: text).map(SettingValue.logLevel)
        case .logFormat: LogFormat(rawValue: text).map(SettingValue.logFormat)
        case .statsd:
            text == "off" ? .listenAddress(nil) : ListenAddress(parsing: text).map(SettingValue.listenAddress)
        case .alertmanager: (try? AlertmanagerEndpoint.parseList(text)).map(SettingValue.endpoints)
        case .token: text == "none" ? .token(nil) : AccessToken(text).map(SettingValue.token)
        case .tokenFile: text.isEmpty ? nil : .path(text == "none" ? nil : text)
        case .protectReads, .insecure, .statsdAllowRemote:
            text == "true" ? .boolean(true) : text == "false" ? .boolean(false) : nil
        case .dataDir: text == "none" ? .path(nil) : text.isEmpty || text.utf8.contains(0) ? nil : .path(text)
        case .snapshotInterval:
            DurationText.milliseconds(text).flatMap {
                $0 >= Self.minimumSnapshotIntervalMilliseconds ? SettingValue.milliseconds($0) : nil
            }
        }
    }

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

    /// A decimal integer in `range`; no sign, spaces or separators.
    private static func integer(_ text: String, in range: ClosedRange<Int>) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let value = Int(text), range.contains(value)
        else { return nil }
        return value
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
