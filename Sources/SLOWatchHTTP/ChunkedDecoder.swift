/// An incremental decoder of a chunked request body (RFC 9112 section 7.1), strict about CRLF.
///
/// Chunk extensions are skipped; trailer fields are validated and discarded.
struct ChunkedDecoder {
    private enum State {
        case size
        case sizeSpace
        case extensions
        case sizeLF
        case data(remaining: Int)
        case dataCR
        case dataLF
        case trailerStart
        case trailerName
        case trailerValue
        case trailerLF
        case finalLF
    }

    private var state = State.size
    private var size = 0
    private var digits = 0
    private var lineBytes = 0
    private var trailerBytes = 0
    private var total = 0

    /// Decodes `bytes`, appending chunk data to `body`; stops after the last chunk's trailers.
    mutating func decode(
        _ bytes: UnsafeRawBufferPointer, into body: inout [UInt8], limits: RequestParser.Limits
    ) -> RequestParser.BodyResult {
        var index = 0
        while index < bytes.count {
            if case .data(let remaining) = state {
                let take = min(remaining, bytes.count - index)
                body.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<(index + take)]))
                index += take
                state = take == remaining ? .dataCR : .data(remaining: remaining - take)
                continue
            }
            let byte = bytes[index]
            index += 1
            if let error = step(byte, limits: limits) { return .failed(error) }
            if case .finalLF = state, byte == ASCII.lf { return .complete(consumed: index) }
        }
        return .incomplete(consumed: index)
    }

    /// Advances the framing state by one byte; returns an error when the byte breaks the grammar.
    private mutating func step(_ byte: UInt8, limits: RequestParser.Limits) -> HTTPParseError? {
        if byte == ASCII.lf {
            switch state {
            case .sizeLF:
                if size == 0 {
                    state = .trailerStart
                } else {
                    total += size
                    if total > limits.maxBodyBytes { return .payloadTooLarge(limit: limits.maxBodyBytes) }
                    state = .data(remaining: size)
                }
                size = 0
                digits = 0
                lineBytes = 0
                return nil
            case .dataLF:
                state = .size
                lineBytes = 0
                return nil
            case .trailerLF:
                state = .trailerStart
                lineBytes = 0
                return nil
            case .finalLF:
                return nil
            default:
                return .badRequest("The chunked body has a bare LF; chunk lines must end with CRLF.")
            }
        }
        lineBytes += 1
        if lineBytes > 4096 {
            return .badRequest("A chunk-size line or trailer line is longer than 4096 bytes.")
        }
        switch state {
        case .size:
            if let value = ASCII.hexValue(byte) {
                digits += 1
                if digits > 15 { return .badRequest("A chunk size has more than 15 hex digits.") }
                size = size << 4 | Int(value)
            } else if digits == 0 {
                return .badRequest("A chunk size is not a hexadecimal number.")
            } else if byte == ASCII.cr {
                state = .sizeLF
            } else if byte == UInt8(ascii: ";") {
                state = .extensions
            } else if byte == ASCII.space || byte == ASCII.tab {
                state = .sizeSpace
            } else {
                return .badRequest("A chunk size is not a hexadecimal number.")
            }
        case .sizeSpace:
            if byte == UInt8(ascii: ";") {
                state = .extensions
            } else if byte != ASCII.space && byte != ASCII.tab {
                return .badRequest("A chunk size is followed by something other than an extension.")
            }
        case .extensions:
            if byte == ASCII.cr {
                state = .sizeLF
            } else if !ASCII.isFieldValue(byte) {
                return .badRequest("A chunk extension contains a control character.")
            }
        case .sizeLF, .dataLF, .trailerLF, .finalLF:
            return .badRequest("The chunked body has a bare CR; CR is only allowed before LF.")
        case .dataCR:
            guard byte == ASCII.cr else { return .badRequest("Chunk data is not followed by CRLF.") }
            state = .dataLF
        case .trailerStart:
            trailerBytes += 1
            if byte == ASCII.cr {
                state = .finalLF
            } else if byte == ASCII.space || byte == ASCII.tab {
                return .badRequest("A trailer line starts with whitespace (obsolete line folding).")
            } else if ASCII.isToken(byte) {
                state = .trailerName
            } else {
                return .badRequest("A trailer field name is not a valid token.")
            }
        case .trailerName:
            trailerBytes += 1
            if byte == ASCII.colon {
                state = .trailerValue
            } else if !ASCII.isToken(byte) {
                return .badRequest("A trailer field name is not a valid token.")
            }
        case .trailerValue:
            trailerBytes += 1
            if byte == ASCII.cr {
                state = .trailerLF
            } else if !ASCII.isFieldValue(byte) {
                return .badRequest("A trailer field value contains a control character.")
            }
        case .data:
            break
        }
        if trailerBytes > limits.maxHeaderBytes {
            return .headerFieldsTooLarge("The trailer section is larger than \(limits.maxHeaderBytes) bytes.")
        }
        return nil
    }
}
