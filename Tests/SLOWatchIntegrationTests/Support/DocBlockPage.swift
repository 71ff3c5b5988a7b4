import Foundation

/// The runnable examples of one documentation page (README.md or `docs/*.md`), as ``DocBlockParser``
/// reads them: the server the runner provides, and the `<!-- run -->` blocks in page order.
struct DocBlockPage: Equatable, Sendable {
    /// The page's path relative to the package root, e.g. `docs/otlp.md`, used in every message.
    let name: String
    /// What the runner starts before the page's first block.
    var server: DocServerMode = .standard
    /// The runnable blocks, in page order.
    var blocks: [RunnableDocBlock] = []
}

/// What the runner starts before a page's first runnable block (`<!-- run-server: … -->`).
enum DocServerMode: Equatable, Sendable {
    /// `slowatch serve` on a free port with the defaults (no marker).
    case standard
    /// `slowatch serve ARGS` on a free port (`<!-- run-server: ARGS -->`, split at spaces).
    case arguments([String])
    /// Nothing: the page's blocks start and stop what they need (`<!-- run-server: none -->`).
    case none
}

/// A fenced `sh`/`bash` block with `<!-- run -->` right before it, and the expected standard output from
/// the fenced block after `<!-- output -->`, when the page shows one.
struct RunnableDocBlock: Equatable, Sendable {
    /// The 1-based line of the block's opening fence on its page.
    let line: Int
    /// The code between the fences, with the opening fence's indentation removed, ending in a newline.
    let code: String
    /// The lines of the output block (indentation removed), or nil when the page shows no output.
    var expectedOutput: [String]?
    /// The 1-based line of the output block's opening fence, when there is one.
    var outputLine: Int?

    /// The block's first non-empty line, to name the block in a failure.
    var firstLine: String {
        code.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map(String.init) ?? ""
    }
}

/// A page that breaks the runnable-block convention: a marker without `-->`, an unknown `<!-- run-… -->`
/// option, a marker not right before a fenced block, `<!-- output -->` with no runnable block before it.
struct DocBlockError: Error, Equatable, CustomStringConvertible {
    /// The page's path relative to the package root.
    let page: String
    /// The 1-based line of the offending marker or fence.
    let line: Int
    /// What is wrong, naming the rule.
    let message: String

    var description: String { "\(page):\(line): \(message)" }
}
