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
    public func value(of key: SettingKey) -> SettingValue {
        switch key {
        case .host: .text(configuration.host)
        case .port: .integer(configuration.port)
        case .checkInterval: .milliseconds(configuration.checkIntervalMilliseconds)
        case .rateLimitWindow: .milliseconds(configuration.rateLimitWindowMilliseconds)
        case .capacity: .integer(configuration.capacity)
        case .maxMetrics: .integer(configuration.maxMetrics)
        case .maxBody: .bytes(configuration.maxBodyBytes)
        case .maxConnections: .integer(configuration.maxConnections)
        case .history: .integer(configuration.historyCapacity)
        case .logLevel: .logLevel(logLevel)
        case .logFormat: .logFormat(logFormat)
        case .keepaliveInterval: .milliseconds(configuration.keepaliveIntervalMilliseconds)
        case .shutdownGrace: .milliseconds(configuration.shutdownGraceMilliseconds)
        case .statsd: .listenAddress(configuration.statsdAddress)
        case .alertmanager: .endpoints(configuration.alertmanagers)
        case .token: .token(configuration.token)
        case .tokenFile: .path(tokenFile)
        case .protectReads: .boolean(configuration.protectReads)
        case .insecure: .boolean(configuration.insecure)
        case .statsdAllowRemote: .boolean(configuration.statsdAllowRemote)
        case .headTimeout: .milliseconds(configuration.headTimeoutMilliseconds)
        case .bodyTimeout: .milliseconds(configuration.bodyTimeoutMilliseconds)
        case .idleTimeout: .milliseconds(configuration.idleTimeoutMilliseconds)
        case .writeStallTimeout: .milliseconds(configuration.writeStallTimeoutMilliseconds)
        case .dataDir: .path(configuration.dataDirectory)
        case .snapshotInterval: .milliseconds(configuration.snapshotIntervalMilliseconds)
        }
    }

    /// Sets `key` to `value`, recording `origin`. A value of the wrong kind for `key` is ignored;
    /// ``SettingKey/parse(_:)`` only produces the right kind.
    mutating func set(_ key: SettingKey, to value: SettingValue, from origin: SettingOrigin) {
        switch (key, value) {
        case (.host, .text(let host)): configuration.host = host
        case (.port, .integer(let port)): configuration.port = port
        case (.checkInterval, .milliseconds(let ms)): configuration.checkIntervalMilliseconds = ms
        case (.rateLimitWindow, .milliseconds(let ms)): configuration.rateLimitWindowMilliseconds = ms
        case (.capacity, .integer(let capacity)): configuration.capacity = capacity
        case (.maxMetrics, .integer(let count)): configuration.maxMetrics = count
        case (.maxBody, .bytes(let bytes)): configuration.maxBodyBytes = bytes
        case (.maxConnections, .integer(let count)): configuration.maxConnections = count
        case (.history, .integer(let count)): configuration.historyCapacity = count
        case (.logLevel, .logLevel(let level)): logLevel = level
        case (.logFormat, .logFormat(let format)): logFormat = format
        case (.keepaliveInterval, .milliseconds(let ms)): configuration.keepaliveIntervalMilliseconds = ms
        case (.shutdownGrace, .milliseconds(let ms)): configuration.shutdownGraceMilliseconds = ms
        case (.statsd, .listenAddress(let address)): configuration.statsdAddress = address
        case (.alertmanager, .endpoints(let endpoints)): configuration.alertmanagers = endpoints
        case (.token, .token(let token)): configuration.token = token
        case (.tokenFile, .path(let path)): tokenFile = path
        case (.protectReads, .boolean(let on)): configuration.protectReads = on
        case (.insecure, .boolean(let on)): configuration.insecure = on
        case (.statsdAllowRemote, .boolean(let on)): configuration.statsdAllowRemote = on
        case (.headTimeout, .milliseconds(let ms)): configuration.headTimeoutMilliseconds = ms
        case (.bodyTimeout, .milliseconds(let ms)): configuration.bodyTimeoutMilliseconds = ms
        case (.idleTimeout, .milliseconds(let ms)): configuration.idleTimeoutMilliseconds = ms
        case (.writeStallTimeout, .milliseconds(let ms)): configuration.writeStallTimeoutMilliseconds = ms
        case (.dataDir, .path(let path)): configuration.dataDirectory = path
        case (.snapshotInterval, .milliseconds(let ms)): configuration.snapshotIntervalMilliseconds = ms
        default: return
        }
        origins[key] = origin
    }
}
