import Foundation

/// Files the tests write under the system's temporary folder (token files, configurations).
enum TemporaryFile {
    /// Writes `text` to a fresh file named `<prefix>-<UUID>` and returns its path; the caller removes it
    /// (`defer { try? FileManager.default.removeItem(atPath: path) }`).
    static func create(_ text: String, prefix: String = "slowatch-test") throws -> String {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
