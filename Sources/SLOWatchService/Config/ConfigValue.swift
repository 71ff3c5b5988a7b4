/// One value of a configuration file's tree (``ConfigTree``) with its path, so that every error can say
/// `file:line: name …`. Reading is strict: a value of the wrong kind is an error, never coerced.
struct ConfigValue {
    /// The file's tree, for lines and values as written.
    let tree: ConfigTree
    /// The value.
    let value: JSONValue
    /// Where the value sits, for messages and the tree's tables: `port`, `slos[2].threshold`; empty for
    /// the document.
    let name: String

    /// The 1-based line the value starts on.
    var line: Int { tree.lines[name] ?? 1 }

    /// An error at this value's line.
    func error(_ message: String) -> ConfigError {
        ConfigError(file: tree.file, line: line, message: message)
    }

    /// The value's kind and value, for "must be X, not Y" messages: `a list`, `null`, `the text "abc"`;
    /// numbers and booleans as written.
    var kind: String {
        switch value {
        case .object: "a mapping"
        case .array: "a list"
        case .null: "null"
        case .bool(let bool): "the boolean \(tree.written[name] ?? String(bool))"
        case .number(let number): "the number \(tree.written[name] ?? JSONFields.describe(number))"
        case .string(let text): "the text \(MessageText.quoted(text))"
        }
    }

    /// The value's members, in file order, after checking that it is a mapping whose keys are in `allowed`.
    /// - Parameters:
    ///   - allowed: the known keys; any other key is an error at its line, with a suggestion.
    ///   - context: what the mapping is, for the unknown-key message: `the top level`, `slos[0]`.
    func members(allowed: [String], context: String) throws(ConfigError) -> [(
        key: String, value: ConfigValue
    )] {
        guard case .object(let object) = value else {
            throw error(
                "\(name.isEmpty ? "the document" : name) must be a mapping of keys to values, not \(kind).")
        }
        var members: [(key: String, value: ConfigValue)] = []
        for (key, member) in object.members {
            let path = name.isEmpty ? key : "\(name).\(key)"
            guard allowed.contains(key) else {
                let suggestion =
                    KeySuggestion.closest(to: key, in: allowed).map { " Did you mean \"\($0)\"?" } ?? ""
                throw ConfigError(
                    file: tree.file, line: tree.keyLines[path] ?? line,
                    message: "Unknown key \(MessageText.quoted(key)) in \(context): the known keys are "
                        + allowed.joined(separator: ", ") + ".\(suggestion)")
            }
            members.append((key, ConfigValue(tree: tree, value: member, name: path)))
        }
        return members
    }

    /// The items of a list, named `name[0]`, `name[1]`, …
    /// - Parameter rule: completes "must be …" when the value is not a list, e.g. `a list of SLOs`.
    func items(rule: String) throws(ConfigError) -> [ConfigValue] {
        guard case .array(let items) = value else {
            throw error("\(name) must be \(rule), not \(kind).")
        }
        return items.enumerated().map { index, item in
            ConfigValue(tree: tree, value: item, name: "\(name)[\(index)]")
        }
    }

    /// Any non-null scalar, as written (so `unit: 1` is the text `1` and `description: yes` is `yes`).
    func text() throws(ConfigError) -> String {
        switch value {
        case .string(let text): return text
        case .number(let number): return tree.written[name] ?? JSONFields.describe(number)
        case .bool(let bool): return tree.written[name] ?? String(bool)
        case .null, .array, .object: throw error("\(name) must be text, not \(kind).")
        }
    }

    /// A YAML/JSON boolean (`true` or `false`, not quoted).
    func boolean() throws(ConfigError) -> Bool {
        guard case .bool(let bool) = value else {
            throw error("\(name) must be true or false, not \(kind).")
        }
        return bool
    }

    /// A YAML/JSON number (not quoted) that is whole and in `Int` range. Digits are read exactly, so a
    /// value beyond 2^53 keeps its last digits; `1e3` is 1000, as in a JSON body.
    func integer() throws(ConfigError) -> Int {
        guard case .number(let number) = value else {
            throw error("\(name) must be a whole number, not \(kind).")
        }
        if let digits = tree.written[name], let exact = Int(digits) { return exact }
        guard number == number.rounded(.towardZero) else {
            throw error("\(name) must be a whole number, not \(kind).")
        }
        guard let whole = Int(exactly: number) else {
            throw error("\(name) is \(kind), which is too large: it must fit in a 64-bit integer.")
        }
        return whole
    }
}
