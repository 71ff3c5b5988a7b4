import ArgumentParser
import Foundation
import SLOWatchService

/// `slowatch check-config FILE`: validates a configuration and prints what `serve` would load with it
/// (the environment and any flags given here included), then exits 0; an invalid one exits 78 with
/// `file:line: what is wrong` on standard error.
struct CheckConfigCommand: ParsableCommand {
    /// The command's name, help and (for the root) subcommands and version.
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration file and print the settings, SLOs and metrics it would load.",
        usage: usage
    )

    /// The usage line; `--help` lists the settings after it (``HelpText``).
    static let usage = "slowatch check-config <file> [<settings>]"

    /// The file to check.
    @Argument(help: "The configuration file (YAML or JSON).")
    var file: String

    /// Setting flags, applied over the file as `serve` would.
    @OptionGroup(title: "Settings (override the file, as for serve)")
    var options: SettingOptions

    /// Loads, resolves and prints the summary, or prints the error and exits 78.
    func run() throws {
        do {
            let (settings, file) = try options.resolve(
                configPath: self.file, environment: ProcessInfo.processInfo.environment)
            print("\(self.file): valid")
            for line in ConfigSummary.lines(settings, file: file) { print(line) }
            for name in settings.unknownEnvironmentVariables {
                StandardError.print(
                    "warning: the environment variable \(name) names no setting; it is ignored.")
            }
        } catch {
            StandardError.print(error.description)
            throw ExitStatus.configuration.exitCode
        }
    }
}
