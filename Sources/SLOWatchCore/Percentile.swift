/// A percentile written as `pNN` or `pNN.N` (`p50`, `p95`, `p99.9`, `p100`), with its quantile.
public struct Percentile: Sendable, Hashable, CustomStringConvertible {
    /// The text as written, e.g. `p99.9`.
    public let text: String
    /// The quantile in (0, 1], e.g. 0.999 for `p99.9`.
    public let quantile: Double

    /// Parses `p` followed by 1 to 3 digits and at most one decimal; the value must be in (0, 100].
    /// - Throws: ``SLOError/invalidPercentile(_:)`` for anything else (`p0`, `p150`, `p99.99`, `95`).
    public init(parsing text: String) throws(SLOError) {
        guard let tenths = Self.tenths(of: text), tenths >= 1, tenths <= 1000 else {
            throw SLOError.invalidPercentile(text)
        }
        self.text = text
        // Dividing whole tenths by 1000 gives the nearest Double (0.999 for p99.9, not 0.9990000000000001).
        self.quantile = Double(tenths) / 1000
    }

    /// The common percentiles.
    public static let p50 = Percentile(text: "p50", tenths: 500)
    /// The 90th percentile.
    public static let p90 = Percentile(text: "p90", tenths: 900)
    /// The 95th percentile.
    public static let p95 = Percentile(text: "p95", tenths: 950)
    /// The 99th percentile.
    public static let p99 = Percentile(text: "p99", tenths: 990)
    /// The 99.9th percentile.
    public static let p999 = Percentile(text: "p99.9", tenths: 999)

    private init(text: String, tenths: Int) {
        self.text = text
        self.quantile = Double(tenths) / 1000
    }

    /// The text, e.g. `p95`.
    public var description: String { text }

    /// The value in tenths of a percent (`p99.9` → 999), or `nil` when the syntax is wrong.
    private static func tenths(of text: String) -> Int? {
        var bytes = text.utf8[...]
        guard bytes.popFirst() == UInt8(ascii: "p") else { return nil }
        var whole = 0
        var wholeDigits = 0
        while let byte = bytes.first, let digit = digit(byte) {
            bytes.removeFirst()
            whole = whole * 10 + digit
            wholeDigits += 1
            if wholeDigits > 3 { return nil }
        }
        guard wholeDigits > 0 else { return nil }
        guard let dot = bytes.popFirst() else { return whole * 10 }
        guard dot == UInt8(ascii: "."), bytes.count == 1, let fraction = bytes.first.flatMap(digit) else {
            return nil
        }
        return whole * 10 + fraction
    }

    private static func digit(_ byte: UInt8) -> Int? {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
