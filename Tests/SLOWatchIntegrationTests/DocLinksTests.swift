import Foundation
import Testing

/// Every link in the README, the other top-level Markdown files and `docs/*.md` resolves: a relative
/// path names a file or folder of the repository, and a `#fragment` names a heading of the page it points
/// at (by GitHub's rule for heading anchors). Links to other sites are not fetched.
@Suite("Documentation links")
struct DocLinksTests {
    /// The pages checked, relative to the package root.
    static func pages() throws -> [String] {
        let root = SlowatchProcess.packageRoot
        let manager = FileManager.default
        let top = try manager.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".md") }
        let docs =
            ((try? manager.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)) ?? [])
            .filter { $0.hasSuffix(".md") }.map { "docs/\($0)" }
        return (top + docs + ["Benchmarks/harness/README.md", "Fuzz/README.md"]).sorted()
    }

    @Test("every relative link and anchor in the Markdown pages resolves")
    func linksResolve() throws {
        let root = SlowatchProcess.packageRoot
        var broken: [String] = []
        var checked = 0
        for page in try Self.pages() {
            let url = root.appendingPathComponent(page)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            for link in MarkdownLinks.targets(in: text) {
                if link.contains("://") || link.hasPrefix("mailto:") { continue }
                checked += 1
                let parts = link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
                let path = String(parts[0])
                let target = path.isEmpty ? url : url.deletingLastPathComponent().appendingPathComponent(path)
                guard FileManager.default.fileExists(atPath: target.path) else {
                    broken.append("\(page): \(link): no file \(path)")
                    continue
                }
                guard parts.count == 2, target.pathExtension == "md" else { continue }
                let anchors = MarkdownLinks.anchors(in: try String(contentsOf: target, encoding: .utf8))
                if !anchors.contains(String(parts[1])) {
                    broken.append(
                        "\(page): \(link): no heading with that anchor in \(target.lastPathComponent)")
                }
            }
        }
        #expect(broken.isEmpty, "\(broken.joined(separator: "\n"))")
        #expect(checked >= 20, "only \(checked) relative links were found: is the reader broken?")
    }

    /// The most lines README.md may have (issue 20): the README is the front page, and the detail lives
    /// in `docs/`.
    static let readmeLineLimit = 250

    @Test("README.md is at most 250 lines; the detail goes to a page under docs/")
    func readmeIsShort() throws {
        let url = SlowatchProcess.packageRoot.appendingPathComponent("README.md")
        let lines = try String(contentsOf: url, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false)
        let count = lines.last == "" ? lines.count - 1 : lines.count
        #expect(
            count <= Self.readmeLineLimit,
            "README.md has \(count) lines, over \(Self.readmeLineLimit): move the detail to a page under docs/"
        )
    }

    @Test(
        "anchors follow GitHub's rule",
        arguments: [
            ("## Quick start", "quick-start"),
            ("### Prometheus: scrape `GET /metrics`", "prometheus-scrape-get-metrics"),
            ("## History: percentiles over any window", "history-percentiles-over-any-window"),
            ("### OpenSLO v1 in and out", "openslo-v1-in-and-out"),
            (
                "## Integrations: a browser, Prometheus, StatsD, Alertmanager, Docker",
                "integrations-a-browser-prometheus-statsd-alertmanager-docker"
            ),
        ])
    func anchorRule(heading: String, anchor: String) {
        #expect(MarkdownLinks.anchors(in: heading + "\n").contains(anchor))
    }

    @Test("links inside code blocks are not links, and a repeated heading gets -1")
    func codeBlocksAndRepeats() {
        let text = "# A\n\n```\n[x](nowhere.md)\n```\n\n## A\n[y](#a-1) and [z][ref]\n\n[ref]: CHANGELOG.md\n"
        #expect(MarkdownLinks.targets(in: text) == ["#a-1", "CHANGELOG.md"])
        #expect(MarkdownLinks.anchors(in: text) == ["a", "a-1"])
    }
}

/// Reads links and heading anchors out of Markdown text, outside fenced code blocks.
enum MarkdownLinks {
    /// The targets of inline links and images (`[text](target)`, `![alt](target "title")`) and of reference
    /// definitions (`[label]: target`), in order, outside fenced code blocks and inline code.
    static func targets(in text: String) -> [String] {
        var found: [String] = []
        for line in proseLines(of: text) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("["), let close = trimmed.range(of: "]: ") {
                let rest = trimmed[close.upperBound...].split(separator: " ").first.map(String.init) ?? ""
                if !rest.isEmpty { found.append(rest) }
                continue
            }
            var rest = Substring(withoutInlineCode(line))
            while let open = rest.range(of: "](") {
                let after = rest[open.upperBound...]
                guard let close = after.firstIndex(of: ")") else { break }
                let target = after[..<close].split(separator: " ").first.map(String.init) ?? ""
                if !target.isEmpty {
                    found.append(target.trimmingCharacters(in: CharacterSet(charactersIn: "<>")))
                }
                rest = after[close...]
            }
        }
        return found
    }

    /// The anchors GitHub gives the page's headings, in order: lower case, inline code marks and
    /// punctuation other than `-` and `_` removed, spaces made `-`; a repeated anchor gets `-1`, `-2`, ….
    static func anchors(in text: String) -> [String] {
        var seen: [String: Int] = [:]
        var result: [String] = []
        for line in proseLines(of: text) where line.hasPrefix("#") {
            let title = line.drop { $0 == "#" }
            guard title.first == " " else { continue }
            var anchor = ""
            for character in title.trimmingCharacters(in: .whitespaces).lowercased() {
                if character == " " {
                    anchor.append("-")
                } else if character.isLetter || character.isNumber || character == "-" || character == "_" {
                    anchor.append(character)
                }
            }
            let count = seen[anchor, default: 0]
            seen[anchor] = count + 1
            result.append(count == 0 ? anchor : "\(anchor)-\(count)")
        }
        return result
    }

    /// The lines outside fenced code blocks (``` or ~~~, at any indentation).
    private static func proseLines(of text: String) -> [String] {
        var inFence = false
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                inFence.toggle()
                continue
            }
            if !inFence { lines.append(String(line)) }
        }
        return lines
    }

    /// The line with every inline code span (between backticks) removed.
    private static func withoutInlineCode(_ line: String) -> String {
        var result = ""
        var inCode = false
        for character in line {
            if character == "`" {
                inCode.toggle()
            } else if !inCode {
                result.append(character)
            }
        }
        return result
    }
}
