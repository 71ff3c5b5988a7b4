import ArgumentParser
import Foundation
import SLOWatchService

/// `slowatch export-openslo [--config FILE]`: writes the SLOs a configuration runs (its `slos:` list and
/// OpenSLO documents, or the embedded SLOs when it has neither) as OpenSLO v1 YAML on standard output.
///
/// An SLO that OpenSLO cannot say exactly is left out with a line on standard error (see
/// ``OpenSLOExport``); the exit status is still 0. An invalid configuration exits 78, as `serve` would.
struct ExportOpenSLOCommand: ParsableCommand {
    /// The command's name and help.
    static let configuration = CommandConfiguration(
        commandName: "export-openslo",
        abstract: "Print the SLOs a configuration runs as OpenSLO v1 YAML (kind: SLO documents).",
        usage: usage
    )

    /// The usage line; `--help` lists the settings after it (``HelpText``).
    static let usage = "slowatch export-openslo [--config <file>] [<settings>]"

    /// The configuration file's path, as typed; `SLOWATCH_CONFIG` when absent.
    @Option(help: ArgumentHelp("A configuration file, YAML or JSON (SLOWATCH_CONFIG).", valueName: "file"))
    var config: String?

    /// Setting flags, applied over the file as `serve` would.
    @OptionGroup(title: "Settings (override the file, as for serve)")
    var options: SettingOptions

    /// Resolves the configuration and prints its SLOs, or prints the error and exits 78.
    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let result: OpenSLOExport.Result
        do {
            let configPath = SettingsResolver.configPath(flag: config, environment: environment)
            let settings = try options.resolve(configPath: configPath, environment: environment).settings
            result = OpenSLOExport.export(settings.configuration.slos)
        } catch {
            StandardError.print(error.description)
            throw ExitStatus.configuration.exitCode
        }
        print(result.text, terminator: "")
        for line in result.skipped { StandardError.print("note: \(line)") }
    }
}
