import SLOWatchService

/// Adds the settings section to the `--help` text of the commands that take setting flags, since the
/// command-line library does not know those flags (``SettingOptions`` reads them by the settings table).
enum HelpText {
    /// The section titles, by the usage line that marks each command's help.
    private static let titles = [
        ("USAGE: \(ServeCommand.usage)", "Settings"),
        ("USAGE: \(CheckConfigCommand.usage)", "Settings (override the file, as for serve)"),
        ("USAGE: \(ExportOpenSLOCommand.usage)", "Settings (override the file, as for serve)"),
    ]

    /// `help` with the settings section before its `OPTIONS:` section, when it is the help of `serve` or
    /// `check-config`; nil for any other text (the version, another command's help).
    static func withSettings(_ help: String) -> String? {
        guard let title = titles.first(where: { help.contains($0.0) })?.1,
            let options = help.range(of: "\nOPTIONS:\n")
        else { return nil }
        let section = SettingsHelp.section(title: title)
        return help[..<options.lowerBound] + "\n" + section + "\n" + help[options.lowerBound...]
    }
}
