import Foundation
import FuzzSupport
import SLOWatchService

/// The `POST /samples` body decoders under arbitrary bytes: every input is decoded both as JSON and as
/// StatsD text. The invariants, each of which aborts when broken:
/// - neither decoder crashes; every refusal is a 400 with a non-empty message;
/// - what either decoder accepts is at most 10,000 samples with valid names and finite values, and
///   finite timestamps of at least 10^11 ms;
/// - the JSON decoder agrees with Foundation's `JSONSerialization` on whether the body is JSON, and
///   when it is, on the samples (read under the API's rules by ``Reference``), numbers to the bit.
///
/// The intended differences from `JSONSerialization`, where slowatch refuses what Foundation reads
/// (see JSONParserDifferentialTests and the README's JSON rules), are in ``strictReasons``:
/// - trailing commas (`[1,]`, `{"a":1,}`), which Foundation accepts;
/// - a byte-order mark before the text;
/// - NUL, raw or as `\u0000`: Foundation stops reading at a raw NUL (`4\0` is `4`, and `"\0"\0[` is a
///   string), where slowatch refuses "a string must not contain NUL" or the byte 0x00;
/// - nesting deeper than 64 (Foundation allows 512);
/// - numbers too large for a Double (`1e309`), which Foundation reads as a decimal number.
/// Duplicate keys are not a difference: both keep one value per key, and the reference only looks at
/// what Foundation kept, which is the last one as in slowatch (checked here on every accepted body).
/// Foundation reads `-0` as the integer 0; numbers are compared with `-0 == 0`. Foundation also drops
/// U+FEFF from inside strings, keys included (`"\u{FEFF}value"` is `value` to it), where slowatch keeps
/// it: the samples are not compared for a body that holds U+FEFF, raw or escaped (``holdsBOM(_:)``).
enum SamplesBodyFuzzing {
    /// Why slowatch may refuse a body that Foundation reads: the parser's documented extra rules.
    static let strictReasons = [
        "expected a value, found ']'", "expected a quoted member name, found '}'", "byte-order mark",
        "must not contain NUL", "deeper than 64", "byte 0x00", "too large for a 64-bit float",
    ]

    static func run(_ body: [UInt8]) {
        checkJSON(body)
        checkStatsD(body)
    }

    static func checkJSON(_ body: [UInt8]) {
        let foundation = try? JSONSerialization.jsonObject(with: Data(body), options: .fragmentsAllowed)
        do {
            let samples = try SamplesBody.decode(body, as: .json)
            checkSamples(samples, body, timestamps: true)
            guard let foundation else {
                invariant(false, "slowatch accepted JSON that Foundation refuses: \(shown(body))")
                return
            }
            if holdsBOM(body) { return }
            guard let reference = Reference.samples(foundation) else {
                invariant(
                    false, "slowatch accepted samples that Foundation's reading refuses: \(shown(body))")
                return
            }
            invariant(
                Reference.agree(samples, reference),
                "the samples differ from Foundation's reading: \(shown(body))")
        } catch {
            checkRefusal(error, body)
            let syntax = error.code == "invalid_json"
            if syntax, foundation != nil {
                invariant(
                    strictReasons.contains { error.message.contains($0) },
                    "slowatch refused JSON that Foundation reads (\(error)): \(shown(body))")
            }
            if !syntax && !holdsBOM(body) {
                invariant(
                    foundation != nil,
                    "Foundation refuses JSON that slowatch reads (\(error)): \(shown(body))")
                invariant(
                    foundation.flatMap(Reference.samples) == nil,
                    "slowatch refused samples (\(error)) that Foundation's reading accepts: \(shown(body))")
            }
        }
    }

    /// Whether `body` holds U+FEFF, as UTF-8 (EF BB BF) or as a `\uFEFF` escape (any case).
    static func holdsBOM(_ body: [UInt8]) -> Bool {
        let text = String(decoding: body, as: UTF8.self)
        return text.unicodeScalars.contains("\u{FEFF}") || text.lowercased().contains("\\ufeff")
    }

    static func checkStatsD(_ body: [UInt8]) {
        do {
            let samples = try SamplesBody.decode(body, as: .statsd)
            checkSamples(samples, body, timestamps: false)
        } catch {
            checkRefusal(error, body)
            invariant(
                error.code == "invalid_request", "StatsD refusal with code \(error.code): \(shown(body))")
            invariant(
                error.message.hasPrefix("line "), "a StatsD refusal names no line (\(error)): \(shown(body))")
        }
    }

    static func checkRefusal(_ refusal: SamplesBody.Refusal, _ body: [UInt8]) {
        invariant(refusal.status == 400, "status \(refusal.status) for \(shown(body))")
        invariant(!refusal.message.isEmpty, "an empty refusal message for \(shown(body))")
    }

    static func checkSamples(_ samples: [SamplesBody.Sample], _ body: [UInt8], timestamps: Bool) {
        invariant(samples.count <= 10_000, "\(samples.count) samples accepted from \(shown(body))")
        for sample in samples {
            invariant(Reference.isValidName(sample.metric), "the name \(sample.metric) from \(shown(body))")
            invariant(sample.value.isFinite, "the value \(sample.value) from \(shown(body))")
            if let timestamp = sample.timestamp {
                invariant(timestamps, "a StatsD sample has a timestamp: \(shown(body))")
                invariant(
                    timestamp.isFinite && timestamp >= 100_000_000_000,
                    "the timestamp \(timestamp) from \(shown(body))")
            }
        }
    }
}
