/// Resolves the service's settings from command-line flags, environment variables, a configuration
/// file and the defaults, in that order of precedence (flag > environment > file > default).
///
/// It runs no process and reads no file but a token file, so the precedence rules can be tested
/// directly; the command line passes it the flags it parsed, `ProcessInfo.processInfo.environment` and
/// the loaded file.
public struct SettingsResolver: Sendable {
    /// The environment variable that names the configuration file.
    public static let configEnvironmentVariable = "SLOWATCH_CONFIG"

    /// Flag values as typed, by setting (only the flags that were given).
    public var flags: [SettingKey: String]
    /// The process environment; `SLOWATCH_*` variables are read, the others ignored.
    public var environment: [String: String]
    /// The configuration file, if one was given.
    public var file: ConfigFile?

    /// Creates a resolver.
    /// - Parameters:
    ///   - flags: flag values as typed, keyed by setting.
    ///   - environment: the process environment. An empty value counts as unset, as container tools
    ///     often pass `NAME=` for "not configured".
    ///   - file: the loaded configuration file, or nil.
    public init(
        flags: [SettingKey: String] = [:], environment: [String: String] = [:], file: ConfigFile? = nil
    ) {
        self.flags = flags
        self.environment = environment
        self.file = file
    }

    /// The configuration file to load: the `--config` flag if given, else `SLOWATCH_CONFIG`, else none.
    public static func configPath(flag: String?, environment: [String: String]) -> String? {
        if let flag { return flag }
        guard let path = environment[configEnvironmentVariable], !path.isEmpty else { return nil }
        return path
    }

    /// Resolves every setting, the SLOs and the predefined metrics.
    /// - Throws: ``ConfigError`` naming the flag or environment variable whose value breaks its rule,
    ///   (`file:line:`) a file whose metrics exceed `maxMetrics`, a token given twice or unreadable (see
    ///   ``resolveToken(_:)``), or a configuration that would expose the service unguarded
    ///   (``ServiceConfiguration/exposureProblem(origin:)``).
    public func resolve() throws(ConfigError) -> ResolvedSettings {
        var settings = ResolvedSettings()
        for key in SettingKey.allCases {
            if let text = flags[key] {
                settings.set(key, to: try parse(key, text, source: key.flag), from: .flag(key.flag))
            } else if let text = environment[key.environmentVariable], !text.isEmpty {
                let name = key.environmentVariable
                settings.set(key, to: try parse(key, text, source: name), from: .environment(name))
            } else if key.isFileKey, let file, let setting = file.settings[key] {
                settings.set(key, to: setting.value, from: .file(path: file.path, line: setting.line))
            }
        }
        if let file {
            if let slos = file.slos {
                settings.configuration.slos = slos.map(\.definition)
                settings.configuration.sloSource = file.path
            }
            let capacity = settings.configuration.capacity
            settings.configuration.metrics = file.metrics.map { $0.definition(defaultCapacity: capacity) }
            let limit = settings.configuration.maxMetrics
            if file.metrics.count > limit {
                throw ConfigError(
                    file: file.path, line: file.metrics[limit].line,
                    message: "The file predefines \(file.metrics.count) metrics, more than maxMetrics "
                        + "(\(limit), from \(settings.origins[.maxMetrics] ?? .defaultValue)) allows.")
            }
        }
        settings.unknownEnvironmentVariables = unknownEnvironmentVariables()
        try resolveToken(&settings)
        if let problem = settings.configuration.streamLimitProblem(origin: {
            settings.origins[$0]?.description
        }) {
            throw ConfigError(message: problem)
        }
        if let problem = settings.configuration.historyTiersProblem(origin: {
            settings.origins[$0]?.description
        }) {
            throw ConfigError(message: problem)
        }
        if let problem = settings.configuration.exposureProblem(origin: { settings.origins[$0]?.description })
        {
            throw ConfigError(message: problem)
        }
        return settings
    }

    /// Parses a flag or environment value, naming `source` when it breaks the rule.
    private func parse(_ key: SettingKey, _ text: String, source: String) throws(ConfigError) -> SettingValue
    {
        guard let value = key.parse(text) else {
            throw ConfigError(message: key.invalidValueMessage(text, source: source))
        }
        return value
    }

    /// `SLOWATCH_*` variables that are neither a setting nor `SLOWATCH_CONFIG`, sorted.
    private func unknownEnvironmentVariables() -> [String] {
        let known = Set(SettingKey.allCases.map(\.environmentVariable) + [Self.configEnvironmentVariable])
        return environment.keys.filter { $0.hasPrefix("SLOWATCH_") && !known.contains($0) }.sorted()
    }
}
