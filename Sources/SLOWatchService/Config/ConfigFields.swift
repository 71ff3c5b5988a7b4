/// One item of a configuration file's `slos:` or `metrics:` list, read as ``DefinitionFields`` through the
/// API's own decoder (``JSONFields``) over the item's part of the file's JSON tree (``ConfigTree``): the
/// same types, defaults and messages as a `PUT` body, each error at the line of the field at fault. Unlike
/// a body, an item refuses unknown keys.
struct ConfigFields: DefinitionFields {
    /// The configuration file, for errors.
    let file: String
    /// The item's members, as a body's would be read; its path is the item's (`slos[2]`).
    let json: JSONFields
    /// The line of each value, by path.
    let lines: [String: Int]

    /// Reads `item`, refusing any key not in `allowed` at its line.
    init(_ item: ConfigValue, allowed: [String]) throws(ConfigError) {
        _ = try item.members(allowed: allowed, context: item.name)
        file = item.tree.file
        lines = item.tree.lines
        do {
            json = try JSONFields(item.value, path: item.name)
        } catch {
            throw item.error(error.message)
        }
    }

    private init(file: String, json: JSONFields, lines: [String: Int]) {
        self.file = file
        self.json = json
        self.lines = lines
    }

    func path(of key: String) -> String { json.path(of: key) }

    func number(_ key: String) throws(ConfigError) -> Double? {
        try at(key) { () throws(APIError) in try json.number(key) }
    }

    func objectList(_ key: String) throws(ConfigError) -> [ConfigFields]? {
        let items = try at(key) { () throws(APIError) in try json.objectList(key) }
        return items?.map { ConfigFields(file: file, json: $0, lines: lines) }
    }

    func string(_ key: String, maximumLength: Int) throws(ConfigError) -> String? {
        try at(key) { () throws(APIError) in try json.string(key, maximumLength: maximumLength) }
    }

    func requiredString(_ key: String) throws(ConfigError) -> String {
        try at(key) { () throws(APIError) in try json.requiredString(key) }
    }

    func requiredNumber(_ key: String) throws(ConfigError) -> Double {
        try at(key) { () throws(APIError) in try json.requiredNumber(key) }
    }

    func integer(_ key: String) throws(ConfigError) -> Int? {
        try at(key) { () throws(APIError) in try json.integer(key) }
    }

    func invalid(_ key: String?, _ message: String) -> ConfigError {
        let line = key.flatMap { lines[path(of: $0)] } ?? lines[json.path]
        return ConfigError(file: file, line: line, message: message)
    }

    /// Runs a read of field `key`, moving its error to the field's line (the item's, when it is absent).
    private func at<Value>(_ key: String, _ read: () throws(APIError) -> Value) throws(ConfigError) -> Value {
        do {
            return try read()
        } catch {
            throw invalid(key, error.message)
        }
    }
}
