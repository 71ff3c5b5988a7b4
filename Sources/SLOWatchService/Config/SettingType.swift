import Logging
import SLOWatchCore

/// How a configuration file must write a setting's value.
package enum SettingScalar: Sendable {
    /// Any scalar, read as written (`5s`, `127.0.0.1`, `off`).
    case text
    /// A YAML/JSON integer (`port: "8080"` is an error).
    case integer
    /// A YAML/JSON boolean (`true` or `false`, not quoted).
    case boolean
    /// A list of text scalars, or one text scalar (the Alertmanager URLs).
    case textList
}

/// The type of a setting: what a valid value looks like (``rule``), how text becomes a value (``parse``),
/// how the file must write it (``scalar``), and how the value is carried as a ``SettingValue``.
///
/// A setting's flag, environment variable and file value all go through the same ``parse``, so every
/// layer accepts the same spellings. `Value` is the Swift type the value is stored as.
package struct SettingType<Value>: Sendable {
    /// Completes "it must be …", e.g. `a whole number from 0 to 65535 (0 picks a free port)`.
    package let rule: String
    /// How a configuration file must write the value.
    package let scalar: SettingScalar
    /// The value `text` (a flag, an environment value or a file scalar as written) stands for, or nil when
    /// `text` breaks ``rule``.
    package let parse: @Sendable (String) -> Value?
    /// The value as a ``SettingValue``, for printing and origins.
    package let wrap: @Sendable (Value) -> SettingValue
    /// The stored value of a ``SettingValue`` of this type, or nil for a value of another kind.
    package let unwrap: @Sendable (SettingValue) -> Value?

    /// Creates a type from its parts.
    package init(
        rule: String, scalar: SettingScalar = .text, parse: @escaping @Sendable (String) -> Value?,
        wrap: @escaping @Sendable (Value) -> SettingValue,
        unwrap: @escaping @Sendable (SettingValue) -> Value?
    ) {
        self.rule = rule
        self.scalar = scalar
        self.parse = parse
        self.wrap = wrap
        self.unwrap = unwrap
    }
}

extension SettingType where Value == Int {
    /// A decimal whole number in `range` (no sign, spaces or separators), written as a file integer.
    /// - Parameter rule: completes "it must be …", naming the range and the unit.
    package static func integer(_ range: ClosedRange<Int>, rule: String) -> Self {
        Self(
            rule: rule, scalar: .integer, parse: { decimal($0, in: range) }, wrap: SettingValue.integer,
            unwrap: { if case .integer(let value) = $0 { value } else { nil } })
    }

    /// A byte size: bytes (`1048576`) or a number and a unit (`512KiB`, `1MiB`, `1MB`); stored in bytes.
    package static var bytes: Self {
        Self(
            rule: ByteSizeText.rule, parse: ByteSizeText.bytes, wrap: SettingValue.bytes,
            unwrap: { if case .bytes(let value) = $0 { value } else { nil } })
    }

    /// A decimal integer in `range`; no sign, spaces or separators.
    private static func decimal(_ text: String, in range: ClosedRange<Int>) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            let value = Int(text), range.contains(value)
        else { return nil }
        return value
    }
}

extension SettingType where Value == Int? {
    /// `auto` (stored as nil) or a byte size of at least ``minimumBytes``: the memory budget.
    package static var memoryLimit: Self {
        Self(
            rule: "auto, or a byte size of at least 1MiB such as 512MiB or 2GiB (" + ByteSizeText.rule + ")",
            parse: { text in
                if text == "auto" { return .some(nil) }
                return ByteSizeText.bytes(text).flatMap { $0 >= minimumBytes ? .some($0) : nil }
            },
            wrap: SettingValue.byteLimit,
            unwrap: { if case .byteLimit(let value) = $0 { .some(value) } else { nil } })
    }

    /// The smallest memory budget accepted: 1 MiB.
    package static var minimumBytes: Int { 1 << 20 }
}

extension SettingType where Value == Double {
    /// A positive duration (`1500ms`, `5s`, `1m`), stored in ms.
    package static var duration: Self { duration(atLeast: nil, rule: DurationText.rule) }

    /// A positive duration of at least `minimum` ms (any, when nil), stored in ms.
    /// - Parameter rule: completes "it must be …", naming the minimum.
    package static func duration(atLeast minimum: Double?, rule: String) -> Self {
        Self(
            rule: rule,
            parse: { text in
                DurationText.milliseconds(text).flatMap { $0 >= (minimum ?? 0) ? $0 : nil }
            },
            wrap: SettingValue.milliseconds,
            unwrap: { if case .milliseconds(let value) = $0 { value } else { nil } })
    }
}

extension SettingType where Value == Bool {
    /// `true` or `false`, written as a file boolean; as a flag, the flag alone means true.
    package static var boolean: Self {
        Self(
            rule: "true or false", scalar: .boolean,
            parse: { $0 == "true" ? true : $0 == "false" ? false : nil }, wrap: SettingValue.boolean,
            unwrap: { if case .boolean(let value) = $0 { value } else { nil } })
    }
}

extension SettingType where Value == String {
    /// An IPv4 or IPv6 address literal, or `localhost` (stored as 127.0.0.1).
    package static var host: Self {
        Self(
            rule: "an IPv4 or IPv6 address literal such as 127.0.0.1, 0.0.0.0 or ::1, or localhost",
            parse: SettingKey.hostLiteral, wrap: SettingValue.text,
            unwrap: { if case .text(let value) = $0 { value } else { nil } })
    }
}

extension SettingType where Value == String? {
    /// A file or directory path, or `none` (stored as nil).
    /// - Parameters:
    ///   - rule: completes "it must be …".
    ///   - refusingNUL: whether a path holding a NUL byte breaks the rule (a path handed to the file
    ///     system must not; a token file's path is checked when it is read).
    package static func path(rule: String, refusingNUL: Bool) -> Self {
        Self(
            rule: rule,
            parse: { text in
                if text == "none" { return .some(nil) }
                return text.isEmpty || (refusingNUL && text.utf8.contains(0)) ? nil : .some(text)
            },
            wrap: SettingValue.path, unwrap: { if case .path(let value) = $0 { .some(value) } else { nil } })
    }
}

extension SettingType where Value == Logger.Level {
    /// A swift-log level name: trace … critical.
    package static var logLevel: Self {
        Self(
            rule: "one of " + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "),
            parse: Logger.Level.init(rawValue:), wrap: SettingValue.logLevel,
            unwrap: { if case .logLevel(let value) = $0 { value } else { nil } })
    }
}

extension SettingType where Value == LogFormat {
    /// `text` or `json`.
    package static var logFormat: Self {
        Self(
            rule: "one of " + LogFormat.allCases.map(\.rawValue).joined(separator: ", "),
            parse: LogFormat.init(rawValue:), wrap: SettingValue.logFormat,
            unwrap: { if case .logFormat(let value) = $0 { value } else { nil } })
    }
}

extension SettingType where Value == ListenAddress? {
    /// `off` (stored as nil), or `host:port` with an address literal or localhost.
    package static var listenAddress: Self {
        Self(
            rule:
                "off, or host:port such as 127.0.0.1:8125, localhost:8125 or [::1]:8125, with an IP address "
                + "literal or localhost and a port from 0 to 65535 (0 picks a free one)",
            parse: { text in text == "off" ? .some(nil) : ListenAddress(parsing: text).map { .some($0) } },
            wrap: SettingValue.listenAddress,
            unwrap: { if case .listenAddress(let value) = $0 { .some(value) } else { nil } })
    }
}

extension SettingType where Value == [AlertmanagerEndpoint] {
    /// Comma-separated Alertmanager URLs, or `none`; a file may give a list.
    package static var endpoints: Self {
        Self(
            rule: AlertmanagerEndpoint.rule
                + "; several are separated by commas, and none means no Alertmanager",
            scalar: .textList, parse: { try? AlertmanagerEndpoint.parseList($0) },
            wrap: SettingValue.endpoints,
            unwrap: { if case .endpoints(let value) = $0 { value } else { nil } })
    }
}

extension SettingType where Value == AccessToken? {
    /// A bearer token, or `none` (stored as nil).
    package static var token: Self {
        Self(
            rule: AccessToken.rule + ", or none",
            parse: { text in text == "none" ? .some(nil) : AccessToken(text).map { .some($0) } },
            wrap: SettingValue.token, unwrap: { if case .token(let value) = $0 { .some(value) } else { nil } }
        )
    }
}
