/// Something that publishes events: the ``EventBus``, or a stand-in in tests.
///
/// The SLO monitor talks to the bus through this protocol so that a failing publisher can be injected.
public protocol EventPublishing: Sendable {
    /// Wraps `payload` in an envelope and delivers it to the subscribers of `topic`.
    /// - Returns: the published envelope.
    @discardableResult
    func publish(topic: String, payload: EventPayload) throws -> Event
}
