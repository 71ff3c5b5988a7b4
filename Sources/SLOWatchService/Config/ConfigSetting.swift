/// One setting read from a configuration file, with the line it is on.
public struct ConfigSetting: Sendable, Equatable {
    /// The parsed value.
    public let value: SettingValue
    /// The 1-based line of the key.
    public let line: Int

    /// Creates a setting.
    public init(value: SettingValue, line: Int) {
        self.value = value
        self.line = line
    }
}
