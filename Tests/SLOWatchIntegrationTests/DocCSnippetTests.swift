import Foundation
import Testing

/// Every Swift block of the DocC catalogues (`Sources/*/*.docc/*.md`) is code that a test runs: each of
/// its pieces appears, line for line, in a test file under `Tests/`. So an article cannot show an API
/// that no longer compiles, or a value the code no longer gives, without failing `make test`.
///
/// A block is compared in pieces, split at blank lines and at `// ...` (the article's "code left out
/// here"); `import` lines are left out, since a test file has its own at the top. Lines are compared
/// with their indentation trimmed, so a piece may sit inside a test function.
@Suite("DocC article code")
struct DocCSnippetTests {
    /// A piece of an article's Swift block: its trimmed lines, and where it starts.
    struct Piece: CustomStringConvertible {
        var article: String
        var line: Int
        var lines: [String]
        var description: String { "\(article):\(line): \(lines.first ?? "")" }
    }

    /// The pieces of every ```swift block in `text`, split at blank lines and `// ...` lines.
    static func pieces(of text: String, article: String) -> [Piece] {
        var pieces: [Piece] = []
        var current: Piece?
        var inSwift = false
        func close() {
            if let piece = current, !piece.lines.isEmpty { pieces.append(piece) }
            current = nil
        }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") {
                close()
                inSwift = !inSwift && line == "```swift"
                continue
            }
            guard inSwift else { continue }
            if line.isEmpty || line == "// ..." {
                close()
            } else if !line.hasPrefix("import ") {
                if current == nil { current = Piece(article: article, line: index + 1, lines: []) }
                current?.lines.append(line)
            }
        }
        close()
        return pieces
    }

    /// Whether `lines` holds `piece` as a contiguous run.
    static func contains(_ lines: [String], _ piece: [String]) -> Bool {
        guard piece.count <= lines.count else { return false }
        return (0...(lines.count - piece.count)).contains { start in
            lines[start..<(start + piece.count)].elementsEqual(piece)
        }
    }

    /// The `.md` files of every DocC catalogue under `Sources/`, relative to the package root.
    static func articles() throws -> [String] {
        let root = SlowatchProcess.packageRoot
        let manager = FileManager.default
        var found: [String] = []
        for module in try manager.contentsOfDirectory(atPath: root.appendingPathComponent("Sources").path) {
            let catalogue = "Sources/\(module)/\(module).docc"
            let names =
                (try? manager.contentsOfDirectory(atPath: root.appendingPathComponent(catalogue).path)) ?? []
            found += names.filter { $0.hasSuffix(".md") }.map { "\(catalogue)/\($0)" }
        }
        return found.sorted()
    }

    /// The trimmed lines of every Swift file under `Tests/`, but this one.
    static func testFiles() throws -> [[String]] {
        let tests = SlowatchProcess.packageRoot.appendingPathComponent("Tests")
        guard let walker = FileManager.default.enumerator(at: tests, includingPropertiesForKeys: nil) else {
            return []
        }
        var files: [[String]] = []
        for case let url as URL in walker
        where url.pathExtension == "swift" && url.lastPathComponent != "DocCSnippetTests.swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            files.append(text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        }
        return files
    }

    @Test("every piece of every Swift block in the DocC articles is code in a test")
    func articleCodeIsTested() throws {
        let files = try Self.testFiles()
        var pieces: [Piece] = []
        for article in try Self.articles() {
            let text = try String(
                contentsOf: SlowatchProcess.packageRoot.appendingPathComponent(article), encoding: .utf8)
            pieces += Self.pieces(of: text, article: article)
        }
        #expect(
            pieces.count >= 20,
            "only \(pieces.count) pieces of Swift in the DocC articles: is the reader broken?")
        let untested = pieces.filter { piece in !files.contains { Self.contains($0, piece.lines) } }
        #expect(
            untested.isEmpty,
            "no test file holds these pieces of article code line for line:\n\(untested.map(\.description).joined(separator: "\n"))"
        )
    }

    @Test("a block is split at blank lines and // ..., without its imports; a changed line is not found")
    func splitting() {
        let text = """
            Some prose.

            ```swift
            import SLOWatchCore

            let a = 1
                let b = a + 1
            // ...
            print(b)
            ```

            ```sh
            echo not swift
            ```
            """
        let pieces = Self.pieces(of: text, article: "A.md")
        #expect(pieces.map(\.lines) == [["let a = 1", "let b = a + 1"], ["print(b)"]])
        #expect(pieces.map(\.line) == [6, 9])
        let file = ["func test() {", "let a = 1", "let b = a + 1", "print(b)", "}"]
        #expect(Self.contains(file, pieces[0].lines))
        #expect(!Self.contains(file, ["let a = 1", "let b = a + 2"]))
        #expect(!Self.contains(["let a = 1"], pieces[0].lines))
    }
}
