extension HTTPResponder {
    /// Answers collected on one thread and sent together: one mailbox post per event loop, however many
    /// answers go to it, so a worker that completes many deferred requests at once (a journal's group
    /// commit) wakes each loop at most once and takes each loop's mailbox lock once.
    ///
    /// Each answer counts as the responder's one ``HTTPResponder/respond(_:)``: a responder already
    /// answered is skipped. The loop writes each connection's answer in the order appended. Not
    /// Sendable: fill and send it on one thread.
    public struct Batch {
        /// The answers bound for one loop, by connection id, in the order appended.
        private struct LoopAnswers {
            let mailbox: HTTPLoopMailbox
            var answers: [DeferredAnswer]
        }

        /// One list per loop seen; a server has a handful of loops, so a linear search is the cheapest.
        private var loops: [LoopAnswers] = []

        /// An empty batch.
        public init() {}

        /// Adds `response` as `responder`'s answer; sent by ``send()``. An answer for the in-process
        /// harness (no loop) is delivered at once.
        public mutating func append(_ responder: HTTPResponder, _ response: HTTPResponse) {
            guard let (connectionID, mailbox) = responder.claimForBatch(response) else { return }
            let target = ObjectIdentifier(mailbox.mailbox)
            for index in loops.indices where ObjectIdentifier(loops[index].mailbox.mailbox) == target {
                loops[index].answers.append(DeferredAnswer(connectionID: connectionID, response: response))
                return
            }
            loops.append(
                LoopAnswers(
                    mailbox: mailbox,
                    answers: [DeferredAnswer(connectionID: connectionID, response: response)]))
        }

        /// Posts each loop's answers in one message, and empties the batch. Never blocks.
        public mutating func send() {
            for loop in loops {
                if loop.answers.count == 1, let only = loop.answers.first {
                    loop.mailbox.post(.respond(connectionID: only.connectionID, response: only.response))
                } else {
                    loop.mailbox.post(.respondAll(loop.answers))
                }
            }
            loops.removeAll(keepingCapacity: true)
        }
    }
}

/// One deferred answer in a ``LoopCommand/respondAll(_:)`` message.
struct DeferredAnswer: Sendable {
    /// The connection it answers.
    let connectionID: UInt64
    /// The answer.
    let response: HTTPResponse
}
