import Yams

/// A configuration file read into the JSON value tree the API parses (``JSONValue``), with what a message
/// needs kept beside the tree, by path (`port`, `slos[0]`, `slos[0].window`): the 1-based line of every
/// value and of every mapping key, and each number and boolean as it was written.
///
/// The whole file goes through it: the top-level settings are read from the tree (``ConfigValue``), and a
/// file's SLOs and metrics go through the API's own decoders (``JSONFields``). The side tables keep the
/// parser's values for `POST /samples` as small as they are. Scalars keep their YAML type: `80` is a
/// number, `"80"` and `p95` are strings, `true` a boolean, `null` (or `~`, or nothing) null.
///
/// Memory: one entry per value of the file, which ``ConfigText/maximumBytes`` bounds.
struct ConfigTree {
    /// The configuration file, for errors.
    let file: String
    /// The document, as the JSON parser would have produced it for the same data.
    let value: JSONValue
    /// The line of each value, by its path; the document's path is empty.
    let lines: [String: Int]
    /// The line of each mapping key, by the path of its value (a value may start on a later line).
    let keyLines: [String: Int]
    /// Each number and boolean as written (`8080`, `1e3`, `99999999999999999999`, `true`), by path: a
    /// setting read as text takes it as written, and a message quotes it so.
    let written: [String: String]

    /// Reads the document `root` of the file at `file`.
    /// - Throws: ``ConfigError`` at its line for an alias, a mapping key that is not text, or a number
    ///   that is not finite.
    init(_ root: Node, file: String) throws(ConfigError) {
        var reader = Reader(file: file)
        value = try reader.read(root, path: "")
        self.file = file
        lines = reader.lines
        keyLines = reader.keyLines
        written = reader.written
    }

    /// The document, to read with `file:line:` errors.
    var root: ConfigValue { ConfigValue(tree: self, value: value, name: "") }

    /// The walk over the YAML nodes, filling the side tables.
    private struct Reader {
        let file: String
        var lines: [String: Int] = [:]
        var keyLines: [String: Int] = [:]
        var written: [String: String] = [:]

        /// Converts `node`, at `path`, recording its line and those of its descendants.
        mutating func read(_ node: Node, path: String) throws(ConfigError) -> JSONValue {
            let line = node.mark?.line ?? 1
            lines[path] = line
            switch node {
            case .alias:
                throw ConfigError(
                    file: file, line: line,
                    message: "\(path) is an alias: write the value out, as JSON would.")
            case .sequence(let sequence):
                var items: [JSONValue] = []
                for (index, item) in sequence.enumerated() {
                    items.append(try read(item, path: "\(path)[\(index)]"))
                }
                return .array(items)
            case .mapping(let mapping):
                var object = JSONObject()
                for (keyNode, valueNode) in mapping {
                    guard case .scalar(let key) = keyNode else {
                        throw ConfigError(
                            file: file, line: keyNode.mark?.line ?? line,
                            message: "A key in \(path.isEmpty ? "the top level" : path) must be text, not a "
                                + "list or mapping.")
                    }
                    let name = path.isEmpty ? key.string : "\(path).\(key.string)"
                    keyLines[name] = keyNode.mark?.line ?? line
                    if path.isEmpty, key.string == SettingKey.token.fileKey {
                        // A secret that the file may not hold (ConfigFile refuses the key): never read, so
                        // no message quotes it.
                        object.set(key.string, .null)
                        continue
                    }
                    object.set(key.string, try read(valueNode, path: name))
                }
                return .object(object)
            case .scalar(let scalar):
                switch node.tag.rawValue {
                case Tag.Name.null.rawValue: return .null
                case Tag.Name.bool.rawValue:
                    guard let bool = node.bool else { return .string(scalar.string) }
                    written[path] = scalar.string
                    return .bool(bool)
                case Tag.Name.int.rawValue, Tag.Name.float.rawValue:
                    // An int first: YAML's `0x1F` and `0o17` are integers that a float reading refuses.
                    guard let number = node.int.map(Double.init) ?? node.float, number.isFinite else {
                        throw ConfigError(
                            file: file, line: line,
                            message: "\(path) is the number \(scalar.string), which is not a finite number.")
                    }
                    written[path] = scalar.string
                    return .number(number)
                default: return .string(scalar.string)
                }
            }
        }
    }
}
