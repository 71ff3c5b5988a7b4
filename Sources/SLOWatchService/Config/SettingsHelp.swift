/// The settings section of `--help`, rendered from the settings table in the layout the command-line
/// library uses for its own options: the flag and its value placeholder, then the help phrase with the
/// default and the environment variable, wrapped to 80 columns.
package enum SettingsHelp {
    /// The column the help text starts at, and the width it wraps to (in characters).
    private static let (helpColumn, width) = (26, 79)

    /// `--check-interval <duration>`, or `--insecure` for a switch.
    package static func label(_ key: SettingKey) -> String {
        key.spec.valueName.map { "\(key.flag) <\($0)>" } ?? key.flag
    }

    /// `How often SLOs are checked, e.g. 500ms, 5s, 1m (default 5s; SLOWATCH_CHECK_INTERVAL).`
    package static func text(_ key: SettingKey) -> String {
        "\(key.spec.help) (default \(ResolvedSettings().value(of: key)); \(key.environmentVariable))."
    }

    /// The section: `title` (upper-cased, with a colon), then one entry per setting.
    /// - Parameter title: the section title, e.g. `Settings`.
    package static func section(title: String) -> String {
        var lines = ["\(title.uppercased()):"]
        for key in SettingKey.allCases {
            let label = "  " + label(key)
            let wrapped = wrap(text(key), width: width - helpColumn)
            let indent = String(repeating: " ", count: helpColumn)
            if label.count + 2 <= helpColumn {
                let padding = String(repeating: " ", count: helpColumn - label.count)
                lines.append(label + padding + wrapped[0])
                lines += wrapped.dropFirst().map { indent + $0 }
            } else {
                lines.append(label)
                lines += wrapped.map { indent + $0 }
            }
        }
        return lines.joined(separator: "\n")
    }

    /// `text` broken at spaces into lines of at most `width` characters (a longer word stands alone).
    private static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        lines.append(current)
        return lines
    }
}
