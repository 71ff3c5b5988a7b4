import SLOWatchCore

/// Reads one StatsD line: `name:value|type`, optionally followed by `|@rate` and `|#tags` in either
/// order, one each.
///
/// The rules, shared by the UDP/TCP listener and `POST /samples` with `text/plain`:
/// - A trailing `\r` is dropped; an empty line is blank (nil), neither counted nor refused.
/// - The name runs to the first `:` and must follow the core's metric name rule (so a name holding a
///   `:` cannot be sent over StatsD, as in every StatsD server).
/// - The value is a decimal number (`12`, `12.5`, `.5`, `1e3`, with an optional `-`), finite as a
///   Double. DogStatsD's packed form `name:1:2:3|d` gives one sample per value.
/// - A gauge value with a sign (`+3`, `-3`) is refused as bad: StatsD reads it as a change to the
///   previous gauge, and slowatch keeps measurements, not a running gauge.
/// - The sample rate `@r` needs 0 < r ≤ 1 and is otherwise ignored: each value is recorded once, as a
///   percentile over measurements must not weigh one sample as 1/r samples.
/// - Tags `#…` are accepted and ignored.
/// - `|c` and `|s` are well formed but refused as ``StatsDLineFault/notSample(_:)``; any other type or
///   field is bad.
enum StatsDLineParser {
    /// Parses one line (without its `\n`).
    /// - Returns: the line's parts, or nil for a blank line.
    /// - Throws: the first rule the line breaks.
    static func parse(_ line: UnsafeBufferPointer<UInt8>) throws(StatsDLineFault) -> StatsDLine? {
        var end = line.count
        if end > 0, line[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        guard end > 0 else { return nil }
        guard let colon = index(of: UInt8(ascii: ":"), in: line, 0..<end) else { throw .missingColon }
        guard colon > 0 else { throw .emptyName }
        guard MetricName.isValid(bytes: UnsafeBufferPointer(rebasing: line[0..<colon])) else {
            throw .invalidName(text(line, 0..<colon))
        }
        guard let bar = index(of: UInt8(ascii: "|"), in: line, colon + 1..<end) else { throw .missingType }
        let typeEnd = index(of: UInt8(ascii: "|"), in: line, bar + 1..<end) ?? end
        guard let type = StatsDMetricType(field: UnsafeBufferPointer(rebasing: line[bar + 1..<typeEnd]))
        else {
            throw .unknownType(text(line, bar + 1..<typeEnd))
        }
        try checkFields(line, typeEnd..<end)
        guard type.isSample else { throw .notSample(type) }
        let values = colon + 1..<bar
        let count = try checkValues(line, values, type: type)
        return StatsDLine(name: 0..<colon, values: values, valueCount: count, type: type)
    }

    /// The value of number text: an optional sign, digits with an optional fraction (at least one digit
    /// in all), and an optional exponent.
    /// - Returns: the Double, or nil when the text breaks that grammar or overflows (`1e999`).
    static func number(_ text: UnsafeBufferPointer<UInt8>) -> Double? {
        var index = 0
        if index < text.count, text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
            index += 1
        }
        var digits = 0
        while index < text.count, isDigit(text[index]) { (index, digits) = (index + 1, digits + 1) }
        if index < text.count, text[index] == UInt8(ascii: ".") {
            index += 1
            while index < text.count, isDigit(text[index]) { (index, digits) = (index + 1, digits + 1) }
        }
        guard digits > 0 else { return nil }
        if index < text.count, text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E") {
            index += 1
            if index < text.count, text[index] == UInt8(ascii: "-") || text[index] == UInt8(ascii: "+") {
                index += 1
            }
            let exponentStart = index
            while index < text.count, isDigit(text[index]) { index += 1 }
            guard index > exponentStart else { return nil }
        }
        guard index == text.count else { return nil }
        return JSONNumberText.double(text)
    }

    /// Checks the fields after the type: at most one `@rate` (0 < rate ≤ 1) and one `#tags`.
    /// - Parameter fields: from the `|` after the type to the line's end (possibly empty).
    private static func checkFields(_ line: UnsafeBufferPointer<UInt8>, _ fields: Range<Int>)
        throws(StatsDLineFault)
    {
        var sawRate = false
        var sawTags = false
        var start = fields.lowerBound
        while start < fields.upperBound {
            // `start` is at a `|`; the field runs to the next one.
            let fieldStart = start + 1
            let fieldEnd =
                index(of: UInt8(ascii: "|"), in: line, fieldStart..<fields.upperBound) ?? fields.upperBound
            let first = fieldStart < fieldEnd ? line[fieldStart] : 0
            if first == UInt8(ascii: "@"), !sawRate {
                sawRate = true
                let rate = number(UnsafeBufferPointer(rebasing: line[fieldStart + 1..<fieldEnd]))
                guard let rate, rate > 0, rate <= 1 else {
                    throw .invalidRate(text(line, fieldStart..<fieldEnd))
                }
            } else if first == UInt8(ascii: "#"), !sawTags {
                sawTags = true
            } else {
                throw .unexpectedField(text(line, fieldStart..<fieldEnd))
            }
            start = fieldEnd
        }
    }

    /// Checks each `:`-separated value of a sample line.
    /// - Returns: how many values there are.
    private static func checkValues(
        _ line: UnsafeBufferPointer<UInt8>, _ values: Range<Int>, type: StatsDMetricType
    ) throws(StatsDLineFault) -> Int {
        var count = 0
        var start = values.lowerBound
        while start <= values.upperBound {
            let end = index(of: UInt8(ascii: ":"), in: line, start..<values.upperBound) ?? values.upperBound
            let value = UnsafeBufferPointer(rebasing: line[start..<end])
            if type == .gauge, let sign = value.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-")
            {
                throw .signedGauge(text(line, start..<end))
            }
            guard number(value) != nil else { throw .invalidValue(text(line, start..<end)) }
            count += 1
            start = end + 1
        }
        return count
    }

    /// The first offset of `byte` in `range` of `line`, or nil.
    private static func index(of byte: UInt8, in line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>)
        -> Int?
    {
        var offset = range.lowerBound
        while offset < range.upperBound {
            if line[offset] == byte { return offset }
            offset += 1
        }
        return nil
    }

    /// The bytes of `range` as text for a message, cut to 150 bytes (the messages cut it further, marking the cut) (any invalid UTF-8 replaced).
    private static func text(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        let shown = range.lowerBound..<min(range.upperBound, range.lowerBound + 150)
        return String(decoding: UnsafeBufferPointer(rebasing: line[shown]), as: UTF8.self)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
