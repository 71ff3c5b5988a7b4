import SLOWatchCore

extension APIError {
    /// The answer for a registry error: 404 `metric_not_found` for an unknown metric, 422
    /// `metric_limit_reached` when the registry is full, 422 `memory_limit_reached` when the memory
    /// budget cannot take the metric (the message names `--memory-limit`), 409 `metric_exists` for a duplicate
    /// registration, and 400 `invalid_request` for a bad name, capacity, value, quantile or window.
    /// The message is the core's sentence, capitalised and ended with a full stop.
    init(_ error: MetricsError) {
        let message = APIError.sentence(error.message)
        switch error.kind {
        // One wording for every 404 about a metric, whichever layer noticed it.
        case .unknownMetric: self = .metricNotFound(error.unknownName ?? message)
        case .metricLimitReached: self.init(status: 422, code: "metric_limit_reached", message: message)
        case .memoryLimitReached:
            self.init(
                status: 422, code: "memory_limit_reached",
                message: APIError.sentence(error.message) + " Raise the budget with --memory-limit.")
        case .alreadyRegistered: self.init(status: 409, code: "metric_exists", message: message)
        case .invalidName, .invalidCapacity, .nonFiniteValue, .invalidQuantile, .invalidWindow:
            self = .invalidRequest(message)
        }
    }

    /// `text` with its first letter capitalised and a full stop at the end, if it has none.
    static func sentence(_ text: String) -> String {
        guard let first = text.first else { return text }
        let ending = text.last == "." ? "" : "."
        return first.uppercased() + text.dropFirst() + ending
    }
}
