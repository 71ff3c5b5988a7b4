extension Connection {
    /// Queues the answer of a deferred route, then goes on with the requests buffered behind it.
    func completeDeferred(_ response: HTTPResponse) {
        guard machine.state == .awaitingResponse, let head = deferredHead else { return }
        deferredHead = nil
        loop.streams[id] = nil
        respond(response, head: head, keepAlive: head.keepAlive)
        service()
    }
}
