import SLOWatchCore
import Testing

@testable import SLOWatchService

/// Precedence (flag > environment > file > default) and the errors of flag and environment values.
@Suite("Configuration resolution")
struct ConfigResolverTests {
    /// A file setting `key` to `text` (parsed with the key's rule) at line 7.
    private func file(_ values: [SettingKey: String], slos: [ConfigSLO]? = nil, metrics: [ConfigMetric] = [])
        -> ConfigFile
    {
        var settings: [SettingKey: ConfigSetting] = [:]
        for (key, text) in values {
            if let value = key.parse(text) { settings[key] = ConfigSetting(value: value, line: 7) }
        }
        return ConfigFile(path: "file.yaml", settings: settings, slos: slos, metrics: metrics)
    }

    /// A distinct valid text per layer for `key`.
    private func sample(_ key: SettingKey, layer: Int) -> String {
        switch key {
        // Loopback, since a non-loopback host without a token is refused.
        case .host: ["127.0.0.2", "127.0.0.3", "::1"][layer]
        case .port, .capacity, .maxMetrics, .maxConnections, .history: String(100 + layer)
        case .checkInterval, .rateLimitWindow, .keepaliveInterval, .shutdownGrace, .headTimeout, .bodyTimeout,
            .idleTimeout, .writeStallTimeout:
            "\(layer + 1)s"
        case .maxStreams: String(10 + layer)
        case .maxBody: "\(layer + 1)KiB"
        case .memoryLimit: ["512MiB", "2GiB", "auto"][layer]
        case .logLevel: ["trace", "debug", "notice"][layer]
        case .logFormat: ["json", "text", "json"][layer]
        case .statsd: ["127.0.0.1:8125", "[::1]:9125", "localhost:0"][layer]
        case .alertmanager: "http://10.0.0.\(layer + 1):9093"
        case .token: "token-of-layer-\(layer)"
        case .tokenFile: "/nonexistent/token-\(layer)"
        case .protectReads, .insecure, .statsdAllowRemote: ["true", "false", "true"][layer]
        case .dataDir: ["/var/lib/a", "data", "/tmp/c"][layer]
        case .snapshotInterval: "\(layer + 1)m"
        case .fsync: ["batch", "always", "never"][layer]
        case .fsyncInterval: "\(layer + 1)ms"
        case .historyScale: String(3 + layer)
        case .historyFine: ["10s:6h", "20s:6h", "30s:6h"][layer]
        case .historyMedium: ["1m:48h", "2m:48h", "3m:48h"][layer]
        case .historyCoarse: ["1h:35d", "2h:30d", "3h:36d"][layer]
        case .historyMemory: "\(layer + 1)MiB"
        case .otlpNameAttributes: ["http.route", "region,zone", "service.name"][layer]
        }
    }

    @Test("for every setting a flag beats the environment, which beats the file, which beats the default")
    func precedence() throws {
        // The token is never taken from the file, and a token file is read: AccessSettingTests covers both.
        for key in SettingKey.allCases where key != .token && key != .tokenFile {
            let flag = sample(key, layer: 0)
            let environment = [key.environmentVariable: sample(key, layer: 1)]
            let configFile = file([key: sample(key, layer: 2)])
            let layers: [(SettingsResolver, String?, SettingOrigin)] = [
                (
                    SettingsResolver(flags: [key: flag], environment: environment, file: configFile), flag,
                    .flag(key.flag)
                ),
                (
                    SettingsResolver(environment: environment, file: configFile), sample(key, layer: 1),
                    .environment(key.environmentVariable)
                ),
                (
                    SettingsResolver(file: configFile), sample(key, layer: 2),
                    .file(path: "file.yaml", line: 7)
                ),
                (SettingsResolver(), nil, .defaultValue),
            ]
            for (resolver, text, origin) in layers {
                let resolved = try resolver.resolve()
                let expected = try #require(text.map { key.parse($0) } ?? ResolvedSettings().value(of: key))
                #expect(resolved.value(of: key) == expected, "\(key) from \(origin)")
                #expect(resolved.origins[key] == origin, "\(key)")
            }
        }
    }

    @Test("resolved values reach the service configuration in the documented units")
    func configurationUnits() throws {
        let resolved = try SettingsResolver(
            flags: [.checkInterval: "250ms", .maxBody: "2MiB", .host: "localhost"],
            environment: [
                "SLOWATCH_SHUTDOWN_GRACE": "1m", "SLOWATCH_HISTORY": "5", "SLOWATCH_MAX_CONNECTIONS": "20000",
            ],
            file: file([.keepaliveInterval: "2s", .rateLimitWindow: "1h", .logLevel: "error"])
        ).resolve()
        let configuration = resolved.configuration
        #expect(configuration.checkIntervalMilliseconds == 250)
        #expect(configuration.maxBodyBytes == 2 << 20)
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.shutdownGraceMilliseconds == 60_000)
        #expect(configuration.historyCapacity == 5)
        #expect(configuration.maxConnections == 20_000)
        #expect(configuration.keepaliveIntervalMilliseconds == 2_000)
        #expect(configuration.rateLimitWindowMilliseconds == 3_600_000)
        #expect(resolved.logLevel == .error)
    }

    @Test("an invalid flag or environment value is an error naming the flag or the variable")
    func invalidValues() {
        #expect(throws: ConfigError(message: SettingKey.port.invalidValueMessage("eighty", source: "--port")))
        {
            try SettingsResolver(flags: [.port: "eighty"]).resolve()
        }
        #expect(
            throws: ConfigError(
                message: SettingKey.checkInterval.invalidValueMessage("5x", source: "SLOWATCH_CHECK_INTERVAL")
            )
        ) {
            try SettingsResolver(environment: ["SLOWATCH_CHECK_INTERVAL": "5x"]).resolve()
        }
        // A valid flag hides an invalid environment value: the environment is never read for that setting.
        #expect(throws: Never.self) {
            try SettingsResolver(flags: [.port: "1"], environment: ["SLOWATCH_PORT": "x"]).resolve()
        }
    }

    @Test(
        "max-connections accepts 1 to 1,000,000 from each layer and refuses anything else, naming the input",
        arguments: ["0", "-1", "abc", "1000001", "1e3", " 5", ""])
    func maxConnections(invalid: String) throws {
        #expect(ServiceConfiguration().maxConnections == 10_000)
        #expect(try SettingsResolver().resolve().configuration.maxConnections == 10_000)
        for text in ["1", "2", "1000000"] {
            let resolved = try SettingsResolver(flags: [.maxConnections: text]).resolve()
            #expect(resolved.configuration.maxConnections == Int(text))
            #expect(resolved.origins[.maxConnections] == .flag("--max-connections"))
        }
        let rule = "it must be a whole number of connections from 1 to 1000000."
        #expect(
            throws: ConfigError(
                message: "The value \(MessageText.quoted(invalid)) of --max-connections is not valid: \(rule)"
            )
        ) {
            try SettingsResolver(flags: [.maxConnections: invalid]).resolve()
        }
        // An empty environment value counts as unset, so only the others are errors there.
        guard !invalid.isEmpty else { return }
        #expect(
            throws: ConfigError(
                message: "The value \(MessageText.quoted(invalid)) of SLOWATCH_MAX_CONNECTIONS is not valid: "
                    + rule)
        ) {
            try SettingsResolver(environment: ["SLOWATCH_MAX_CONNECTIONS": invalid]).resolve()
        }
    }

    @Test("an empty environment value counts as unset")
    func emptyEnvironment() throws {
        let resolved = try SettingsResolver(environment: ["SLOWATCH_PORT": ""], file: file([.port: "9"]))
            .resolve()
        #expect(resolved.configuration.port == 9)
    }

    @Test("the config path comes from --config, else SLOWATCH_CONFIG, else none")
    func configPath() {
        #expect(
            SettingsResolver.configPath(flag: "a.yaml", environment: ["SLOWATCH_CONFIG": "b.yaml"])
                == "a.yaml")
        #expect(
            SettingsResolver.configPath(flag: nil, environment: ["SLOWATCH_CONFIG": "b.yaml"]) == "b.yaml")
        #expect(SettingsResolver.configPath(flag: nil, environment: ["SLOWATCH_CONFIG": ""]) == nil)
        #expect(SettingsResolver.configPath(flag: nil, environment: [:]) == nil)
    }

    @Test(
        "a file's SLO list replaces the defaults and names the file as the source; without one the defaults load"
    )
    func sloSource() throws {
        let defaults = try SettingsResolver().resolve().configuration
        #expect(defaults.slos == SeedSLOs.all)
        #expect(defaults.slos.count == 7)
        #expect(defaults.sloSource == "embedded defaults")
        #expect(try SettingsResolver(file: file([:])).resolve().configuration.slos == SeedSLOs.all)
        let slo = try SLODefinition(id: "a", metric: "m", percentile: "p95", threshold: 1)
        let custom = try SettingsResolver(file: file([:], slos: [ConfigSLO(definition: slo, line: 3)]))
            .resolve()
        #expect(custom.configuration.slos == [slo])
        #expect(custom.configuration.sloSource == "file.yaml")
        #expect(try SettingsResolver(file: file([:], slos: [])).resolve().configuration.slos.isEmpty)
    }

    @Test("a metric without a capacity gets the resolved capacity setting, flags included")
    func metricCapacity() throws {
        let metrics = [
            ConfigMetric(name: "a", type: .latency, unit: "ms", description: "", capacity: nil, line: 2),
            ConfigMetric(name: "b", type: .gauge, unit: "fps", description: "", capacity: 9, line: 3),
        ]
        let resolved = try SettingsResolver(
            flags: [.capacity: "123"], file: file([.capacity: "5"], metrics: metrics)
        )
        .resolve()
        #expect(resolved.configuration.metrics.map(\.capacity) == [123, 9])
    }

    @Test("more predefined metrics than maxMetrics is an error at the first metric beyond the limit")
    func tooManyMetrics() {
        let metrics = (0..<3).map {
            ConfigMetric(
                name: "m\($0)", type: .latency, unit: "ms", description: "", capacity: nil, line: 10 + $0)
        }
        #expect(throws: ConfigError.self) {
            try SettingsResolver(flags: [.maxMetrics: "2"], file: file([:], metrics: metrics)).resolve()
        }
        do {
            _ = try SettingsResolver(flags: [.maxMetrics: "2"], file: file([:], metrics: metrics)).resolve()
        } catch {
            #expect(error.line == 12)
            #expect(error.message.contains("flag --max-metrics"))
        }
    }

    @Test("SLOWATCH_ variables that name no setting are listed, the known ones and others are not")
    func unknownEnvironment() throws {
        let resolved = try SettingsResolver(environment: [
            "SLOWATCH_PROT": "1", "SLOWATCH_PORT": "2", "SLOWATCH_CONFIG": "x", "PATH": "/bin",
            "SLOWATCH_A": "",
        ]).resolve()
        #expect(resolved.unknownEnvironmentVariables == ["SLOWATCH_A", "SLOWATCH_PROT"])
    }
}
