import ArgumentParser
import SLOWatchService

/// The `slowatch` command line: `slowatch serve` (the default) runs the service, `slowatch check-config`
/// validates a configuration file, `slowatch rules` prints Prometheus rules for its error-budget SLOs,
/// `slowatch export-openslo` prints its SLOs as OpenSLO.
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
            the address cannot be bound (for example, the port is in use), \(ExitStatus.cannotCreate.rawValue) when \
            `rules --output` cannot write its file, \(ExitStatus.dataError.rawValue) when the SLO list given to \
            `export-openslo --slos` is invalid, 64 for a command-line syntax error.
            """,
        version: SLOWatchVersion.current,
        subcommands: [
            ServeCommand.self, CheckConfigCommand.self, SettingsCommand.self, RulesCommand.self,
            ExportOpenSLOCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )

    /// Parses the command line and runs the command. The setting flags are first joined to their values
    /// and moved last (``SettingFlags/normalized(_:)``), and a command's `--help` gets the settings section rendered
    /// from the settings table.
    static func main() {
        let arguments = SettingFlags.normalized(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            if exitCode(for: error) == .success, let help = HelpText.withSettings(fullMessage(for: error)) {
                print(help)
                exit()
            }
            exit(withError: error)
        }
    }
}
