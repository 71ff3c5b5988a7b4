import Logging
import SLOWatchCore

/// One parsed value of a ``SettingKey``, whichever layer (flag, environment, file) it came from.
public enum SettingValue: Sendable, Equatable, CustomStringConvertible {
    /// Free text: the host.
    case text(String)
    /// A whole number: the port, capacities, the history size.
    case integer(Int)
    /// A duration, in ms.
    case milliseconds(Double)
    /// A size, in bytes.
    case bytes(Int)
    /// A size in bytes, or nil for `auto` (the memory budget).
    case byteLimit(Int?)
    /// A swift-log level.
    case logLevel(Logger.Level)
    /// The log line format.
    case logFormat(LogFormat)
    /// A host and port to listen on, or nil for off.
    case listenAddress(ListenAddress?)
    /// Alertmanager URLs, in the order given (empty: alerts are not forwarded).
    case endpoints([AlertmanagerEndpoint])
    /// On or off.
    case boolean(Bool)
    /// A file path, or nil for none.
    case path(String?)
    /// The access token, or nil for none; printed only as `(hidden)`.
    case token(AccessToken?)
    /// One history tier: its slice and retention (`10s:6h`).
    case historyTier(HistoryTiers.Tier)

    /// The value in the spelling the flags accept (`5s`, `1MiB`, `8080`, `http://127.0.0.1:9093,…`), so
    /// printed values can be pasted back; no Alertmanager at all is written `none`. A token is never
    /// printed: it shows as `(hidden)`.
    public var description: String {
        switch self {
        case .text(let text): text
        case .integer(let value): String(value)
        case .milliseconds(let milliseconds): DurationText.format(milliseconds: milliseconds)
        case .bytes(let bytes): ByteSizeText.format(bytes: bytes)
        case .byteLimit(let bytes): bytes.map { ByteSizeText.format(bytes: $0) } ?? "auto"
        case .logLevel(let level): level.rawValue
        case .logFormat(let format): format.rawValue
        case .listenAddress(let address): address?.description ?? "off"
        case .endpoints(let endpoints):
            endpoints.isEmpty ? "none" : endpoints.map(\.description).joined(separator: ",")
        case .boolean(let value): value ? "true" : "false"
        case .path(let path): path ?? "none"
        case .token(let token): token == nil ? "none" : "(hidden)"
        case .historyTier(let tier): HistoryTierText.format(tier)
        }
    }
}
