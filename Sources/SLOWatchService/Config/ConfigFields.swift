/// One item of a configuration file's `slos:` or `metrics:` list, read as ``DefinitionFields``: values are
/// strict YAML/JSON scalars (``ConfigNode``), `null` is not "not set" but for ``nullableString(_:)``, and
/// every error is at the line of the field at fault.
struct ConfigFields: DefinitionFields {
    /// The list item, for errors about the whole object.
    let item: ConfigNode
    /// The item's members by key (already checked against the schema's keys).
    let fields: [String: ConfigNode]

    /// Reads `item`'s members, refusing any key not in `allowed` at its line.
    init(_ item: ConfigNode, allowed: [String]) throws(ConfigError) {
        self.item = item
        var fields: [String: ConfigNode] = [:]
        for (key, value) in try item.members(allowed: allowed, context: item.name) { fields[key] = value }
        self.fields = fields
    }

    func path(of key: String) -> String { "\(item.name).\(key)" }

    func string(_ key: String, maximumLength: Int, body: String) throws(ConfigError) -> String? {
        guard let node = fields[key] else { return nil }
        return maximumLength == .max ? try node.text() : try node.text(maximumLength: maximumLength, as: body)
    }

    func nullableString(_ key: String) throws(ConfigError) -> String? {
        guard let node = fields[key], !node.isNull else { return nil }
        return try node.text()
    }

    func requiredString(_ key: String, required: String) throws(ConfigError) -> String {
        try requiredNode(key, required: required).text()
    }

    func requiredNumber(_ key: String, required: String) throws(ConfigError) -> Double {
        try requiredNode(key, required: required).number()
    }

    func integer(_ key: String) throws(ConfigError) -> Int? {
        try fields[key]?.integer()
    }

    func invalid(_ key: String?, _ message: String) -> ConfigError {
        (key.flatMap { fields[$0] } ?? item).error(message)
    }

    /// `slos[0] has no percentile: every SLO needs id, metric, percentile and threshold.`
    private func requiredNode(_ key: String, required: String) throws(ConfigError) -> ConfigNode {
        guard let node = fields[key] else { throw item.error("\(item.name) has no \(key): \(required).") }
        return node
    }
}
