import Foundation
import Testing

@testable import SLOWatchService

/// The `alertmanager` setting: the URL rule, and how the list flows from flags, the environment and the
/// configuration file.
@Suite("Alertmanager setting")
struct AlertmanagerSettingTests {
    /// The reason `text` is refused, or nil when it parses.
    private func refusal(_ text: String) -> String? {
        do {
            _ = try AlertmanagerEndpoint(parsing: text)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test(
        "http URLs with an IP literal or a DNS name parse, the port defaulting to 80 and the prefix losing its slash",
        arguments: [
            ("http://127.0.0.1:9093", "127.0.0.1", 9093, "", "http://127.0.0.1:9093"),
            ("http://alertmanager", "alertmanager", 80, "", "http://alertmanager:80"),
            ("HTTP://AM.Example.org:80/", "am.example.org", 80, "", "http://am.example.org:80"),
            ("http://[::1]:9093/am/", "::1", 9093, "/am", "http://[::1]:9093/am"),
            (
                "http://10.0.0.7/proxy/alert%2Dmanager", "10.0.0.7", 80, "/proxy/alert%2Dmanager",
                "http://10.0.0.7:80/proxy/alert%2Dmanager"
            ),
        ])
    func validURLs(text: String, host: String, port: Int, prefix: String, normalised: String) throws {
        let endpoint = try AlertmanagerEndpoint(parsing: text)
        #expect(endpoint.host == host)
        #expect(endpoint.port == port)
        #expect(endpoint.pathPrefix == prefix)
        #expect(endpoint.description == normalised)
        #expect(endpoint.alertsPath == prefix + "/api/v2/alerts")
        // The normalised form is itself valid and names the same Alertmanager.
        #expect(try AlertmanagerEndpoint(parsing: endpoint.description) == endpoint)
    }

    @Test(
        "each broken rule is refused with a reason that names it",
        arguments: [
            ("https://am:9093", "https is not supported"),
            ("ftp://am", "must start with http://"),
            ("127.0.0.1:9093", "must start with http://"),
            ("", "it is empty"),
            ("http://", "it has no host"),
            ("http://:9093", "it has no host"),
            ("http://user:secret@am:9093", "user information"),
            ("http://am:9093/?x=1", "it has a query"),
            ("http://am:9093/#top", "it has a fragment"),
            ("http://am:0", "the port \"0\" is not a whole number from 1 to 65535"),
            ("http://am:65536", "from 1 to 65535"),
            ("http://am:", "the port \"\""),
            ("http://am:９０", "the port"),
            ("http://am_1:9093", "neither an IP address nor a DNS name"),
            ("http://-am:9093", "neither an IP address nor a DNS name"),
            ("http://[::1:9093", "no closing ]"),
            ("http://[1.2.3.4]:9093", "is not an IPv6 address"),
            ("http://am/a,b", "may only hold letters"),
            ("http://am/a%2", "two hex digits"),
        ])
    func invalidURLs(text: String, reason: String) {
        let refused = refusal(text)
        #expect(refused?.contains(reason) == true, "\(text): \(refused ?? "accepted")")
    }

    @Test("https is refused with advice: no TLS here, use a local Alertmanager or a TLS-terminating proxy")
    func httpsAdvice() throws {
        let reason = try #require(refusal("https://alertmanager.example.com"))
        #expect(reason.contains("no TLS"))
        #expect(reason.contains("http://127.0.0.1:9093"))
        #expect(reason.contains("TLS-terminating proxy"))
    }

    @Test(
        "a flag repeated, or SLOWATCH_ALERTMANAGER as a comma list, gives every URL in order; none gives none"
    )
    func layers() throws {
        let flags = try SettingsResolver(flags: [.alertmanager: "http://a:9093,http://b:9094/x"]).resolve()
        #expect(flags.configuration.alertmanagers.map(\.description) == ["http://a:9093", "http://b:9094/x"])
        #expect(flags.origins[.alertmanager] == .flag("--alertmanager"))
        let environment = try SettingsResolver(environment: [
            "SLOWATCH_ALERTMANAGER": " http://a:9093 , http://[::1]:9093"
        ]).resolve()
        #expect(
            environment.configuration.alertmanagers.map(\.description) == [
                "http://a:9093", "http://[::1]:9093",
            ])
        #expect(environment.value(of: .alertmanager).description == "http://a:9093,http://[::1]:9093")
        let defaults = try SettingsResolver().resolve()
        #expect(defaults.configuration.alertmanagers.isEmpty)
        #expect(defaults.value(of: .alertmanager).description == "none")
        // `none` in the environment turns off what the file turns on.
        let file = try ConfigFile.parse("alertmanager: http://am:9093\n", path: "f.yaml")
        let off = try SettingsResolver(environment: ["SLOWATCH_ALERTMANAGER": "none"], file: file).resolve()
        #expect(off.configuration.alertmanagers.isEmpty)
        #expect(off.origins[.alertmanager] == .environment("SLOWATCH_ALERTMANAGER"))
    }

    @Test("a bad URL in a list is named alone, with its reason; a duplicate (after normalising) is refused")
    func listErrors() {
        #expect(
            throws: ConfigError(
                message: "The value \"https://b\" of --alertmanager is not valid: https is not supported: "
                    + AlertmanagerEndpoint.tlsAdvice)
        ) {
            try SettingsResolver(flags: [.alertmanager: "http://a,https://b"]).resolve()
        }
        #expect(
            throws: ConfigError(
                message:
                    "The value \"http://A:80/\" of SLOWATCH_ALERTMANAGER is not valid: it names the same "
                    + "Alertmanager as an earlier URL (http://a:80): each is listed once, or it would get every "
                    + "alert twice.")
        ) {
            try SettingsResolver(environment: ["SLOWATCH_ALERTMANAGER": "http://a,http://A:80/"]).resolve()
        }
        #expect(
            throws: ConfigError(
                message: "The value \"\" of --alertmanager is not valid: it is empty: it must be "
                    + AlertmanagerEndpoint.rule + ".")
        ) {
            try SettingsResolver(flags: [.alertmanager: "http://a,"]).resolve()
        }
    }

    @Test("the file takes one URL or a list, [] meaning none; a bad or repeated item is reported at its line")
    func file() throws {
        let one = try ConfigFile.parse("alertmanager: http://am:9093/prefix\n", path: "f.yaml")
        #expect(
            one.settings[.alertmanager]?.value
                == .endpoints([AlertmanagerEndpoint(host: "am", port: 9093, pathPrefix: "/prefix")]))
        let list = try ConfigFile.parse(
            "port: 1\nalertmanager:\n  - http://a:9093\n  - http://b\n", path: "f.yaml")
        #expect(list.settings[.alertmanager]?.value.description == "http://a:9093,http://b:80")
        let empty = try ConfigFile.parse("alertmanager: []\n", path: "f.yaml")
        #expect(empty.settings[.alertmanager]?.value == .endpoints([]))

        let cases: [(String, ConfigError)] = [
            (
                "alertmanager:\n  - http://a:9093\n  - https://b\n",
                ConfigError(
                    file: "f.yaml", line: 3,
                    message:
                        "The value \"https://b\" of alertmanager[1] is not valid: https is not supported: "
                        + AlertmanagerEndpoint.tlsAdvice)
            ),
            (
                "alertmanager:\n  - http://a\n  - http://a:80\n",
                ConfigError(
                    file: "f.yaml", line: 3,
                    message: "The value \"http://a:80\" of alertmanager[1] is not valid: it names the same "
                        + "Alertmanager as alertmanager[0] (http://a:80): each is listed once, or it would get "
                        + "every alert twice.")
            ),
            (
                "alertmanager: http://am?x\n",
                ConfigError(
                    file: "f.yaml", line: 1,
                    message:
                        "The value \"http://am?x\" of alertmanager is not valid: it has a query (?…), which "
                        + "an Alertmanager URL cannot have.")
            ),
            (
                "alertmanager:\n  - [http://a]\n",
                ConfigError(file: "f.yaml", line: 2, message: "alertmanager[0] must be text, not a list.")
            ),
            (
                "alertmanager: {url: http://a}\n",
                ConfigError(file: "f.yaml", line: 1, message: "alertmanager must be text, not a mapping.")
            ),
        ]
        for (text, expected) in cases {
            #expect(throws: expected, "\(text)") { try ConfigFile.parse(text, path: "f.yaml") }
        }
    }

    @Test("check-config prints the Alertmanagers of two --alertmanager flags; a bad one exits 78 naming it")
    func checkConfig() throws {
        let folder = try ExternalTool.temporaryFolder("slowatch-am-config")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("slowatch.yaml").path
        try "alertmanager: http://file-am:9093\n".write(toFile: path, atomically: true, encoding: .utf8)
        let valid = try SlowatchProcess.run([
            "check-config", path, "--alertmanager", "http://127.0.0.1:9093", "--alertmanager",
            "http://[::1]:9094/am/",
        ])
        #expect(valid.status == 0, "\(valid.standardError)")
        let line = valid.standardOutput.split(separator: "\n").first { $0.contains("alertmanager") }
        #expect(
            line?.contains("http://127.0.0.1:9093,http://[::1]:9094/am") == true, "\(valid.standardOutput)")
        #expect(line?.contains("(flag --alertmanager)") == true, "\(valid.standardOutput)")

        let invalid = try SlowatchProcess.run(
            ["check-config", path], environment: ["SLOWATCH_ALERTMANAGER": "http://ok:1,https://secure:9093"])
        #expect(invalid.status == 78)
        #expect(
            invalid.standardError.contains(
                "The value \"https://secure:9093\" of SLOWATCH_ALERTMANAGER is not valid: https is not supported"
            ),
            "\(invalid.standardError)")
    }
}
