import Foundation
import Testing

/// The runnable examples of README.md and docs/*.md (docs/runnable-examples.md): each page with
/// `<!-- run -->` blocks runs them against the real binary and must print what it shows, and the docs as
/// a whole must have runnable blocks and well-formed markers, so a typo cannot silently disable them.
@Suite("Runnable documentation blocks")
struct DocBlocksTests {
    /// Every documentation page relative to the package root: README.md, then `docs/*.md` by name.
    static func allPages() -> [String] {
        let docs = SlowatchProcess.packageRoot.appendingPathComponent("docs")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: docs.path)) ?? []
        return ["README.md"] + names.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    }

    /// The pages with at least one marker outside a fence, well formed or not: one test case each.
    static let markedPages: [String] = allPages().filter { name in
        (try? text(of: name)).map(DocBlockParser.hasMarkers) ?? false
    }

    /// The text of the page `name` (relative to the package root).
    static func text(of name: String) throws -> String {
        try String(contentsOf: SlowatchProcess.packageRoot.appendingPathComponent(name), encoding: .utf8)
    }

    @Test(
        "every runnable block of the page runs against the binary and prints what the page shows",
        .timeLimit(.minutes(3)), arguments: markedPages)
    func page(_ name: String) throws {
        let page = try DocBlockParser.parse(Self.text(of: name), page: name)
        for failure in DocPageRunner().run(page) {
            Issue.record(Comment(rawValue: failure))
        }
    }

    @Test("the docs have runnable blocks, and every marker on every page is well formed")
    func convention() throws {
        var blocks = 0
        for name in Self.allPages() {
            let text = try Self.text(of: name)
            do {
                blocks += try DocBlockParser.parse(text, page: name).blocks.count
            } catch {
                Issue.record(Comment(rawValue: error.description))
            }
        }
        #expect(
            blocks > 0,
            "README.md and docs/*.md have no <!-- run --> block at all: a marker typo disables every example")
    }
}
