/// Writes compact JSON into a byte array, one token at a time.
///
/// Commas are inserted automatically: a key or value that follows another member gets one. Doubles
/// that are whole and within ±2^53 are written without a fraction (`60`, `1764393600000`); others use
/// Swift's shortest round-tripping form (`12.5`, `1e-07`). NaN and infinities, which JSON cannot
/// express, are written as `null`.
struct JSONWriter {
    /// The JSON written so far, UTF-8.
    private(set) var bytes: [UInt8]

    /// Creates a writer.
    /// - Parameter capacity: bytes to reserve up front.
    init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// `{`
    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
    }

    /// `}`
    mutating func endObject() { bytes.append(UInt8(ascii: "}")) }

    /// `[`
    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
    }

    /// `]`
    mutating func endArray() { bytes.append(UInt8(ascii: "]")) }

    /// `"key":`
    mutating func key(_ key: String) {
        separate()
        appendQuoted(key)
        bytes.append(UInt8(ascii: ":"))
    }

    /// A quoted, escaped string.
    mutating func string(_ value: String) {
        separate()
        appendQuoted(value)
    }

    /// A number; `null` when not finite.
    mutating func number(_ value: Double) {
        separate()
        Self.appendNumber(value, to: &bytes)
    }

    /// A number, or `null` for nil or a non-finite value.
    mutating func number(_ value: Double?) {
        guard let value else { return null() }
        number(value)
    }

    /// An integer.
    mutating func integer<T: BinaryInteger>(_ value: T) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    /// `true` or `false`.
    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// `null`
    mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
    }

    /// `{"<key>":[…]}`, the shape of every list answer (`{"metrics":[…]}`, `{"slos":[…]}`, …): an
    /// object whose one member is an array, `element` writing each element in order.
    mutating func objectWithArray<Elements: Sequence>(
        _ key: String, _ elements: Elements, element: (Elements.Element, inout JSONWriter) -> Void
    ) {
        beginObject()
        self.key(key)
        beginArray()
        for item in elements { element(item, &self) }
        endArray()
        endObject()
    }

    /// Bytes that already are one complete JSON value (for example a cached encoding).
    mutating func raw(_ json: [UInt8]) {
        separate()
        bytes.append(contentsOf: json)
    }

    /// Adds a comma when the previous token ended a value or member.
    private mutating func separate() {
        guard let last = bytes.last else { return }
        switch last {
        case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: ":"): return
        default: bytes.append(UInt8(ascii: ","))
        }
    }

    /// Appends `text` quoted and escaped (RFC 8259): `"` and `\` are escaped, LF, CR and tab as `\n`,
    /// `\r`, `\t`, every other control character and DEL (0x7F) as `\u00XX`; all other bytes,
    /// including non-ASCII UTF-8, are copied as they are. The output never holds a raw control
    /// character, so it is safe on one line of a log or an SSE `data:` field.
    private mutating func appendQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
            case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
            case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20, 0x7F:
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 15)])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Lowercase hexadecimal digits, for `\u00XX` escapes.
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// 2^53: every whole Double below this magnitude is an exact integer.
    private static let exactIntegerLimit = 9_007_199_254_740_992.0

    /// Appends `value` as a JSON number (`null` when not finite).
    static func appendNumber(_ value: Double, to bytes: inout [UInt8]) {
        guard value.isFinite else {
            bytes.append(contentsOf: "null".utf8)
            return
        }
        if value == value.rounded(.towardZero), abs(value) < exactIntegerLimit {
            // -0.0 is written as 0: JSON readers would drop the sign anyway.
            bytes.append(contentsOf: String(Int64(value)).utf8)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }
}
