extension SettingKey {
    /// The configuration file key, e.g. `checkInterval`.
    public var fileKey: String { rawValue }

    /// The flag, e.g. `--check-interval`.
    public var flag: String { "--" + words.joined(separator: "-") }

    /// The environment variable, e.g. `SLOWATCH_CHECK_INTERVAL`.
    public var environmentVariable: String { "SLOWATCH_" + words.joined(separator: "_").uppercased() }

    /// The lowercase words of the camelCase key: `checkInterval` → `check`, `interval`.
    private var words: [String] {
        var words: [String] = []
        var current = ""
        for character in rawValue {
            if character.isUppercase, !current.isEmpty {
                words.append(current)
                current = ""
            }
            current.append(character.lowercased())
        }
        words.append(current)
        return words
    }
}
