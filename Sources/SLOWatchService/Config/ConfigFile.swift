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
    /// - Throws: ``ConfigError`` at the line of the first problem.
    public static func parse(_ text: String, path: String) throws(ConfigError) -> ConfigFile {
        let root: Node?
        do {
            // An explicit encoding: the default one reads YAMS_DEFAULT_ENCODING and prints to stdout.
            root = try Yams.compose(yaml: text, .default, .default, .utf8)
        } catch {
            throw ConfigText.syntaxError(error, path: path, text: text)
        }
        var file = ConfigFile(path: path)
        guard let root else { return file }
        // The tree reads no value of a top-level `token:` key, so no message can echo the secret.
        let tree = try ConfigTree(root, file: path)
        try refuseToken(in: tree)
        for (key, value) in try tree.root.members(allowed: topLevelKeys, context: "the top level") {
            switch key {
            case "slos": file.slos = try slos(from: value)
            case "metrics": file.metrics = try metrics(from: value)
            default:
                guard let settingKey = SettingKey(rawValue: key) else { continue }
                file.settings[settingKey] = try setting(settingKey, from: value)
            }
        }
        return file
    }

    /// Reads one setting: integers must be YAML/JSON integers, the rest any scalar, checked by the
    /// same parser as flags and environment values.
    private static func setting(_ key: SettingKey, from node: ConfigValue) throws(ConfigError)
        -> ConfigSetting
    {
        let text: String
        switch key.spec.scalar {
        case .textList: return try alertmanagers(from: node)
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
