import Foundation
import SLOWatchSync
import TestCurlClient

/// An SSE client for tests: reads `text/event-stream` through `CurlClient.stream` on a thread of its
/// own, so a test can act (post samples, publish, stop the service) while the stream stays connected.
///
/// `CurlClient.stream` can only stop between chunks, so services under test should send keepalives
/// often (a few hundred ms); ``close()`` then returns within one keepalive interval. Every wait is
/// bounded, and the whole stream by `timeoutMilliseconds`.
final class SSEReader: Sendable {
    /// One parsed SSE block (the lines up to a blank line).
    struct Message: Sendable, Equatable {
        /// The `id:` field, if any.
        var id: String?
        /// The `event:` field, if any.
        var event: String?
        /// The `data:` lines, joined with newlines; nil when there were none.
        var data: String?
        /// The `retry:` field, if any.
        var retry: String?
        /// Comment lines (after the leading `:` and one optional space).
        var comments: [String] = []

        /// The data parsed as a JSON object (the event envelope), or nil.
        var envelope: [String: Any]? {
            guard let data else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(data.utf8))) as? [String: Any]
        }
    }

    /// What the reader thread shares with the test, under ``state``.
    private struct State: Sendable {
        /// Everything received, as text.
        var text = ""
        /// The complete messages parsed so far.
        var messages: [Message] = []
        /// Text after the last complete message (each chunk is parsed once, not the whole text again).
        var pending = ""
        /// The test asked the reader to stop at the next chunk.
        var stopRequested = false
        /// The transfer returned.
        var finished = false
        /// The response status, once finished.
        var status = 0
        /// The response headers, once finished.
        var headers: [CurlHeaderField] = []
        /// The transfer error, if any.
        var failure: String?
    }

    /// Shared by the reader thread and the test.
    private let state = PThreadLock(State())

    /// Connects to `url` with `Accept: text/event-stream` plus `headers`, on a new thread.
    init(url: String, headers: [(String, String)] = [], timeoutMilliseconds: Int = 30_000) {
        let allHeaders = [("Accept", "text/event-stream")] + headers
        let sendableHeaders = allHeaders.map { [$0.0, $0.1] }
        let thread = Thread { [state] in
            let outcome: (CurlResponse?, String?)
            do {
                let client = try CurlClient()
                let response = try client.stream(
                    url, headers: sendableHeaders.map { ($0[0], $0[1]) },
                    timeoutMilliseconds: timeoutMilliseconds
                ) { chunk in
                    state.withLock { state in
                        let piece = String(decoding: chunk, as: UTF8.self)
                        state.text += piece
                        state.pending += piece
                        if let end = state.pending.range(of: "\n\n", options: .backwards)?.upperBound {
                            state.messages += Self.parse(String(state.pending[..<end]))
                            state.pending = String(state.pending[end...])
                        }
                        return !state.stopRequested
                    }
                }
                outcome = (response, nil)
            } catch {
                outcome = (nil, "\(error)")
            }
            state.withLock { state in
                state.finished = true
                state.failure = outcome.1
                if let response = outcome.0 {
                    state.status = response.status
                    state.headers = response.headers
                }
            }
        }
        thread.start()
    }

    /// Everything received so far, as text.
    var text: String { state.withLock { $0.text } }

    /// The complete messages received so far (a trailing incomplete block is left out).
    var messages: [Message] { state.withLock { $0.messages } }

    /// The messages that carry a bus event (`event:` and `data:`), in order; the `stream.truncated`
    /// notice is not one (see ``truncations``).
    var events: [Message] {
        messages.filter { $0.event != nil && $0.data != nil && $0.event != "stream.truncated" }
    }

    /// The `event: stream.truncated` notices received, in order.
    var truncations: [Message] { messages.filter { $0.event == "stream.truncated" } }

    /// True once the stream ended (the server finished it, the client stopped, or it failed).
    var isFinished: Bool { state.withLock { $0.finished } }

    /// The response status once finished (0 before).
    var status: Int { state.withLock { $0.status } }

    /// The response header `name` once finished.
    func header(_ name: String) -> String? {
        state.withLock { state in state.headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    }

    /// The transfer error, if it failed (e.g. a timeout before the server ended the stream).
    var failure: String? { state.withLock { $0.failure } }

    /// Polls every 5 ms until `condition` holds for this reader, for at most `milliseconds`.
    @discardableResult
    func wait(upTo milliseconds: Int = 10_000, until condition: (SSEReader) -> Bool) -> Bool {
        Self.poll(upTo: milliseconds) { condition(self) }
    }

    /// Polls every 5 ms until `condition` holds, for at most `milliseconds`; returns whether it did.
    static func poll(upTo milliseconds: Int, until condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(Double(milliseconds) / 1000)
        while Date() < deadline {
            if condition() { return true }
            usleep(5_000)
        }
        return condition()
    }

    /// Waits until at least `count` events arrived; returns whether they did within `milliseconds`.
    @discardableResult
    func waitForEvents(_ count: Int, upTo milliseconds: Int = 10_000) -> Bool {
        wait(upTo: milliseconds) { $0.events.count >= count }
    }

    /// Waits for the stream to end by itself (the server finished it).
    @discardableResult
    func waitUntilFinished(upTo milliseconds: Int = 10_000) -> Bool {
        wait(upTo: milliseconds) { $0.isFinished }
    }

    /// Asks the client to stop at the next chunk and waits (bounded) for the thread to end.
    func close(upTo milliseconds: Int = 10_000) {
        state.withLock { $0.stopRequested = true }
        waitUntilFinished(upTo: milliseconds)
    }

    /// Splits SSE text into messages at blank lines (LF line endings, as the service writes them).
    static func parse(_ text: String) -> [Message] {
        var blocks = text.components(separatedBy: "\n\n")
        blocks.removeLast()  // Complete blocks end with a blank line; what follows is incomplete.
        return blocks.map { block in
            var message = Message()
            var dataLines: [String] = []
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix(":") {
                    var comment = line.dropFirst()
                    if comment.hasPrefix(" ") { comment = comment.dropFirst() }
                    message.comments.append(String(comment))
                    continue
                }
                let parts = line.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                var value = parts.count > 1 ? parts[1] : ""
                if value.hasPrefix(" ") { value = value.dropFirst() }
                switch parts[0] {
                case "id": message.id = String(value)
                case "event": message.event = String(value)
                case "data": dataLines.append(String(value))
                case "retry": message.retry = String(value)
                default: break
                }
            }
            message.data = dataLines.isEmpty ? nil : dataLines.joined(separator: "\n")
            return message
        }
    }
}
