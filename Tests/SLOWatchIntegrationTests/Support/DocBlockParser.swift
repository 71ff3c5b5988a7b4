import Foundation

/// Reads the runnable-block convention of docs/runnable-examples.md from a page's Markdown.
///
/// Markers are lines whose text (after indentation) starts with `<!-- run` or `<!-- output`, outside any
/// fenced block: a page that documents the convention inside a fence is not itself runnable. Other HTML
/// comments (such as `<!-- example: NAME -->`) may sit between a marker and its fence; anything else
/// there is an error, so that a marker never silently stops applying.
enum DocBlockParser {
    /// The fence info strings (first word, lowercased) a `<!-- run -->` block may have.
    static let shellLanguages: Set<String> = ["sh", "bash"]

    /// Whether `text` has any marker outside a fence (well formed or not): the pages that get a test case.
    static func hasMarkers(_ text: String) -> Bool {
        var fence: Fence?
        for line in lines(of: text) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let open = fence {
                if open.isClosed(by: trimmed) { fence = nil }
            } else if let opening = Fence(opening: trimmed) {
                fence = opening
            } else if isMarker(trimmed) {
                return true
            }
        }
        return false
    }

    /// The page's server mode and runnable blocks with their expected output.
    /// - Throws: ``DocBlockError`` naming the line and the rule for every malformed marker.
    static func parse(_ text: String, page: String) throws(DocBlockError) -> DocBlockPage {
        let lines = lines(of: text)
        var result = DocBlockPage(name: page)
        var serverLine: Int?
        var pending: (kind: PendingKind, line: Int)?
        /// The index in `result.blocks` of the last fenced block when it was runnable, else nil.
        var lastFenceRunnable: Int?
        var index = 0
        while index < lines.count {
            let number = index + 1
            let trimmed = lines[index].trimmingCharacters(in: .whitespaces)
            if let fence = Fence(opening: trimmed) {
                guard let close = lines[(index + 1)...].firstIndex(where: { fence.isClosed(by: $0) }) else {
                    if let pending {
                        throw DocBlockError(
                            page: page, line: number,
                            message:
                                "the block after \(pending.kind.marker) (line \(pending.line)) is not closed")
                    }
                    break
                }
                let body = unindented(Array(lines[(index + 1)..<close]), by: indentation(of: lines[index]))
                switch pending?.kind {
                case .run:
                    guard shellLanguages.contains(fence.language) else {
                        throw DocBlockError(
                            page: page, line: number,
                            message: "<!-- run --> must be right before a ```sh or ```bash block, "
                                + "not ```\(fence.language)")
                    }
                    result.blocks.append(
                        RunnableDocBlock(line: number, code: body.joined(separator: "\n") + "\n"))
                    lastFenceRunnable = result.blocks.count - 1
                case .output:
                    guard let runnable = lastFenceRunnable else {
                        throw DocBlockError(
                            page: page, line: pending?.line ?? number,
                            message: "<!-- output --> has no runnable block right before it "
                                + "(the previous fenced block must have <!-- run -->)")
                    }
                    result.blocks[runnable].expectedOutput = body
                    result.blocks[runnable].outputLine = number
                    lastFenceRunnable = nil
                case nil:
                    lastFenceRunnable = nil
                }
                pending = nil
                index = close + 1
                continue
            }
            if isMarker(trimmed) {
                let kind = try marker(trimmed, page: page, line: number)
                switch kind {
                case .server(let mode):
                    if let serverLine {
                        throw DocBlockError(
                            page: page, line: number,
                            message: "a second <!-- run-server: … --> (the first is on line \(serverLine))")
                    }
                    serverLine = number
                    result.server = mode
                case .run, .output:
                    if let pending {
                        throw DocBlockError(
                            page: page, line: pending.line,
                            message: "\(pending.kind.marker) must be right before a fenced block, "
                                + "but line \(number) is another marker")
                    }
                    pending = (kind == .run ? .run : .output, number)
                }
            } else if let pending, !trimmed.hasPrefix("<!--") {
                throw DocBlockError(
                    page: page, line: pending.line,
                    message: "\(pending.kind.marker) must be right before a fenced block, "
                        + "but line \(number) is not a fence")
            }
            index += 1
        }
        if let pending {
            throw DocBlockError(
                page: page, line: pending.line, message: "\(pending.kind.marker) has no fenced block after it"
            )
        }
        if let serverLine, result.blocks.isEmpty {
            throw DocBlockError(
                page: page, line: serverLine,
                message: "<!-- run-server: … --> on a page with no runnable block")
        }
        return result
    }

    /// A page's lines, without a trailing carriage return each.
    static func lines(of text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
    }

    /// Whether a trimmed line is one of the convention's markers (well formed or not).
    private static func isMarker(_ trimmed: String) -> Bool {
        trimmed.hasPrefix("<!-- run") || trimmed.hasPrefix("<!-- output")
    }

    /// What a marker line asks for.
    private enum Marker: Equatable {
        case run
        case output
        case server(DocServerMode)
    }

    /// A marker that waits for its fence.
    private enum PendingKind {
        case run
        case output

        var marker: String { self == .run ? "<!-- run -->" : "<!-- output -->" }
    }

    /// Decodes one marker line.
    /// - Throws: when it has no `-->`, text after it, or an unknown name or option.
    private static func marker(_ trimmed: String, page: String, line: Int) throws(DocBlockError) -> Marker {
        guard let end = trimmed.range(of: "-->") else {
            throw DocBlockError(page: page, line: line, message: "the marker '\(trimmed)' has no closing -->")
        }
        guard trimmed[end.upperBound...].trimmingCharacters(in: .whitespaces).isEmpty else {
            throw DocBlockError(
                page: page, line: line, message: "the marker '\(trimmed)' must be alone on its line")
        }
        let body = trimmed[trimmed.index(trimmed.startIndex, offsetBy: 4)..<end.lowerBound]
            .trimmingCharacters(in: .whitespaces)
        if body == "run" { return .run }
        if body == "output" { return .output }
        if body.hasPrefix("run-server:") {
            let value = body.dropFirst("run-server:".count).trimmingCharacters(in: .whitespaces)
            if value == "none" { return .server(.none) }
            let arguments = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard !arguments.isEmpty else {
                throw DocBlockError(
                    page: page, line: line,
                    message: "<!-- run-server: … --> needs the server's arguments or 'none'")
            }
            return .server(.arguments(arguments))
        }
        throw DocBlockError(
            page: page, line: line,
            message: "unknown marker '\(trimmed)': the markers are <!-- run -->, <!-- output -->, "
                + "<!-- run-server: ARGS --> and <!-- run-server: none -->")
    }

    /// The number of leading spaces of `line`.
    private static func indentation(of line: String) -> Int { line.prefix(while: { $0 == " " }).count }

    /// `lines` with up to `indent` leading spaces removed from each (a block in a list item is indented).
    private static func unindented(_ lines: [String], by indent: Int) -> [String] {
        lines.map { String($0.dropFirst(min(indent, indentation(of: $0)))) }
    }
}

/// A Markdown code fence: three or more backticks, closed by a line of at least as many backticks.
private struct Fence {
    /// The number of backticks that opened it.
    let length: Int
    /// The first word of the info string, lowercased (`sh`, `bash`, `json`, or empty).
    let language: String

    /// The fence a trimmed line opens, or nil when it opens none.
    init?(opening trimmed: String) {
        let ticks = trimmed.prefix(while: { $0 == "`" }).count
        guard ticks >= 3 else { return nil }
        length = ticks
        language = trimmed.dropFirst(ticks).split(separator: " ").first.map { $0.lowercased() } ?? ""
    }

    /// Whether `line` closes this fence.
    func isClosed(by line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        return trimmed.count >= length && trimmed.allSatisfy { $0 == "`" }
    }
}
