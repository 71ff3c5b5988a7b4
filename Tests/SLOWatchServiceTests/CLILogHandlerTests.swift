import Foundation
import Logging
import SLOWatchSync
import Testing

@testable import SLOWatchService

/// The log handlers behind `--log-format text|json`.
@Suite("CLI log handlers")
struct CLILogHandlerTests {
    /// A logger writing `format` lines into memory, and a way to read them.
    private func capture(_ format: LogFormat, level: Logger.Level = .info) -> (Logger, () -> [String]) {
        let lines = PThreadLock([String]())
        let output = LogOutput { bytes in lines.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) }
        }
        let logger = Logger(label: "slowatch") { label in
            ServiceLogging.handler(label: label, format: format, level: level, output: output)
        }
        return (logger, { lines.withLock { $0 } })
    }

    @Test("json writes one parsable object per line with timestamp, level, label, message and metadata")
    func jsonLines() throws {
        let (logger, lines) = capture(.json)
        var withMetadata = logger
        withMetadata[metadataKey: "handler"] = "h"
        withMetadata.warning(
            "slow check \"quoted\"\nsecond line",
            metadata: ["ms": "12", "nested": ["a": "1"], "list": ["x", "y"]])
        logger.debug("not written below info")
        let written = lines()
        #expect(written.count == 1)
        let line = try #require(written.first)
        #expect(line.hasSuffix("}\n"))
        #expect(line.dropLast().contains("\n") == false, "one line, even for a multi-line message")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "warning")
        #expect(object["label"] as? String == "slowatch")
        #expect(object["message"] as? String == "slow check \"quoted\"\nsecond line")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["ms"] as? String == "12")
        #expect(metadata["handler"] as? String == "h")
        #expect((metadata["nested"] as? [String: Any])?["a"] as? String == "1")
        #expect(metadata["list"] as? [String] == ["x", "y"])
        let timestamp = try #require(object["timestamp"] as? String)
        #expect(timestamp.count == 24 && timestamp.hasSuffix("Z"), "RFC 3339 UTC with ms: \(timestamp)")
    }

    @Test("text writes one readable line with level, label, message and key=value metadata")
    func textLines() throws {
        let (logger, lines) = capture(.text, level: .debug)
        logger.debug("request served", metadata: ["path": "/healthz", "note": "two words"])
        logger.trace("not written below debug")
        let line = try #require(lines().first)
        #expect(lines().count == 1)
        #expect(line.contains(" debug slowatch: request served note=\"two words\" path=/healthz\n"))
        #expect(line.hasSuffix("\n") && line.dropLast().contains("\n") == false)
    }

    @Test("text escapes control characters, so client text in a line cannot break or restyle it")
    func textEscapesControls() throws {
        let (logger, lines) = capture(.text)
        logger.info("metric a\rforged\u{1B}[2J\u{7F}", metadata: ["filter": "b\nc"])
        let line = try #require(lines().first)
        #expect(line.hasSuffix(#": metric a\rforged\u001B[2J\u007F filter="b\nc""# + "\n"), "\(line)")
        #expect(line.dropLast().allSatisfy { !($0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) })
    }

    @Test("timestamps are UTC with millisecond precision")
    func timestamps() {
        #expect(LogTimestamp.format(seconds: 0, milliseconds: 5) == "1970-01-01T00:00:00.005Z")
        #expect(LogTimestamp.format(seconds: 1_764_393_600, milliseconds: 123) == "2025-11-29T05:20:00.123Z")
    }
}
