extension JSONParser {
    /// Parses a string starting at its opening quote: validates UTF-8, decodes escapes and rejects
    /// control characters, NUL and lone surrogates.
    mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        let start = index
        // Fast path: printable ASCII with no escape, the usual metric name or unit.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = String(
                    decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return text
            }
            if byte < 0x20 || byte >= 0x80 || byte == UInt8(ascii: "\\") { break }
            index += 1
        }
        var decoded = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                try decodeEscape(into: &decoded)
            case 0x00:
                throw fail("a string must not contain NUL", at: index)
            case 0x01..<0x20:
                throw fail(
                    "a string must not contain the control character \(describe(index)) unescaped", at: index)
            case 0x80...:
                try copyMultibyteScalar(into: &decoded)
            default:
                decoded.append(byte)
                index += 1
            }
        }
        throw fail("the string is not closed: found the end of the input", at: start - 1)
    }

    /// Decodes one escape sequence at `index` (a backslash) and appends its UTF-8.
    private mutating func decodeEscape(into decoded: inout [UInt8]) throws(JSONParseError) {
        let escapeStart = index
        index += 1
        guard index < bytes.count else {
            throw fail("the escape is cut off by the end of the input", at: escapeStart)
        }
        let letter = bytes[index]
        index += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(letter)
        case UInt8(ascii: "b"): decoded.append(0x08)
        case UInt8(ascii: "f"): decoded.append(0x0C)
        case UInt8(ascii: "n"): decoded.append(0x0A)
        case UInt8(ascii: "r"): decoded.append(0x0D)
        case UInt8(ascii: "t"): decoded.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try readHexUnit(escapeStart: escapeStart)
            let scalar: UInt32
            switch unit {
            case 0:
                throw fail("a string must not contain NUL (\\u0000)", at: escapeStart)
            case 0xD800...0xDBFF:
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                    bytes[index + 1] == UInt8(ascii: "u")
                else {
                    throw fail(
                        "the high surrogate \\u\(hex4(unit)) is not followed by a low surrogate",
                        at: escapeStart)
                }
                let lowStart = index
                index += 2
                let low = try readHexUnit(escapeStart: lowStart)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw fail(
                        "the high surrogate \\u\(hex4(unit)) is followed by \\u\(hex4(low)), not a low surrogate",
                        at: lowStart)
                }
                scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            case 0xDC00...0xDFFF:
                throw fail(
                    "the low surrogate \\u\(hex4(unit)) has no high surrogate before it", at: escapeStart)
            default:
                scalar = unit
            }
            appendUTF8(scalar, to: &decoded)
        default:
            throw fail("\\\(describe(escapeStart + 1).trimmingQuotes) is not a JSON escape", at: escapeStart)
        }
    }

    /// Reads the four hex digits after `\u`.
    private mutating func readHexUnit(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        var unit: UInt32 = 0
        for _ in 0..<4 {
            guard index < bytes.count else {
                throw fail("the \\u escape needs four hex digits", at: escapeStart)
            }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail("the \\u escape needs four hex digits, found \(describe(index))", at: index)
            }
            unit = unit << 4 | UInt32(digit)
            index += 1
        }
        return unit
    }

    /// Validates one multi-byte UTF-8 sequence at `index` (Unicode Table 3-7) and copies it.
    private mutating func copyMultibyteScalar(into decoded: inout [UInt8]) throws(JSONParseError) {
        let lead = bytes[index]
        let length: Int
        var secondRange: ClosedRange<UInt8> = 0x80...0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            secondRange = 0xA0...0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            secondRange = 0x80...0x9F
        case 0xF0:
            length = 4
            secondRange = 0x90...0xBF
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            secondRange = 0x80...0x8F
        default: throw fail("invalid UTF-8: \(describe(index)) cannot start a character", at: index)
        }
        guard index + length <= bytes.count else {
            throw fail("invalid UTF-8: a character is cut off by the end of the input", at: index)
        }
        guard secondRange.contains(bytes[index + 1]) else {
            throw fail(
                "invalid UTF-8: \(describe(index + 1)) cannot follow byte \(hex2(lead))", at: index + 1)
        }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) {
            throw fail(
                "invalid UTF-8: \(describe(index + offset)) is not a continuation byte", at: index + offset)
        }
        decoded.append(contentsOf: bytes[index..<(index + length)])
        index += length
    }

    private func appendUTF8(_ scalar: UInt32, to decoded: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            decoded.append(UInt8(scalar))
        case 0x80..<0x800:
            decoded.append(UInt8(0xC0 | scalar >> 6))
            decoded.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            decoded.append(UInt8(0xE0 | scalar >> 12))
            decoded.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            decoded.append(UInt8(0x80 | scalar & 0x3F))
        default:
            decoded.append(UInt8(0xF0 | scalar >> 18))
            decoded.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            decoded.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            decoded.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    private func hex4(_ unit: UInt32) -> String {
        let text = String(unit, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }

    private func hex2(_ byte: UInt8) -> String {
        let text = String(byte, radix: 16, uppercase: true)
        return "0x" + (text.count == 1 ? "0" + text : text)
    }
}

extension String {
    /// The text without one pair of surrounding single quotes, if it has them.
    fileprivate var trimmingQuotes: String {
        guard count >= 2, hasPrefix("'"), hasSuffix("'") else { return self }
        return String(dropFirst().dropLast())
    }
}
