/// Compares a runnable block's standard output with the output block its page shows.
///
/// The rules (docs/runnable-examples.md): lines are compared one by one after trimming trailing spaces
/// and tabs, and trailing empty lines are ignored on both sides; within a line `…` matches any run of
/// characters, possibly empty; a line that is only `…` matches any number of lines, possibly none.
enum DocOutputMatcher {
    /// The wildcard character, U+2026 HORIZONTAL ELLIPSIS.
    static let wildcard: Character = "…"

    /// Where the output first departs from the page.
    struct Mismatch: Equatable, Sendable, CustomStringConvertible {
        /// The 1-based line of the expected block that could not be matched, or nil when every expected
        /// line matched and the output has more lines.
        let expectedLine: Int?
        /// That expected line's text.
        let expected: String?
        /// The 1-based line of the output where matching stopped.
        let actualLine: Int
        /// That output line's text, or nil when the output ended first.
        let actual: String?

        var description: String {
            let got = actual.map { "'\($0)'" } ?? "the end of the output"
            guard let expectedLine, let expected else {
                return "output line \(actualLine) is more than the page shows: \(got)"
            }
            return
                "expected line \(expectedLine) '\(expected)' does not match output line \(actualLine): \(got)"
        }
    }

    /// The lines of `text` as the comparison sees them: split at newlines, trailing spaces and tabs
    /// removed, trailing empty lines dropped.
    static func lines(of text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var line = Substring(line)
            while let last = line.last, last == " " || last == "\t" || last == "\r" { line = line.dropLast() }
            return String(line)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// Whether one output line matches one expected line, `…` matching any run of characters.
    static func lineMatches(_ expected: String, _ actual: String) -> Bool {
        let parts = expected.split(separator: wildcard, omittingEmptySubsequences: false)
        guard parts.count > 1, let first = parts.first, let last = parts.last else {
            return expected == actual
        }
        guard actual.hasPrefix(first) else { return false }
        var rest = actual.dropFirst(first.count)
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let found = rest.firstRange(of: part) else { return false }
            rest = rest[found.upperBound...]
        }
        return rest.hasSuffix(last)
    }

    /// Compares `actual` (a block's standard output) with the `expected` lines of the page's output block.
    /// - Returns: nil when they match, else where they first depart.
    static func mismatch(expected rawExpected: [String], actual rawActual: String) -> Mismatch? {
        let expected = lines(of: rawExpected.joined(separator: "\n"))
        let actual = lines(of: rawActual)
        let width = actual.count + 1
        // reach[i * width + j]: the first i expected lines match the first j output lines.
        var reach = [Bool](repeating: false, count: (expected.count + 1) * width)
        reach[0] = true
        for (i, pattern) in expected.enumerated() {
            var seen = false
            for j in 0...actual.count {
                if pattern == String(wildcard) {
                    seen = seen || reach[i * width + j]
                    reach[(i + 1) * width + j] = seen
                } else if j < actual.count, reach[i * width + j], lineMatches(pattern, actual[j]) {
                    reach[(i + 1) * width + j + 1] = true
                }
            }
        }
        if reach[expected.count * width + actual.count] { return nil }
        // The furthest expected line any alignment reached, and the earliest output line it reached it at.
        for i in stride(from: expected.count, through: 0, by: -1) {
            guard let j = (0...actual.count).first(where: { reach[i * width + $0] }) else { continue }
            let actualText = j < actual.count ? actual[j] : nil
            guard i < expected.count else {
                return Mismatch(expectedLine: nil, expected: nil, actualLine: j + 1, actual: actualText)
            }
            return Mismatch(expectedLine: i + 1, expected: expected[i], actualLine: j + 1, actual: actualText)
        }
        return Mismatch(expectedLine: 1, expected: expected.first, actualLine: 1, actual: actual.first)
    }
}
