import Yams

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads a configuration file's text and turns YAML syntax errors into `file:line:` errors.
enum ConfigText {
    /// The largest configuration file read, in bytes (4 MiB): far above any real configuration, and small
    /// enough that a wrong path (a log file, a device) fails fast instead of filling memory.
    static let maximumBytes = 4 << 20

    /// The file's contents as UTF-8 text.
    /// - Throws: ``ConfigError`` naming the file when it cannot be opened or read, is too large, or is
    ///   not UTF-8 (with the line of the first bad byte).
    static func contents(path: String) throws(ConfigError) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw unreadable(path, errno: errno) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw ConfigError(file: path, message: "The configuration path is a directory, not a file.")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw unreadable(path, errno: errno)
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[..<count])
            guard bytes.count <= maximumBytes else {
                throw ConfigError(
                    file: path,
                    message:
                        "The configuration file is larger than \(maximumBytes) bytes; is this the right file?"
                )
            }
        }
        if let line = firstInvalidUTF8Line(bytes) {
            throw ConfigError(file: path, line: line, message: "The file is not valid UTF-8 text.")
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A `file: cannot read` error with the system's reason.
    private static func unreadable(_ path: String, errno code: Int32) -> ConfigError {
        ConfigError(
            file: path, message: "Cannot read the configuration file: \(String(cString: strerror(code))).")
    }

    /// The 1-based line of the first byte that is not valid UTF-8, or nil when all of it is.
    static func firstInvalidUTF8Line(_ bytes: [UInt8]) -> Int? {
        var line = 1
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): if scalar == "\n" { line += 1 }
            case .emptyInput: return nil
            case .error: return line
            }
        }
    }

    /// A YAML syntax error at its line: `YAML syntax error: could not find expected ':' while scanning a
    /// simple key (started on line 3).`
    static func syntaxError(_ error: any Error, path: String, text: String) -> ConfigError {
        guard let yaml = error as? YamlError else {
            return ConfigError(file: path, message: "The file is not valid YAML or JSON: \(error).")
        }
        switch yaml {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let started = context.map { " (\($0.text) on line \($0.mark.line))" } ?? ""
            return ConfigError(
                file: path, line: mark.line, message: "YAML syntax error: \(problem)\(started).")
        case .reader(let problem, let offset, _, _):
            let line = offset.map { offset in 1 + text.prefix(offset).count(where: { $0 == "\n" }) }
            return ConfigError(
                file: path, line: line, message: "The file cannot be read as YAML: \(problem).")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map(\.debugDescription).joined(separator: ", ")
            return ConfigError(
                file: path, line: context.mark.line,
                message:
                    "The key \(keys) on this line appears again later in the same mapping: "
                    + "each key may be given once."
            )
        default:
            return ConfigError(file: path, message: "The file is not valid YAML or JSON: \(yaml).")
        }
    }
}
