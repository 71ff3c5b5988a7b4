import Foundation
import Testing

/// Every Swift block of the DocC catalogues (`Sources/*/*.docc/*.md`) is code that a test runs: its
/// pieces appear, line for line and in the block's order, in one test file under `Tests/`. So an
/// article cannot show an API that no longer compiles, or a value the code no longer gives, without
/// failing `make test`.
///
/// A block is compared in pieces, split at blank lines and at `// ...` (the article's "code left out
/// here"); `import` lines are left out, since a test file has its own at the top. Lines are compared
/// with their indentation trimmed, so a piece may sit inside a test function.
@Suite("DocC article code")
struct DocCSnippetTests {
    /// A piece of an article's Swift block: its trimmed lines, where it starts, and which block of the
    /// article (0, 1, …) it belongs to.
    struct Piece: CustomStringConvertible {
        var article: String
        var line: Int
        var lines: [String]
        var block = 0
        var description: String { "\(article):\(line): \(lines.first ?? "")" }
    }

    /// The pieces of every ```swift block in `text`, split at blank lines and `// ...` lines.
    static func pieces(of text: String, article: String) -> [Piece] {
        var pieces: [Piece] = []
        var current: Piece?
        var inSwift = false
        var block = -1
        func close() {
            if let piece = current, !piece.lines.isEmpty { pieces.append(piece) }
            current = nil
        }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") {
                close()
                inSwift = !inSwift && line == "```swift"
                if inSwift { block += 1 }
                continue
            }
            guard inSwift else { continue }
            if line.isEmpty || line == "// ..." {
                close()
            } else if !line.hasPrefix("import ") {
                if current == nil {
                    current = Piece(article: article, line: index + 1, lines: [], block: block)
                }
                current?.lines.append(line)
            }
        }
        close()
        return pieces
    }

    /// Where `lines` holds `piece` as a contiguous run at or after `from`: the line after the run.
    static func end(of piece: [String], in lines: [String], from: Int = 0) -> Int? {
        guard from <= lines.count, piece.count <= lines.count - from else { return nil }
        return (from...(lines.count - piece.count)).first { start in
            lines[start..<(start + piece.count)].elementsEqual(piece)
        }.map { $0 + piece.count }
    }

    /// Whether `lines` holds every piece of `pieces`, each as a contiguous run, in their order.
    static func containsInOrder(_ lines: [String], _ pieces: [[String]]) -> Bool {
        var cursor = 0
        for piece in pieces {
            guard let next = end(of: piece, in: lines, from: cursor) else { return false }
            cursor = next
        }
        return true
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
        let blocks = Dictionary(grouping: pieces) { "\($0.article)#\($0.block)" }.values
        let untested = blocks.filter { block in
            !files.contains { Self.containsInOrder($0, block.map(\.lines)) }
        }.compactMap(\.first).sorted { ($0.article, $0.line) < ($1.article, $1.line) }
        #expect(
            untested.isEmpty,
            "no test file holds these blocks of article code line for line, in order (first piece shown):\n\(untested.map(\.description).joined(separator: "\n"))"
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
        #expect(pieces.map(\.block) == [0, 0])
        let file = ["func test() {", "let a = 1", "let b = a + 1", "print(b)", "}"]
        #expect(Self.containsInOrder(file, pieces.map(\.lines)))
        #expect(!Self.containsInOrder(file, [["let a = 1", "let b = a + 2"]]))
        #expect(!Self.containsInOrder(["let a = 1"], [pieces[0].lines]))
        // The pieces must come in the block's order.
        #expect(!Self.containsInOrder(file, [["print(b)"], ["let a = 1"]]))
    }
}
