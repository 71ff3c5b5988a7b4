/// Turns a `POST /samples` body of `text/plain` StatsD lines into checked samples, or into the 400 that
/// names the first bad line: the same all-or-nothing contract as the JSON body.
enum StatsDTextBody {
    /// The media type, lowercase.
    static let mediaType: StaticString = "text/plain"

    /// Whether the bytes of a `Content-Type` value name `text/plain` (any `charset` or other parameter
    /// allowed, any letter case).
    static func isText(_ contentType: UnsafeBufferPointer<UInt8>?) -> Bool {
        JSONRequestBody.names(contentType, mediaType)
    }

    /// Decodes and checks every line (see ``StatsDLineParser`` for the grammar).
    /// - Parameter body: the request body: lines separated by `\n` (or `\r\n`); blank lines are skipped.
    /// - Returns: the samples, in body order, stamped with the arrival time when recorded.
    /// - Throws: 400 `invalid_request` naming the first bad line's number, the line (quoted, cut) and the
    ///   rule, counters and sets included; 400 when the lines hold more than
    ///   ``SampleBatchDecoder/maximumSamples`` samples.
    static func decode(_ body: [UInt8]) throws(APIError) -> SampleBatch {
        var builder = StatsDBatchBuilder()
        try body.withUnsafeBufferPointer { (bytes) throws(APIError) in
            var lineNumber = 0
            var start = 0
            while start < bytes.count {
                lineNumber += 1
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
                let parsed: StatsDLine?
                do throws(StatsDLineFault) {
                    parsed = try StatsDLineParser.parse(line)
                } catch {
                    throw invalidLine(lineNumber, line, error.reason)
                }
                if let parsed {
                    guard builder.batch.count + parsed.valueCount <= SampleBatchDecoder.maximumSamples else {
                        throw invalidLine(
                            lineNumber, line,
                            "the body holds more than \(SampleBatchDecoder.maximumSamples) samples, the "
                                + "limit per request")
                    }
                    builder.append(parsed, in: line)
                }
                start = end + 1
            }
        }
        return builder.batch
    }

    /// 400 `invalid_request`: `line 3 ("a:x|ms"): the value "x" is not a finite decimal number.`
    private static func invalidLine(_ number: Int, _ line: UnsafeBufferPointer<UInt8>, _ reason: String)
        -> APIError
    {
        // Only the start of a long line is decoded: the message shows at most 60 characters of it.
        let shown = String(decoding: UnsafeBufferPointer(rebasing: line.prefix(256)), as: UTF8.self)
        return .invalidRequest("line \(number) (\(MessageText.quoted(shown, limit: 60))): \(reason).")
    }
}
