import SLOWatchCore

extension SLOEvent {
    /// Reads an SLO event back from the bus envelope the monitor published it in.
    ///
    /// Returns nil for an event of another topic or a payload without the fields every SLO event has;
    /// `severity` (absent from events of older producers) defaults to `warning`.
    init?(_ event: Event) {
        guard let kind = Kind.allCases.first(where: { $0.topic == event.topic }),
            case .string(let slo)? = event.payload["slo"],
            case .string(let metric)? = event.payload["metric"],
            case .string(let percentile)? = event.payload["percentile"],
            case .string(let unit)? = event.payload["unit"],
            case .string(let directionText)? = event.payload["direction"],
            let direction = SLODirection(rawValue: directionText),
            let threshold = Self.number(event.payload["threshold"]),
            let actual = Self.number(event.payload["actual"]),
            let timestamp = Self.number(event.payload["timestamp"])
        else { return nil }
        var severity = SLODefinition.defaultSeverity
        if case .string(let text)? = event.payload["severity"] { severity = text }
        var reason: RecoveryReason?
        if case .string(let text)? = event.payload["reason"] { reason = RecoveryReason(rawValue: text) }
        self.init(
            kind: kind, slo: slo, metric: metric, percentile: percentile,
            quantile: Self.number(event.payload["quantile"]) ?? 0, threshold: threshold, actual: actual,
            unit: unit, direction: direction, count: Int(clamping: Self.integer(event.payload["count"])),
            timestamp: timestamp, violatingForMs: Self.number(event.payload["violatingForMs"]),
            reason: reason,
            severity: severity)
    }

    /// A number or integer payload value as a `Double`.
    private static func number(_ value: EventValue?) -> Double? {
        switch value {
        case .number(let number)?: number
        case .integer(let integer)?: Double(integer)
        default: nil
        }
    }

    /// An integer payload value, 0 when absent.
    private static func integer(_ value: EventValue?) -> Int64 {
        if case .integer(let integer)? = value { return integer }
        return 0
    }
}
