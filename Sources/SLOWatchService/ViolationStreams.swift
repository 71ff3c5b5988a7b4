import Logging

/// PLACEHOLDER: replaced by the owner of the violation stream.
final class ViolationStreams: Sendable {
    init(keepaliveIntervalMilliseconds: Double, logger: Logger) {}
    func start() {}
    func stop() {}
    var count: Int { 0 }
}
