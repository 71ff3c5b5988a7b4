/// Where a resolved setting came from, highest precedence first.
public enum SettingOrigin: Sendable, Equatable, CustomStringConvertible {
    /// A command-line flag, e.g. `--port`.
    case flag(String)
    /// An environment variable, e.g. `SLOWATCH_PORT`.
    case environment(String)
    /// A configuration file key, at a 1-based line.
    case file(path: String, line: Int)
    /// The built-in default.
    case defaultValue

    /// `flag --port`, `environment SLOWATCH_PORT`, `file slowatch.yaml:3` or `default`.
    public var description: String {
        switch self {
        case .flag(let flag): "flag \(flag)"
        case .environment(let name): "environment \(name)"
        case .file(let path, let line): "file \(path):\(line)"
        case .defaultValue: "default"
        }
    }
}
