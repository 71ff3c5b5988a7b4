import SLOWatchCore
import Testing

@testable import SLOWatchService

/// The spellings the configuration accepts: byte sizes, setting names, suggestions, the summary.
@Suite("Configuration text")
struct ConfigTextTests {
    @Test(
        "byte sizes accept bytes, binary and decimal units in any case",
        arguments: [
            ("1048576", 1_048_576), ("1MiB", 1_048_576), ("512KiB", 524_288), ("1mib", 1_048_576),
            ("1.5MiB", 1_572_864), ("2GiB", 2_147_483_648), ("1MB", 1_000_000), ("1kB", 1_000),
            ("1KB", 1_000),
            ("3GB", 3_000_000_000), ("64B", 64), ("1", 1),
        ])
    func byteSizes(text: String, bytes: Int) {
        #expect(ByteSizeText.bytes(text) == bytes)
    }

    @Test(
        "byte sizes reject zero, fractions of a byte, signs, spaces and unknown units",
        arguments: [
            "", "0", "0MiB", "0.5", "1.5B", "-1", "+1", "1 MiB", "MiB", "1MiBs", "1TiB", ".5MiB", "5.MiB",
            "1e3", "99999999999999999999GiB",
        ])
    func badByteSizes(text: String) {
        #expect(ByteSizeText.bytes(text) == nil)
    }

    @Test("byte sizes are written in the largest whole binary unit, and read back to the same value")
    func byteSizeFormat() {
        #expect(ByteSizeText.format(bytes: 1_048_576) == "1MiB")
        #expect(ByteSizeText.format(bytes: 1_536) == "1536B")
        #expect(ByteSizeText.format(bytes: 3_072) == "3KiB")
        #expect(ByteSizeText.format(bytes: 1_000_000) == "1000000B")
        for bytes in [1, 1_000, 1_024, 1_048_576, 3 << 30, 123_457] {
            #expect(ByteSizeText.bytes(ByteSizeText.format(bytes: bytes)) == bytes)
        }
    }

    @Test("each setting's flag and environment variable are derived from its file key")
    func names() {
        #expect(SettingKey.checkInterval.flag == "--check-interval")
        #expect(SettingKey.checkInterval.environmentVariable == "SLOWATCH_CHECK_INTERVAL")
        #expect(SettingKey.maxBody.flag == "--max-body")
        #expect(SettingKey.maxConnections.flag == "--max-connections")
        #expect(SettingKey.maxConnections.environmentVariable == "SLOWATCH_MAX_CONNECTIONS")
        #expect(SettingKey.maxConnections.fileKey == "maxConnections")
        #expect(SettingKey.host.environmentVariable == "SLOWATCH_HOST")
        #expect(SettingKey.keepaliveInterval.environmentVariable == "SLOWATCH_KEEPALIVE_INTERVAL")
        #expect(Set(SettingKey.allCases.map(\.environmentVariable)).count == SettingKey.allCases.count)
    }

    @Test("every default prints in a form its own parser reads back")
    func defaultsRoundTrip() {
        let defaults = ResolvedSettings()
        for key in SettingKey.allCases {
            let value = defaults.value(of: key)
            #expect(key.parse(value.description) == value, "\(key)")
        }
    }

    @Test("hosts are address literals or localhost; ports and counts are plain decimal numbers")
    func hostsAndNumbers() {
        #expect(SettingKey.host.parse("::1") == .text("::1"))
        #expect(SettingKey.host.parse("0.0.0.0") == .text("0.0.0.0"))
        #expect(SettingKey.host.parse("localhost") == .text("127.0.0.1"))
        #expect(SettingKey.host.parse("example.com") == nil)
        #expect(SettingKey.host.parse("") == nil)
        #expect(SettingKey.port.parse("0") == .integer(0))
        #expect(SettingKey.port.parse("+80") == nil)
        #expect(SettingKey.port.parse("-1") == nil)
        #expect(SettingKey.port.parse("65536") == nil)
        #expect(SettingKey.maxMetrics.parse("0") == nil)
        #expect(SettingKey.capacity.parse(String(MetricDefinition.maximumCapacity + 1)) == nil)
        #expect(SettingKey.logFormat.parse("JSON") == nil)
    }

    @Test("a mistyped key gets the closest known key; an unrelated one gets no suggestion")
    func suggestions() {
        let known = ConfigFile.topLevelKeys
        #expect(KeySuggestion.closest(to: "chekInterval", in: known) == "checkInterval")
        #expect(KeySuggestion.closest(to: "maxbody", in: known) == "maxBody")
        #expect(KeySuggestion.closest(to: "slo", in: known) == "slos")
        #expect(KeySuggestion.closest(to: "zzzzzz", in: known) == nil)
    }

    @Test("the summary lists every setting with its origin, then the SLOs and metrics with their lines")
    func summary() throws {
        let file = try ConfigFile.parse(
            """
            port: 9000
            slos:
              - {id: a, metric: m, percentile: p95, threshold: 2.5, window: 5m, minSamples: 3}
            metrics:
              - {name: m, description: the m}
            """, path: "c.yaml")
        let settings = try SettingsResolver(flags: [.checkInterval: "1s"], file: file).resolve()
        let lines = ConfigSummary.lines(settings, file: file)
        #expect(lines.count == 1 + SettingKey.allCases.count + 2 + 2)
        #expect(
            lines.contains {
                $0.hasPrefix("  port ") && $0.contains("9000") && $0.hasSuffix("(file c.yaml:1)")
            })
        #expect(lines.contains { $0.contains("1s") && $0.hasSuffix("(flag --check-interval)") })
        #expect(lines.contains("slos: 1 from c.yaml"))
        #expect(lines.contains("  a: m p95 above 2.5 ms, window 5m, minSamples 3  (line 3)"))
        #expect(lines.contains("  m: latency in ms, capacity 10000 \"the m\"  (line 5)"))
    }
}
