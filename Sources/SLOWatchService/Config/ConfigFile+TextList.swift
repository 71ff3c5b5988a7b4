extension ConfigFile {
    /// A list setting other than the Alertmanagers (``SettingKey/otlpNameAttributes``): a list of text
    /// scalars, or one scalar holding a comma-separated list, read as the flag's text (the items joined
    /// with commas) by the same parser.
    /// - Throws: the error of the first item that breaks the setting's rule (or holds a comma), or of the
    ///   whole value.
    static func textList(_ key: SettingKey, from node: ConfigValue) throws(ConfigError) -> ConfigSetting {
        var text: String
        if case .array = node.value {
            var items: [String] = []
            for item in try node.items(rule: "a list of \(key.spec.rule)") {
                let itemText = try item.text()
                guard !itemText.contains(","), key.parse(itemText) != nil else {
                    throw item.error(key.invalidValueMessage(itemText, source: item.name))
                }
                items.append(itemText)
            }
            text = items.joined(separator: ",")
            if text.isEmpty { text = "none" }
        } else {
            text = try node.text()
        }
        guard let value = key.parse(text) else {
            throw node.error(key.invalidValueMessage(text, source: key.fileKey))
        }
        return ConfigSetting(value: value, line: node.line)
    }
}
