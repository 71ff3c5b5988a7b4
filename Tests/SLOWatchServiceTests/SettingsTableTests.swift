import Foundation
import Testing

@testable import SLOWatchService

/// The settings table (`SettingKey.spec`) and what is rendered from it: the configuration reference's
/// table (docs/configuration.md), `--help`, and the reading of setting flags.
@Suite("Settings table")
struct SettingsTableTests {
    /// The settings table of the configuration reference, docs/configuration.md: from its header row to
    /// the first blank line.
    private func readmeTable() throws -> [String] {
        let url = SlowatchProcess.packageRoot.appendingPathComponent("docs/configuration.md")
        let lines = try String(contentsOf: url, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(of: "| flag | environment | file key | default | meaning |") else {
            return []
        }
        return lines[start...].prefix { !$0.isEmpty }.map(String.init)
    }

    @Test(
        "docs/configuration.md's settings table is the one rendered from the settings table (slowatch settings --markdown)"
    )
    func readmeMatchesTable() throws {
        let readme = try readmeTable()
        let rendered = SettingsMarkdown.lines()
        #expect(
            !readme.isEmpty, "docs/configuration.md has no settings table; run slowatch settings --markdown")
        for (index, line) in rendered.enumerated() where index >= readme.count || readme[index] != line {
            Issue.record(
                "docs/configuration.md settings row \(index) differs (run slowatch settings --markdown); expected:\n\(line)"
            )
        }
        #expect(
            readme.count == rendered.count,
            "docs/configuration.md has \(readme.count) settings rows, the table renders \(rendered.count); run slowatch settings --markdown"
        )
    }

    @Test("every setting's default, printed as check-config prints it, parses back to the same value")
    func defaultsRoundTrip() {
        let defaults = ResolvedSettings()
        for key in SettingKey.allCases where key != .token {
            let value = defaults.value(of: key)
            #expect(key.parse(value.description) == value, "\(key): \(value)")
        }
    }

    @Test("setting a value of another type is refused and leaves the setting and its origin alone")
    func setRefusesWrongType() {
        var settings = ResolvedSettings()
        settings.set(.port, to: .boolean(true), from: .flag("--port"))
        #expect(settings.configuration.port == 8080)
        #expect(settings.origins[.port] == .defaultValue)
        settings.set(.port, to: .integer(9), from: .flag("--port"))
        #expect(settings.configuration.port == 9)
        #expect(settings.origins[.port] == .flag("--port"))
    }

    @Test("a flag's value is joined to it and the setting flags go last, so no positional argument is lost")
    func normalized() {
        let normalized = SettingFlags.normalized(
            [
                "check-config", "--port", "0", "--insecure", "file.yaml", "--statsd=[::1]:1", "--port", "--",
                "--host", "x",
            ])
        #expect(
            normalized == [
                "check-config", "file.yaml", "--port=0", "--insecure", "--statsd=[::1]:1", "--port", "--",
                "--host",
                "x",
            ])
        #expect(SettingFlags.normalized(["--max-connections", "-1"]) == ["--max-connections=-1"])
        #expect(SettingFlags.normalized(["--port"]) == ["--port"])
        #expect(
            SettingFlags.normalized(["--config", "a.yaml", "--prot", "1"]) == [
                "--config", "a.yaml", "--prot", "1",
            ])
    }

    @Test("setting flags are read by the table: the last value wins, a list flag repeats, a switch is true")
    func values() throws {
        let values = try SettingFlags.values([
            "--port=1", "--port=2", "--alertmanager=http://a", "--alertmanager=http://b", "--insecure",
        ])
        #expect(values == [.port: "2", .alertmanager: "http://a,http://b", .insecure: "true"])
    }

    @Test(
        "an unknown flag, a flag without its value, a switch with one and a stray argument are refused",
        arguments: [
            (["--prot=1"], "Unknown option '--prot'. Did you mean '--port'?"),
            (["--zzzzzzzz"], "Unknown option '--zzzzzzzz'."),
            (["--port"], "Missing value for '--port <port>'"),
            (["--insecure=yes"], "The option '--insecure' does not take any value, but 'yes' was given"),
            (["stray"], "Unexpected argument 'stray'"),
        ])
    func refused(arguments: [String], message: String) {
        #expect(throws: SettingFlags.Failure(message: message)) { try SettingFlags.values(arguments) }
    }

    @Test("--help lists every setting with its value placeholder, default and environment variable")
    func help() {
        let section = SettingsHelp.section(title: "Settings")
        #expect(section.hasPrefix("SETTINGS:\n  --host <address>        The address to bind"))
        #expect(
            section.contains(
                "\n  --insecure              Allow a non-loopback --host without a token (default"))
        for key in SettingKey.allCases {
            #expect(section.contains("  \(SettingsHelp.label(key))"), "\(key)")
            #expect(section.contains(key.environmentVariable), "\(key)")
        }
        for line in section.split(separator: "\n") { #expect(line.count < 80, "\(line)") }
    }
}
