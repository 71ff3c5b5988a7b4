import SeededRandom

/// Generates random JSON documents, and mutations of them, from a seed.
///
/// Numbers are written in every grammar form (signs, fractions, exponents, up to 17 significant digits);
/// strings mix ASCII, escapes, surrogate pairs and multi-byte UTF-8. Every number's text is also checked
/// against Swift's `Double(String)` by ``JSONParserTests``.
struct JSONDocumentGenerator {
    /// The generator's state; copy it back to continue the sequence.
    var random: SplitMix64

    /// A document: a value (any type at the top level) with random whitespace around the tokens.
    mutating func document() -> String {
        space() + value(depth: 0) + space()
    }

    private mutating func space() -> String {
        let choices = ["", "", "", " ", "\n", "\t ", "\r\n"]
        return choices[Int(random.next() % UInt64(choices.count))]
    }

    private mutating func value(depth: Int) -> String {
        let kind = Int(random.next() % (depth >= 4 ? 4 : 6))
        switch kind {
        case 0: return number()
        case 1: return string()
        case 2: return ["true", "false", "null"][Int(random.next() % 3)]
        case 3: return number()
        case 4:
            let count = Int(random.next() % 5)
            let elements = (0..<count).map { _ in space() + value(depth: depth + 1) + space() }
            return "[" + elements.joined(separator: ",") + "]"
        default:
            let count = Int(random.next() % 5)
            let members = (0..<count).map { _ in
                space() + string() + space() + ":" + space() + value(depth: depth + 1) + space()
            }
            return "{" + members.joined(separator: ",") + "}"
        }
    }

    /// A number in the JSON grammar.
    mutating func number() -> String {
        var text = random.next() % 3 == 0 ? "-" : ""
        let digits = 1 + Int(random.next() % 17)
        let integerDigits = random.next() % 4 == 0 ? 1 : 1 + Int(random.next() % UInt64(digits))
        let first = random.next() % 5 == 0 ? 0 : 1 + random.next() % 9
        text += String(first)
        if first != 0 {
            for _ in 1..<integerDigits { text += String(random.next() % 10) }
        }
        if random.next() % 2 == 0, digits > integerDigits {
            text += "."
            for _ in 0..<(digits - integerDigits) { text += String(random.next() % 10) }
        }
        if random.next() % 3 == 0 {
            text += ["e", "E"][Int(random.next() % 2)] + ["", "+", "-"][Int(random.next() % 3)]
            // Up to 17 integer digits and an exponent below 290 keep every number finite.
            text += String(random.next() % 290)
        }
        return text
    }

    /// A quoted string with escapes and non-ASCII characters.
    mutating func string() -> String {
        let pieces = [
            "a", "Z", "0", " ", ".", "_", "é", "漢", "😀", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\b", "\\f",
            "\\r", "\\u00e9", "\\u6F22", "\\ud83d\\ude00", "\\u0001", "checkout.latency",
        ]
        let count = Int(random.next() % 8)
        return "\"" + (0..<count).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
            + "\""
    }

    /// Applies 1–3 random edits: replace, insert or delete a byte, truncate, or splice in a hostile token.
    mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        let tokens: [[UInt8]] = [
            Array(",".utf8), Array("]".utf8), Array("}".utf8), Array("\"".utf8), Array("\\".utf8),
            Array("\\u".utf8), Array("\\ud800".utf8), Array("\\udc00".utf8), Array("1e999".utf8),
            Array("-".utf8), Array(".".utf8), Array("e".utf8), Array("0".utf8), [0x00], [0x1F], [0x7F],
            [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF],
            [0xEF, 0xBB, 0xBF], Array("nul".utf8), Array("[".utf8), Array("{".utf8), Array(":".utf8),
        ]
        for _ in 0...(random.next() % 3) {
            let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count + 1))
            switch random.next() % 5 {
            case 0 where position < bytes.count: bytes[position] = UInt8(truncatingIfNeeded: random.next())
            case 1 where position < bytes.count: bytes.remove(at: position)
            case 2: bytes = Array(bytes[..<position])
            default: bytes.insert(contentsOf: tokens[Int(random.next() % UInt64(tokens.count))], at: position)
            }
        }
        return bytes
    }
}
