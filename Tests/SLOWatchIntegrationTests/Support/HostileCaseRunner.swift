import Foundation
import TestRawClient

/// Runs hostile cases over raw sockets against a server on 127.0.0.1 and describes every difference
/// from what the case expects.
struct HostileCaseRunner {
    /// The server's port.
    let port: Int
    /// How long each read may wait, in ms: generous, since only a failing case waits it out (a case
    /// that expects the connection to stay open sends a probe instead of waiting for a close).
    var readTimeoutMilliseconds = 10_000
    /// Into how many pieces each case's bytes are cut, sent with a pause between them, so that the
    /// server reads them in separate reads (1: all at once).
    var pieces = 1
    /// The pause between pieces, in µs.
    var pauseMicroseconds: UInt32 = 2000

    /// The request that proves a kept connection still works and is still in step.
    static let probe = Array("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n".utf8)

    /// Runs `item` on a fresh connection.
    /// - Returns: nil when the server did what the case expects, else a sentence naming the case, what
    ///   was expected and what happened.
    func run(_ item: HostileCase) -> String? {
        var trace: [String] = []
        do throws(RawClientError) {
            let client = try RawClient(port: port, timeoutMilliseconds: readTimeoutMilliseconds)
            defer { client.close() }
            if pieces > 1 {
                let size = max(1, (item.bytes.count + pieces - 1) / pieces)
                try client.sendInPieces(item.bytes, pieceSize: size, pauseMicroseconds: pauseMicroseconds)
            } else {
                try client.send(item.bytes)
            }
            switch item.ending {
            case .keep: break
            case .halfClose: client.shutdownWrite()
            case .abort:
                client.abort()
                return nil
            }
            switch item.expectation {
            case .none:
                return nil
            case .closed:
                let rest = try client.readUntilClosed()
                if rest.isEmpty { return nil }
                trace.append("\(rest.count) bytes (\(Self.firstLine(rest))) before the close")
                return failure(item, trace)
            case .statuses(let expected):
                if let problem = try readResponses(expected, item, client, &trace) {
                    trace.append(problem)
                    return failure(item, trace)
                }
                if let problem = try checkAfter(item, client, &trace) {
                    trace.append(problem)
                    return failure(item, trace)
                }
                return nil
            }
        } catch {
            trace.append(error.isTimeout ? "a read timed out: \(error.message)" : error.message)
            return failure(item, trace)
        }
    }

    /// Reads one final response per expected status, skipping interim 1xx ones; nil when all match.
    private func readResponses(
        _ expected: [Int], _ item: HostileCase, _ client: RawClient, _ trace: inout [String]
    ) throws(RawClientError) -> String? {
        for (index, status) in expected.enumerated() {
            var response: RawResponse
            repeat {
                guard let next = try Self.readOrClosed(client, isHead: index == 0 && item.firstIsHead) else {
                    return "the server closed before response \(index + 1)"
                }
                response = next
            } while (100..<200).contains(response.status)
            trace.append("\(response.status)")
            guard response.status == status else { return "response \(index + 1) was \(response.status)" }
            let isHead = index == 0 && item.firstIsHead
            if status >= 400 && !isHead && (response.errorMessage ?? "").isEmpty {
                return
                    "response \(index + 1) (\(status)) has no JSON error with a message: \(response.bodyText)"
            }
            let isLast = index == expected.count - 1
            if isLast, let code = item.errorCode, response.errorCode != code {
                return "the last response's error code was \(response.errorCode ?? "none"), not \(code)"
            }
            let saysClose = response.tokens("Connection").contains { $0.lowercased() == "close" }
            // After its own FIN the client cannot require the header: the server may have answered
            // before it read the FIN.
            if isLast && saysClose != item.closesAfter && item.ending == .keep {
                return "the last response \(saysClose ? "says" : "does not say") Connection: close"
            }
            if !isLast && saysClose { return "response \(index + 1) says Connection: close" }
        }
        return nil
    }

    /// Checks the connection after the last response: closed with nothing more, or open and in step.
    private func checkAfter(_ item: HostileCase, _ client: RawClient, _ trace: inout [String])
        throws(RawClientError)
        -> String?
    {
        if item.closesAfter {
            guard let rest = try Self.readUntilClosedOrTimeout(client) else {
                trace.append("open")
                return "the connection stayed open"
            }
            trace.append("close")
            return rest.isEmpty
                ? nil : "\(rest.count) more bytes (\(Self.firstLine(rest))) came before the close"
        }
        try client.send(Self.probe)
        guard let response = try Self.readOrClosed(client, isHead: false) else {
            trace.append("close")
            return "the connection was closed (GET /healthz after the case got no answer)"
        }
        trace.append("open, then GET /healthz → \(response.status)")
        return response.status == 200 ? nil : "GET /healthz on the same connection got \(response.status)"
    }

    /// The next response, or nil when the server closed before a complete one.
    private static func readOrClosed(_ client: RawClient, isHead: Bool) throws(RawClientError) -> RawResponse?
    {
        do throws(RawClientError) {
            return try client.readResponse(isHead: isHead)
        } catch {
            if error.isClosed { return nil }
            throw error
        }
    }

    /// The bytes that came before the server closed, or nil when it kept the connection open.
    private static func readUntilClosedOrTimeout(_ client: RawClient) throws(RawClientError) -> [UInt8]? {
        do throws(RawClientError) {
            return try client.readUntilClosed()
        } catch {
            if error.isTimeout { return nil }
            throw error
        }
    }

    private func failure(_ item: HostileCase, _ trace: [String]) -> String {
        let expected: String
        switch item.expectation {
        case .statuses(let statuses):
            expected =
                statuses.map(String.init).joined(separator: " ") + (item.closesAfter ? ", close" : ", open")
        case .closed: expected = "closed with no response"
        case .none: expected = "nothing"
        }
        return "\(item.name) (\(item.location)): expected \(expected); got \(trace.joined(separator: ", "))"
    }

    private static func firstLine(_ bytes: [UInt8]) -> String {
        let line = bytes.prefix { $0 != 13 && $0 != 10 }.prefix(60)
        return String(decoding: line, as: UTF8.self).debugDescription
    }
}
