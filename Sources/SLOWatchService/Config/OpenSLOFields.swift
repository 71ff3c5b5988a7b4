/// One mapping of an OpenSLO document, its keys checked against the ones slowatch knows, read by key:
/// a missing required key is an error at the mapping's line, naming the key's path.
struct OpenSLOFields {
    /// The mapping, for its line and path.
    let value: ConfigValue
    /// The members, by key.
    private let members: [String: ConfigValue]

    /// Reads `value`, which must be a mapping whose keys are all in `allowed`.
    /// - Throws: ``ConfigError`` when it is not a mapping, or at the line of the first unknown key.
    init(_ value: ConfigValue, allowed: [String]) throws(ConfigError) {
        self.value = value
        let context = value.name.isEmpty ? "the OpenSLO document" : value.name
        var members: [String: ConfigValue] = [:]
        for (key, member) in try value.members(allowed: allowed, context: context) { members[key] = member }
        self.members = members
    }

    /// The value at `key`, or nil when it is absent or null.
    func optional(_ key: String) -> ConfigValue? {
        guard let member = members[key] else { return nil }
        if case .null = member.value { return nil }
        return member
    }

    /// The value at `key`.
    /// - Throws: ``ConfigError`` at the mapping's line when it is absent or null.
    func required(_ key: String) throws(ConfigError) -> ConfigValue {
        guard let member = optional(key) else {
            let path = value.name.isEmpty ? key : "\(value.name).\(key)"
            throw value.keyError("\(path) is required in an OpenSLO SLO that slowatch runs.")
        }
        return member
    }
}

extension ConfigValue {
    /// An error at the line of this value's key (`ratioMetric:`), where a mapping or list value starts on
    /// the next line; at the value's own line for a list item or the document.
    func keyError(_ message: String) -> ConfigError {
        ConfigError(file: tree.file, line: tree.keyLines[name] ?? line, message: message)
    }

    /// Whether the value is null or an empty list (an OpenSLO list left empty).
    var isEmptyList: Bool {
        switch value {
        case .null: true
        case .array(let items): items.isEmpty
        default: false
        }
    }

    /// A YAML/JSON number (not quoted), finite by ``ConfigTree``'s reading.
    func number() throws(ConfigError) -> Double {
        guard case .number(let number) = value else {
            throw keyError("\(name) must be a number, not \(kind).")
        }
        return number
    }
}
