import Foundation
import Testing
import Yams

/// The Docker recipe under `docker/`: no Docker engine runs on the build machines, so these tests check
/// what can be checked without one. The compose file and both configurations are parsed by the real
/// tools (`docker-compose config`, `promtool check config`, `amtool check-config`), and the Dockerfile is
/// read for the promises docs/integrations.md makes about the image. `scripts/check-docker-build.sh` (in
/// `make test`) runs the Dockerfile's build command itself.
@Suite("Docker recipe")
struct DockerRecipeTests {
    /// `docker/<name>` in the package.
    private static func file(_ name: String) -> URL {
        SlowatchProcess.packageRoot.appendingPathComponent("docker").appendingPathComponent(name)
    }

    /// The text of `docker/<name>`.
    private static func text(_ name: String) throws -> String {
        try String(contentsOf: file(name), encoding: .utf8)
    }

    /// Runs an external tool to completion and fails the test with its output when it does not exit 0.
    private static func expectSuccess(_ tool: String, _ arguments: [String]) throws {
        let path = try #require(ExternalTool.path(tool))
        let result = try SlowatchProcess.run(arguments, executablePath: path, timeout: 60)
        let output = result.standardOutput + result.standardError
        #expect(
            result.status == 0,
            "\(tool) \(arguments.joined(separator: " ")) exited \(String(describing: result.status)):\n\(output)"
        )
    }

    @Test(
        "promtool accepts the Prometheus configuration and its rules",
        .enabled(if: ExternalTool.isInstalled("promtool"), ExternalTool.skipReason("promtool")))
    func prometheusConfigurationIsValid() throws {
        try Self.expectSuccess("promtool", ["check", "config", Self.file("prometheus.yml").path])
        try Self.expectSuccess("promtool", ["check", "rules", Self.file("rules.yml").path])
    }

    @Test(
        "amtool accepts the Alertmanager configuration",
        .enabled(if: ExternalTool.isInstalled("amtool"), ExternalTool.skipReason("amtool")))
    func alertmanagerConfigurationIsValid() throws {
        try Self.expectSuccess("amtool", ["check-config", Self.file("alertmanager.yml").path])
    }

    @Test(
        "docker-compose parses the compose file against the Compose schema",
        .enabled(if: ExternalTool.isInstalled("docker-compose"), ExternalTool.skipReason("docker-compose")))
    func composeFileIsValid() throws {
        try Self.expectSuccess("docker-compose", ["-f", Self.file("compose.yaml").path, "config", "--quiet"])
    }

    @Test("The compose file runs slowatch, Prometheus and Alertmanager, wired to one another")
    func composeWiresTheThreeServices() throws {
        let compose = try #require(try Yams.load(yaml: Self.text("compose.yaml")) as? [String: Any])
        let services = try #require(compose["services"] as? [String: Any])
        #expect(Set(services.keys) == ["slowatch", "prometheus", "alertmanager"])
        let slowatch = try #require(services["slowatch"] as? [String: Any])
        let build = try #require(slowatch["build"] as? [String: Any])
        #expect(build["dockerfile"] as? String == "docker/Dockerfile")
        let command = try #require(slowatch["command"] as? [String])
        #expect(
            command.contains("--alertmanager"), "slowatch must send its alerts to the compose Alertmanager")
        #expect(command.contains("http://alertmanager:9093"))
        // slowatch listens on 0.0.0.0 in its container, so it gets a token, as a secret file rather than a
        // variable `docker inspect` would show, and not the --insecure opt-out.
        let environment = try #require(slowatch["environment"] as? [String: Any])
        #expect(environment["SLOWATCH_HOST"] as? String == "0.0.0.0")
        #expect(environment["SLOWATCH_TOKEN_FILE"] as? String == "/run/secrets/slowatch_token")
        #expect(environment["SLOWATCH_TOKEN"] == nil && environment["SLOWATCH_INSECURE"] == nil)
        #expect(!command.contains("--insecure"))
        #expect(slowatch["secrets"] as? [String] == ["slowatch_token"])
        let secrets = try #require(compose["secrets"] as? [String: Any])
        let secret = try #require(secrets["slowatch_token"] as? [String: Any])
        #expect(secret["file"] as? String == "./slowatch-token")
        let ignored = try String(
            contentsOf: SlowatchProcess.packageRoot.appendingPathComponent(".gitignore"), encoding: .utf8)
        #expect(ignored.contains("/docker/slowatch-token"), "the token file is never committed")
        // Every configuration file mounted into a container exists next to the compose file.
        for case let service as [String: Any] in services.values {
            for case let volume as String in (service["volumes"] as? [Any]) ?? [] {
                let source = String(volume.prefix { $0 != ":" })
                guard source.hasPrefix("./") else { continue }
                let path = Self.file(String(source.dropFirst(2))).path
                #expect(FileManager.default.fileExists(atPath: path), "\(volume) mounts a missing file")
            }
        }
        // Prometheus scrapes the slowatch service on its port, and sends its own alerts to Alertmanager.
        let prometheus = try #require(try Yams.load(yaml: Self.text("prometheus.yml")) as? [String: Any])
        let scrapes = try #require(prometheus["scrape_configs"] as? [[String: Any]])
        let job = try #require(scrapes.first { $0["job_name"] as? String == "slowatch" })
        let discovery = try #require((job["dns_sd_configs"] as? [[String: Any]])?.first)
        #expect(discovery["names"] as? [String] == ["slowatch"])
        #expect(discovery["port"] as? Int == 8080)
        #expect(try Self.text("prometheus.yml").contains("alertmanager:9093"))
    }

    @Test("The Dockerfile builds in an official Swift image and runs as a non-root user with a health check")
    func dockerfileKeepsItsPromises() throws {
        let dockerfile = try Self.text("Dockerfile")
        let lines = dockerfile.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let stages = lines.filter { $0.hasPrefix("FROM ") }
        #expect(stages.count == 2, "a multi-stage build: one stage builds, one runs")
        let arguments = lines.filter { $0.hasPrefix("ARG ") }
        #expect(arguments.contains { $0.hasPrefix("ARG SWIFT_IMAGE=swift:6.") })
        #expect(arguments.contains { $0 == "ARG RUNTIME_IMAGE=ubuntu:noble" || $0.contains("-slim") })
        let user = try #require(lines.last { $0.hasPrefix("USER ") })
        #expect(user != "USER root" && user != "USER 0", "the runtime must not run as root")
        #expect(lines.contains("EXPOSE 8080"))
        #expect(dockerfile.contains("HEALTHCHECK") && dockerfile.contains("/healthz"))
        #expect(dockerfile.contains("SLOWATCH_HOST=0.0.0.0"))
        // No token is baked into the image, and it does not opt out of needing one: the user passes one.
        let instructions = lines.filter { !$0.hasPrefix("#") }.joined(separator: "\n")
        #expect(!instructions.contains("SLOWATCH_TOKEN") && !instructions.contains("SLOWATCH_INSECURE"))
        #expect(!lines.contains { $0.hasPrefix("CMD") && $0.contains("--insecure") })
        #expect(dockerfile.contains("SLOWATCH_TOKEN_FILE=/run/secrets/slowatch_token"))
        #expect(
            dockerfile.contains(Self.buildCommand),
            "the image builds with the command docs/integrations.md gives")
    }

    @Test("--version, the Docker image's version label and CHANGELOG.md's newest release agree")
    func versionsAgree() throws {
        let version = try SlowatchProcess.run(["--version"]).standardOutput
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let changelog = try String(
            contentsOf: SlowatchProcess.packageRoot.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
        // The first heading of a release: `## [0.5.0] - 2026-12-02` (`## [Unreleased]` comes before it).
        let released = changelog.split(separator: "\n").first {
            $0.hasPrefix("## [") && !$0.hasPrefix("## [Unreleased]")
        }
        #expect(
            released?.hasPrefix("## [\(version)] - ") == true,
            "CHANGELOG.md's newest release: \(released ?? "none")")
        #expect(changelog.contains("[\(version)]: "), "CHANGELOG.md has no link for [\(version)]")
        let label = "org.opencontainers.image.version=\"\(version)\""
        #expect(try Self.text("Dockerfile").contains(label), "docker/Dockerfile has no \(label)")
    }

    @Test("docs/integrations.md gives the Dockerfile's build command and the compose commands")
    func readmeMatchesTheRecipe() throws {
        let readme = try String(
            contentsOf: SlowatchProcess.packageRoot.appendingPathComponent("docs/integrations.md"),
            encoding: .utf8)
        #expect(readme.contains(Self.buildCommand))
        #expect(readme.contains("docker build -f docker/Dockerfile"))
        #expect(readme.contains("docker compose -f docker/compose.yaml up"))
    }

    /// The one release build command, shared by the Dockerfile, docs/integrations.md and
    /// `scripts/check-docker-build.sh`.
    static let buildCommand = "swift build -c release --static-swift-stdlib --product slowatch"

    @Test("The compose file's slowatch arguments are accepted by the real binary")
    func composeArgumentsAreValid() throws {
        let compose = try #require(try Yams.load(yaml: Self.text("compose.yaml")) as? [String: Any])
        let services = try #require(compose["services"] as? [String: Any])
        let slowatch = try #require(services["slowatch"] as? [String: Any])
        var command = try #require(slowatch["command"] as? [String])
        #expect(command.first == "serve")
        // check-config reads a file; the compose file's flags and environment override the example's.
        let example = SlowatchProcess.packageRoot.appendingPathComponent("examples/slowatch.yaml").path
        command[0] = example
        command.insert("check-config", at: 0)
        // Compose mounts each secret at /run/secrets/<name>; here a temporary file stands in for it.
        let token = FileManager.default.temporaryDirectory
            .appendingPathComponent("slowatch-compose-token-\(UUID().uuidString)").path
        try Data("0123456789abcdef0123456789abcdef\n".utf8).write(to: URL(fileURLWithPath: token))
        defer { try? FileManager.default.removeItem(atPath: token) }
        var environment: [String: String] = [:]
        for (key, value) in (slowatch["environment"] as? [String: Any]) ?? [:] {
            environment[key] = "\(value)" == "/run/secrets/slowatch_token" ? token : "\(value)"
        }
        let result = try SlowatchProcess.run(command, environment: environment)
        #expect(result.status == 0, "slowatch \(command): \(result.standardError)")
        #expect(result.standardOutput.contains("(hidden)"), "the token was read from the secret")
        // Without the secret, the same arguments are refused: 0.0.0.0 needs a token.
        environment["SLOWATCH_TOKEN_FILE"] = nil
        let refused = try SlowatchProcess.run(command, environment: environment)
        #expect(refused.status == 78)
        #expect(refused.standardError.contains("Refusing to listen on 0.0.0.0"))
    }
}
