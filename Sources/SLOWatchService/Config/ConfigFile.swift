import SLOWatchCore
import Yams

/// A parsed slowatch configuration file: YAML, or JSON (which the same parser reads, JSON being YAML 1.2),
/// so line numbers in errors work for both.
///
/// Every top-level key is optional; an unknown key is an error at its line (typos must not pass silently).
///
/// The settings are the file keys of ``SettingKey`` (every one but `token`), each read by the settings
/// table's type (``SettingKey/spec``): `host`, `port`, `checkInterval`, …. Beside them:
///
/// | key | value | default |
/// |---|---|---|
/// | `slos` | list of SLOs: `{id, metric, percentile, threshold, …}` (below) | the 7 defaults |
/// | `metrics` | list of `{name, type, unit, description, capacity}` | none |
///
/// An SLO has the fields of the `PUT /slos/{id}` body plus `id` (``SLODefinitionBody`` gives the fields,
/// the required ones and the defaults); a file's `slos:` list replaces the embedded SLOs (`slos: []` means
/// none). A metric has the fields of the `PUT /metrics/{name}` body plus `name` (``MetricDefinitionBody``);
/// one without a `capacity` gets the `capacity` setting.
///
/// Values are strict: numbers must be YAML/JSON numbers (`port: "8080"` is an error), a setting may not be
/// `null`, and a key may appear once per mapping. The whole file is read into the JSON value tree the API
/// parses (``ConfigTree``, which keeps every value's line beside it), and the settings are read from it
/// (``ConfigValue``). An SLO or a metric is decoded by the same schema as its `PUT` body, so it has the body's
/// types (`unit: 1` is a number, not a string), defaults (`null` means the default) and messages, each
/// with the line of the field at fault.
///
/// The file may also hold OpenSLO v1 `kind: SLO` documents, after `---` or as a top-level list of them
/// (``OpenSLODocument``); their SLOs follow the `slos:` list's.
public struct ConfigFile: Sendable {
    /// The file's path as given, used in every error and origin.
    public let path: String
    /// The settings the file gives, by key.
    public var settings: [SettingKey: ConfigSetting]
    /// The SLOs when the file has a `slos:` key (possibly empty), or nil to keep the defaults.
    public var slos: [ConfigSLO]?
    /// The metrics to register at start, in file order.
    public var metrics: [ConfigMetric]

    /// The top-level keys: every setting, then the lists.
    static let topLevelKeys = SettingKey.allCases.filter(\.isFileKey).map(\.fileKey) + ["slos", "metrics"]

    /// Creates a configuration as if read from `path`.
    public init(
        path: String, settings: [SettingKey: ConfigSetting] = [:], slos: [ConfigSLO]? = nil,
        metrics: [ConfigMetric] = []
    ) {
        self.path = path
        self.settings = settings
        self.slos = slos
        self.metrics = metrics
    }

    /// Reads and parses the file at `path`.
    /// - Throws: ``ConfigError`` (`file:line: what is wrong`) when it cannot be read or is invalid.
    public static func load(path: String) throws(ConfigError) -> ConfigFile {
        try parse(ConfigText.contents(path: path), path: path)
    }

    /// Parses `text` as the contents of `path`. An empty document (or only comments) sets nothing.
    ///
    /// The text is a YAML stream: at most one slowatch configuration document, and any number of OpenSLO
    /// v1 `kind: SLO` documents (``OpenSLODocument``), each its own document or an item of a top-level list
    /// of them. Their SLOs follow the `slos:` list's (the embedded SLOs are replaced as by `slos:`).
    /// - Throws: ``ConfigError`` at the line of the first problem.
    public static func parse(_ text: String, path: String) throws(ConfigError) -> ConfigFile {
        var file = ConfigFile(path: path)
        var openSLOs: [ConfigValue] = []
        var settingsLine: Int?
        for tree in try documents(text, path: path) {
            if let documents = openSLODocuments(tree.root) {
                openSLOs += documents
                continue
            }
            if let first = settingsLine {
                throw tree.root.error(
                    "A second slowatch configuration document (the first starts on line \(first)): a file "
                        + "holds at most one, beside any OpenSLO documents (apiVersion: openslo/v1).")
            }
            settingsLine = tree.root.line
            try file.read(tree)
        }
        if !openSLOs.isEmpty { try file.appendOpenSLOs(openSLOs) }
        return file
    }

    /// The documents of the YAML stream `text`, each read into a tree.
    private static func documents(_ text: String, path: String) throws(ConfigError) -> [ConfigTree] {
        var roots: [Node] = []
        do {
            // An explicit encoding: the default one reads YAMS_DEFAULT_ENCODING and prints to stdout.
            let parser = try Parser(yaml: text, resolver: .default, constructor: .default, encoding: .utf8)
            while let root = try parser.nextRoot() { roots.append(root) }
        } catch {
            throw ConfigText.syntaxError(error, path: path, text: text)
        }
        var trees: [ConfigTree] = []
        for root in roots { trees.append(try ConfigTree(root, file: path)) }
        return trees
    }

    /// The OpenSLO documents `document` holds: itself, or the items of a list whose first item is one;
    /// nil for a slowatch configuration document.
    private static func openSLODocuments(_ document: ConfigValue) -> [ConfigValue]? {
        if OpenSLODocument.isOpenSLO(document) { return [document] }
        guard let items = try? document.items(rule: "a list"), let first = items.first,
            OpenSLODocument.isOpenSLO(first)
        else { return nil }
        return items
    }

    /// Reads the slowatch configuration document `tree` into this file.
    private mutating func read(_ tree: ConfigTree) throws(ConfigError) {
        // The tree reads no value of a top-level `token:` key, so no message can echo the secret.
        try Self.refuseToken(in: tree)
        for (key, value) in try tree.root.members(allowed: Self.topLevelKeys, context: "the top level") {
            switch key {
            case "slos": slos = try Self.slos(from: value)
            case "metrics": metrics = try Self.metrics(from: value)
            default:
                guard let settingKey = SettingKey(rawValue: key) else { continue }
                settings[settingKey] = try Self.setting(settingKey, from: value)
            }
        }
    }

    /// Reads one setting: integers must be YAML/JSON integers, the rest any scalar, checked by the
    /// same parser as flags and environment values.
    private static func setting(_ key: SettingKey, from node: ConfigValue) throws(ConfigError)
        -> ConfigSetting
    {
        let text: String
        switch key.spec.scalar {
        case .textList:
            return key == .alertmanager ? try alertmanagers(from: node) : try textList(key, from: node)
        case .integer: text = String(try node.integer())
        case .boolean: text = String(try node.boolean())
        case .text: text = try node.text()
        }
        guard let value = key.parse(text) else {
            throw node.error(key.invalidValueMessage(text, source: key.fileKey))
        }
        return ConfigSetting(value: value, line: node.line)
    }

    /// A `token:` key gets its own error, rather than "unknown key": the token is a secret, and a
    /// configuration file is committed, shared and printed, so it is taken only from a flag, the
    /// environment or a token file. The value is not echoed.
    private static func refuseToken(in tree: ConfigTree) throws(ConfigError) {
        let key = SettingKey.token.fileKey
        guard case .object(let document) = tree.value, document.keys.contains(key) else { return }
        throw ConfigError(
            file: tree.file, line: tree.keyLines[key],
            message: "The token may not be written in the configuration file: a file is committed, "
                + "shared and printed, and the token is a secret. Give the path of a file that holds it "
                + "with tokenFile: (or --token-file), or set SLOWATCH_TOKEN or --token.")
    }
}
