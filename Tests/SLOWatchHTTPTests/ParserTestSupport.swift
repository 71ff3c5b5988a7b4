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

/// Feeds `chunks` to the server's request-parsing loop (`RequestReader`, through the stream parser) as
/// a connection would (bytes accumulate until consumed) and returns every request, stopping at the
/// first error.
func parseStream(_ chunks: [[UInt8]], limits: RequestParser.Limits = .init()) -> [ParseOutcome] {
    var parser = HTTPRequestStreamParser(limits: limits)
    var outcomes: [ParseOutcome] = []
    for chunk in chunks {
        parser.append(chunk)
        do throws(HTTPParseError) {
            while let request = try parser.nextRequest() {
                let headers = request.headers.map { "\($0.name): \($0.value)" }
                outcomes.append(
                    .request(
                        ParsedRequest(
                            method: request.method.rawValue, target: request.target, version: request.version,
                            headers: headers, body: request.body)))
            }
        } catch {
            outcomes.append(.error(error.status))
            return outcomes
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
