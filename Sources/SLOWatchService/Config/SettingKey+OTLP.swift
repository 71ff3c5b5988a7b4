extension SettingKey {
    /// The table entry of ``otlpNameAttributes``; part of ``spec``.
    var otlpSpec: SettingSpec {
        SettingSpec(
            .attributeKeys, at: \.configuration.otlpNameAttributes, value: "keys",
            help: "OTLP attribute keys whose values are appended to the metric name, e.g. http.route",
            meaning: "OTLP attribute keys (comma-separated, a list in the file) whose values, when a "
                + "data point or its resource has them, are appended to the OTel metric name with a "
                + "`.` each, in this order (see docs/otlp.md); `none` for none",
            repeatable: true)
    }
}

extension SettingType where Value == [String] {
    /// Comma-separated attribute keys (each non-empty, without spaces), or `none` for none.
    package static var attributeKeys: Self {
        Self(
            rule: "comma-separated attribute keys, each 1 to 256 visible ASCII characters, or none",
            scalar: .textList, parse: OTLPNameAttributes.parse,
            wrap: { SettingValue.text($0.isEmpty ? "none" : $0.joined(separator: ",")) },
            unwrap: { if case .text(let value) = $0 { OTLPNameAttributes.parse(value) } else { nil } })
    }
}

/// The text of the ``SettingKey/otlpNameAttributes`` setting.
enum OTLPNameAttributes {
    /// The keys `text` lists (`none` or empty: none), or nil when one is empty, longer than 256 bytes,
    /// or holds a byte outside visible ASCII.
    @Sendable static func parse(_ text: String) -> [String]? {
        if text == "none" || text.isEmpty { return [] }
        var keys: [String] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let key = part.trimmingPrefixAndSuffixSpaces()
            guard !key.isEmpty, key.utf8.count <= 256, key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F })
            else { return nil }
            keys.append(key)
        }
        return keys
    }
}

extension Substring {
    /// The text without leading and trailing spaces.
    fileprivate func trimmingPrefixAndSuffixSpaces() -> String {
        String(self.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
