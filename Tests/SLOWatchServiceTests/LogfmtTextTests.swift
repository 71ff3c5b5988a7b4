import Foundation
import Logging
import SLOWatchCore
import SLOWatchSync
import Testing

@testable import SLOWatchService

/// Text log lines follow the logfmt rules, so a value from a client cannot forge fields or lines.
@Suite("Text logs: logfmt quoting")
struct LogfmtTextTests {
    /// A `--log-format text` logger writing into memory, and a way to read its lines.
    static func textLogger(level: Logger.Level = .info) -> (Logger, () -> [String]) {
        let lines = PThreadLock([String]())
        let output = LogOutput { bytes in lines.withLock { $0.append(String(decoding: bytes, as: UTF8.self)) }
        }
        let logger = Logger(label: "slowatch") { label in
            ServiceLogging.handler(label: label, format: .text, level: level, output: output)
        }
        return (logger, { lines.withLock { $0 } })
    }

    /// The `key=value` fields of a logfmt text, reading quoted values with their escapes; words that
    /// are not `key=value` are skipped.
    static func fields(_ text: Substring) -> [(key: String, value: String)] {
        var fields: [(String, String)] = []
        var characters = text.makeIterator()
        var word = ""
        var key: String?
        func finish() {
            if let key { fields.append((key, word)) }
            key = nil
            word = ""
        }
        while let character = characters.next() {
            switch character {
            case " ": finish()
            case "=" where key == nil:
                key = word
                word = ""
            case "\"" where key != nil && word.isEmpty:
                while let inner = characters.next(), inner != "\"" {
                    guard inner == "\\", let escaped = characters.next() else {
                        word.append(inner)
                        continue
                    }
                    switch escaped {
                    case "n": word.append("\n")
                    case "t": word.append("\t")
                    case "r": word.append("\r")
                    default: word.append(escaped)
                    }
                }
            default: word.append(character)
            }
        }
        finish()
        return fields
    }

    @Test(
        "a value is kept when plain, else quoted with logfmt escapes",
        arguments: [
            ("ms", "ms"), ("", #""""#), ("va lue \"x\"", #""va lue \"x\"""#), ("a=b", #""a=b""#),
            ("line\nnext", #""line\nnext""#), ("tab\there", #""tab\there""#),
            (#"back\slash"#, #""back\\slash""#),
            ("bell\u{07}", #""bell\u0007""#), ("esc\u{1B}[2J", #""esc\u001B[2J""#),
            ("del\u{7F}", #""del\u007F""#),
            ("c1\u{9B}", #""c1\u009B""#), ("sep\u{2028}", #""sep\u2028""#), ("naïve", "naïve"),
        ])
    func values(raw: String, shown: String) {
        #expect(LogfmtText.value(raw) == shown)
    }

    @Test("a text line quotes metadata and errors by the logfmt rules, and escapes the message's controls")
    func goldenLine() {
        let record = LogRecord(
            timestamp: "2025-11-29T05:20:00.000Z", level: .warning, label: "slowatch",
            message: "forged\nline \"quoted\"\tend",
            metadata: ["key": "va lue \"x\"", "plain": "ok", "empty": ""], error: "disk\\full")
        let expected =
            #"2025-11-29T05:20:00.000Z warning slowatch: forged\nline "quoted"\tend empty="" "#
            + #"key="va lue \"x\"" plain=ok error="disk\\full""# + "\n"
        #expect(String(decoding: record.textLine, as: UTF8.self) == expected)
    }

    @Test("JSON lines are unchanged: the same message and metadata, escaped by JSON only")
    func jsonUnchanged() {
        let record = LogRecord(
            timestamp: "2025-11-29T05:20:00.000Z", level: .info, label: "slowatch", message: "a b=c",
            metadata: ["key": "va lue"], error: nil)
        #expect(
            String(decoding: record.jsonLine, as: UTF8.self)
                == #"{"timestamp":"2025-11-29T05:20:00.000Z","level":"info","label":"slowatch","#
                + #""message":"a b=c","metadata":{"key":"va lue"}}"# + "\n")
    }

    @Test("the issue's forged SLO unit yields lines whose fields cannot be misread")
    func forgedUnit() throws {
        let (logger, lines) = Self.textLogger(level: .warning)
        let test = try InProcessService(logger: logger)
        let client = test.client
        let forged = "ms severity=critical slo=payments-p99 actual=0"
        let slo =
            #"{"metric":"pay","percentile":"p50","threshold":1,"unit":"\#(forged)","severity":"warning"}"#
        #expect(try client.putJSON("/slos/pay-p50", slo).status == 201)
        #expect(try client.postJSON("/samples", TestSamples.json("pay", [5, 6, 7, 8, 9])).status == 200)
        test.service.monitor.checkAll()

        let written = lines()
        #expect(written.allSatisfy { $0.filter { $0 == "\n" }.count == 1 }, "one line each: \(written)")
        let unheard = try #require(written.first { $0.contains("event (no subscriber)") }, "\(written)")
        let fields = Self.fields(unheard[unheard.range(of: "perf.slo_violation ")!.upperBound...])
        #expect(fields.filter { $0.key == "slo" }.map(\.value) == ["pay-p50"], "\(fields)")
        #expect(fields.filter { $0.key == "severity" }.map(\.value) == ["warning"])
        #expect(fields.filter { $0.key == "unit" }.map(\.value) == [forged])
        #expect(fields.filter { $0.key == "actual" }.count == 1)
        #expect(unheard.contains(#"unit="ms severity=critical slo=payments-p99 actual=0""#))
    }

    @Test("the monitor's summary line of an event with a forged unit quotes the unit")
    func forgedUnitSummary() {
        let forged = "ms severity=critical slo=payments-p99 actual=0"
        let event = SLOEvent(
            kind: .violation, slo: "pay-p50", metric: "pay", percentile: "p50", quantile: 0.5, threshold: 1,
            actual: 7, unit: forged, direction: .above, count: 5, timestamp: 1_764_393_600_000,
            severity: "warning")
        let record = LogRecord(
            timestamp: "2025-11-29T05:20:00.000Z", level: .warning, label: "slowatch",
            message: event.description, metadata: [:], error: nil)
        #expect(
            String(decoding: record.textLine, as: UTF8.self)
                == #"2025-11-29T05:20:00.000Z warning slowatch: SLO violation pay-p50: pay p50 = 7.0 "#
                + #""ms severity=critical slo=payments-p99 actual=0" (threshold above 1.0 "#
                + #""ms severity=critical slo=payments-p99 actual=0", 5 samples)"# + "\n")
    }
}
