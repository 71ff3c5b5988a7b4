import ArgumentParser
import SLOWatchService

/// `slowatch settings --markdown`: prints the README's settings table, rendered from the settings table,
/// so the README can be brought up to date after a setting is added or changed.
struct SettingsCommand: ParsableCommand {
    /// The command's name and help.
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Print every setting with its flag, environment variable, file key and default."
    )

    /// Whether to print the Markdown table the README holds (the only format so far).
    @Flag(help: "Print the README's Markdown table.")
    var markdown = false

    /// Prints the table.
    func run() throws {
        guard markdown else { throw ValidationError("Give --markdown: it is the only format so far.") }
        for line in SettingsMarkdown.lines() { print(line) }
    }
}
