import ArgumentParser
import SLOWatchService

/// The flags that set the service's settings, one per ``SettingKey``; shared by `serve` and `check-config`.
///
/// Each is read as text and parsed by ``SettingsResolver`` with the same rules as the environment and the
/// configuration file, so every layer accepts the same spellings and reports errors the same way.
struct SettingOptions: ParsableArguments {
    /// The address to bind, as typed.
    @Option(help: SettingOptions.help(.host, valueName: "address"))
    var host: String?

    /// The TCP port, as typed.
    @Option(help: SettingOptions.help(.port, valueName: "port"))
    var port: String?

    /// The SLO check interval (a duration), as typed.
    @Option(help: SettingOptions.help(.checkInterval, valueName: "duration"))
    var checkInterval: String?

    /// The violation rate-limit window (a duration), as typed.
    @Option(help: SettingOptions.help(.rateLimitWindow, valueName: "duration"))
    var rateLimitWindow: String?

    /// The default ring-buffer capacity in samples, as typed.
    @Option(help: SettingOptions.help(.capacity, valueName: "samples"))
    var capacity: String?

    /// The most metrics, as typed.
    @Option(help: SettingOptions.help(.maxMetrics, valueName: "count"))
    var maxMetrics: String?

    /// The largest request body (a byte size), as typed.
    @Option(help: SettingOptions.help(.maxBody, valueName: "size"))
    var maxBody: String?

    /// The most open connections, as typed.
    @Option(help: SettingOptions.help(.maxConnections, valueName: "count"))
    var maxConnections: String?

    /// The events kept for replay, as typed.
    @Option(help: SettingOptions.help(.history, valueName: "events"))
    var history: String?

    /// The lowest log level, as typed.
    @Option(help: SettingOptions.help(.logLevel, valueName: "level"))
    var logLevel: String?

    /// The log line format, as typed.
    @Option(help: SettingOptions.help(.logFormat, valueName: "format"))
    var logFormat: String?

    /// The SSE keepalive interval (a duration), as typed.
    @Option(help: SettingOptions.help(.keepaliveInterval, valueName: "duration"))
    var keepaliveInterval: String?

    /// The graceful-shutdown bound (a duration), as typed.
    @Option(help: SettingOptions.help(.shutdownGrace, valueName: "duration"))
    var shutdownGrace: String?

    /// The StatsD listen address (`host:port` or `off`), as typed.
    @Option(help: SettingOptions.help(.statsd, valueName: "host:port"))
    var statsd: String?

    /// The Alertmanager URLs, as typed; the flag may be repeated.
    @Option(help: SettingOptions.help(.alertmanager, valueName: "url"))
    var alertmanager: [String] = []

    /// The bearer token, as typed.
    @Option(help: SettingOptions.help(.token, valueName: "token"))
    var token: String?

    /// The token file's path, as typed.
    @Option(help: SettingOptions.help(.tokenFile, valueName: "file"))
    var tokenFile: String?

    /// Whether reads need the token too.
    @Flag(help: SettingOptions.help(.protectReads, valueName: "flag"))
    var protectReads = false

    /// Whether a non-loopback host may be served without a token.
    @Flag(help: SettingOptions.help(.insecure, valueName: "flag"))
    var insecure = false

    /// Whether the StatsD listener may use a non-loopback address.
    @Flag(help: SettingOptions.help(.statsdAllowRemote, valueName: "flag"))
    var statsdAllowRemote = false
    /// The request-head timeout (a duration), as typed.
    @Option(help: SettingOptions.help(.headTimeout, valueName: "duration"))
    var headTimeout: String?

    /// The request-body stall timeout (a duration), as typed.
    @Option(help: SettingOptions.help(.bodyTimeout, valueName: "duration"))
    var bodyTimeout: String?

    /// The keep-alive idle timeout (a duration), as typed.
    @Option(help: SettingOptions.help(.idleTimeout, valueName: "duration"))
    var idleTimeout: String?

    /// The write-stall timeout (a duration), as typed.
    @Option(help: SettingOptions.help(.writeStallTimeout, valueName: "duration"))
    var writeStallTimeout: String?
    /// The data directory, as typed.
    @Option(help: SettingOptions.help(.dataDir, valueName: "dir"))
    var dataDir: String?

    /// The snapshot interval (a duration), as typed.
    @Option(help: SettingOptions.help(.snapshotInterval, valueName: "duration"))
    var snapshotInterval: String?

    /// The flags that were given, by setting; repeated `--alertmanager` flags are joined with commas, the
    /// list syntax of `SLOWATCH_ALERTMANAGER` (a URL cannot hold a comma).
    var flags: [SettingKey: String] {
        let given: [(SettingKey, String?)] = [
            (.host, host), (.port, port), (.checkInterval, checkInterval),
            (.rateLimitWindow, rateLimitWindow),
            (.capacity, capacity), (.maxMetrics, maxMetrics), (.maxBody, maxBody),
            (.maxConnections, maxConnections), (.history, history),
            (.logLevel, logLevel), (.logFormat, logFormat), (.keepaliveInterval, keepaliveInterval),
            (.shutdownGrace, shutdownGrace), (.statsd, statsd),
            (.alertmanager, alertmanager.isEmpty ? nil : alertmanager.joined(separator: ",")),
            (.token, token), (.tokenFile, tokenFile), (.protectReads, protectReads ? "true" : nil),
            (.insecure, insecure ? "true" : nil), (.statsdAllowRemote, statsdAllowRemote ? "true" : nil),
            (.headTimeout, headTimeout), (.bodyTimeout, bodyTimeout), (.idleTimeout, idleTimeout),
            (.writeStallTimeout, writeStallTimeout),
            (.dataDir, dataDir), (.snapshotInterval, snapshotInterval),
        ]
        return Dictionary(uniqueKeysWithValues: given.compactMap { key, value in value.map { (key, $0) } })
    }

    /// Loads the configuration file at `configPath` (if any) and resolves every setting.
    /// - Throws: ``ConfigError`` for an unreadable or invalid file, or an invalid flag or environment value.
    func resolve(configPath: String?, environment: [String: String]) throws(ConfigError) -> (
        settings: ResolvedSettings, file: ConfigFile?
    ) {
        let file = try configPath.map { path throws(ConfigError) in try ConfigFile.load(path: path) }
        let resolver = SettingsResolver(flags: flags, environment: environment, file: file)
        return (try resolver.resolve(), file)
    }

    /// `What it does (default 5s; SLOWATCH_CHECK_INTERVAL).`
    private static func help(_ key: SettingKey, valueName: String) -> ArgumentHelp {
        ArgumentHelp(
            "\(summary(key)) (default \(ResolvedSettings().value(of: key)); \(key.environmentVariable)).",
            valueName: valueName)
    }

    /// One phrase per setting, for `--help`.
    private static func summary(_ key: SettingKey) -> String {
        switch key {
        case .host: "The address to bind: an IPv4 or IPv6 literal, or localhost"
        case .port: "The TCP port to listen on; 0 picks a free one"
        case .checkInterval: "How often SLOs are checked, e.g. 500ms, 5s, 1m"
        case .rateLimitWindow: "At most one violation event per SLO within this duration"
        case .capacity: "Samples kept per metric registered on first use"
        case .maxMetrics: "The most metrics held at once"
        case .maxBody: "The largest request body, e.g. 1MiB, 512KiB, 1048576"
        case .maxConnections: "The most connections open at once, streams included; more get 503"
        case .history: "Events kept for replay by GET /slo/violations and Last-Event-ID"
        case .logLevel: "The lowest level logged: trace, debug, info, notice, warning, error or critical"
        case .logFormat: "Log lines as text or json (one object per line)"
        case .keepaliveInterval: "How often every event stream gets a keepalive comment"
        case .shutdownGrace: "How long shutdown waits for in-flight requests"
        case .statsd: "Also take StatsD lines over UDP and TCP on this address, e.g. 127.0.0.1:8125"
        case .alertmanager:
            "Send SLO alerts to this Alertmanager, http://host[:port][/prefix]; repeat for several"
        case .token:
            "The bearer token writes (and with --protect-reads, reads) need; other users can see it in ps, "
                + "so prefer --token-file"
        case .tokenFile: "Read the token from this file (one trailing newline is dropped)"
        case .protectReads: "Reads need the token too, except /healthz, /openapi.yaml and the dashboard page"
        case .insecure: "Allow a non-loopback --host without a token"
        case .statsdAllowRemote: "Allow a non-loopback --statsd address (StatsD has no authentication)"
        case .headTimeout: "How long a request head may take to arrive; then 408 and close"
        case .bodyTimeout: "How long a request body may stall between bytes; then 408 and close"
        case .idleTimeout: "How long a keep-alive connection may sit idle between requests"
        case .writeStallTimeout:
            "How long a client may leave queued response bytes unread before it is disconnected"
        case .dataDir:
            "Keep SLOs, metric definitions, violations and samples in this directory across restarts"
        case .snapshotInterval: "How often every ring buffer is snapshotted to the data directory"
        }
    }
}
