/// Everything about one setting but its name: its type and rule, where its value is stored, whether a
/// file may give it, and the texts `--help` and docs/configuration.md show. ``SettingKey/spec`` is the table.
///
/// The flag, the environment variable and the file key are derived from the name (see ``SettingKey``), and
/// the default is the value ``ResolvedSettings/init()`` holds, so none of them is written twice.
package struct SettingSpec: Sendable {
    /// The placeholder `--help` shows for the flag's value (`duration` in `--check-interval <duration>`);
    /// nil for a switch such as `--insecure`, which takes no value.
    package let valueName: String?
    /// One phrase for `--help`, without a final period.
    package let help: String
    /// The "meaning" column of docs/configuration.md's settings table (Markdown).
    package let meaning: String
    /// Whether the configuration file may give the setting (not the token: a secret does not belong in a
    /// file that is committed, shared and printed).
    package let isFileKey: Bool
    /// Whether the flag may be repeated, its values joined with commas (the list syntax).
    package let isRepeatable: Bool
    /// Completes "it must be …".
    package let rule: String
    /// How a configuration file must write the value.
    package let scalar: SettingScalar
    /// The value `text` stands for, or nil when it breaks ``rule``.
    package let parse: @Sendable (String) -> SettingValue?
    /// The setting's current value in `settings`.
    package let get: @Sendable (ResolvedSettings) -> SettingValue
    /// Stores `value` in `settings`; false, changing nothing, when `value` is of another type.
    package let set: @Sendable (inout ResolvedSettings, SettingValue) -> Bool

    /// Creates the entry of a setting of `type` stored at `path`.
    /// - Parameters:
    ///   - type: the setting's type and rule.
    ///   - path: where the value lives in ``ResolvedSettings``.
    ///   - value: the `--help` placeholder, or nil for a switch (a boolean flag without a value).
    ///   - help: one phrase for `--help`.
    ///   - meaning: the description in docs/configuration.md.
    ///   - inFile: whether the configuration file may give it.
    ///   - repeatable: whether the flag may be repeated (a list).
    package init<Value>(
        _ type: SettingType<Value>, at path: any WritableKeyPath<ResolvedSettings, Value> & Sendable,
        value: String?, help: String, meaning: String, inFile: Bool = true, repeatable: Bool = false
    ) {
        valueName = value
        self.help = help
        self.meaning = meaning
        isFileKey = inFile
        isRepeatable = repeatable
        rule = type.rule
        scalar = type.scalar
        parse = { text in type.parse(text).map(type.wrap) }
        get = { settings in type.wrap(settings[keyPath: path]) }
        set = { settings, value in
            guard let stored = type.unwrap(value) else { return false }
            settings[keyPath: path] = stored
            return true
        }
    }
}
