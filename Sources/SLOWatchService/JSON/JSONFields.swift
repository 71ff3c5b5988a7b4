/// One JSON object of a request body, read field by field with typed accessors whose errors name the
/// field's path and the rule it broke: `samples[3].value: must be a finite number, got string.`
///
/// Optional accessors treat `null` like an absent field, so a client that writes `"window": null`
/// means the same as one that leaves `window` out. Fields the accessors are not asked about are
/// ignored, which is what "unknown fields are ignored" means for every body of the API.
struct JSONFields {
    /// The object's members.
    let object: JSONObject
    /// Where the object sits in the document, for messages: empty for the body itself, `samples[3]`
    /// for an element of a batch.
    let path: String

    /// Wraps an object.
    /// - Parameters:
    ///   - object: the members.
    ///   - path: the object's place in the document (empty for the body).
    init(_ object: JSONObject, path: String = "") {
        self.object = object
        self.path = path
    }

    /// Wraps `value`, which must be an object.
    /// - Parameters:
    ///   - value: any JSON value.
    ///   - path: its place in the document, e.g. `samples[3]` (empty for the body).
    ///   - expected: what the object should be, for the message, e.g. `a sample object`.
    /// - Throws: 400 `invalid_request` naming `path` when `value` is not an object.
    init(_ value: JSONValue, path: String, expected: String = "a JSON object") throws(APIError) {
        guard case .object(let object) = value else {
            let place = path.isEmpty ? "The body" : path
            throw .invalidRequest("\(place): must be \(expected), got \(value.typeName).")
        }
        self.init(object, path: path)
    }

    /// The path of member `key`, as messages write it: `value` or `samples[3].value`.
    func path(of key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The raw value of `key`; nil when absent or `null`.
    func value(_ key: String) -> JSONValue? {
        guard let value = object[key], value != .null else { return nil }
        return value
    }

    // MARK: Strings

    /// The string at `key`, or nil when absent or `null`.
    /// - Parameter maximumLength: the most Unicode code points accepted.
    /// - Throws: 400 when the value is not a string or is longer than `maximumLength`.
    func string(_ key: String, maximumLength: Int = .max) throws(APIError) -> String? {
        guard let value = value(key) else { return nil }
        guard case .string(let text) = value else { throw mismatch(key, expected: "a string", got: value) }
        // Code points, as JSON Schema's maxLength counts: a grapheme count would let one "character"
        // with thousands of combining marks through.
        let length = text.unicodeScalars.count
        guard length <= maximumLength else {
            throw .invalidRequest(
                "\(path(of: key)): must be at most \(maximumLength) characters (code points), got \(length).")
        }
        return text
    }

    /// The string at `key`.
    /// - Throws: 400 when it is absent, `null`, not a string, or longer than `maximumLength`.
    func requiredString(_ key: String, maximumLength: Int = .max) throws(APIError) -> String {
        guard let text = try string(key, maximumLength: maximumLength) else {
            throw missing(key, expected: "a string")
        }
        return text
    }

    // MARK: Numbers

    /// The number at `key` (always finite: the parser refuses numbers that overflow), or nil when
    /// absent or `null`.
    /// - Throws: 400 when the value is not a number.
    func number(_ key: String) throws(APIError) -> Double? {
        guard let value = value(key) else { return nil }
        guard case .number(let number) = value, number.isFinite else {
            throw mismatch(key, expected: "a finite number", got: value)
        }
        return number
    }

    /// The number at `key`.
    /// - Throws: 400 when it is absent, `null` or not a number.
    func requiredNumber(_ key: String) throws(APIError) -> Double {
        guard let number = try number(key) else { throw missing(key, expected: "a finite number") }
        return number
    }

    /// The whole number at `key`, or nil when absent or `null`.
    /// - Throws: 400 when the value is not a number, has a fraction, or is not below 2^53 in magnitude
    ///   (from there on JSON numbers stop being exact integers: 2^53 + 1 reads as 2^53).
    func integer(_ key: String) throws(APIError) -> Int? {
        guard let value = value(key) else { return nil }
        guard case .number(let number) = value else {
            throw mismatch(key, expected: "a whole number", got: value)
        }
        guard number == number.rounded(.towardZero) else {
            throw .invalidRequest(
                "\(path(of: key)): must be a whole number, got \(JSONFields.describe(number)).")
        }
        guard abs(number) < Self.exactIntegerLimit else {
            throw .invalidRequest(
                "\(path(of: key)): must be a whole number below 2^53 (9007199254740992) in magnitude, where "
                    + "JSON numbers are still exact, got \(JSONFields.describe(number)).")
        }
        return Int(number)
    }

    // MARK: Messages

    /// 2^53: every whole number up to this magnitude is exact in a Double.
    private static let exactIntegerLimit = 9_007_199_254_740_992.0

    /// `<path>: is required and must be <expected>.`
    func missing(_ key: String, expected: String) -> APIError {
        .invalidRequest("\(path(of: key)): is required and must be \(expected).")
    }

    /// `<path>: must be <expected>, got <type>.`
    func mismatch(_ key: String, expected: String, got value: JSONValue) -> APIError {
        .invalidRequest("\(path(of: key)): must be \(expected), got \(value.typeName).")
    }

    /// A number as the client most likely wrote it: `12`, `1.5`, `1e+300`.
    static func describe(_ number: Double) -> String {
        if number == number.rounded(.towardZero), abs(number) < 1e15 { return String(Int64(number)) }
        return number.description
    }
}

extension JSONFields: DefinitionFields {
    func requiredString(_ key: String) throws(APIError) -> String {
        try requiredString(key, maximumLength: .max)
    }

    func invalid(_ key: String?, _ message: String) -> APIError { .invalidRequest(message) }

    func objectList(_ key: String) throws(APIError) -> [JSONFields]? {
        guard let value = value(key) else { return nil }
        guard case .array(let items) = value else { throw mismatch(key, expected: "an array", got: value) }
        var list: [JSONFields] = []
        for (index, item) in items.enumerated() {
            list.append(try JSONFields(item, path: "\(path(of: key))[\(index)]"))
        }
        return list
    }
}
