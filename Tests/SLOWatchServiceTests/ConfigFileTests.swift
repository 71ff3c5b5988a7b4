import SLOWatchCore
import Testing

@testable import SLOWatchService

/// The configuration file loader: what a valid file yields, and where an invalid one is wrong.
@Suite("Configuration file")
struct ConfigFileTests {
    /// Parses `text` as `test.yaml`, expecting it to be invalid; returns the error.
    private func failure(_ text: String, path: String = "test.yaml") -> ConfigError? {
        do {
            _ = try ConfigFile.parse(text, path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test("a file with every setting, SLOs and metrics yields each value with the line of its key")
    func fullFile() throws {
        let file = try ConfigFile.parse(
            """
            host: 0.0.0.0
            port: 9090
            checkInterval: 1500ms
            rateLimitWindow: 1m
            capacity: 500
            maxMetrics: 20
            memoryLimit: 768MiB
            maxBody: 512KiB
            maxConnections: 5000
            maxStreams: 100
            history: 50
            logLevel: debug
            logFormat: json
            keepaliveInterval: 2s
            shutdownGrace: 3s
            statsd: 127.0.0.1:8125
            alertmanager: [http://127.0.0.1:9093, "http://am.example:80/prefix/"]
            tokenFile: /run/secrets/slowatch_token
            protectReads: true
            insecure: false
            statsdAllowRemote: true
            headTimeout: 4s
            bodyTimeout: 5s
            idleTimeout: 2m
            writeStallTimeout: 750ms
            dataDir: /var/lib/slowatch
            snapshotInterval: 30s
            fsync: batch
            fsyncInterval: 5ms
            historyScale: 8
            historyFine: 5s:1h
            historyMedium: 1m:24h
            historyCoarse: 1h:400d
            historyMemory: 256MiB
            otlpNameAttributes: [http.route, region]
            slos:
              - id: checkout-p99
                metric: checkout.latency
                percentile: p99.9
                threshold: 12.5
                unit: s
                direction: below
                window: 5m
                minSamples: 20
            metrics:
              - name: checkout.latency
                type: gauge
                unit: s
                description: yes, free text
                capacity: 42
            """, path: "test.yaml")
        let expected: [SettingKey: SettingValue] = [
            .host: .text("0.0.0.0"), .port: .integer(9090), .checkInterval: .milliseconds(1500),
            .rateLimitWindow: .milliseconds(60_000), .capacity: .integer(500), .maxMetrics: .integer(20),
            .memoryLimit: .byteLimit(768 << 20), .maxBody: .bytes(524_288), .maxConnections: .integer(5000),
            .maxStreams: .integer(100), .history: .integer(50),
            .logLevel: .logLevel(.debug),
            .logFormat: .logFormat(.json), .keepaliveInterval: .milliseconds(2000),
            .shutdownGrace: .milliseconds(3000),
            .statsd: .listenAddress(ListenAddress(host: "127.0.0.1", port: 8125)),
            .alertmanager: .endpoints([
                AlertmanagerEndpoint(host: "127.0.0.1", port: 9093),
                AlertmanagerEndpoint(host: "am.example", port: 80, pathPrefix: "/prefix"),
            ]),
            .tokenFile: .path("/run/secrets/slowatch_token"), .protectReads: .boolean(true),
            .insecure: .boolean(false), .statsdAllowRemote: .boolean(true),
            .headTimeout: .milliseconds(4000), .bodyTimeout: .milliseconds(5000),
            .idleTimeout: .milliseconds(120_000), .writeStallTimeout: .milliseconds(750),
            .dataDir: .path("/var/lib/slowatch"), .snapshotInterval: .milliseconds(30_000),
            .fsync: .text("batch"), .fsyncInterval: .milliseconds(5), .historyScale: .integer(8),
            .historyFine: .historyTier(.init(sliceMilliseconds: 5_000, retentionMilliseconds: 3_600_000)),
            .historyMedium: .historyTier(.init(sliceMilliseconds: 60_000, retentionMilliseconds: 86_400_000)),
            .historyCoarse: .historyTier(
                .init(sliceMilliseconds: 3_600_000, retentionMilliseconds: 400 * 86_400_000)),
            .historyMemory: .bytes(256 << 20), .otlpNameAttributes: .text("http.route,region"),
        ]
        for (index, key) in SettingKey.allCases.filter(\.isFileKey).enumerated() {
            #expect(file.settings[key] == ConfigSetting(value: try #require(expected[key]), line: index + 1))
        }
        // The settings take one line each, in SettingKey's order; `slos:` follows them.
        let settingLines = SettingKey.allCases.filter(\.isFileKey).count
        let slo = try #require(file.slos?.first)
        #expect(slo.line == settingLines + 2)
        #expect(
            slo.definition
                == (try SLODefinition(
                    id: "checkout-p99", metric: "checkout.latency", percentile: "p99.9", threshold: 12.5,
                    unit: "s",
                    direction: .below, window: .seconds(300), minSamples: 20)))
        #expect(
            file.metrics == [
                ConfigMetric(
                    name: "checkout.latency", type: .gauge, unit: "s", description: "yes, free text",
                    capacity: 42,
                    line: settingLines + 11)
            ])
    }

    @Test("optional SLO and metric fields take the documented defaults")
    func entryDefaults() throws {
        let file = try ConfigFile.parse(
            """
            slos:
              - {id: a, metric: m, percentile: p50, threshold: 30, window: null}
            metrics:
              - name: m
            """, path: "test.yaml")
        #expect(
            file.slos?.map(\.definition) == [
                try SLODefinition(id: "a", metric: "m", percentile: "p50", threshold: 30)
            ])
        let metric = try #require(file.metrics.first)
        #expect(metric.capacity == nil)
        #expect(metric.definition(defaultCapacity: 77) == MetricDefinition(name: "m", capacity: 77))
    }

    @Test("an empty file sets nothing and keeps the default SLOs; slos: [] means no SLOs")
    func emptyFileAndEmptyList() throws {
        let empty = try ConfigFile.parse("# only a comment\n", path: "test.yaml")
        #expect(empty.settings.isEmpty)
        #expect(empty.slos == nil)
        #expect(empty.metrics.isEmpty)
        let none = try ConfigFile.parse("slos: []\n", path: "test.yaml")
        #expect(none.slos == [])
    }

    @Test("JSON is read by the same parser, with line numbers")
    func json() throws {
        let file = try ConfigFile.parse(
            "{\n\t\"port\": 9091,\n\t\"slos\": [\n\t\t{\"id\": \"x\", \"metric\": \"m\", \"percentile\": \"p95\", "
                + "\"threshold\": 1}\n\t]\n}\n", path: "test.json")
        #expect(file.settings[.port] == ConfigSetting(value: .integer(9091), line: 2))
        #expect(file.slos?.first?.line == 4)
        let error = failure("{\n  \"port\": 1,\n  \"port\": \"x\"\n}", path: "test.json")
        #expect(error?.description.hasPrefix("test.json:2: ") == true)
    }

    @Test("a value of the wrong type is an error at its line that names the key and both types")
    func wrongType() {
        #expect(
            failure("host: 127.0.0.1\nport: \"8080\"\n")?.description
                == "test.yaml:2: port must be a whole number, not the text \"8080\".")
        #expect(
            failure("slos:\n  - id: a\n    metric: m\n    percentile: p95\n    threshold: high\n")?.line == 5)
        #expect(failure("slos: {id: a}\n")?.message.contains("slos must be a list of SLOs") == true)
        #expect(
            failure("metrics:\n  - name: [a, b]\n")?.message
                == "metrics[0].name: must be a string, got array.")
        #expect(failure("port:\n")?.message == "port must be a whole number, not null.")
        #expect(
            failure("- port: 1\n")?.message == "the document must be a mapping of keys to values, not a list."
        )
    }

    @Test("an unknown key is an error at its line, with the closest known key suggested")
    func unknownKey() {
        let error = failure("port: 1\nchekInterval: 5s\n")
        #expect(error?.line == 2)
        #expect(error?.message.hasPrefix("Unknown key \"chekInterval\" in the top level") == true)
        #expect(error?.message.hasSuffix("Did you mean \"checkInterval\"?") == true)
        let nested = failure(
            "slos:\n  - id: a\n    metric: m\n    percentile: p95\n    threshold: 1\n    treshold: 2\n")
        #expect(nested?.line == 6)
        #expect(nested?.message.contains("in slos[0]") == true)
        #expect(failure("metrics:\n  - name: m\n    size: 5\n")?.line == 3)
    }

    @Test("an invalid SLO is reported with the core's message at the line of the field at fault")
    func invalidSLOFields() {
        let slo = { (field: String) in
            "slos:\n  - id: a\n    metric: m\n    percentile: p95\n    threshold: 1\n" + field
        }
        let percentile = failure("slos:\n  - id: a\n    metric: m\n    percentile: p0\n    threshold: 1\n")
        #expect(percentile?.line == 4)
        #expect(percentile?.message == SLOError.invalidPercentile("p0").message)
        #expect(
            failure("slos:\n  - id: -bad\n    metric: m\n    percentile: p9\n    threshold: 1\n")?.line == 2)
        #expect(
            failure("slos:\n  - id: a\n    metric: m m\n    percentile: p9\n    threshold: 1\n")?.line == 3)
        #expect(
            failure("slos:\n  - id: a\n    metric: m\n    percentile: p9\n    threshold: .inf\n")?.line == 5)
        #expect(failure(slo("    minSamples: 0\n"))?.line == 6)
        #expect(
            failure(slo("    direction: sideways\n"))?.message
                == SLOError.invalidDirection("sideways").message)
        #expect(failure(slo("    unit: \(String(repeating: "u", count: 65))\n"))?.line == 6)
        let missing = failure("slos:\n  - id: a\n    metric: m\n    threshold: 1\n")
        #expect(missing?.line == 2)
        #expect(missing?.message == "slos[0].percentile: is required and must be a string.")
    }

    @Test("a bad duration names the key, the value and the rule at its line")
    func badDuration() {
        #expect(
            failure("port: 1\ncheckInterval: 5 seconds\n")?.description
                == "test.yaml:2: The value \"5 seconds\" of checkInterval is not valid: it must be "
                + "\(DurationText.rule).")
        #expect(failure("checkInterval: 5\n")?.line == 1)
        let window = failure(
            "slos:\n  - id: a\n    metric: m\n    percentile: p95\n    threshold: 1\n    window: 0s\n")
        #expect(window?.line == 6)
        #expect(window?.message.contains("slos[0].window") == true)
    }

    @Test("out-of-range settings and metric fields are errors naming the rule")
    func outOfRange() {
        #expect(failure("port: 70000\n")?.message.contains("from 0 to 65535") == true)
        #expect(failure("capacity: 0\n")?.line == 1)
        #expect(failure("history: 2000000\n")?.line == 1)
        #expect(failure("maxBody: 0\n")?.message.contains("maxBody") == true)
        #expect(
            failure("port: 1\nmaxConnections: 0\n")?.description
                == "test.yaml:2: The value \"0\" of maxConnections is not valid: it must be a whole number "
                + "of connections from 1 to 1000000.")
        #expect(failure("maxConnections: 1000001\n")?.message.contains("from 1 to 1000000") == true)
        #expect(failure("maxConnections: -1\n")?.line == 1)
        #expect(failure("maxConnections: \"500\"\n")?.message.contains("must be a whole number") == true)
        #expect(failure("logLevel: loud\n")?.message.contains("trace, debug, info") == true)
        #expect(failure("host: example.com\n")?.message.contains("IPv4 or IPv6") == true)
        #expect(failure("port: 99999999999999999999\n")?.message.contains("too large") == true)
        #expect(failure("metrics:\n  - name: m\n    capacity: 0\n")?.line == 3)
        #expect(
            failure("metrics:\n  - name: m\n    type: histogram\n")?.message
                == "metrics[0].type: \"histogram\" is not a metric type: it must be one of 'latency', 'gauge', "
                + "'counter'.")
        #expect(failure("metrics:\n  - name: \"bad name\"\n")?.line == 2)
        #expect(
            failure("metrics:\n  - unit: ms\n")?.message
                == "metrics[0].name: is required and must be a string.")
    }

    @Test("units and descriptions have the PUT bodies' length limits, counted in code points")
    func textLengthLimits() throws {
        let metric = { (field: String) in "metrics:\n  - name: m\n    " + field + "\n" }
        #expect(failure(metric("unit: " + String(repeating: "u", count: 65)))?.line == 3)
        #expect(failure(metric("description: " + String(repeating: "d", count: 1_025)))?.line == 3)
        let longest = try ConfigFile.parse(
            metric("unit: " + String(repeating: "u", count: 64)) + "    description: "
                + String(repeating: "d", count: 1_024) + "\n", path: "test.yaml")
        #expect(longest.metrics.first?.unit.count == 64)
        // 40 characters of 2 code points each: short as characters, too long as PUT /slos counts.
        let decomposed = String(repeating: "e\u{301}", count: 40)
        let slo = "slos:\n  - id: a\n    metric: m\n    percentile: p95\n    threshold: 1\n    unit: "
        let error = failure(slo + decomposed + "\n")
        #expect(error?.line == 6)
        #expect(
            error?.message == "slos[0].unit: must be at most 64 characters (code points), got 80.",
            "\(String(describing: error))")
    }

    @Test("a duplicate SLO id or metric name is an error naming both lines")
    func duplicates() {
        let slo = "  - id: same\n    metric: m\n    percentile: p95\n    threshold: 1\n"
        #expect(
            failure("slos:\n" + slo + slo)?.description
                == "test.yaml:6: The SLO id \"same\" is already used by the SLO on line 2: SLO ids must be unique."
        )
        let metrics = failure("metrics:\n  - name: m\n  - name: n\n  - name: m\n")
        #expect(metrics?.line == 4)
        #expect(metrics?.message.contains("already defined on line 2") == true)
    }

    @Test("a file holds at most as many SLOs as PUT /slos allows; the error is at the first one too many")
    func sloLimit() {
        let limit = SLOWatchService.maximumSLOs
        var text = "slos:\n"
        for index in 0...limit { text += "  - {id: s\(index), metric: m, percentile: p95, threshold: 1}\n" }
        let error = failure(text)
        #expect(error?.line == limit + 2)
        #expect(
            error?.message.contains("at most \(limit) SLOs") == true, "\(error?.description ?? "accepted")")
    }

    @Test("a repeated key in one mapping is an error at its first line")
    func duplicateKey() {
        let error = failure("host: 127.0.0.1\nport: 1\nport: 2\n")
        #expect(error?.line == 2)
        #expect(error?.message.contains("\"port\"") == true)
    }

    @Test("a YAML syntax error is reported at its line")
    func syntaxError() {
        let error = failure("port: 1\nslos: [\n  {id: a\n")
        #expect(error?.file == "test.yaml")
        #expect(error?.line == 4)
        #expect(error?.message.hasPrefix("YAML syntax error: ") == true)
        #expect(failure("port: 1\n  host: x\n")?.line == 2)
    }
}
