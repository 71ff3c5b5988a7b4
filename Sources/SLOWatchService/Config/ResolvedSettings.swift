import Logging

/// The outcome of resolving flags, environment variables, a configuration file and the defaults:
/// the service configuration, the logging choices, and where each setting came from.
public struct ResolvedSettings: Sendable {
    /// What the service is built with.
    public var configuration: ServiceConfiguration
    /// The lowest log level written (default `info`).
    public var logLevel: Logger.Level
    /// The log line format (default `text`).
    public var logFormat: LogFormat
    /// Where each setting's value came from; every ``SettingKey`` has an entry.
    public var origins: [SettingKey: SettingOrigin]
    /// `SLOWATCH_*` environment variables that name no setting (likely typos), sorted; the command
    /// line warns about them rather than failing, since the environment is shared with other tools.
    public var unknownEnvironmentVariables: [String]
    /// The file the token was read from (``SettingKey/tokenFile``), or nil; the token itself is in
    /// ``ServiceConfiguration/token``.
    public var tokenFile: String?

    /// The defaults, every origin `.defaultValue`.
    public init() {
        configuration = ServiceConfiguration()
        logLevel = .info
        logFormat = .text
        origins = Dictionary(uniqueKeysWithValues: SettingKey.allCases.map { ($0, .defaultValue) })
        unknownEnvironmentVariables = []
    }

    /// The current value of `key`.
    public func value(of key: SettingKey) -> SettingValue { key.spec.get(self) }

    /// Sets `key` to `value`, recording `origin`. A value of the wrong kind for `key` is ignored;
    /// ``SettingKey/parse(_:)`` only produces the right kind.
    mutating func set(_ key: SettingKey, to value: SettingValue, from origin: SettingOrigin) {
        guard key.spec.set(&self, value) else { return }
        origins[key] = origin
    }
}
