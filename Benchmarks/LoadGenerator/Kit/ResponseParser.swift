/// Finds where one HTTP/1.1 response ends in the bytes read so far, and its status.
///
/// Framing follows RFC 9112 §6.3 for the cases the servers under test use: no body for 1xx, 204 and
/// 304; otherwise `Content-Length`. A response with neither (chunked or close-delimited) is reported
/// as unsupported, and the generator counts it as an error and reconnects. Header lines are at most
/// `headerLimit` bytes in total.
enum ResponseParser {
    /// What the bytes so far hold.
    enum Outcome: Equatable {
        /// More bytes are needed.
        case incomplete
        /// A whole response: its status and its total length in bytes (head and body).
        case complete(status: Int, length: Int)
        /// The bytes are not a response this parser can frame, with the reason.
        case invalid(String)
    }

    /// The most header bytes accepted before the blank line.
    static let headerLimit = 16_384

    /// Parses the response at the start of `bytes`.
    static func parse(_ bytes: [UInt8]) -> Outcome {
        guard let headEnd = headerEnd(bytes) else {
            return bytes.count > headerLimit
                ? .invalid("response head over \(headerLimit) bytes") : .incomplete
        }
        // "HTTP/1.1 204 ..." : three digits after the first space.
        guard bytes.count >= 12, bytes[0] == UInt8(ascii: "H"), bytes[8] == UInt8(ascii: " ") else {
            return .invalid("status line does not start with HTTP/1.x")
        }
        var status = 0
        for offset in 9..<12 {
            let digit = Int(bytes[offset]) - 48
            guard (0...9).contains(digit) else { return .invalid("status code is not three digits") }
            status = status * 10 + digit
        }
        if status < 200 || status == 204 || status == 304 {
            return .complete(status: status, length: headEnd)
        }
        guard let length = contentLength(bytes[..<headEnd]) else {
            return .invalid("response \(status) has no Content-Length (chunked or close-delimited)")
        }
        return bytes.count >= headEnd + length
            ? .complete(status: status, length: headEnd + length) : .incomplete
    }

    /// The offset just past "\r\n\r\n", or nil.
    static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var offset = 3
        while offset < bytes.count {
            if bytes[offset] == 10 && bytes[offset - 1] == 13 && bytes[offset - 2] == 10
                && bytes[offset - 3] == 13
            {
                return offset + 1
            }
            offset += 1
        }
        return nil
    }

    /// The value of the Content-Length header (name matched without regard to case), or nil.
    static func contentLength(_ head: ArraySlice<UInt8>) -> Int? {
        let name = Array("content-length:".utf8)
        var lineStart = head.startIndex
        while lineStart < head.endIndex {
            var lineEnd = lineStart
            while lineEnd < head.endIndex && head[lineEnd] != 10 { lineEnd += 1 }
            if lineEnd - lineStart > name.count
                && zip(head[lineStart..<lineStart + name.count], name).allSatisfy({ $0 | 0x20 == $1 })
            {
                var value = 0
                var digits = 0
                for byte in head[(lineStart + name.count)..<lineEnd] {
                    if byte >= 48 && byte <= 57 {
                        value = value * 10 + Int(byte - 48)
                        digits += 1
                        if digits > 12 { return nil }
                    } else if byte != 32 && byte != 9 && byte != 13 {
                        return nil
                    }
                }
                return digits > 0 ? value : nil
            }
            lineStart = lineEnd + 1
        }
        return nil
    }
}
