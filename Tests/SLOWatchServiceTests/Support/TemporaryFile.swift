import Foundation

/// Files the tests write under the system's temporary folder (token files, configurations).
enum TemporaryFile {
    /// Writes `text` to a fresh file named `<prefix>-<UUID><suffix>` and returns its path; the caller
    /// removes it (`defer { try? FileManager.default.removeItem(atPath: path) }`).
    static func create(_ text: String, prefix: String = "slowatch-test", suffix: String = "") throws -> String
    {
        try create(bytes: Array(text.utf8), prefix: prefix, suffix: suffix)
    }

    /// Writes `bytes` (any bytes, not only UTF-8) to a fresh file named `<prefix>-<UUID><suffix>` and
    /// returns its path; the caller removes it.
    static func create(bytes: [UInt8], prefix: String = "slowatch-test", suffix: String = "") throws -> String
    {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)\(suffix)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
