/// An error in an SLO definition or an SLO set.
public struct SLOError: Error, Sendable, Equatable, CustomStringConvertible {
    private enum Code: Sendable, Equatable {
        case invalidID(String)
        case invalidMetricName(slo: String, metric: String)
        case invalidPercentile(String)
        case nonFiniteThreshold(slo: String, threshold: String)
        case invalidMinSamples(slo: String, minSamples: Int)
        case invalidWindow(slo: String, window: String)
        case invalidDirection(String)
        case invalidSeverity(slo: String, severity: String)
        case duplicateID(String)
        case budget(slo: String, field: String, text: String)
    }

    private let code: Code

    private init(_ code: Code) { self.code = code }

    /// The SLO id does not match `^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$`.
    public static func invalidID(_ id: String) -> SLOError { SLOError(.invalidID(id)) }

    /// The metric name does not match `^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$`.
    public static func invalidMetricName(slo: String, metric: String) -> SLOError {
        SLOError(.invalidMetricName(slo: slo, metric: metric))
    }

    /// The percentile is not `pNN` or `pNN.N` with a quantile in (0, 1].
    public static func invalidPercentile(_ text: String) -> SLOError { SLOError(.invalidPercentile(text)) }

    /// The threshold is NaN or infinite.
    public static func nonFiniteThreshold(slo: String, threshold: Double) -> SLOError {
        SLOError(.nonFiniteThreshold(slo: slo, threshold: threshold.description))
    }

    /// `minSamples` is below 1.
    public static func invalidMinSamples(slo: String, minSamples: Int) -> SLOError {
        SLOError(.invalidMinSamples(slo: slo, minSamples: minSamples))
    }

    /// The window is zero or negative.
    public static func invalidWindow(slo: String, window: Duration) -> SLOError {
        invalidWindow(slo: slo, milliseconds: window.milliseconds)
    }

    /// The window, in ms, is zero, negative or not finite (the message writes it in ms).
    package static func invalidWindow(slo: String, milliseconds: Double) -> SLOError {
        SLOError(.invalidWindow(slo: slo, window: milliseconds.description))
    }

    /// The direction is neither `above` nor `below`.
    public static func invalidDirection(_ text: String) -> SLOError { SLOError(.invalidDirection(text)) }

    /// The severity does not match `^[a-z][a-z0-9_-]{0,31}$`.
    public static func invalidSeverity(slo: String, severity: String) -> SLOError {
        SLOError(.invalidSeverity(slo: slo, severity: severity))
    }

    /// Two SLOs in one set share an id.
    public static func duplicateID(_ id: String) -> SLOError { SLOError(.duplicateID(id)) }

    /// An error-budget field (`objective`, `budgetingMethod`, `period`, `slice` or `alerts`) breaks its
    /// rule; `text` is the whole sentence, naming the SLO, the field, the value and the rule.
    package static func budget(slo: String, field: String, _ text: String) -> SLOError {
        SLOError(.budget(slo: slo, field: field, text: text))
    }

    /// The error-budget field this error is about (`objective`, `budgetingMethod`, `period`, `slice`,
    /// `alerts`), or nil for an error about another field.
    public var budgetField: String? {
        if case .budget(_, let field, _) = code { return field }
        return nil
    }

    /// A human sentence naming the input and the rule it broke.
    public var message: String {
        switch code {
        case .invalidID(let id):
            "The SLO id \"\(id.prefix(200))\" is not valid: it must be 1 to 128 characters of letters, digits, "
                + "'_', '.', ':' or '-', starting with a letter or digit."
        case .invalidMetricName(let slo, let metric):
            "The SLO \"\(slo)\" names the metric \"\(metric.prefix(200))\", which is not valid: a metric name is "
                + "1 to 128 characters of letters, digits, '_', '.', ':' or '-', starting with a letter or digit."
        case .invalidPercentile(let text):
            "The percentile \"\(text.prefix(200))\" is not valid: write p followed by a number with at most one "
                + "decimal, greater than 0 and at most 100 (p50, p95, p99.9, p100)."
        case .nonFiniteThreshold(let slo, let threshold):
            "The SLO \"\(slo)\" has the threshold \(threshold), which is not valid: a threshold must be a finite number."
        case .invalidMinSamples(let slo, let minSamples):
            "The SLO \"\(slo)\" has minSamples \(minSamples), which is not valid: it must be at least 1."
        case .invalidWindow(let slo, let window):
            "The SLO \"\(slo)\" has the window \(window) ms, which is not valid: a window must be a finite number "
                + "of milliseconds greater than 0."
        case .invalidDirection(let text):
            "The direction \"\(text.prefix(200))\" is not valid: it must be \"above\" or \"below\"."
        case .invalidSeverity(let slo, let severity):
            "The SLO \"\(slo)\" has the severity \"\(severity.prefix(200))\", which is not valid: a severity is 1 to 32 "
                + "lowercase letters, digits, '_' or '-', starting with a letter (warning, critical, info, page)."
        case .duplicateID(let id):
            "The SLO id \"\(id)\" appears more than once: SLO ids must be unique within a set."
        case .budget(_, _, let text):
            text
        }
    }

    /// The same as ``message``.
    public var description: String { message }
}
