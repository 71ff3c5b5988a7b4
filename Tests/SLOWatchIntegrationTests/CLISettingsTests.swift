import Foundation
import Testing

@testable import SLOWatchService

/// The setting flags as the binary reads them from the settings table: `--help`, the flags' syntax, and
/// `slowatch settings --markdown`.
@Suite("CLI settings flags")
struct CLISettingsTests {
    @Test("serve --help and check-config --help list every setting from the table, before the other options")
    func help() throws {
        for (command, title) in [
            ("serve", "SETTINGS:"), ("check-config", "SETTINGS (OVERRIDE THE FILE, AS FOR SERVE):"),
        ] {
            let result = try SlowatchProcess.run([command, "--help"])
            #expect(result.status == 0, "\(result.standardError)")
            let output = result.standardOutput
            let section = try #require(output.range(of: "\n" + title + "\n"), "\(output)")
            let options = try #require(output.range(of: "\nOPTIONS:\n"), "\(output)")
            #expect(section.upperBound < options.lowerBound)
            #expect(output.contains(SettingsHelp.section(title: String(title.dropLast()))))
        }
    }

    @Test("a setting flag may come before check-config's file, as --flag value or --flag=value")
    func flagBeforeFile() throws {
        let example = SlowatchProcess.packageRoot.appendingPathComponent("examples/slowatch.yaml").path
        let result = try SlowatchProcess.run(
            ["check-config", "--port", "3333", "--history=7", "--insecure", example])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("  port ") && $0.hasSuffix("(flag --port)") })
        #expect(lines.contains { $0.hasPrefix("  history ") && $0.contains(" 7 ") })
        #expect(lines.contains { $0.hasPrefix("  insecure ") && $0.hasSuffix("(flag --insecure)") })
    }

    @Test("an unknown flag, a missing value and a stray argument exit 64 with the usage")
    func syntaxErrors() throws {
        let unknown = try SlowatchProcess.run(["--prot", "1"])
        #expect(unknown.status == 64)
        #expect(unknown.standardError.hasPrefix("Error: Unknown option '--prot'. Did you mean '--port'?\n"))
        let missing = try SlowatchProcess.run(["serve", "--port"])
        #expect(missing.status == 64)
        #expect(missing.standardError.hasPrefix("Error: Missing value for '--port <port>'\n"))
        let stray = try SlowatchProcess.run(["serve", "stray"])
        #expect(stray.status == 64)
    }

    @Test("slowatch settings --markdown prints the configuration reference's table")
    func markdown() throws {
        let result = try SlowatchProcess.run(["settings", "--markdown"])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput == SettingsMarkdown.lines().joined(separator: "\n") + "\n")
    }
}
