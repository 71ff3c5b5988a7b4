/// Parses byte sizes written as a whole number of bytes (`1048576`) or a number and a unit
/// (`512KiB`, `1MiB`, `1.5MiB`, `1MB`, `64B`).
///
/// `KiB`, `MiB` and `GiB` are binary (1024, 1024², 1024³); `kB`/`KB`, `MB` and `GB` are decimal (1000,
/// 1000², 1000³), as the SI and IEC define them. Units are matched without regard to case. The result
/// must be a whole number of bytes, at least 1.
enum ByteSizeText {
    /// The accepted units, longest first so that `MiB` is not read as `B`, with their size in bytes.
    private static let units: [(suffix: String, bytes: Double)] = [
        ("kib", 1_024), ("mib", 1_048_576), ("gib", 1_073_741_824),
        ("kb", 1_000), ("mb", 1_000_000), ("gb", 1_000_000_000),
        ("b", 1),
    ]

    /// The rule, for error messages.
    static let rule =
        "a whole number of bytes, or a number followed by B, KiB, MiB or GiB (1024-based) or kB, MB or GB "
        + "(1000-based), e.g. 1048576, 512KiB, 1MiB"

    /// The size in bytes, or nil when `text` is not a positive size in the accepted spellings.
    /// - Parameter text: e.g. `1MiB`; no spaces, no sign.
    static func bytes(_ text: String) -> Int? {
        let lowered = text.lowercased()
        var number = Substring(lowered)
        var multiplier = 1.0
        if let unit = units.first(where: { lowered.hasSuffix($0.suffix) }) {
            number = number.dropLast(unit.suffix.count)
            multiplier = unit.bytes
        }
        guard !number.isEmpty, number.utf8.first != UInt8(ascii: "."), number.utf8.last != UInt8(ascii: "."),
            number.utf8.allSatisfy({
                ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".")
            }),
            let value = Double(number)
        else { return nil }
        let bytes = value * multiplier
        // 2^53 keeps the conversion exact; no body limit comes anywhere near it.
        guard bytes >= 1, bytes < 9_007_199_254_740_992, bytes == bytes.rounded() else { return nil }
        return Int(bytes)
    }

    /// Writes `bytes` in the largest binary unit that keeps it whole (`1048576` → `1MiB`), else as `NB`.
    static func format(bytes: Int) -> String {
        for (suffix, size) in [("GiB", 1_073_741_824), ("MiB", 1_048_576), ("KiB", 1_024)]
        where bytes >= size && bytes % size == 0 {
            return "\(bytes / size)\(suffix)"
        }
        return "\(bytes)B"
    }
}
