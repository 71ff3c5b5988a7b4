/// Parses the query parameters of the read endpoints: `q` (extra quantiles), `window` (a duration) and
/// `limit` (a count), each with a 400 that names the parameter, the value and the rule.
enum QueryText {
    /// The most extra quantiles one `q` may ask for.
    static let maximumQuantiles = 100

    /// One quantile asked for: its value and its canonical text, the key of `"quantiles"` in answers.
    struct Quantile: Sendable, Equatable {
        /// The canonical shortest decimal, e.g. `0.75` for `0.750`, `1` for `1.0`.
        var key: String
        /// The quantile, in [0, 1].
        var value: Double
    }

    /// Parses `q=0.5,0.75,0.999`: a comma-separated list of decimals in [0, 1].
    ///
    /// Each item is digits with an optional fraction (`0`, `0.5`, `1`, `1.000`); no sign, exponent or
    /// spaces. A quantile asked for twice (`0.5,0.50`) is answered once.
    /// - Returns: the distinct quantiles, in the order first asked.
    /// - Throws: 400 `invalid_request` naming the first bad item, or an empty list.
    static func quantiles(_ text: String) throws(APIError) -> [Quantile] {
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        guard items.count <= maximumQuantiles else {
            throw .invalidRequest(
                "q: asks for \(items.count) quantiles, more than the limit of \(maximumQuantiles).")
        }
        var result: [Quantile] = []
        for item in items {
            guard isDecimal(item), let value = Double(item), value >= 0, value <= 1 else {
                throw .invalidRequest(
                    "q: \(quoted(item)) is not a quantile: write decimals between 0 and 1 separated by commas "
                        + "(e.g. q=0.5,0.75,0.999).")
            }
            if !result.contains(where: { $0.value == value }) {
                result.append(Quantile(key: DurationText.plainDecimal(value), value: value))
            }
        }
        return result
    }

    /// Parses `window=30s` with ``DurationText``.
    /// - Returns: the window in ms, or nil when `text` is nil (the parameter is absent).
    /// - Throws: 400 `invalid_request` when it is present but not a positive duration.
    static func window(_ text: String?) throws(APIError) -> Double? {
        guard let text else { return nil }
        guard let milliseconds = DurationText.milliseconds(text) else {
            throw .invalidRequest(
                "window: \(quoted(text[...])) is not a duration: write \(DurationText.rule).")
        }
        return milliseconds
    }

    /// Parses `limit=100`: a whole number from 1 to `maximum`.
    /// - Parameters:
    ///   - text: the value, or nil when the parameter is absent.
    ///   - name: the parameter's name, for the message.
    ///   - defaultValue: the answer when absent.
    ///   - maximum: the largest accepted value.
    /// - Throws: 400 `invalid_request` when it is present but not a whole number in 1...`maximum`.
    static func limit(_ text: String?, name: String = "limit", default defaultValue: Int, maximum: Int)
        throws(APIError) -> Int
    {
        guard let text else { return defaultValue }
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy(isDigit), let value = Int(text),
            value >= 1, value <= maximum
        else {
            throw .invalidRequest(
                "\(name): \(quoted(text[...])) is not valid: it must be a whole number from 1 to \(maximum).")
        }
        return value
    }

    /// Digits, optionally followed by a point and more digits.
    private static func isDecimal(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy(isDigit) } && text.utf8.count <= 40
    }

    /// Whether `byte` is an ASCII digit.
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// A value quoted for a message, cut to 60 characters so that a hostile query cannot flood it.
    private static func quoted(_ text: Substring) -> String { MessageText.quoted(text, limit: 60) }
}
