import Testing

@testable import SLOWatchHTTP

/// What the parser made of one request, in a form tests can compare.
struct ParsedRequest: Equatable {
    var method: String
    var target: String
    var version: HTTPVersion
    var headers: [String]
    var body: [UInt8]
}

/// One parsed request, or the status of the error that stopped parsing.
enum ParseOutcome: Equatable {
    case request(ParsedRequest)
    case error(Int)
}

/// Feeds `chunks` to a parser as a connection would (bytes accumulate until consumed) and
/// returns every request, stopping at the first error.
func parseStream(_ chunks: [[UInt8]], limits: RequestParser.Limits = .init()) -> [ParseOutcome] {
    var parser = RequestParser(limits: limits)
    var buffer: [UInt8] = []
    var outcomes: [ParseOutcome] = []
    var pendingHead: RequestHead?
    var body: [UInt8] = []
    func record(_ head: RequestHead, _ body: [UInt8]) {
        let headers = head.headers.map { "\($0.name): \($0.value)" }
        outcomes.append(
            .request(
                ParsedRequest(
                    method: head.method.rawValue, target: head.target, version: head.version,
                    headers: headers,
                    body: body)))
    }
    for chunk in chunks {
        buffer += chunk
        feeding: while true {
            if let head = pendingHead {
                let result = buffer.withUnsafeBytes { parser.parseBody($0, into: &body) }
                switch result {
                case .incomplete(let count):
                    buffer.removeFirst(count)
                    break feeding
                case .complete(let count):
                    buffer.removeFirst(count)
                    record(head, body)
                    pendingHead = nil
                case .failed(let error):
                    outcomes.append(.error(error.status))
                    return outcomes
                }
            } else {
                let result = buffer.withUnsafeBytes { parser.parseHead($0) }
                switch result {
                case .incomplete:
                    break feeding
                case .failed(let error):
                    outcomes.append(.error(error.status))
                    return outcomes
                case .complete(let head, let count):
                    buffer.removeFirst(count)
                    if head.hasBody {
                        pendingHead = head
                        body = []
                    } else {
                        record(head, [])
                    }
                }
            }
        }
    }
    return outcomes
}

/// Parses `text` delivered in one read.
func parseWhole(_ text: String, limits: RequestParser.Limits = .init()) -> [ParseOutcome] {
    parseStream([Array(text.utf8)], limits: limits)
}

/// Parses `text` delivered one byte per read.
func parseBytewise(_ text: String) -> [ParseOutcome] {
    parseStream(Array(text.utf8).map { [$0] })
}
