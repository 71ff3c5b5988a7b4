extension Connection {
    /// Queues the answer of a deferred route, then goes on with the requests buffered behind it.
    func completeDeferred(_ response: HTTPResponse) {
        guard !isClosed, case .awaitingResponse(let head) = phase else { return }
        loop.streams[id] = nil
        respond(response, head: head, keepAlive: head.keepAlive)
        service()
    }
}
