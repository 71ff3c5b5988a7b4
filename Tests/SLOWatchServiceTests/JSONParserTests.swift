import Testing

@testable import SLOWatchService

@Suite("JSON parser")
struct JSONParserTests {
    private func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try JSONParser.parse(Array(text.utf8))
    }

    private func rejection(_ bytes: [UInt8]) -> JSONParseError? {
        do {
            _ = try JSONParser.parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    private func rejection(_ text: String) -> JSONParseError? { rejection(Array(text.utf8)) }

    @Test("parses every JSON type, keeping member order")
    func parsesTypes() throws {
        let value = try parse(
            #" {"b":[1,-2.5e3,true,false,null],"a":"x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"} "#)
        guard case .object(let object) = value else {
            Issue.record("not an object: \(value)")
            return
        }
        #expect(object.keys == ["b", "a"])
        #expect(object["b"] == .array([.number(1), .number(-2500), .bool(true), .bool(false), .null]))
        #expect(object["a"] == .string("x\"\\/\u{8}\u{c}\n\r\té😀"))
    }

    @Test("a repeated key keeps its first position and its last value")
    func duplicateKeys() throws {
        guard case .object(let object) = try parse(#"{"a":1,"b":2,"a":3}"#) else {
            Issue.record("not an object")
            return
        }
        #expect(object.keys == ["a", "b"])
        #expect(object["a"] == .number(3))
    }

    @Test("numbers are correctly rounded, tiny ones underflow to zero, and -0 keeps its sign")
    func numbers() throws {
        #expect(try parse("0.1") == .number(0.1))
        #expect(try parse("9007199254740993") == .number(9_007_199_254_740_992))
        #expect(try parse("4.9e-324") == .number(.leastNonzeroMagnitude))
        #expect(try parse("1e-999") == .number(0))
        guard case .number(let zero) = try parse("-0") else {
            Issue.record("-0 did not parse as a number")
            return
        }
        #expect(zero.sign == .minus)
    }

    @Test(
        "malformed documents are rejected with the offset and the rule",
        arguments: [
            ("", 0, "the body is empty"),
            ("  ", 2, "only whitespace"),
            ("[1,]", 3, "expected a value, found ']'"),
            (#"{"a":1,}"#, 7, "expected a quoted member name, found '}'"),
            ("01", 0, "leading zero"),
            ("1.", 2, "digit after the decimal point"),
            ("-", 1, "digit after '-'"),
            ("1e+", 3, "digit in its exponent"),
            ("1e999", 0, "too large for a 64-bit float"),
            ("-1E400", 0, "too large for a 64-bit float"),
            ("tru", 0, "expected 'true'"),
            ("nul", 0, "expected 'null'"),
            ("[1 2]", 3, "expected ',' or ']'"),
            (#"{"a" 1}"#, 5, "expected ':'"),
            (#"{"a":1"#, 6, "not closed"),
            (#""abc"#, 0, "not closed"),
            (#""\u0000""#, 1, "NUL"),
            (#""\ud800""#, 1, "not followed by a low surrogate"),
            (#""\ud800\u0041""#, 7, "not a low surrogate"),
            (#""\udc00""#, 1, "has no high surrogate"),
            (#""\x""#, 1, "\\x is not a JSON escape"),
            (#""\u12g4""#, 5, "four hex digits"),
            ("1 1", 2, "after the JSON value"),
            ("'a'", 0, "expected a value, found '''"),
            ("NaN", 0, "expected a value"),
            ("Infinity", 0, "expected a value"),
        ])
    func rejects(text: String, offset: Int, reason: String) {
        let error = rejection(text)
        #expect(error?.offset == offset, "\(text)")
        #expect(error?.reason.contains(reason) == true, "\(text): \(error?.message ?? "accepted")")
    }

    @Test("control characters, NUL and invalid UTF-8 in strings are rejected")
    func rejectsBadBytes() throws {
        let quote = UInt8(ascii: "\"")
        let cases: [([UInt8], String)] = [
            ([quote, 0x00, quote], "NUL"),
            ([quote, 0x09, quote], "control character"),
            ([quote, 0xC0, 0x80, quote], "cannot start a character"),  // overlong NUL
            ([quote, 0xE0, 0x80, 0x80, quote], "cannot follow"),  // overlong
            ([quote, 0xED, 0xA0, 0x80, quote], "cannot follow"),  // UTF-8-encoded surrogate
            ([quote, 0xF4, 0x90, 0x80, 0x80, quote], "cannot follow"),  // above U+10FFFF
            ([quote, 0xF5, 0x80, 0x80, 0x80, quote], "cannot start"),
            ([quote, 0xC3, quote], "cannot follow"),
            ([quote, 0xE2, 0x82], "cut off"),
            ([quote, 0x80, quote], "cannot start"),
            ([0xEF, 0xBB, 0xBF, UInt8(ascii: "1")], "byte-order mark"),
            ([0xFF], "expected a value, found byte 0xFF"),
        ]
        for (bytes, reason) in cases {
            let error = rejection(bytes)
            #expect(error?.reason.contains(reason) == true, "\(bytes): \(error?.message ?? "accepted")")
        }
        #expect(try JSONParser.parse([quote, 0xF0, 0x9F, 0x98, 0x80, quote]) == .string("😀"))
    }

    @Test("nesting is limited to 64 levels, so deep input cannot exhaust the stack")
    func depthLimit() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try parse(ok) }
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(rejection(deep)?.reason.contains("deeper than 64") == true)
        let hostile = String(repeating: #"{"a":["#, count: 100_000)
        #expect(rejection(hostile)?.reason.contains("deeper than 64") == true)
    }

    @Test("the message names the byte offset")
    func message() {
        #expect(rejection("[1,]")?.message == "invalid JSON at byte 3: expected a value, found ']'")
    }
}

@Suite("JSON parser cost")
struct JSONParserCostTests {
    @Test(
        "100,000 distinct keys parse in linear time, keeping the first position and the last value")
    func manyKeys() throws {
        var text = "{"
        for key in 0..<100_000 { text += "\"k\(key)\":\(key)," }
        text += #""k0":-1,"k99999":-2}"#
        guard case .object(let object) = try JSONParser.parse(Array(text.utf8)) else {
            Issue.record("not an object")
            return
        }
        #expect(object.members.count == 100_000)
        #expect(object.keys.first == "k0" && object["k0"] == .number(-1))
        #expect(object.keys.last == "k99999" && object["k99999"] == .number(-2))
        #expect(object["k500"] == .number(500))
    }
}
