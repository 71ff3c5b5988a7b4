import Foundation
import SLOWatchHTTP
import Testing

@testable import SLOWatchService

/// The access settings: the token and its file, the refusals, and what the token looks like in print.
@Suite("Access settings")
struct AccessSettingTests {
    static let secret = "s3cr3t-token-0123456789abcdef"

    /// The error `resolve()` throws, or nil.
    private func failure(_ resolver: SettingsResolver) -> ConfigError? {
        do {
            _ = try resolver.resolve()
            return nil
        } catch {
            return error
        }
    }

    @Test("a token comes from --token or SLOWATCH_TOKEN, and only the right bytes match it")
    func tokenSources() throws {
        let flag = try SettingsResolver(flags: [.token: Self.secret]).resolve()
        let token = try #require(flag.configuration.token)
        #expect(token.matches(Array(Self.secret.utf8)))
        #expect(!token.matches(Array((Self.secret + "x").utf8)))
        #expect(!token.matches(Array(Self.secret.dropLast().utf8)))
        #expect(!token.matches([]))
        #expect(flag.origins[.token] == .flag("--token"))
        let environment = try SettingsResolver(environment: ["SLOWATCH_TOKEN": Self.secret]).resolve()
        #expect(environment.configuration.token == token)
        #expect(try SettingsResolver().resolve().configuration.token == nil)
        #expect(
            try SettingsResolver(flags: [.token: "none"], environment: ["SLOWATCH_TOKEN": Self.secret])
                .resolve().configuration.token == nil)
    }

    @Test("a credential longer than the longest token is refused; a token of the longest length matches")
    func credentialLengthBound() throws {
        let longest = String(repeating: "k", count: AccessToken.maximumLength)
        let token = try #require(AccessToken(longest))
        #expect(token.matches(Array(longest.utf8)))
        #expect(!token.matches(Array((longest + "k").utf8)))
        #expect(!token.matches([UInt8](repeating: UInt8(ascii: "k"), count: 16 * 1024)))
        // A collection with no contiguous storage is hashed too, to the same answer.
        #expect(token.matches(longest.utf8))
    }

    @Test(
        "an invalid token is an error that names the setting and the rule but never shows the value",
        arguments: ["", "has space", "tab\there", "naïve", String(repeating: "a", count: 4_097)])
    func invalidToken(text: String) throws {
        let error = try #require(failure(SettingsResolver(flags: [.token: text])))
        #expect(
            error.message.hasPrefix("The value of --token is not valid: it must be 1 to 4096 visible ASCII"))
        #expect(text.isEmpty || !error.message.contains(text))
        if !text.isEmpty {
            let environment = try #require(failure(SettingsResolver(environment: ["SLOWATCH_TOKEN": text])))
            #expect(environment.message.hasPrefix("The value of SLOWATCH_TOKEN is not valid"))
            #expect(!environment.message.contains(text))
        }
    }

    @Test("an empty SLOWATCH_TOKEN is an error, not the absence of a token")
    func emptyEnvironmentToken() throws {
        let error = try #require(failure(SettingsResolver(environment: ["SLOWATCH_TOKEN": ""])))
        #expect(error.message.hasPrefix("SLOWATCH_TOKEN is set but empty"))
        // Beside a token file it means "not configured", as container tools write it.
        let path = try TemporaryFile.create(Self.secret, prefix: "slowatch-token")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let resolved = try SettingsResolver(
            flags: [.tokenFile: path], environment: ["SLOWATCH_TOKEN": ""]
        ).resolve()
        #expect(resolved.configuration.token?.matches(Array(Self.secret.utf8)) == true)
    }

    @Test("an empty SLOWATCH_TOKEN_FILE is an error naming it, unless a token comes from elsewhere")
    func emptyEnvironmentTokenFile() throws {
        let error = try #require(failure(SettingsResolver(environment: ["SLOWATCH_TOKEN_FILE": ""])))
        #expect(error.message.hasPrefix("SLOWATCH_TOKEN_FILE is set but empty: it names no token file"))
        // Both empty: the token's variable is named first.
        let both = try #require(
            failure(SettingsResolver(environment: ["SLOWATCH_TOKEN_FILE": "", "SLOWATCH_TOKEN": ""])))
        #expect(both.message.hasPrefix("SLOWATCH_TOKEN is set but empty"))
        // Beside a token from another source it means "not configured", as container tools write it.
        let environment = try SettingsResolver(
            environment: ["SLOWATCH_TOKEN_FILE": "", "SLOWATCH_TOKEN": Self.secret]
        ).resolve()
        #expect(environment.configuration.token?.matches(Array(Self.secret.utf8)) == true)
        let flag = try SettingsResolver(
            flags: [.token: Self.secret], environment: ["SLOWATCH_TOKEN_FILE": ""]
        )
        .resolve()
        #expect(flag.configuration.token?.matches(Array(Self.secret.utf8)) == true)
        let path = try TemporaryFile.create(Self.secret, prefix: "slowatch-token")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let file = try SettingsResolver(flags: [.tokenFile: path], environment: ["SLOWATCH_TOKEN_FILE": ""])
            .resolve()
        #expect(file.configuration.token?.matches(Array(Self.secret.utf8)) == true)
        // An explicit "no token" on the command line is not overruled by the empty variable.
        let none = try SettingsResolver(flags: [.token: "none"], environment: ["SLOWATCH_TOKEN_FILE": ""])
            .resolve()
        #expect(none.configuration.token == nil)
    }

    @Test("--token-file reads the file less one trailing newline")
    func tokenFile() throws {
        for ending in ["", "\n", "\r\n"] {
            let path = try TemporaryFile.create(Self.secret + ending, prefix: "slowatch-token")
            defer { try? FileManager.default.removeItem(atPath: path) }
            let resolved = try SettingsResolver(flags: [.tokenFile: path]).resolve()
            let token = try #require(resolved.configuration.token)
            #expect(token.matches(Array(Self.secret.utf8)), "ending \(ending.debugDescription)")
            #expect(resolved.tokenFile == path)
            #expect(resolved.value(of: .tokenFile) == .path(path))
        }
        // From the environment and from the configuration file too.
        let path = try TemporaryFile.create(Self.secret + "\n", prefix: "slowatch-token")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let environment = try SettingsResolver(environment: ["SLOWATCH_TOKEN_FILE": path]).resolve()
        #expect(environment.configuration.token?.matches(Array(Self.secret.utf8)) == true)
        let file = try ConfigFile.parse("tokenFile: \(path)\n", path: "c.yaml")
        #expect(
            try SettingsResolver(file: file).resolve().configuration.token?.matches(Array(Self.secret.utf8))
                == true)
    }

    @Test(
        "a token file that is missing, empty or holds more than a token is an error naming the file and the setting"
    )
    func badTokenFile() throws {
        let missing = try #require(failure(SettingsResolver(flags: [.tokenFile: "/nonexistent/token"])))
        #expect(
            missing.message
                == "The token file \"/nonexistent/token\" of --token-file cannot be read: "
                + "No such file or directory."
        )
        let directory = try #require(failure(SettingsResolver(environment: ["SLOWATCH_TOKEN_FILE": "/tmp"])))
        #expect(directory.message.contains("of SLOWATCH_TOKEN_FILE cannot be read: it is a directory"))
        for text in ["", "\n", "\r\n"] {
            let path = try TemporaryFile.create(text, prefix: "slowatch-token")
            defer { try? FileManager.default.removeItem(atPath: path) }
            let error = try #require(failure(SettingsResolver(flags: [.tokenFile: path])))
            #expect(error.message.contains("of --token-file is empty"), "\(text.debugDescription)")
        }
        for text in [Self.secret + "\n\n", "two words\n", " " + Self.secret] {
            let path = try TemporaryFile.create(text, prefix: "slowatch-token")
            defer { try? FileManager.default.removeItem(atPath: path) }
            let error = try #require(failure(SettingsResolver(flags: [.tokenFile: path])))
            #expect(error.message.contains("of --token-file is not valid"), "\(text.debugDescription)")
            #expect(!error.message.contains(Self.secret) && !error.message.contains("two words"))
        }
    }

    @Test("a token and a token file together are an error naming both origins")
    func tokenAndTokenFile() throws {
        let path = try TemporaryFile.create(Self.secret, prefix: "slowatch-token")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let error = try #require(
            failure(SettingsResolver(flags: [.tokenFile: path], environment: ["SLOWATCH_TOKEN": Self.secret]))
        )
        #expect(
            error.message
                == "Both a token (from the environment SLOWATCH_TOKEN) and a token file (from the flag "
                + "--token-file) are given; give only one of them.")
    }

    @Test("the configuration file may not hold the token: the error is at its line and does not echo it")
    func tokenInFile() throws {
        do {
            _ = try ConfigFile.parse("port: 1\ntoken: \(Self.secret)\n", path: "c.yaml")
            Issue.record("a token in the file was accepted")
        } catch {
            #expect(error.file == "c.yaml" && error.line == 2)
            #expect(error.message.hasPrefix("The token may not be written in the configuration file"))
            #expect(error.message.contains("tokenFile"))
            #expect(!error.description.contains(Self.secret))
        }
    }

    @Test("the token prints as (hidden) in every form: description, reflection, dump, check-config")
    func tokenIsNeverPrinted() throws {
        let resolved = try SettingsResolver(flags: [.token: Self.secret, .protectReads: "true"]).resolve()
        let token = try #require(resolved.configuration.token)
        #expect("\(token)" == "(hidden)")
        #expect(String(reflecting: token) == "(hidden)")
        var dumped = ""
        dump(resolved.configuration, to: &dumped)
        #expect(dumped.contains("token") && !dumped.contains(Self.secret))
        #expect(!String(describing: resolved).contains(Self.secret))
        let lines = ConfigSummary.lines(resolved, file: nil)
        #expect(
            lines.contains {
                $0.hasPrefix("  token ") && $0.contains("(hidden)") && $0.hasSuffix("(flag --token)")
            })
        #expect(lines.contains { $0.hasPrefix("  protectReads ") && $0.contains("true") })
        #expect(!lines.joined().contains(Self.secret))
    }

    @Test(
        "loopback is 127.0.0.0/8, ::1 and IPv4-mapped 127.x; the wildcards and other addresses are not",
        arguments: [
            ("127.0.0.1", true), ("127.1.2.3", true), ("::1", true), ("::ffff:127.0.0.1", true),
            ("0.0.0.0", false), ("::", false), ("10.0.0.1", false), ("128.0.0.1", false),
            ("::ffff:10.0.0.1", false), ("::2", false), ("fe80::1", false), ("localhost", false),
        ])
    func loopback(host: String, isLoopback: Bool) {
        #expect(ServiceConfiguration.isLoopback(host) == isLoopback)
    }

    @Test(
        "a non-loopback host needs a token or --insecure; the error says why, where the host came from, and what to do"
    )
    func nonLoopbackHost() throws {
        let error = try #require(failure(SettingsResolver(environment: ["SLOWATCH_HOST": "0.0.0.0"])))
        #expect(
            error.message.hasPrefix(
                "Refusing to listen on 0.0.0.0 (from the environment SLOWATCH_HOST) without a token"))
        #expect(error.message.contains("--token-file") && error.message.contains("--insecure"))
        #expect(failure(SettingsResolver(flags: [.host: "::", .insecure: "true"])) == nil)
        #expect(failure(SettingsResolver(flags: [.host: "0.0.0.0", .token: Self.secret])) == nil)
        #expect(failure(SettingsResolver(flags: [.host: "::1"])) == nil)
        let file = try ConfigFile.parse("host: 0.0.0.0\ninsecure: true\n", path: "c.yaml")
        #expect(failure(SettingsResolver(file: file)) == nil)
        // The library refuses the same configuration, for services built without the resolver.
        var configuration = ServiceConfiguration()
        configuration.host = "10.1.2.3"
        #expect(throws: ServiceError.self) { try SLOWatchService(configuration: configuration) }
    }

    @Test(
        "StatsD on a non-loopback address needs --statsd-allow-remote; the error says UDP has no authentication"
    )
    func remoteStatsD() throws {
        let error = try #require(failure(SettingsResolver(flags: [.statsd: "0.0.0.0:8125"])))
        #expect(
            error.message.hasPrefix("Refusing to take StatsD lines on 0.0.0.0:8125 (from the flag --statsd)"))
        #expect(
            error.message.contains("no authentication") && error.message.contains("--statsd-allow-remote"))
        #expect(
            failure(SettingsResolver(flags: [.statsd: "0.0.0.0:8125", .statsdAllowRemote: "true"])) == nil)
        #expect(failure(SettingsResolver(flags: [.statsd: "[::1]:8125"])) == nil)
        let file = try ConfigFile.parse("statsd: 0.0.0.0:8125\nstatsdAllowRemote: yes\n", path: "c.yaml")
        #expect(failure(SettingsResolver(file: file)) == nil)
        var configuration = ServiceConfiguration()
        configuration.statsdAddress = ListenAddress(host: "::", port: 0)
        #expect(throws: ServiceError.self) { try SLOWatchService(configuration: configuration) }
    }

    @Test("the switches are true or false in every layer; the file takes YAML booleans only")
    func switches() throws {
        #expect(SettingKey.protectReads.parse("true") == .boolean(true))
        #expect(SettingKey.insecure.parse("false") == .boolean(false))
        #expect(SettingKey.statsdAllowRemote.parse("1") == nil)
        let error = try #require(failure(SettingsResolver(environment: ["SLOWATCH_PROTECT_READS": "on"])))
        #expect(
            error.message
                == "The value \"on\" of SLOWATCH_PROTECT_READS is not valid: it must be true or false.")
        do {
            _ = try ConfigFile.parse("protectReads: \"true\"\n", path: "c.yaml")
            Issue.record("a quoted boolean was accepted")
        } catch {
            #expect(error.line == 1 && error.message.contains("must be true or false"))
        }
    }

    @Test("the policy parses the Authorization header as RFC 6750 writes it")
    func credentialParsing() {
        func credential(_ values: [String]) -> BearerCredential {
            var headers = HTTPHeaders()
            for value in values { headers.add(name: "Authorization", value: value) }
            return BearerCredential(headers)
        }
        #expect(credential([]) == .missing)
        #expect(credential(["Bearer abc"]) == .bearer(Array("abc".utf8)))
        #expect(credential(["BEARER   abc"]) == .bearer(Array("abc".utf8)))
        #expect(credential(["Bearer "]) == .bearer([]))
        #expect(credential(["Bearerabc"]) == .otherScheme)
        #expect(credential(["Basic abc"]) == .otherScheme)
        #expect(credential(["Bearer a", "Bearer a"]) == .repeated)
    }
}
