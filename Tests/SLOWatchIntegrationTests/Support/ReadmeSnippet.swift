import Foundation

/// A code block of the README, found by the `<!-- example: NAME -->` comment before it, so that a test
/// runs exactly what the README shows.
enum ReadmeSnippet {
    /// The code of the first fenced block after `<!-- example: name -->`, without its fences and with
    /// the indentation of its opening fence removed (a block inside a list item is indented).
    /// - Throws: when the README, the marker or a closed fence after it is missing.
    static func code(_ name: String) throws -> String {
        let readme = SlowatchProcess.packageRoot.appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let marker = lines.firstIndex(where: { $0.contains("<!-- example: \(name) -->") }) else {
            throw TestServiceError("README.md has no '<!-- example: \(name) -->'")
        }
        guard
            let open = lines[(marker + 1)...].firstIndex(where: {
                $0.trimmingCharacters(in: .whitespaces).hasPrefix("```")
            })
        else { throw TestServiceError("README.md: no code block after example \(name)") }
        let indent = lines[open].prefix(while: { $0 == " " }).count
        guard
            let close = lines[(open + 1)...].firstIndex(where: {
                $0.trimmingCharacters(in: .whitespaces) == "```"
            })
        else { throw TestServiceError("README.md: the code block of example \(name) is not closed") }
        return lines[(open + 1)..<close].map {
            String($0.dropFirst(min(indent, $0.prefix(while: { $0 == " " }).count)))
        }
        .joined(separator: "\n") + "\n"
    }

    /// Writes the snippet `name` as `<folder>/<module>.py`, with each pair of `replacements` applied
    /// (the README's `127.0.0.1:8080` becomes the test's port), so a driver script can import it.
    static func writeModule(
        _ name: String, as module: String, in folder: URL, replacing replacements: [(String, String)]
    ) throws {
        var code = try code(name)
        for (from, to) in replacements {
            guard code.contains(from) else { throw TestServiceError("example \(name) has no '\(from)'") }
            code = code.replacingOccurrences(of: from, with: to)
        }
        try code.write(to: folder.appendingPathComponent("\(module).py"), atomically: true, encoding: .utf8)
    }
}
