/// A strict RFC 8259 JSON parser for request bodies.
///
/// It accepts exactly the JSON grammar, with these extra refusals, each a 400 for the client:
/// - invalid UTF-8 anywhere (overlong forms, encoded surrogates, code points above U+10FFFF);
/// - lone UTF-16 surrogates in `\u` escapes, and NUL in strings (raw or as `\u0000`);
/// - numbers that overflow a Double (`1e999`); tiny ones round to 0 or a subnormal, as strtod does;
/// - nesting deeper than ``maximumDepth``, so hostile input cannot exhaust the stack;
/// - a byte-order mark, and anything but whitespace after the value.
/// A repeated object key keeps its last value (see ``JSONObject``).
struct JSONParser {
    /// The deepest nesting of arrays and objects accepted (default 64).
    static let maximumDepth = 64

    /// Parses one complete JSON document.
    /// - Parameter bytes: the document, UTF-8.
    /// - Throws: ``JSONParseError`` with the byte offset of the first problem.
    static func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer throws(JSONParseError) in
            var parser = JSONParser(bytes: buffer)
            return try parser.parseDocument()
        }
    }

    /// The document (valid for the duration of ``parse(_:)``).
    let bytes: UnsafeBufferPointer<UInt8>
    /// The offset of the next byte to read.
    var index = 0
    private var depth = 0

    private init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            throw fail("a byte-order mark is not allowed before the JSON text", at: 0)
        }
        skipWhitespace()
        guard index < bytes.count else {
            throw fail(bytes.isEmpty ? "the body is empty" : "the body holds only whitespace", at: index)
        }
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else {
            throw fail("unexpected \(describe(index)) after the JSON value", at: index)
        }
        return value
    }

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else {
            throw fail("expected a value, found the end of the input", at: index)
        }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try parseObject())
        case UInt8(ascii: "["): return .array(try parseArray())
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail("expected a value, found \(describe(index))", at: index)
        }
    }

    private mutating func enter() throws(JSONParseError) {
        depth += 1
        guard depth <= Self.maximumDepth else {
            throw fail("arrays and objects are nested deeper than \(Self.maximumDepth) levels", at: index)
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONObject {
        try enter()
        index += 1
        var object = JSONObject()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return object
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw fail("expected a quoted member name, found \(describe(index))", at: index)
            }
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw fail(
                    "expected ':' after the member name \"\(key)\", found \(describe(index))", at: index)
            }
            index += 1
            skipWhitespace()
            object.set(key, try parseValue())
            skipWhitespace()
            guard index < bytes.count else {
                throw fail(
                    "the object is not closed: expected ',' or '}', found the end of the input", at: index)
            }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return object
            } else {
                throw fail("expected ',' or '}' after an object member, found \(describe(index))", at: index)
            }
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> [JSONValue] {
        try enter()
        index += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return elements
        }
        while true {
            skipWhitespace()
            elements.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else {
                throw fail(
                    "the array is not closed: expected ',' or ']', found the end of the input", at: index)
            }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
            } else if bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return elements
            } else {
                throw fail("expected ',' or ']' after an array element, found \(describe(index))", at: index)
            }
        }
    }

    private mutating func parseLiteral(_ word: StaticString, _ value: JSONValue) throws(JSONParseError)
        -> JSONValue
    {
        let count = word.utf8CodeUnitCount
        let start = word.utf8Start
        guard index + count <= bytes.count else {
            throw fail("expected '\(word)', found the end of the input", at: index)
        }
        for offset in 0..<count where bytes[index + offset] != start[offset] {
            throw fail("expected '\(word)', found \(describe(index + offset))", at: index + offset)
        }
        index += count
        return value
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    // MARK: Numbers

    /// Parses `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` and converts it with correct rounding.
    private mutating func parseNumber() throws(JSONParseError) -> Double {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else {
            throw fail("a number needs a digit after '-', found \(describe(index))", at: index)
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < bytes.count, isDigit(bytes[index]) {
                throw fail("a number must not have a leading zero", at: start)
            }
        } else {
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw fail(
                    "a number needs a digit after the decimal point, found \(describe(index))", at: index)
            }
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else {
                throw fail("a number needs a digit in its exponent, found \(describe(index))", at: index)
            }
            skipDigits()
        }
        // The grammar is checked, so the C library's correctly rounded conversion sees only valid text.
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<index])
        guard let value = JSONNumberText.double(slice) else {
            let text = Substring(decoding: slice, as: UTF8.self)
            let shown = text.count > 40 ? text.prefix(40) + "…" : text
            throw fail("the number \(shown) is too large for a 64-bit float", at: start)
        }
        return value
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipDigits() {
        while index < bytes.count, isDigit(bytes[index]) { index += 1 }
    }
}

/// Why a body is not valid JSON: the byte offset of the first problem and what is wrong there.
struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The offset, in bytes from the start of the body, of the first problem.
    var offset: Int
    /// What is wrong, e.g. `expected ',' or '}' after an object member, found 'x'`.
    var reason: String

    /// `invalid JSON at byte 12: <reason>`.
    var message: String { "invalid JSON at byte \(offset): \(reason)" }

    var description: String { message }
}

extension JSONParser {
    func fail(_ reason: String, at offset: Int) -> JSONParseError {
        JSONParseError(offset: offset, reason: reason)
    }

    /// The byte at `offset`, for error messages: `'x'`, `byte 0xC3`, or `the end of the input`.
    func describe(_ offset: Int) -> String {
        guard offset < bytes.count else { return "the end of the input" }
        let byte = bytes[offset]
        if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x\(hex.count == 1 ? "0" + hex : hex)"
    }
}
