import SLOWatchCore
import SeededRandom
import TestCurlClient
import Testing

@Suite("POST /samples with malformed JSON")
struct SamplesMalformedBodyTests {
    /// Bodies that are not strict JSON, each with a fragment its message must contain.
    static let bodies: [(name: String, bytes: [UInt8], fragment: String)] = [
        (
            "invalid UTF-8",
            Array(#"{"metric":"a","value":1,"note":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8), "byte"
        ),
        (
            "an overlong UTF-8 form",
            Array(#"{"metric":""#.utf8) + [0xC0, 0xAF] + Array(#"","value":1}"#.utf8), "byte"
        ),
        ("a lone surrogate", Array(#"{"metric":"a\ud800","value":1}"#.utf8), "surrogate"),
        ("a raw NUL in a string", Array(#"{"metric":"a"#.utf8) + [0] + Array(#"","value":1}"#.utf8), "byte"),
        ("an escaped NUL", Array(#"{"metric":"a\u0000","value":1}"#.utf8), "byte"),
        ("a number overflowing to infinity", Array(#"{"metric":"a","value":1e999}"#.utf8), "byte"),
        ("a negative overflow", Array(#"{"metric":"a","value":-1e400}"#.utf8), "byte"),
        (
            "10,000-deep arrays",
            Array(repeating: UInt8(ascii: "["), count: 10_000)
                + Array(repeating: UInt8(ascii: "]"), count: 10_000), "nested"
        ),
        (
            "10,000-deep objects",
            Array(String(repeating: #"{"a":"#, count: 10_000).utf8)
                + Array(repeating: UInt8(ascii: "}"), count: 10_000), "nested"
        ),
        ("a truncated object", Array(#"{"metric":"a","value":1"#.utf8), "end of the input"),
        ("a truncated batch", Array(#"{"samples":[{"metric":"a","value":1},"#.utf8), "end of the input"),
        ("an empty body", [], "empty"),
        ("trailing bytes", Array(#"{"metric":"a","value":1} x"#.utf8), "after the JSON value"),
        ("a single quote string", Array("{'metric':'a','value':1}".utf8), "byte"),
        ("NaN", Array(#"{"metric":"a","value":NaN}"#.utf8), "byte"),
        ("a leading plus", Array(#"{"metric":"a","value":+1}"#.utf8), "byte"),
        ("a trailing comma", Array(#"{"metric":"a","value":1,}"#.utf8), "byte"),
    ]

    @Test("every malformed body is a 400 invalid_json naming the byte, and the server keeps answering")
    func malformedBodies() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        for body in Self.bodies {
            let response = try client.post(
                service.url("/samples"), body: body.bytes, headers: [("Content-Type", "application/json")])
            #expect(response.status == 400, "\(body.name): \(response.bodyText)")
            #expect(response.errorCode == "invalid_json", "\(body.name): \(response.bodyText)")
            let message = response.errorMessage ?? ""
            #expect(message.hasPrefix("The body is not valid JSON at byte "), "\(body.name): \(message)")
            #expect(message.contains(body.fragment), "\(body.name): \(message)")
            #expect(try client.get(service.url("/metrics")).status == 200, "after \(body.name)")
        }
        #expect(service.service.registry.metricCount == 0)
    }

    @Test("3,000 seeded mutations of a valid batch each get 200 or 400, never another status")
    func mutatedBodies() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let valid = Array(SampleJSON.batch([("a", 1.5, 1_764_393_600_000), ("b.c", -2, nil)]).utf8)
        let alphabet = Array(#"{}[]",:\-+.eE0123456789 tfnul"#.utf8) + [0x00, 0x7F, 0x80, 0xC3, 0xED, 0xFF]
        var random = SplitMix64(seed: 0x5A3D_1E5)
        var statuses: [Int: Int] = [:]
        for round in 0..<3_000 {
            var body = valid
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let index = Int.random(in: 0..<body.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: body[index] = alphabet.randomElement(using: &random) ?? 0
                case 1: body.remove(at: index)
                default: body.insert(alphabet.randomElement(using: &random) ?? 0, at: index)
                }
                if body.isEmpty { body = [UInt8(ascii: "{")] }
            }
            let response = try client.post(
                service.url("/samples"), body: body, headers: [("Content-Type", "application/json")])
            statuses[response.status, default: 0] += 1
            #expect(
                response.status == 200 || response.status == 400,
                "round \(round): \(String(decoding: body, as: UTF8.self)) → \(response.status) \(response.bodyText)"
            )
        }
        // The mutations reach both outcomes, so the test exercises the parser's refusals and acceptances.
        #expect(statuses[400, default: 0] > 100)
        #expect(statuses[200, default: 0] > 10)
    }
}
