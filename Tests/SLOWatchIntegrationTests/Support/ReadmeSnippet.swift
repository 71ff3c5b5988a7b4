import Foundation

/// A code block of the README or of a page under `docs/`, found by the `<!-- example: NAME -->` comment
/// before it, so that a test runs exactly what the page shows. A name may be used on one page only.
enum ReadmeSnippet {
    /// The pages searched for examples: README.md, then every `docs/*.md` in name order.
    static func pages() throws -> [URL] {
        let root = SlowatchProcess.packageRoot
        let docs = root.appendingPathComponent("docs")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: docs.path)) ?? []
        return [root.appendingPathComponent("README.md")]
            + names.filter { $0.hasSuffix(".md") }.sorted().map { docs.appendingPathComponent($0) }
    }

    /// The code of the first fenced block after `<!-- example: name -->`, without its fences and with
    /// the indentation of its opening fence removed (a block inside a list item is indented).
    /// - Throws: when no page or more than one has the marker, or no closed fence follows it.
    static func code(_ name: String) throws -> String {
        var found: [(page: String, lines: [String], marker: Int)] = []
        for page in try pages() {
            let text = try String(contentsOf: page, encoding: .utf8)
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if let marker = lines.firstIndex(where: { $0.contains("<!-- example: \(name) -->") }) {
                found.append((page.lastPathComponent, lines, marker))
            }
        }
        guard let (page, lines, marker) = found.first else {
            throw TestServiceError("neither README.md nor docs/*.md has '<!-- example: \(name) -->'")
        }
        guard found.count == 1 else {
            throw TestServiceError("example \(name) is on \(found.map(\.page).joined(separator: " and "))")
        }
        guard
            let open = lines[(marker + 1)...].firstIndex(where: {
                $0.trimmingCharacters(in: .whitespaces).hasPrefix("```")
            })
        else { throw TestServiceError("\(page): no code block after example \(name)") }
        let indent = lines[open].prefix(while: { $0 == " " }).count
        guard
            let close = lines[(open + 1)...].firstIndex(where: {
                $0.trimmingCharacters(in: .whitespaces) == "```"
            })
        else { throw TestServiceError("\(page): the code block of example \(name) is not closed") }
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
