import SeededRandom
import TestCurlClient
import Testing

@testable import SLOWatchService

/// The `pattern` of the `text/plain` body of `POST /samples` in openapi.yaml against the service's
/// StatsD reader, over a real socket.
///
/// schemathesis generates bodies from that pattern and counts any refusal of one as a failure, and it
/// sends bodies outside the pattern expecting a 4xx. So a body the pattern matches must be accepted,
/// and one it refuses must get 400, except in the narrowing the schema's description admits: finite
/// numbers a pattern cannot tell from overflowing ones.
@Suite("OpenAPI pattern of StatsD text bodies")
struct OpenAPIStatsDPatternTests {
    /// Bodies the pattern matches; each is accepted with this many samples.
    static let matching: [(body: String, samples: Int)] = [
        ("", 0), ("\n", 0), ("\r\n\n", 0), ("a:1|ms", 1), ("a:1.|ms\r\nb:.5|h\n", 2),
        ("a:-.5e-99|d", 1), ("a:+2E+10|h", 1), ("g.1:0:1.5:2e3|g", 3), ("a:1|ms|#", 1),
        ("a:1|ms|@1.|#x:y,z", 1), ("a:1|ms|#k:v|@+0.000001", 1), ("a_b-c.d:7|d|@00.5\r", 1),
        ("x:" + String(repeating: "9", count: 100) + "e99|ms", 1),
        (String(repeating: "n", count: 128) + ":1|ms", 1),
    ]

    /// Bodies the pattern refuses and the service answers 400.
    static let refused = [
        "a:1|c", "a:bob|s", "a:x|ms", "a:-1|g", "a:+1|g", "a:1|ms|@0", "a:1|ms|@1.5", "a:1|ms|@0.5|@0.5",
        "a:1|ms|#a|#b", "a:1|ms|x", ":1|ms", "a b:1|ms", "a:1", "a:1e999|ms", "a:|ms", "a:1::2|d", "a:1|MS",
        "a:1|ms\r\r\n", "a:1|ms\rb:2|ms", "-a:1|ms", String(repeating: "n", count: 129) + ":1|ms",
        "a:1|ms\nb:2|x\n", "a:1e|ms", "a:.|ms",
    ]

    /// Bodies the pattern refuses but the service accepts, as the schema's description says: finite
    /// values beyond what the pattern can prove finite, and rates written with an exponent.
    static let acceptedBeyondPattern = [
        "a:1e300|ms", "a:1|ms|@5e-1", "a:" + String(repeating: "1", count: 101) + "|ms",
    ]

    private static func pattern() throws -> (SpecSchemaValidator, SpecValue) {
        let spec = try OpenAPIDocument()
        let operation = try #require(spec.operation("post", "/samples"))
        let schema = try #require(operation.node["requestBody"]?["content"]?["text/plain"]?["schema"])
        #expect(schema["pattern"]?.string?.isEmpty == false, "the text/plain body has no pattern")
        return (spec.validator(), schema)
    }

    private static func post(_ service: InProcessService, _ body: String) throws -> CurlResponse {
        try service.client.post(
            service.url("/samples"), body: Array(body.utf8), headers: [("Content-Type", "text/plain")])
    }

    @Test("a body the pattern matches is accepted with all its samples, and the catalogue's others get 400")
    func catalogue() throws {
        let (validator, schema) = try Self.pattern()
        let service = try InProcessService()
        defer { service.stop() }
        for (body, samples) in Self.matching {
            #expect(
                validator.failures(of: .string(body), against: schema).isEmpty, "\(body.debugDescription)")
            let response = try Self.post(service, body)
            #expect(response.status == 200, "\(body.debugDescription): \(response.bodyText)")
            #expect(response.bodyText == #"{"accepted":\#(samples)}"#, "\(body.debugDescription)")
        }
        for body in Self.refused {
            #expect(
                !validator.failures(of: .string(body), against: schema).isEmpty, "\(body.debugDescription)")
            let response = try Self.post(service, body)
            #expect(response.status == 400, "\(body.debugDescription): \(response.bodyText)")
            #expect(response.errorCode == "invalid_request", "\(body.debugDescription): \(response.bodyText)")
        }
        for body in Self.acceptedBeyondPattern {
            #expect(
                !validator.failures(of: .string(body), against: schema).isEmpty, "\(body.debugDescription)")
            #expect(try Self.post(service, body).status == 200, "\(body.debugDescription)")
        }
    }

    @Test("generated bodies and their mutants: whatever the pattern matches, the service accepts")
    func generated() throws {
        let (validator, schema) = try Self.pattern()
        let service = try InProcessService()
        defer { service.stop() }
        var random = SplitMix64(seed: 0x5A_5D01)
        var mutantsMatched = 0
        for round in 0..<300 {
            let (body, samples) = StatsDBodyGenerator.body(using: &random)
            #expect(
                validator.failures(of: .string(body), against: schema).isEmpty, "\(body.debugDescription)")
            let response = try Self.post(service, body)
            #expect(response.status == 200, "round \(round): \(body.debugDescription): \(response.bodyText)")
            #expect(response.bodyText == #"{"accepted":\#(samples)}"#, "\(body.debugDescription)")
            let mutant = StatsDBodyGenerator.mutate(body, using: &random)
            guard validator.failures(of: .string(mutant), against: schema).isEmpty else { continue }
            mutantsMatched += 1
            let answer = try Self.post(service, mutant)
            #expect(answer.status == 200, "round \(round): \(mutant.debugDescription): \(answer.bodyText)")
        }
        // Most mutants break the grammar; some must still match for the check to mean anything.
        #expect(mutantsMatched > 10, "only \(mutantsMatched) mutants matched the pattern")
    }
}

/// Random StatsD bodies inside the pattern's grammar, and small random edits of them.
enum StatsDBodyGenerator {
    /// A body of 0 to 4 lines (some blank), `\n` or `\r\n`, and how many samples it holds.
    static func body(using random: inout SplitMix64) -> (String, Int) {
        var text = ""
        var samples = 0
        for index in 0..<Int.random(in: 0...4, using: &random) {
            if index > 0 { text += Bool.random(using: &random) ? "\n" : "\r\n" }
            if Int.random(in: 0..<6, using: &random) == 0 { continue }
            let (line, count) = self.line(using: &random)
            text += line
            samples += count
        }
        return (text, samples)
    }

    /// `name:value[:value…]|type`, then a rate and tags in either order, each optional.
    static func line(using random: inout SplitMix64) -> (String, Int) {
        let type = ["ms", "h", "d", "g"].randomElement(using: &random) ?? "ms"
        let count = Int.random(in: 1...3, using: &random)
        let values = (0..<count).map { _ in value(signed: type != "g", using: &random) }
        var line = name(using: &random) + ":" + values.joined(separator: ":") + "|" + type
        let rate =
            "|@"
            + (["1", "1.", "0.5", ".25", "+0.001", "00.9", "1.000"].randomElement(using: &random) ?? "1")
        let tags = "|#" + (["", "env:prod", "a:b,c:d", "région:eu"].randomElement(using: &random) ?? "")
        switch Int.random(in: 0..<5, using: &random) {
        case 1: line += rate
        case 2: line += tags
        case 3: line += rate + tags
        case 4: line += tags + rate
        default: break
        }
        return (line, count)
    }

    /// A metric name without `:`, 1 to 12 characters.
    static func name(using random: inout SplitMix64) -> String {
        let first = Array("abcXYZ019")
        let rest = Array("abcXYZ019_.-")
        var name = String(first.randomElement(using: &random) ?? "a")
        for _ in 0..<Int.random(in: 0...11, using: &random) {
            name.append(rest.randomElement(using: &random) ?? "a")
        }
        return name
    }

    /// A decimal: digits with an optional fraction (or a bare fraction), an optional two-digit exponent.
    static func value(signed: Bool, using random: inout SplitMix64) -> String {
        var text = signed ? (["", "-", "+"].randomElement(using: &random) ?? "") : ""
        let digits = String(Int.random(in: 0...99_999, using: &random))
        switch Int.random(in: 0..<3, using: &random) {
        case 0: text += digits
        case 1: text += digits + "." + String(Int.random(in: 0...999, using: &random))
        default: text += "." + digits
        }
        if Bool.random(using: &random) {
            text +=
                (Bool.random(using: &random) ? "e" : "E")
                + (["", "-", "+"].randomElement(using: &random) ?? "")
            text += String(Int.random(in: 0...99, using: &random))
        }
        return text
    }

    /// `body` with one to three characters inserted, replaced or removed, from the grammar's own
    /// punctuation and a few others.
    static func mutate(_ body: String, using random: inout SplitMix64) -> String {
        var characters = Array(body)
        let alphabet = Array(":|@#.-+eE059a \r\n")
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            let character = alphabet.randomElement(using: &random) ?? ":"
            let position = Int.random(in: 0...characters.count, using: &random)
            switch Int.random(in: 0..<3, using: &random) {
            case 0: characters.insert(character, at: position)
            case 1 where position < characters.count: characters[position] = character
            default: if position < characters.count { characters.remove(at: position) }
            }
        }
        return String(characters)
    }
}
