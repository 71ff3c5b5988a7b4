import ArgumentParser
import SLOWatchService

/// The `slowatch` command line: `slowatch serve` (the default) runs the service, `slowatch check-config`
/// validates a configuration file.
@main
struct SlowatchCommand: ParsableCommand {
    /// The command's name, help and (for the root) subcommands and version.
    static let configuration = CommandConfiguration(
        commandName: "slowatch",
        abstract: "A small, fast HTTP service for latency samples, exact percentiles and SLO violations.",
        discussion: """
            Every setting is read, highest precedence first, from its flag, its SLOWATCH_<FLAG> environment \
            variable (SLOWATCH_CHECK_INTERVAL for --check-interval; SLOWATCH_CONFIG names the file), the \
            configuration file (YAML or JSON), and the built-in default.

            Exit status: 0 after a graceful shutdown (SIGTERM or SIGINT), \(ExitStatus.configuration.rawValue) \
            for an invalid configuration, flag or environment value, \(ExitStatus.unavailable.rawValue) when \
            the address cannot be bound (for example, the port is in use), 64 for a command-line syntax error.
            """,
        version: SLOWatchVersion.current,
        subcommands: [ServeCommand.self, CheckConfigCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
