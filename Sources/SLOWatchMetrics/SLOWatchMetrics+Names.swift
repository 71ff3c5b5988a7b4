extension SLOWatchMetrics {
    /// The most characters a registry metric name holds.
    private static let maximumNameLength = 128

    /// The registry metric that a swift-metrics label and its dimensions land in.
    ///
    /// The label comes first, then each dimension as `:key:value`, in the order given, so
    /// `Timer(label: "checkout", dimensions: [("region", "eu")])` lands in `checkout:region:eu`.
    /// Characters a metric name may not hold (anything but letters, digits, `_`, `.`, `:` and `-`)
    /// become `_`, a leading `_`, `.`, `:` or `-` gets an `m` before it, and the name is cut to 128
    /// characters, so every label lands somewhere valid.
    public static func metricName(label: String, dimensions: [(String, String)]) -> String {
        var raw = label
        for (key, value) in dimensions { raw += ":\(key):\(value)" }
        var name = String(String.UnicodeScalarView(raw.unicodeScalars.map { isAllowed($0) ? $0 : "_" }))
        if let first = name.unicodeScalars.first, !isAlphanumeric(first) {
            name = "m" + name
        } else if name.isEmpty {
            name = "m"
        }
        return String(name.prefix(maximumNameLength))
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        isAlphanumeric(scalar) || scalar == "_" || scalar == "." || scalar == ":" || scalar == "-"
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }
}
