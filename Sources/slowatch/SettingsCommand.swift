import ArgumentParser
import SLOWatchService

/// `slowatch settings --markdown`: prints the settings table of the configuration reference
/// (docs/configuration.md), rendered from the settings table, so that page can be brought up to date
/// after a setting is added or changed.
struct SettingsCommand: ParsableCommand {
    /// The command's name and help.
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Print every setting with its flag, environment variable, file key and default."
    )

    /// Whether to print the Markdown table docs/configuration.md holds (the only format so far).
    @Flag(help: "Print the configuration reference's Markdown table (docs/configuration.md).")
    var markdown = false

    /// Prints the table.
    func run() throws {
        guard markdown else { throw ValidationError("Give --markdown: it is the only format so far.") }
        for line in SettingsMarkdown.lines() { print(line) }
    }
}
