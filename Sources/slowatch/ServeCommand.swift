import ArgumentParser
import Dispatch
import Foundation
import Logging
import SLOWatchService

/// `slowatch serve` (the default command): resolves the settings, binds the HTTP server and runs until
/// SIGINT or SIGTERM, then shuts down gracefully and exits 0, or 75 (`EX_TEMPFAIL`) when the shutdown
/// snapshot of a data directory could not be written.
///
/// Everything that can be wrong with the configuration is found before binding: an invalid file, flag
/// or environment value exits 78 with `file:line: what is wrong` (or the flag or variable named).
struct ServeCommand: ParsableCommand {
    /// The command's name, help and (for the root) subcommands and version.
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP service until SIGINT or SIGTERM, then shut down gracefully.",
        usage: usage
    )

    /// The usage line; `--help` lists the settings after it (``HelpText``).
    static let usage = "slowatch serve [--config <file>] [<settings>]"

    /// The configuration file's path, as typed; `SLOWATCH_CONFIG` when absent.
    @Option(help: ArgumentHelp("A configuration file, YAML or JSON (SLOWATCH_CONFIG).", valueName: "file"))
    var config: String?

    /// The setting flags.
    @OptionGroup(title: "Settings")
    var options: SettingOptions

    /// Resolves, builds, binds, serves until a signal, and stops.
    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let settings: ResolvedSettings
        do {
            let configPath = SettingsResolver.configPath(flag: config, environment: environment)
            settings = try options.resolve(configPath: configPath, environment: environment).settings
        } catch {
            StandardError.print(error.description)
            throw ExitStatus.configuration.exitCode
        }
        LoggingSystem.bootstrap { label in
            ServiceLogging.handler(label: label, format: settings.logFormat, level: settings.logLevel)
        }
        let logger = Logger(label: "slowatch")
        for name in settings.unknownEnvironmentVariables {
            logger.warning("The environment variable \(name) names no setting; it is ignored.")
        }
        Self.raiseFileDescriptorLimit(maxConnections: settings.configuration.maxConnections, logger: logger)
        let service: SLOWatchService
        do {
            service = try SLOWatchService(configuration: settings.configuration, logger: logger)
        } catch {
            StandardError.print(error.message)
            throw ExitStatus.configuration.exitCode
        }
        // Observe the signals before binding, so one that arrives during start-up still stops cleanly.
        let signals = SignalWaiter.termination()
        let port: Int
        do {
            port = try service.start()
        } catch {
            logger.critical("\(Self.bindFailureLine(error, settings: settings))")
            throw ExitStatus.unavailable.exitCode
        }
        logger.info("\(Self.startupLine(settings, service: service, port: port))")
        Self.logAccess(settings.configuration, logger: logger)
        if let address = settings.configuration.statsdAddress, let statsdPort = service.statsdPort {
            let bound = ListenAddress(host: address.host, port: statsdPort)
            logger.info("Taking StatsD lines over UDP and TCP on \(bound).")
        }
        let signal = signals.wait()
        logger.info("Received \(SignalWaiter.name(of: signal)); shutting down gracefully.")
        Self.exitOnSecondSignal(signals, logger: logger)
        // The failure was logged as an error with what was not saved; the status tells a supervisor.
        if service.stopAndSave() != nil {
            logger.error("Stopped without saving the state; exiting with status 75 (EX_TEMPFAIL).")
            throw ExitStatus.temporaryFailure.exitCode
        }
        logger.info("Stopped.")
    }

    /// `slowatch 0.5.0 listening on http://127.0.0.1:8080 with 7 SLOs from embedded defaults, checking
    /// every 5s.`
    /// The SLOs are the service's: with a data directory they may come from its definitions file.
    static func startupLine(_ settings: ResolvedSettings, service: SLOWatchService, port: Int) -> String {
        let configuration = service.configuration
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let count = configuration.slos.count
        return "slowatch \(SLOWatchVersion.current) listening on http://\(host):\(port) with \(count) "
            + "SLO\(count == 1 ? "" : "s") from \(configuration.sloSource), checking every "
            + "\(settings.value(of: .checkInterval))."
    }

    /// Says who may write and read: with a token, what needs it; without one on a non-loopback address
    /// (`--insecure`), a warning. Never the token itself.
    static func logAccess(_ configuration: ServiceConfiguration, logger: Logger) {
        if let token = configuration.token {
            if token.isShort {
                let minimum = AccessToken.recommendedMinimumLength
                let advice =
                    "Access: the token is shorter than \(minimum) characters, which makes it easier to "
                    + "guess; use a random one such as the output of openssl rand -hex 32."
                logger.warning("\(advice)")
            }
            let reads =
                configuration.protectReads
                ? "every request but GET /healthz, /openapi.yaml and / needs"
                : "writes (POST, PUT, DELETE) need"
            logger.info("Access: \(reads) Authorization: Bearer <token>.")
        } else if !ServiceConfiguration.isLoopback(configuration.host) {
            let host = configuration.host
            let warning =
                "Access: no token, on the non-loopback address \(host) (--insecure): anyone who can reach "
                + "it can post samples and change or delete metrics and SLOs."
            logger.warning("\(warning)")
        }
        if let statsd = configuration.statsdAddress, !ServiceConfiguration.isLoopback(statsd.host) {
            let warning =
                "StatsD on the non-loopback address \(statsd) (--statsd-allow-remote): StatsD has no "
                + "authentication, so anyone who can reach it can record samples."
            logger.warning("\(warning)")
        }
    }

    /// The start error, and the setting to change: `--statsd` when the StatsD address could not be bound,
    /// else `--port`, with where its value came from.
    static func bindFailureLine(_ error: ServiceError, settings: ResolvedSettings) -> String {
        let origin = { (key: SettingKey) in settings.origins[key] ?? .defaultValue }
        guard error.setting == .statsd else {
            return "\(error.message) Choose another port with --port or SLOWATCH_PORT "
                + "(port \(settings.configuration.port) came from the \(origin(.port)))."
        }
        return "\(error.message) Choose another address with --statsd or SLOWATCH_STATSD "
            + "(\(settings.value(of: .statsd)) came from the \(origin(.statsd)))."
    }

    /// Raises the open-file soft limit to the hard limit, so that `maxConnections` connections can be
    /// accepted, and warns once when even that is too low.
    private static func raiseFileDescriptorLimit(maxConnections: Int, logger: Logger) {
        guard let limit = FileDescriptorLimit.raiseSoftToHard() else {
            logger.warning("Cannot read the open-file limit (RLIMIT_NOFILE); it is left as it is.")
            return
        }
        if let warning = limit.warning(maxConnections: maxConnections) {
            logger.warning("\(warning)")
        }
    }

    /// A second SIGINT or SIGTERM during the graceful shutdown exits at once (status 130), for an operator
    /// who does not want to wait for in-flight requests.
    private static func exitOnSecondSignal(_ signals: SignalWaiter, logger: Logger) {
        DispatchQueue.global().async {
            let signal = signals.wait()
            logger.warning("Received \(SignalWaiter.name(of: signal)) again; exiting without waiting.")
            Foundation.exit(130)
        }
    }
}
