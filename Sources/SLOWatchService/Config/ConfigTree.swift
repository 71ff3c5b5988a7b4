import Yams

/// A part of a configuration file read into the JSON value tree the API parses (``JSONValue``), with the
/// 1-based line of every value kept beside the tree, by path (`slos[0]`, `slos[0].window`).
///
/// The tree is what lets a file's SLOs and metrics go through the API's own decoders (``JSONFields``); the
/// lines are a side table, so the parser's values for `POST /samples` stay as small as they are. Scalars
/// keep their YAML type: `80` is a number, `"80"` and `p95` are strings, `true` a boolean, `null` (or
/// `~`, or nothing) null.
struct ConfigTree {
    /// The value, as the JSON parser would have produced it for the same data.
    let value: JSONValue
    /// The line of each value, by its path; the root's path is the node's name.
    let lines: [String: Int]

    /// Reads `node` and everything under it.
    /// - Throws: ``ConfigError`` at its line for an alias, a mapping key that is not text, or a number
    ///   that is not finite.
    init(_ node: ConfigNode) throws(ConfigError) {
        var lines: [String: Int] = [:]
        value = try Self.read(node, path: node.name, lines: &lines)
        self.lines = lines
    }

    /// Converts one node, recording its line and those of its descendants.
    private static func read(_ node: ConfigNode, path: String, lines: inout [String: Int]) throws(ConfigError)
        -> JSONValue
    {
        lines[path] = node.line
        switch node.node {
        case .alias:
            throw node.error("\(path) is an alias: write the value out, as JSON would.")
        case .sequence(let sequence):
            var items: [JSONValue] = []
            for (index, item) in sequence.enumerated() {
                let name = "\(path)[\(index)]"
                items.append(
                    try read(ConfigNode(node: item, file: node.file, name: name), path: name, lines: &lines))
            }
            return .array(items)
        case .mapping(let mapping):
            var object = JSONObject()
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let key) = keyNode else {
                    throw ConfigError(
                        file: node.file, line: keyNode.mark?.line ?? node.line,
                        message: "A key in \(path) must be text, not a list or mapping.")
                }
                let name = path.isEmpty ? key.string : "\(path).\(key.string)"
                let member = ConfigNode(node: valueNode, file: node.file, name: name)
                object.set(key.string, try read(member, path: name, lines: &lines))
            }
            return .object(object)
        case .scalar(let scalar):
            switch node.node.tag.rawValue {
            case Tag.Name.null.rawValue: return .null
            case Tag.Name.bool.rawValue: return node.node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case Tag.Name.int.rawValue, Tag.Name.float.rawValue:
                guard let number = node.node.float, number.isFinite else {
                    throw node.error("\(path) is \(node.kind), which is not a finite number.")
                }
                return .number(number)
            default: return .string(scalar.string)
            }
        }
    }
}
