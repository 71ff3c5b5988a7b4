import ArgumentParser
import Foundation
import SLOWatchService

/// `slowatch rules [--config FILE] [--format yaml] [--output FILE]`: prints the Prometheus recording
/// and alerting rules of every error-budget SLO of the configuration (``PrometheusRules``), so a
/// Prometheus scraping several nodes alerts as each node would on its own traffic. The configuration is
/// resolved as `serve` resolves it (`--config`, else `SLOWATCH_CONFIG`, else the embedded SLOs); an
/// invalid one exits 78 with `file:line: what is wrong` on standard error.
struct RulesCommand: ParsableCommand {
    /// The command's name, help and usage.
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Print Prometheus recording and alerting rules for the configuration's error-budget SLOs.",
        usage: "slowatch rules [--config <file>] [--format yaml] [--output <file>]"
    )

    /// The output formats: a Prometheus rule file in YAML.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case yaml
    }

    /// The configuration file's path, as typed; `SLOWATCH_CONFIG` when absent.
    @Option(help: ArgumentHelp("A configuration file, YAML or JSON (SLOWATCH_CONFIG).", valueName: "file"))
    var config: String?

    /// The output format.
    @Option(help: "The output format: yaml, a Prometheus rule file.")
    var format: Format = .yaml

    /// Where to write the rules; standard output when absent.
    @Option(help: ArgumentHelp("Write the rules to this file instead of standard output.", valueName: "file"))
    var output: String?

    /// Resolves the configuration, renders the rules and writes them; exits 78 for an invalid
    /// configuration and 73 (can't create) when the output file cannot be written.
    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let text: String
        do {
            let path = SettingsResolver.configPath(flag: config, environment: environment)
            let file = try path.map { path throws(ConfigError) in try ConfigFile.load(path: path) }
            let settings = try SettingsResolver(flags: [:], environment: environment, file: file).resolve()
            text = PrometheusRules.render(
                slos: settings.configuration.slos, source: settings.configuration.sloSource)
        } catch {
            StandardError.print(error.description)
            throw ExitStatus.configuration.exitCode
        }
        guard let output else {
            print(text, terminator: "")
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch {
            StandardError.print("Cannot write the rules to \(output): \(error.localizedDescription)")
            throw ExitStatus.cannotCreate.exitCode
        }
    }
}
