/// Suggests the known key a mistyped one most likely meant (`chekInterval` → `checkInterval`).
package enum KeySuggestion {
    /// The known key closest to `key` by edit distance (case ignored), if it is within a third of the
    /// key's length (at least 1, at most 3 edits), else nil; the first of equally close keys wins.
    package static func closest(to key: String, in known: [String]) -> String? {
        let typed = Array(key.lowercased())
        let limit = min(3, max(1, typed.count / 3))
        var best: (key: String, distance: Int)?
        for candidate in known {
            let distance = editDistance(typed, Array(candidate.lowercased()))
            if distance <= limit, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.key
    }

    /// The Levenshtein distance: insertions, deletions and substitutions, each costing 1.
    private static func editDistance(_ lhs: [Character], _ rhs: [Character]) -> Int {
        guard !lhs.isEmpty else { return rhs.count }
        guard !rhs.isEmpty else { return lhs.count }
        var previous = Array(0...rhs.count)
        var current = [Int](repeating: 0, count: rhs.count + 1)
        for (i, left) in lhs.enumerated() {
            current[0] = i + 1
            for (j, right) in rhs.enumerated() {
                current[j + 1] = min(
                    previous[j + 1] + 1, current[j] + 1, previous[j] + (left == right ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[rhs.count]
    }
}
