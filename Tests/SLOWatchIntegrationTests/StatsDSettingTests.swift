import Foundation
import Testing

@testable import SLOWatchService

/// The `statsd` setting: `--statsd`, `SLOWATCH_STATSD` and the file key `statsd`.
@Suite("StatsD setting")
struct StatsDSettingTests {
    @Test(
        "host:port with an IP literal or localhost is read, IPv6 in brackets, and printed back the same way",
        arguments: [
            ("127.0.0.1:8125", "127.0.0.1", 8125, "127.0.0.1:8125"),
            ("localhost:0", "127.0.0.1", 0, "127.0.0.1:0"),
            ("0.0.0.0:65535", "0.0.0.0", 65_535, "0.0.0.0:65535"), ("[::1]:8125", "::1", 8125, "[::1]:8125"),
            ("[::]:1", "::", 1, "[::]:1"),
        ])
    func validAddresses(text: String, host: String, port: Int, printed: String) throws {
        let address = try #require(ListenAddress(parsing: text))
        #expect(address == ListenAddress(host: host, port: port))
        #expect(address.description == printed)
        #expect(ListenAddress(parsing: printed) == address)
        #expect(SettingKey.statsd.parse(text) == .listenAddress(address))
    }

    @Test(
        "anything else is refused",
        arguments: [
            "", "8125", "127.0.0.1", "127.0.0.1:", ":8125", "127.0.0.1:65536", "127.0.0.1:-1", "127.0.0.1:+1",
            "127.0.0.1: 1", "example.com:8125", "::1:8125", "[::1]", "[::1]8125", "[127.0.0.1]:1", "1.2.3:1",
            "127.0.0.1:0x10", "127.0.0.1:000008125", "udp://127.0.0.1:8125", "OFF",
        ])
    func invalidAddresses(text: String) {
        #expect(ListenAddress(parsing: text) == nil)
        #expect(SettingKey.statsd.parse(text) == nil)
    }

    @Test("the setting is off by default, and off turns it off again over a lower layer")
    func off() throws {
        #expect(ServiceConfiguration().statsdAddress == nil)
        #expect(ResolvedSettings().value(of: .statsd).description == "off")
        let file = ConfigFile(
            path: "f.yaml",
            settings: [
                .statsd: ConfigSetting(value: .listenAddress(ListenAddress(host: "::1", port: 9)), line: 2)
            ])
        let fromFile = try SettingsResolver(file: file).resolve()
        #expect(fromFile.configuration.statsdAddress == ListenAddress(host: "::1", port: 9))
        let off = try SettingsResolver(flags: [.statsd: "off"], file: file).resolve()
        #expect(off.configuration.statsdAddress == nil)
        #expect(off.origins[.statsd] == .flag("--statsd"))
    }

    @Test("the flag, the variable and the file key are named after the setting")
    func names() {
        #expect(SettingKey.statsd.flag == "--statsd")
        #expect(SettingKey.statsd.environmentVariable == "SLOWATCH_STATSD")
        #expect(SettingKey.statsd.fileKey == "statsd")
    }

    @Test("an invalid value is an error naming the flag, the variable or the file line, and the rule")
    func errors() throws {
        let rule = "it must be off, or host:port such as 127.0.0.1:8125"
        do {
            _ = try SettingsResolver(flags: [.statsd: "8125"]).resolve()
            Issue.record("--statsd 8125 was accepted")
        } catch {
            #expect(
                error.message.hasPrefix(#"The value "8125" of --statsd is not valid: \#(rule)"#), "\(error)")
        }
        do {
            _ = try SettingsResolver(environment: ["SLOWATCH_STATSD": "example.com:1"]).resolve()
            Issue.record("SLOWATCH_STATSD=example.com:1 was accepted")
        } catch {
            #expect(error.message.hasPrefix(#"The value "example.com:1" of SLOWATCH_STATSD is not valid"#))
        }
        #expect(throws: ConfigError.self) {
            try ConfigFile.parse("port: 1\nstatsd: 127.0.0.1:99999\n", path: "f")
        }
        do {
            _ = try ConfigFile.parse("port: 1\nstatsd: 127.0.0.1:99999\n", path: "f.yaml")
        } catch {
            #expect(error.line == 2)
            #expect(error.message.hasPrefix(#"The value "127.0.0.1:99999" of statsd is not valid"#))
        }
        // YAML reads an unquoted [::1]:8125 as a list; the error says a text was expected.
        do {
            _ = try ConfigFile.parse("statsd: [::1]:8125\n", path: "f.yaml")
            Issue.record("an unquoted IPv6 address was accepted")
        } catch {
            #expect(error.line == 1)
        }
        let quoted = try ConfigFile.parse("statsd: \"[::1]:8125\"\n", path: "f.yaml")
        #expect(quoted.settings[.statsd]?.value == .listenAddress(ListenAddress(host: "::1", port: 8125)))
    }

    @Test("check-config prints the StatsD address and where it came from")
    func checkConfig() throws {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("slowatch-statsd-\(UUID().uuidString).yaml").path
        try Data("statsd: 127.0.0.1:8125\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let fromFile = try SlowatchProcess.run(["check-config", path])
        #expect(fromFile.status == 0, "\(fromFile.standardError)")
        let line = try #require(
            fromFile.standardOutput.split(separator: "\n").first { $0.hasPrefix("  statsd ") })
        #expect(line.contains("127.0.0.1:8125") && line.contains("(file \(path):1)"), "\(line)")
        let fromFlag = try SlowatchProcess.run(["check-config", path, "--statsd", "[::1]:9125"])
        #expect(fromFlag.standardOutput.contains("[::1]:9125"), "\(fromFlag.standardOutput)")
        #expect(fromFlag.standardOutput.contains("(flag --statsd)"))
        let invalid = try SlowatchProcess.run(
            ["check-config", path], environment: ["SLOWATCH_STATSD": "nope"])
        #expect(invalid.status == 78)
        #expect(invalid.standardError.contains(#"The value "nope" of SLOWATCH_STATSD is not valid"#))
    }

    @Test("--help lists --statsd with its default and variable")
    func help() throws {
        let result = try SlowatchProcess.run(["serve", "--help"])
        #expect(result.standardOutput.contains("--statsd <host:port>"), "\(result.standardOutput)")
        #expect(result.standardOutput.contains("SLOWATCH_STATSD"))
    }
}
