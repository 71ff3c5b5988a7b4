/// What became of one post to an Alertmanager.
enum AlertPostOutcome: Sendable, Equatable {
    /// A 2xx answer: the alerts are accepted.
    case accepted(status: Int)
    /// Another status: the Alertmanager refused the post; `detail` is the start of its answer's body.
    case refused(status: Int, detail: String)
    /// No answer: the name did not resolve, the connection failed, or a timeout passed.
    case failed(String)

    /// Whether the alerts were accepted.
    var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
    }

    /// A phrase for the log: `HTTP 400: bad alert`, `connection refused`.
    var reason: String {
        switch self {
        case .accepted(let status): "HTTP \(status)"
        case .refused(let status, let detail): detail.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(detail)"
        case .failed(let reason): reason
        }
    }
}
