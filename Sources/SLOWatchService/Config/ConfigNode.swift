import Yams

/// A YAML (or JSON) node with the file and the dotted name it came from, so that every error can say
/// `file:line: name …`. Reading is strict: a value of the wrong kind is an error, never coerced.
struct ConfigNode {
    /// The parsed node.
    let node: Node
    /// The configuration file, for errors.
    let file: String
    /// Where the node sits, for messages: `port`, `slos[2].threshold`; empty for the document.
    let name: String

    /// The 1-based line the node starts on.
    var line: Int { node.mark?.line ?? 1 }

    /// An error at this node's line.
    func error(_ message: String) -> ConfigError { ConfigError(file: file, line: line, message: message) }

    /// The node's kind and value, for "must be X, not Y" messages: `a list`, `null`, `the text "abc"`.
    var kind: String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            switch tagName {
            case Tag.Name.null.rawValue: return "null"
            case Tag.Name.bool.rawValue: return "the boolean \(scalar.string)"
            case Tag.Name.int.rawValue, Tag.Name.float.rawValue: return "the number \(scalar.string)"
            default: return "the text \(quoted(scalar.string))"
            }
        }
    }

    /// The resolved YAML tag, e.g. `tag:yaml.org,2002:int` (quoted scalars are always `str`).
    private var tagName: String { node.tag.rawValue }

    /// The node's members, in file order, after checking that it is a mapping whose keys are text from
    /// `allowed`.
    /// - Parameters:
    ///   - allowed: the known keys; any other key is an error at its line, with a suggestion.
    ///   - context: what the mapping is, for the unknown-key message: `the top level`, `slos[0]`.
    func members(allowed: [String], context: String) throws(ConfigError) -> [(key: String, value: ConfigNode)]
    {
        guard case .mapping(let mapping) = node else {
            throw error(
                "\(name.isEmpty ? "the document" : name) must be a mapping of keys to values, not \(kind).")
        }
        var members: [(key: String, value: ConfigNode)] = []
        for (keyNode, valueNode) in mapping {
            let keyLine = keyNode.mark?.line ?? line
            guard case .scalar(let scalar) = keyNode else {
                throw ConfigError(
                    file: file, line: keyLine,
                    message: "A key in \(context) must be text, not a list or mapping.")
            }
            let key = scalar.string
            guard allowed.contains(key) else {
                let suggestion =
                    KeySuggestion.closest(to: key, in: allowed).map { " Did you mean \"\($0)\"?" } ?? ""
                throw ConfigError(
                    file: file, line: keyLine,
                    message: "Unknown key \(quoted(key)) in \(context): the known keys are "
                        + allowed.joined(separator: ", ") + ".\(suggestion)")
            }
            members.append(
                (key, ConfigNode(node: valueNode, file: file, name: name.isEmpty ? key : "\(name).\(key)")))
        }
        return members
    }

    /// The items of a list, named `name[0]`, `name[1]`, …
    /// - Parameter rule: completes "must be …" when the node is not a list, e.g. `a list of SLOs`.
    func items(rule: String) throws(ConfigError) -> [ConfigNode] {
        guard case .sequence(let sequence) = node else {
            throw error("\(name) must be \(rule), not \(kind).")
        }
        return sequence.enumerated().map { index, item in
            ConfigNode(node: item, file: file, name: "\(name)[\(index)]")
        }
    }

    /// Any non-null scalar, as written (so `unit: 1` is the text `1` and `description: yes` is `yes`).
    func text() throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node, tagName != Tag.Name.null.rawValue else {
            throw error("\(name) must be text, not \(kind).")
        }
        return scalar.string
    }

    /// A YAML/JSON boolean (`true` or `false`, not quoted).
    func boolean() throws(ConfigError) -> Bool {
        guard tagName == Tag.Name.bool.rawValue, let value = node.bool else {
            throw error("\(name) must be true or false, not \(kind).")
        }
        return value
    }

    /// A YAML/JSON integer (not quoted), in `Int` range.
    func integer() throws(ConfigError) -> Int {
        guard tagName == Tag.Name.int.rawValue else {
            throw error("\(name) must be a whole number, not \(kind).")
        }
        guard let value = node.int else {
            throw error("\(name) is \(kind), which is too large: it must fit in a 64-bit integer.")
        }
        return value
    }

    /// `"text"` with control characters escaped and long values cut, so a message stays one short line.
    private func quoted(_ text: String) -> String { MessageText.quoted(text) }
}
