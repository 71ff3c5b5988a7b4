import ArgumentParser
import SLOWatchService

/// The flags that set the service's settings, one per ``SettingKey``; shared by `serve` and `check-config`.
///
/// The flags are not declared one by one: the command-line library hands over every argument it does not
/// recognise, and ``SettingFlags`` reads them by the settings table (``SettingKey/spec``), which also
/// renders their `--help` section (``SettingsHelp``). Each value is parsed by ``SettingsResolver`` with the
/// same rules as the environment and the configuration file.
struct SettingOptions: ParsableArguments {
    /// The setting flags as given, each `--name=value` or a switch (see ``SettingFlags/normalized(_:)``).
    @Argument(parsing: .allUnrecognized, help: ArgumentHelp(visibility: .private))
    var arguments: [String] = []

    /// Refuses an argument that is not a setting flag, or a flag without its value (exit status 64).
    func validate() throws {
        _ = try flags()
    }

    /// The flags that were given, by setting.
    /// - Throws: `ValidationError` for an argument that is not a setting flag, or a flag without its value.
    func flags() throws(ValidationError) -> [SettingKey: String] {
        do {
            return try SettingFlags.values(arguments)
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// Loads the configuration file at `configPath` (if any) and resolves every setting.
    /// - Throws: ``ConfigError`` for an unreadable or invalid file, or an invalid flag or environment value.
    func resolve(configPath: String?, environment: [String: String]) throws(ConfigError) -> (
        settings: ResolvedSettings, file: ConfigFile?
    ) {
        let file = try configPath.map { path throws(ConfigError) in try ConfigFile.load(path: path) }
        // `validate()` has refused invalid flags before any command runs.
        let flags = (try? self.flags()) ?? [:]
        let resolver = SettingsResolver(flags: flags, environment: environment, file: file)
        return (try resolver.resolve(), file)
    }
}
