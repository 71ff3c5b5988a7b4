import FuzzSupport
import SLOWatchHTTP

/// The HTTP request parser under arbitrary bytes in arbitrary read splits.
///
/// `HTTPRequestStreamParser` runs the server's own request-parsing loop (`RequestReader`: the input
/// buffer, the limits clamped as the event loop clamps them, head → body → chunked decoding and
/// pipelining), so this target fuzzes the code each connection runs, limits included.
///
/// Every input is parsed three times: in one read, one byte per read, and in reads whose lengths come
/// from a generator seeded by a hash of the input (so each input always splits the same way). The
/// invariants, each of which aborts when broken:
/// - the parser never crashes (AddressSanitizer watches its memory);
/// - it never loops: every call either returns a request that consumed bytes, or stops;
/// - no request has a body longer than the bytes consumed for it, or than the body limit;
/// - the three splits give the same requests and the same error (status and message);
/// - every accepted request, re-serialised, parses to the same method, target, version, headers and body;
/// - under limits out of range (which the loop clamps: a header section of `Int.max` bytes to 1 GiB, so
///   that the buffer's size cannot overflow; fields to 1; a negative body to 0 bytes) the parser still
///   never crashes, loops, or accepts a body.
enum HTTPParserFuzzing {
    /// Small limits, so that short inputs reach the 413, 414 and 431 paths.
    static let configuration: HTTPServerConfiguration = {
        var configuration = HTTPServerConfiguration()
        configuration.maxRequestLineBytes = 256
        configuration.maxHeaderBytes = 512
        configuration.maxHeaderCount = 16
        configuration.maxBodyBytes = 1024
        return configuration
    }()

    /// Limits out of range, which the loop clamps (to 1 GiB of header section, 1 field, a 0-byte body).
    static let degenerate: HTTPServerConfiguration = {
        var configuration = HTTPServerConfiguration()
        configuration.maxRequestLineBytes = 256
        configuration.maxHeaderBytes = Int.max
        configuration.maxHeaderCount = Int.min
        configuration.maxBodyBytes = -5
        return configuration
    }()

    /// What a parse of a whole input gives.
    struct Outcome: Equatable {
        var requests: [ParsedRequest] = []
        /// The error, as `status: message`, or nil when the input ended without one.
        var failure: String?
        /// Bytes left unconsumed (an incomplete request).
        var buffered = 0
    }

    /// The parts of a request that the invariants compare.
    struct ParsedRequest: Equatable {
        var method: String
        var target: String
        var version: String
        var headers: [Header]
        var body: [UInt8]

        struct Header: Equatable {
            var name: String
            var value: String
        }

        init(_ request: HTTPRequest) {
            method = request.method.rawValue
            target = request.target
            version = request.version.description
            headers = request.headers.map { Header(name: $0.name, value: $0.value) }
            body = request.body
        }
    }

    static func run(_ input: UnsafeBufferPointer<UInt8>) {
        let whole = parse(input, pieces: [input.count])
        let bytewise = parse(input, pieces: Array(repeating: 1, count: input.count))
        invariant(whole == bytewise, "one read and one byte per read differ on \(shown(input))")
        let split = parse(input, pieces: pieceLengths(for: input))
        invariant(whole == split, "one read and seeded reads differ on \(shown(input))")
        for request in whole.requests { checkRoundTrip(request) }
        let clamped = parse(input, pieces: [input.count], configuration: degenerate)
        invariant(
            clamped.requests.allSatisfy { $0.body.isEmpty },
            "a body passed a limit below 0 in \(shown(input))")
    }

    /// Read lengths of 1 to 64 bytes covering `input`, from a generator seeded by the input's FNV-1a hash.
    static func pieceLengths(for input: UnsafeBufferPointer<UInt8>) -> [Int] {
        var seed: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in input { seed = (seed ^ UInt64(byte)) &* 0x100_0000_01b3 }
        var lengths: [Int] = []
        var left = input.count
        while left > 0 {
            // SplitMix64.
            seed &+= 0x9e37_79b9_7f4a_7c15
            var mixed = seed
            mixed = (mixed ^ (mixed >> 30)) &* 0xbf58_476d_1ce4_e5b9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94d0_49bb_1331_11eb
            mixed ^= mixed >> 31
            let length = min(left, 1 + Int(mixed % 64))
            lengths.append(length)
            left -= length
        }
        return lengths
    }

    /// Feeds `input` in reads of the given lengths, taking every request after each read.
    static func parse(
        _ input: UnsafeBufferPointer<UInt8>, pieces: [Int],
        configuration: HTTPServerConfiguration = configuration
    ) -> Outcome {
        var parser = HTTPRequestStreamParser(configuration: configuration)
        var outcome = Outcome()
        var offset = 0
        // Each returned request consumes bytes, so no input can yield more requests than it has bytes.
        var steps = 0
        // The bytes consumed up to the end of the previous request.
        var consumedBefore = 0
        for length in pieces {
            parser.append(UnsafeBufferPointer(rebasing: input[offset..<(offset + length)]))
            offset += length
            while true {
                steps += 1
                invariant(steps <= input.count + pieces.count + 1, "the parser loops on \(shown(input))")
                do {
                    guard let request = try parser.nextRequest() else { break }
                    let used = parser.consumedByteCount - consumedBefore
                    consumedBefore = parser.consumedByteCount
                    invariant(used > 0, "a request consumed no bytes in \(shown(input))")
                    invariant(
                        request.body.count < used,
                        "a body of \(request.body.count) bytes from \(used) bytes consumed in \(shown(input))"
                    )
                    invariant(
                        request.body.count <= max(configuration.maxBodyBytes, 0),
                        "a body of \(request.body.count) bytes passed the limit in \(shown(input))")
                    outcome.requests.append(ParsedRequest(request))
                } catch {
                    invariant(
                        (400...599).contains(error.status), "status \(error.status) for \(shown(input))")
                    outcome.failure = error.description
                    return outcome
                }
            }
        }
        invariant(parser.consumedByteCount <= input.count, "consumed more than was given: \(shown(input))")
        outcome.buffered = parser.bufferedByteCount
        return outcome
    }

    /// Writes `request` back as bytes (`name:value` fields, the body chunked when it came with
    /// Transfer-Encoding, as is otherwise) and checks that it parses to the same request.
    static func checkRoundTrip(_ request: ParsedRequest) {
        var bytes = Array("\(request.method) \(request.target) \(request.version)\r\n".utf8)
        var chunked = false
        for header in request.headers {
            bytes += Array("\(header.name):\(header.value)\r\n".utf8)
            if header.name.lowercased() == "transfer-encoding" { chunked = true }
        }
        bytes += Array("\r\n".utf8)
        if chunked {
            if !request.body.isEmpty {
                bytes +=
                    Array(String(request.body.count, radix: 16).utf8) + [13, 10] + request.body + [13, 10]
            }
            bytes += Array("0\r\n\r\n".utf8)
        } else {
            bytes += request.body
        }
        // A byte outside UTF-8 in a field value comes back as U+FFFD (3 bytes): room for that.
        var roomy = configuration
        roomy.maxHeaderBytes *= 3
        var parser = HTTPRequestStreamParser(configuration: roomy)
        parser.append(bytes)
        let again: HTTPRequest?
        do {
            again = try parser.nextRequest()
        } catch {
            invariant(false, "the re-serialised request is refused (\(error)): \(shown(bytes))")
            return
        }
        guard let again else {
            invariant(false, "the re-serialised request is incomplete: \(shown(bytes))")
            return
        }
        invariant(
            ParsedRequest(again) == request, "the re-serialised request parses differently: \(shown(bytes))")
        invariant(
            parser.bufferedByteCount == 0, "bytes are left after the re-serialised request: \(shown(bytes))")
    }
}
