import SeededRandom
import Testing

@testable import SLOWatchHTTP

/// Randomized robustness of the request parser: mutated valid requests and random bytes never trap,
/// only ever yield requests, "need more bytes", or an error status the server can send, and give the
/// same outcome however the bytes are split across reads.
@Suite struct ParserRobustnessTests {
    /// The statuses the parser may produce.
    static let allowedStatuses: Set<Int> = [400, 404, 405, 408, 413, 414, 417, 431, 501, 505]

    /// Small limits, so that the 413/414/431 paths are reached by short inputs.
    static let smallLimits = RequestParser.Limits(
        maxRequestLineBytes: 48, maxHeaderBytes: 96, maxHeaderCount: 4, maxBodyBytes: 24)

    static let corpus: [String] = [
        "GET / HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET /metrics/x%2Fy/percentiles?q=0.5&q=0.99 HTTP/1.1\r\nHost: example.com:8080\r\nAccept: */*\r\n\r\n",
        "POST /samples HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\nContent-Type: text/plain\r\n\r\nhello world",
        "POST /s HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-T: v\r\n\r\n",
        "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
        "GET http://a.example/x?y HTTP/1.1\r\nHost: a.example\r\nExpect: 100-continue\r\n\r\n",
        "\r\nPUT /p HTTP/1.1\r\nHost: [::1]:80\r\nContent-Length: 007\r\n\r\n1234567HEAD / HTTP/1.1\r\nHost: h\r\n\r\n",
        "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n",
        "DELETE /d HTTP/1.1\r\nhost: a\r\nX-Empty:\r\nX-Pad:  v  \r\nConnection: close, Upgrade\r\n\r\n",
        "GET /h2 HTTP/2.0\r\nHost: a\r\n\r\n",
    ]

    /// How many inputs the test generates: a fixed count, not a time budget, so that every run (debug,
    /// release or under ThreadSanitizer, on a loaded machine or not) checks exactly the same cases.
    static let caseCount = 3000

    /// Bytes that matter to the grammar, used more often than uniformly random ones.
    static let interesting: [UInt8] =
        Array("\r\n \t:;,0123456789abcdefABCDEF/%?*\0\u{7F}".utf8) + [0x80, 0xFF]

    @Test func mutatedRequestsAndRandomBytesNeverTrapAndParseTheSameWhenSplit() {
        var random = SplitMix64(seed: 0x5107_A7C4)
        var outcomeKinds: Set<String> = []
        for cases in 1...Self.caseCount {
            let input = Self.makeInput(&random)
            let limits = random.next() % 2 == 0 ? Self.smallLimits : RequestParser.Limits()
            let whole = parseStream([input], limits: limits)
            for outcome in whole {
                switch outcome {
                case .request: outcomeKinds.insert("request")
                case .error(let status):
                    outcomeKinds.insert("\(status)")
                    #expect(Self.allowedStatuses.contains(status), "status \(status) for \(Self.show(input))")
                }
            }
            if whole.isEmpty { outcomeKinds.insert("incomplete") }
            let cut = input.isEmpty ? 0 : Int(random.next() % UInt64(input.count + 1))
            let split = parseStream([Array(input[..<cut]), Array(input[cut...])], limits: limits)
            #expect(split == whole, "split at \(cut) of \(Self.show(input))")
            if input.count <= 160 && cases % 8 == 0 {
                let bytewise = parseStream(input.map { [$0] }, limits: limits)
                #expect(bytewise == whole, "byte by byte: \(Self.show(input))")
            }
        }
        // The generator reaches every kind of outcome, so the checks above are not vacuous.
        for kind in ["request", "incomplete", "400", "413", "414", "431", "501", "505"] {
            #expect(outcomeKinds.contains(kind), "no case produced \(kind)")
        }
    }

    @Test func tenMegabytesWithoutALineEndIsRefusedAtTheLimit() {
        var parser = RequestParser(limits: .init())
        let junk = [UInt8](repeating: UInt8(ascii: "A"), count: 10 << 20)
        let result = junk.withUnsafeBytes { parser.parseHead($0) }
        guard case .failed(let error) = result else {
            Issue.record("10 MB without CRLF was not refused: \(result)")
            return
        }
        #expect(error.status == 414)
    }

    /// A mutated corpus entry, a splice of two, or random bytes.
    static func makeInput(_ random: inout SplitMix64) -> [UInt8] {
        let choice = random.next() % 10
        if choice == 0 {
            let count = Int(random.next() % 200)
            return (0..<count).map { _ in randomByte(&random) }
        }
        var bytes = Array(corpus[Int(random.next() % UInt64(corpus.count))].utf8)
        if choice == 1 {
            bytes += Array(corpus[Int(random.next() % UInt64(corpus.count))].utf8)
        }
        let mutations = Int(random.next() % 4)
        for _ in 0..<mutations { mutate(&bytes, &random) }
        return bytes
    }

    static func mutate(_ bytes: inout [UInt8], _ random: inout SplitMix64) {
        let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count))
        switch random.next() % 7 {
        case 0 where !bytes.isEmpty: bytes[position] = randomByte(&random)
        case 1: bytes.insert(randomByte(&random), at: position)
        case 2 where !bytes.isEmpty: bytes.remove(at: position)
        case 3:
            // Repeat a slice: long lines, many fields, huge numbers.
            let length = Int(random.next() % 40) + 1
            let end = min(position + length, bytes.count)
            let slice = Array(bytes[position..<end])
            let times = Int(random.next() % 40) + 1
            bytes.insert(contentsOf: (0..<times).flatMap { _ in slice }, at: position)
        case 4: bytes.removeLast(Int(random.next() % UInt64(bytes.count + 1)))
        case 5:
            let numbers = [
                "99999999999999999999", "ffffffffffffffff", "0", "-1", "7fffffffffffffff", "00000",
            ]
            bytes.insert(contentsOf: Array(numbers[Int(random.next() % 6)].utf8), at: position)
        default:
            let fields = [
                "Content-Length: 3\r\n", "Transfer-Encoding: chunked\r\n", "Transfer-Encoding: gzip\r\n",
                "Host: b\r\n", " folded\r\n", "Expect: nope\r\n", "HTTP/2.0", "HTTP/1.0", "\r\n",
            ]
            bytes.insert(contentsOf: Array(fields[Int(random.next() % 9)].utf8), at: position)
        }
    }

    static func randomByte(_ random: inout SplitMix64) -> UInt8 {
        let value = random.next()
        return value % 2 == 0
            ? interesting[Int((value >> 8) % UInt64(interesting.count))]
            : UInt8(truncatingIfNeeded: value >> 8)
    }

    static func show(_ bytes: [UInt8]) -> String {
        String(decoding: bytes.prefix(300), as: UTF8.self).debugDescription
    }
}
