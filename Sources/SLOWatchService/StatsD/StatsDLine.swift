/// One well-formed StatsD line, `name:value[:value…]|type[|@rate][|#tags]`, as ranges into its bytes.
///
/// The parser checked every part before making it, so recording it cannot fail for a reason the line
/// carries; the ranges are only valid for the buffer the line was parsed from.
struct StatsDLine: Sendable, Equatable {
    /// The metric name's byte offsets; it follows the core's metric name rule.
    var name: Range<Int>
    /// The byte offsets of the values, `12.5` or DogStatsD's packed `12.5:13:9`.
    var values: Range<Int>
    /// How many values ``values`` holds (1 or more).
    var valueCount: Int
    /// The type; a line of a type that is not a sample (``StatsDMetricType/isSample``) has unchecked
    /// values (a set's members are free text).
    var type: StatsDMetricType

    /// The metric name.
    func name(in line: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: line[name]), as: UTF8.self)
    }

    /// Calls `body` with each value, in line order. Only for sample types, whose values the parser
    /// checked to be finite numbers.
    func forEachValue(in line: UnsafeBufferPointer<UInt8>, _ body: (Double) -> Void) {
        var start = values.lowerBound
        while start <= values.upperBound {
            var end = start
            while end < values.upperBound, line[end] != UInt8(ascii: ":") { end += 1 }
            if let value = StatsDLineParser.number(UnsafeBufferPointer(rebasing: line[start..<end])) {
                body(value)
            }
            start = end + 1
        }
    }
}
