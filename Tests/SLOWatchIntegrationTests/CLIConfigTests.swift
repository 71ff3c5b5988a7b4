import Foundation
import Testing

/// `slowatch check-config`, `--config` and flag errors, through the real binary.
@Suite("CLI configuration")
struct CLIConfigTests {
    /// Writes `text` to a fresh temporary file and returns its path; the caller removes it.
    private func temporaryFile(_ text: String, suffix: String = ".yaml") throws -> String {
        try TemporaryFile.create(text, prefix: "slowatch-cli", suffix: suffix)
    }

    @Test("--version prints the version and exits 0")
    func version() throws {
        let result = try SlowatchProcess.run(["--version"])
        #expect(result.status == 0)
        #expect(result.standardOutput == "0.5.0\n")
    }

    @Test("check-config prints every setting with its origin and each SLO, and exits 0")
    func checkConfigValid() throws {
        let path = try temporaryFile(
            "port: 9099\nslos:\n  - {id: checkout-p99, metric: checkout, percentile: p99, threshold: 250}\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try SlowatchProcess.run(["check-config", path])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("\(path): valid\n"))
        #expect(result.standardOutput.contains("9099") && result.standardOutput.contains("(file \(path):1)"))
        #expect(result.standardOutput.contains("slos: 1 from \(path)"))
        #expect(result.standardOutput.contains("  checkout-p99: checkout p99 above 250 ms  (line 3)"))
        #expect(result.standardError.isEmpty)
    }

    @Test(
        "check-config and serve --config reject an invalid file with file:line: on stderr and exit 78",
        arguments: [
            ("port: \"8080\"\n", 1, "port must be a whole number"),
            ("port: 1\nchekInterval: 5s\n", 2, "Unknown key \"chekInterval\""),
            (
                "slos:\n  - id: a\n    metric: m\n    percentile: p101\n    threshold: 1\n", 4,
                "The percentile \"p101\""
            ),
            (
                "slos:\n  - {id: a, metric: m, percentile: p9, threshold: 1}\n"
                    + "  - {id: a, metric: m, percentile: p9, threshold: 2}\n", 3,
                "already used by the SLO on line 2"
            ),
            ("checkInterval: soon\n", 1, "The value \"soon\" of checkInterval"),
            ("port: 1\nslos: [\n", 3, "YAML syntax error"),
        ])
    func invalidFile(text: String, line: Int, message: String) throws {
        let path = try temporaryFile(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        for arguments in [
            ["check-config", path], ["--config", path, "--port", "0"], ["serve", "--config", path],
        ] {
            let result = try SlowatchProcess.run(arguments)
            #expect(result.status == 78, "\(arguments)")
            #expect(
                result.standardError.hasPrefix("\(path):\(line): "), "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains(message), "\(arguments): \(result.standardError)")
            #expect(!result.standardError.contains("listening"), "nothing is bound")
        }
    }

    @Test("SLOWATCH_CONFIG names the file when --config is absent")
    func configFromEnvironment() throws {
        let path = try temporaryFile("port: [1]\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try SlowatchProcess.run(["--port", "0"], environment: ["SLOWATCH_CONFIG": path])
        #expect(result.status == 78)
        #expect(result.standardError.hasPrefix("\(path):1: port must be a whole number, not a list."))
    }

    @Test("a missing configuration file exits 78 naming the path")
    func missingFile() throws {
        let result = try SlowatchProcess.run(["--config", "/nonexistent/slowatch.yaml"])
        #expect(result.status == 78)
        #expect(
            result.standardError.hasPrefix("/nonexistent/slowatch.yaml: Cannot read the configuration file"))
    }

    @Test("an invalid flag or environment value exits 78 naming the flag or the variable, before binding")
    func invalidFlagAndEnvironment() throws {
        let flag = try SlowatchProcess.run(["--port", "0", "--max-body", "huge"])
        #expect(flag.status == 78)
        #expect(flag.standardError.hasPrefix("The value \"huge\" of --max-body is not valid: it must be"))
        let environment = try SlowatchProcess.run(
            ["--port", "0"], environment: ["SLOWATCH_LOG_LEVEL": "loud"])
        #expect(environment.status == 78)
        #expect(environment.standardError.hasPrefix("The value \"loud\" of SLOWATCH_LOG_LEVEL is not valid"))
        let unknownFlag = try SlowatchProcess.run(["--prot", "1"])
        #expect(unknownFlag.status == 64)
    }

    @Test(
        "--max-connections and SLOWATCH_MAX_CONNECTIONS refuse values outside 1...1000000 with exit 78",
        arguments: ["0", "-1", "abc", "1000001"])
    func invalidMaxConnections(value: String) throws {
        let message =
            "of --max-connections is not valid: it must be a whole number of connections from 1 to 1000000.\n"
        // `=` keeps ArgumentParser from reading "-1" as a flag of its own.
        let flag = try SlowatchProcess.run(["--port", "0", "--max-connections=\(value)"])
        #expect(flag.status == 78, "\(flag.standardError)")
        #expect(flag.standardError == "The value \"\(value)\" " + message)
        let example = SlowatchProcess.packageRoot.appendingPathComponent("examples/slowatch.yaml").path
        let environment = try SlowatchProcess.run(
            ["check-config", example], environment: ["SLOWATCH_MAX_CONNECTIONS": value])
        #expect(environment.status == 78)
        #expect(environment.standardError.hasPrefix("The value \"\(value)\" of SLOWATCH_MAX_CONNECTIONS"))
    }

    @Test("an accepted --max-connections beats the file's maxConnections in what check-config prints")
    func maxConnectionsInCheckConfig() throws {
        let path = try temporaryFile("maxConnections: 7\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let line = { (arguments: [String]) throws -> String in
            let result = try SlowatchProcess.run(["check-config", path] + arguments)
            #expect(result.status == 0, "\(result.standardError)")
            let lines = result.standardOutput.split(separator: "\n").map(String.init)
            return lines.first { $0.hasPrefix("  maxConnections ") } ?? ""
        }
        let fromFlag = try line(["--max-connections", "12345"])
        #expect(fromFlag.contains("12345") && fromFlag.hasSuffix("(flag --max-connections)"), "\(fromFlag)")
        let fromFile = try line([])
        #expect(fromFile.contains(" 7 ") && fromFile.hasSuffix("(file \(path):1)"), "\(fromFile)")
    }

    @Test("check-config shows flag > environment > file for each setting it is given")
    func precedenceInCheckConfig() throws {
        let path = try temporaryFile("port: 1111\ncheckInterval: 3s\nhistory: 7\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try SlowatchProcess.run(
            ["check-config", path, "--port", "3333"],
            environment: ["SLOWATCH_PORT": "2222", "SLOWATCH_CHECK_INTERVAL": "2s"])
        #expect(result.status == 0, "\(result.standardError)")
        let lines = result.standardOutput.split(separator: "\n").map(String.init)
        let line = { (key: String) in lines.first { $0.hasPrefix("  \(key) ") } ?? "" }
        #expect(line("port").contains("3333") && line("port").hasSuffix("(flag --port)"))
        #expect(
            line("checkInterval").contains("2s")
                && line("checkInterval").hasSuffix("(environment SLOWATCH_CHECK_INTERVAL)"))
        #expect(line("history").contains("7") && line("history").hasSuffix("(file \(path):3)"))
        #expect(line("capacity").contains("10000") && line("capacity").hasSuffix("(default)"))
    }

    @Test("the shipped examples pass check-config")
    func examples() throws {
        for name in ["slowatch.yaml", "slowatch.json"] {
            let path = SlowatchProcess.packageRoot.appendingPathComponent("examples/\(name)").path
            let result = try SlowatchProcess.run(["check-config", path])
            #expect(result.status == 0, "\(name): \(result.standardError)")
            #expect(result.standardOutput.contains("slos: 3 from \(path)"))
        }
    }
}
