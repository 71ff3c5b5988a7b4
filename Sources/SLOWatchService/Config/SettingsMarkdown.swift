/// The settings table of the configuration reference (docs/configuration.md), rendered from the settings
/// table (``SettingKey/spec``), so that page can be regenerated (`slowatch settings --markdown`) and a test can fail when the two disagree.
package enum SettingsMarkdown {
    /// The header row and its separator.
    static let header = [
        "| flag | environment | file key | default | meaning |",
        "| --- | --- | --- | --- | --- |",
    ]

    /// The `--config` row: the file is not a setting of its own, but users look for it in the same table.
    static let configRow =
        "| `--config` | `\(SettingsResolver.configEnvironmentVariable)` | | none | a YAML or JSON configuration file |"

    /// The table's lines, without trailing newlines: the header, `--config`, then one row per setting in
    /// declaration order, with the built-in default as `--help` and `check-config` print it.
    package static func lines() -> [String] {
        let defaults = ResolvedSettings()
        var lines = header + [configRow]
        for key in SettingKey.allCases {
            let spec = key.spec
            let fileKey = spec.isFileKey ? "`\(key.fileKey)`" : "(never in the file)"
            lines.append(
                "| `\(key.flag)` | `\(key.environmentVariable)` | \(fileKey) | "
                    + "`\(defaults.value(of: key))` | \(spec.meaning) |")
        }
        return lines
    }
}
