/// An incremental decoder of a chunked request body (RFC 9112 section 7.1), strict about CRLF.
///
/// Chunk extensions are checked against their grammar (RFC 9112 section 7.1.1) and skipped; trailer
/// fields are validated and discarded.
struct ChunkedDecoder {
    private enum State {
        case size
        case sizeSpace
        /// After a ';' (optional whitespace, then the extension's name).
        case extensionNameStart
        case extensionName
        /// After a name, in optional whitespace before '=', ';' or the line end.
        case extensionAfterName
        /// After '=' (optional whitespace, then a token or a quoted string).
        case extensionValueStart
        case extensionToken
        case extensionQuoted
        /// After a backslash inside a quoted string.
        case extensionQuotedPair
        /// After a value, in optional whitespace before ';' or the line end.
        case extensionAfterValue
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
                state = .extensionNameStart
            } else if byte == ASCII.space || byte == ASCII.tab {
                state = .sizeSpace
            } else {
                return .badRequest("A chunk size is not a hexadecimal number.")
            }
        case .sizeSpace:
            if byte == UInt8(ascii: ";") {
                state = .extensionNameStart
            } else if byte != ASCII.space && byte != ASCII.tab {
                return .badRequest("A chunk size is followed by something other than an extension.")
            }
        case .extensionNameStart, .extensionName, .extensionAfterName, .extensionValueStart, .extensionToken,
            .extensionQuoted, .extensionQuotedPair, .extensionAfterValue:
            return stepExtension(byte)
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

    /// One byte of a chunk extension: `*( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )`.
    private mutating func stepExtension(_ byte: UInt8) -> HTTPParseError? {
        let isSpace = byte == ASCII.space || byte == ASCII.tab
        let isSemicolon = byte == UInt8(ascii: ";")
        switch state {
        case .extensionNameStart:
            if ASCII.isToken(byte) {
                state = .extensionName
            } else if !isSpace {
                return .badRequest("A chunk extension has no name after its ';'.")
            }
        case .extensionName, .extensionAfterName:
            if byte == ASCII.cr {
                state = .sizeLF
            } else if isSemicolon {
                state = .extensionNameStart
            } else if byte == UInt8(ascii: "=") {
                state = .extensionValueStart
            } else if isSpace {
                state = .extensionAfterName
            } else if case .extensionAfterName = state {
                return .badRequest("A chunk extension name is followed by something other than '=' or ';'.")
            } else if !ASCII.isToken(byte) {
                return .badRequest("A chunk extension name is not a valid token.")
            }
        case .extensionValueStart:
            if byte == UInt8(ascii: "\"") {
                state = .extensionQuoted
            } else if ASCII.isToken(byte) {
                state = .extensionToken
            } else if !isSpace {
                return .badRequest("A chunk extension value is neither a token nor a quoted string.")
            }
        case .extensionToken, .extensionAfterValue:
            if byte == ASCII.cr {
                state = .sizeLF
            } else if isSemicolon {
                state = .extensionNameStart
            } else if isSpace {
                state = .extensionAfterValue
            } else if case .extensionAfterValue = state {
                return .badRequest("A chunk extension value is followed by something other than ';'.")
            } else if !ASCII.isToken(byte) {
                return .badRequest("A chunk extension value is neither a token nor a quoted string.")
            }
        case .extensionQuoted:
            if byte == UInt8(ascii: "\"") {
                state = .extensionAfterValue
            } else if byte == UInt8(ascii: "\\") {
                state = .extensionQuotedPair
            } else if !ASCII.isFieldValue(byte) {
                return .badRequest("A quoted chunk extension value is not closed before the end of its line.")
            }
        case .extensionQuotedPair:
            guard ASCII.isFieldValue(byte) else {
                return .badRequest("A chunk extension has a backslash before a control character.")
            }
            state = .extensionQuoted
        default:
            break
        }
        return nil
    }
}
