import ArgumentParser
import Foundation
import SLOWatchService

/// `slowatch export-openslo [--config FILE]`: writes the SLOs a configuration runs (its `slos:` list and
/// OpenSLO documents, or the embedded SLOs when it has neither) as OpenSLO v1 YAML on standard output.
/// With `--slos FILE` (or `-` for standard input) it writes the SLOs of a `GET /slos` answer instead: a
/// running server's, including those added through the API.
///
/// An SLO that OpenSLO cannot say exactly is left out with a line on standard error (see
/// ``OpenSLOExport``); the exit status is still 0. An invalid configuration exits 78, as `serve` would;
/// an invalid SLO list 65 (`EX_DATAERR`).
struct ExportOpenSLOCommand: ParsableCommand {
    /// The command's name and help.
    static let configuration = CommandConfiguration(
        commandName: "export-openslo",
        abstract: "Print the SLOs a configuration runs as OpenSLO v1 YAML (kind: SLO documents).",
        usage: usage
    )

    /// The usage line; `--help` lists the settings after it (``HelpText``).
    static let usage = "slowatch export-openslo [--config <file>] [--slos <file>|-] [<settings>]"

    /// The configuration file's path, as typed; `SLOWATCH_CONFIG` when absent.
    @Option(help: ArgumentHelp("A configuration file, YAML or JSON (SLOWATCH_CONFIG).", valueName: "file"))
    var config: String?

    /// A `GET /slos` answer to export instead of the configuration's SLOs; `-` reads standard input.
    @Option(
        help: ArgumentHelp(
            "A GET /slos answer to export instead (- for standard input), e.g. from curl.", valueName: "file")
    )
    var slos: String?

    /// Refuses `--slos` with `--config`: one source of SLOs at a time.
    func validate() throws {
        if slos != nil, config != nil {
            throw ValidationError("Give --config or --slos, not both: they are two sources of SLOs.")
        }
    }

    /// Setting flags, applied over the file as `serve` would.
    @OptionGroup(title: "Settings (override the file, as for serve)")
    var options: SettingOptions

    /// Resolves the configuration and prints its SLOs, or prints the error and exits 78.
    func run() throws {
        if let slos {
            let result: OpenSLOExport.Result
            do {
                let source = slos == "-" ? "standard input" : slos
                result = OpenSLOExport.export(
                    try OpenSLOExport.definitions(fromSLOList: try Self.read(slos), source: source))
            } catch {
                StandardError.print(error.description)
                throw ExitStatus.dataError.exitCode
            }
            Self.write(result)
            return
        }
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
        Self.write(result)
    }

    /// Prints the YAML on standard output and a note per SLO left out on standard error.
    private static func write(_ result: OpenSLOExport.Result) {
        print(result.text, terminator: "")
        for line in result.skipped { StandardError.print("note: \(line)") }
    }

    /// The bytes of `path`, or of standard input for `-`, at most one byte past the list's limit.
    /// - Throws: ``ConfigError`` naming the path when it cannot be read.
    private static func read(_ path: String) throws(ConfigError) -> [UInt8] {
        let handle = path == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: path)
        guard let handle else {
            throw ConfigError(
                file: path, message: "Cannot read the SLO list: no such file, or no permission.")
        }
        do {
            let data = try handle.read(upToCount: OpenSLOExport.maximumSLOListBytes + 1) ?? Data()
            return [UInt8](data)
        } catch {
            throw ConfigError(file: path, message: "Cannot read the SLO list: \(error.localizedDescription).")
        }
    }
}
