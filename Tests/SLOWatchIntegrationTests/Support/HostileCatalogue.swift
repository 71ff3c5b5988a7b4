import Foundation

/// One case of the hostile-input catalogue (`Fixtures/hostile/*.cases`; the format is described in
/// that folder's README.md): raw request bytes and what the server must answer.
struct HostileCase: Sendable {
    /// What the server must do with the bytes.
    enum Expectation: Sendable, Equatable {
        /// These final statuses, in order, one per response (interim 1xx responses are skipped).
        case statuses([Int])
        /// No response at all; the server closes the connection.
        case closed
        /// Nothing to observe on this connection (the client aborted it); the server must go on serving.
        case none
    }

    /// What the client does after sending the bytes.
    enum Ending: String, Sendable {
        /// Keeps the connection open and reads.
        case keep
        /// Shuts down its sending side (a FIN), then reads.
        case halfClose = "half-close"
        /// Closes with a reset at once, reading nothing.
        case abort
    }

    /// A unique name: lowercase letters, digits and dashes (it names the fuzz seed file too).
    var name: String
    /// Where the case comes from (llhttp, Http11Probe, slowatch).
    var source: String
    /// Why the expected answer is what it is, when that needs saying.
    var notes: [String]
    /// The exact bytes sent.
    var bytes: [UInt8]
    /// The expected answer.
    var expectation: Expectation
    /// Whether the connection must be closed by the server after the last response.
    var closesAfter: Bool
    /// What the client does after sending.
    var ending: Ending
    /// The first response answers a HEAD request, so it has no body.
    var firstIsHead: Bool
    /// The JSON `error.code` the last response must carry, when given.
    var errorCode: String?
    /// `file:line` of the case's `case` line, for failure messages.
    var location: String
}

/// A catalogue file that does not follow the format: fails loudly, naming the file, the line and the rule.
struct HostileCatalogueError: Error, CustomStringConvertible {
    let description: String
}

/// Loads and parses the case catalogues.
enum HostileCatalogue {
    /// `Tests/SLOWatchIntegrationTests/Fixtures/hostile`, found from this source file.
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/hostile")
    }

    /// Every case of every `*.cases` file in `directory`, in file-name order; throws on the first bad file
    /// and on a name used twice.
    static func loadAll(from directory: URL = directory) throws -> [HostileCase] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".cases") }.sorted()
        guard !files.isEmpty else {
            throw HostileCatalogueError(description: "\(directory.path) holds no *.cases file.")
        }
        var cases: [HostileCase] = []
        var seen: [String: String] = [:]
        for file in files {
            let text = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            let parsed = try parse(text, file: file)
            guard !parsed.isEmpty else {
                throw HostileCatalogueError(description: "\(file): the file holds no case.")
            }
            for item in parsed {
                if let first = seen[item.name] {
                    throw HostileCatalogueError(
                        description:
                            "\(item.location): the case name \(item.name) is already used at \(first).")
                }
                seen[item.name] = item.location
                cases.append(item)
            }
        }
        return cases
    }

    /// Parses one catalogue file's text; `file` names it in errors and locations.
    static func parse(_ text: String, file: String) throws -> [HostileCase] {
        var cases: [HostileCase] = []
        var builder: HostileCaseBuilder?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let location = "\(file):\(index + 1)"
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.isEmpty || line.hasPrefix("#") { continue }
            let (keyword, argument) = split(line)
            if keyword == "case" {
                if let builder { cases.append(try builder.finish()) }
                builder = try HostileCaseBuilder(name: argument, location: location)
                continue
            }
            guard builder != nil else {
                throw HostileCatalogueError(
                    description: "\(location): \"\(keyword)\" comes before any \"case NAME\" line.")
            }
            try builder?.apply(keyword: keyword, argument: argument, location: location)
        }
        if let builder { cases.append(try builder.finish()) }
        return cases
    }

    /// `keyword rest-of-line`: the rest keeps its inner and trailing bytes exactly.
    private static func split(_ line: Substring) -> (String, Substring) {
        guard let space = line.firstIndex(of: " ") else { return (String(line), "") }
        return (String(line[..<space]), line[line.index(after: space)...])
    }
}

/// Collects one case's lines and checks that they make a whole case.
private struct HostileCaseBuilder {
    private var item: HostileCase
    private var sawSource = false
    private var sawSend = false
    private var sawExpect = false
    private var sawAfter = false

    init(name: Substring, location: String) throws {
        let valid =
            !name.isEmpty && name.utf8.count <= 80
            && name.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
        guard valid else {
            throw HostileCatalogueError(
                description:
                    "\(location): the case name \"\(name)\" must be 1 to 80 lowercase letters, digits "
                    + "or dashes.")
        }
        item = HostileCase(
            name: String(name), source: "", notes: [], bytes: [], expectation: .closed, closesAfter: true,
            ending: .keep, firstIsHead: false, errorCode: nil, location: location)
    }

    mutating func apply(keyword: String, argument: Substring, location: String) throws {
        func fail(_ rule: String) -> HostileCatalogueError {
            HostileCatalogueError(description: "\(location): case \(item.name): \(rule)")
        }
        switch keyword {
        case "from":
            guard !argument.isEmpty else { throw fail("\"from\" needs a source.") }
            item.source = String(argument)
            sawSource = true
        case "note":
            item.notes.append(String(argument))
        case "send":
            do {
                item.bytes += try HostileBytes.decode(argument)
            } catch let error as HostileCatalogueError {
                throw fail(error.description)
            }
            sawSend = true
        case "expect":
            guard !sawExpect else { throw fail("it has more than one \"expect\" line.") }
            item.expectation = try expectation(argument, fail)
            sawExpect = true
        case "after":
            guard !sawAfter else { throw fail("it has more than one \"after\" line.") }
            switch argument {
            case "close": item.closesAfter = true
            case "open": item.closesAfter = false
            default: throw fail("\"after\" takes close or open, not \"\(argument)\".")
            }
            sawAfter = true
        case "client":
            guard let ending = HostileCase.Ending(rawValue: String(argument)), ending != .keep else {
                throw fail("\"client\" takes half-close or abort, not \"\(argument)\".")
            }
            item.ending = ending
        case "head":
            guard argument.isEmpty else { throw fail("\"head\" takes no argument.") }
            item.firstIsHead = true
        case "code":
            guard !argument.isEmpty, !argument.contains(" ") else { throw fail("\"code\" takes one word.") }
            item.errorCode = String(argument)
        default:
            throw fail(
                "unknown keyword \"\(keyword)\" (known: case, from, note, send, expect, after, client, head, code)."
            )
        }
    }

    private func expectation(_ argument: Substring, _ fail: (String) -> HostileCatalogueError) throws
        -> HostileCase.Expectation
    {
        switch argument {
        case "closed": return .closed
        case "none": return .none
        default:
            let words = argument.split(separator: " ")
            let statuses = words.compactMap { Int($0) }.filter { (200...599).contains($0) }
            guard !words.isEmpty, statuses.count == words.count else {
                throw fail(
                    "\"expect\" takes closed, none, or final statuses (200 to 599), not \"\(argument)\".")
            }
            return .statuses(statuses)
        }
    }

    func finish() throws -> HostileCase {
        func fail(_ rule: String) -> HostileCatalogueError {
            HostileCatalogueError(description: "\(item.location): case \(item.name): \(rule)")
        }
        guard sawSource else { throw fail("it has no \"from\" line.") }
        guard sawSend else { throw fail("it has no \"send\" line.") }
        guard sawExpect else { throw fail("it has no \"expect\" line.") }
        switch item.expectation {
        case .statuses:
            guard sawAfter else { throw fail("it expects responses but has no \"after close|open\" line.") }
            guard item.ending != .abort else { throw fail("a client that aborts cannot read responses.") }
            guard !(item.ending == .halfClose && !item.closesAfter) else {
                throw fail("after a half-close the server must close, so \"after open\" cannot hold.")
            }
        case .closed:
            guard !sawAfter else { throw fail("\"expect closed\" already says the connection closes.") }
            guard item.ending == .halfClose else {
                throw fail("\"expect closed\" needs \"client half-close\" (else the server waits for more).")
            }
        case .none:
            guard !sawAfter else { throw fail("\"expect none\" observes nothing after.") }
            guard item.ending == .abort else { throw fail("\"expect none\" needs \"client abort\".") }
        }
        return item
    }
}

/// Decodes the byte notation of `send` lines.
enum HostileBytes {
    /// Decodes `text`: printable ASCII as itself, and the escapes `\r`, `\n`, `\t`, `\\`, `\xHH`, and
    /// `\{N:TEXT}` (TEXT, itself decoded, repeated N times, 1 ≤ N ≤ 1,000,000). A raw byte outside
    /// 0x20...0x7E, a trailing space or an unknown escape is an error.
    static func decode(_ text: Substring, allowRepeat: Bool = true) throws -> [UInt8] {
        let input = Array(text.utf8)
        if let last = input.last, last == 0x20 {
            throw HostileCatalogueError(description: "a send line ends with a raw space; write it as \\x20.")
        }
        var out: [UInt8] = []
        var index = 0
        while index < input.count {
            let byte = input[index]
            guard byte >= 0x20 && byte <= 0x7E else {
                throw HostileCatalogueError(
                    description: "the raw byte 0x\(String(byte, radix: 16)) must be written as an escape.")
            }
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                index += 1
                continue
            }
            guard index + 1 < input.count else {
                throw HostileCatalogueError(description: "the line ends with a lone backslash.")
            }
            switch input[index + 1] {
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "x"):
                let digits = input[(index + 2)..<min(index + 4, input.count)]
                guard digits.count == 2,
                    digits.allSatisfy({ $0 < 128 && Character(UnicodeScalar($0)).isHexDigit }),
                    let value = UInt8(String(decoding: digits, as: UTF8.self), radix: 16)
                else {
                    throw HostileCatalogueError(description: "\\x must be followed by two hex digits.")
                }
                out.append(value)
                index += 4
                continue
            case UInt8(ascii: "{") where allowRepeat:
                guard let close = input[(index + 2)...].firstIndex(of: UInt8(ascii: "}")),
                    let colon = input[(index + 2)..<close].firstIndex(of: UInt8(ascii: ":")),
                    let count = Int(String(decoding: input[(index + 2)..<colon], as: UTF8.self)),
                    (1...1_000_000).contains(count)
                else {
                    throw HostileCatalogueError(
                        description: "a repeat must read \\{N:TEXT} with 1 ≤ N ≤ 1000000.")
                }
                let unit = try decode(
                    Substring(String(decoding: input[(colon + 1)..<close], as: UTF8.self)), allowRepeat: false
                )
                guard !unit.isEmpty else { throw HostileCatalogueError(description: "a repeat of nothing.") }
                for _ in 0..<count { out += unit }
                index = close + 1
                continue
            default:
                throw HostileCatalogueError(
                    description: "unknown escape \\\(String(UnicodeScalar(input[index + 1])))"
                        + " (known: \\r \\n \\t \\\\ \\xHH \\{N:TEXT}).")
            }
            index += 2
        }
        return out
    }
}
