/// Which side of the threshold is a breach.
public enum SLODirection: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// A breach when the actual value is greater than the threshold (latency, memory).
    case above
    /// A breach when the actual value is less than the threshold (frames per second).
    case below

    /// Parses `above` or `below`.
    /// - Throws: ``SLOError/invalidDirection(_:)`` for anything else.
    public init(parsing text: String) throws(SLOError) {
        guard let direction = SLODirection(rawValue: text) else { throw SLOError.invalidDirection(text) }
        self = direction
    }

    /// Whether `actual` breaches `threshold` in this direction; equal to the threshold is within it.
    public func isBreached(actual: Double, threshold: Double) -> Bool {
        switch self {
        case .above: actual > threshold
        case .below: actual < threshold
        }
    }

    /// `above` or `below`.
    public var description: String { rawValue }
}
