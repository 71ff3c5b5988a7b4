/// What one load run measured. Latencies are in ns from each request's intended send time to the end
/// of its response, so time spent waiting for a free connection or behind a stall is included.
public struct LoadResult: Sendable {
    /// The options the run used.
    public let options: LoadOptions
    /// Latency of every completed response (any status), in ns from the intended send time.
    public let latency: LatencyHistogram
    /// How late each request left after its intended time, in ns: the generator's own backlog
    /// (waiting for a connection included). Large values here mean the server, or the generator
    /// itself, could not keep up with the rate.
    public let sendDelay: LatencyHistogram
    /// Requests written to a connection.
    public let sent: Int
    /// Responses received in full.
    public let completed: Int
    /// Responses whose status was not 2xx.
    public let statusErrors: Int
    /// Requests lost to a closed, reset or unparseable connection, or still unanswered at the end.
    public let socketErrors: Int
    /// Requests due but never sent: still waiting at the end, or refused by a full pending queue.
    public let unsent: Int
    /// From the first intended send time to the end of the run, in ns.
    public let elapsedNanoseconds: UInt64

    /// Completed responses per second over the run.
    public var achievedRate: Double {
        elapsedNanoseconds == 0 ? 0 : Double(completed) / (Double(elapsedNanoseconds) / 1e9)
    }

    /// Status and socket errors together, plus unsent requests.
    public var errors: Int { statusErrors + socketErrors + unsent }

    /// The reported percentiles, with the labels of the text and JSON outputs.
    static let percentiles: [(label: String, key: String, value: Double)] = [
        ("p50", "p50_ms", 50), ("p90", "p90_ms", 90), ("p99", "p99_ms", 99), ("p99.9", "p999_ms", 99.9),
    ]

    /// ns as ms with three decimals (µs resolution).
    static func milliseconds(_ nanoseconds: UInt64) -> String {
        let micros = (nanoseconds + 500) / 1_000
        let fraction = String(micros % 1_000)
        return "\(micros / 1_000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// One JSON object on one line: the scenario, the rates, the counts and the latencies in ms.
    public var jsonLine: String {
        var fields = [
            "\"scenario\":\"\(options.scenario.rawValue)\"", "\"arrival\":\"\(options.arrival.rawValue)\"",
            "\"target_rate\":\(options.rate)", "\"achieved_rate\":\((achievedRate * 10).rounded() / 10)",
            "\"connections\":\(options.connections)", "\"sent\":\(sent)", "\"completed\":\(completed)",
            "\"errors\":\(errors)", "\"status_errors\":\(statusErrors)", "\"socket_errors\":\(socketErrors)",
            "\"unsent\":\(unsent)",
        ]
        for (_, key, value) in Self.percentiles {
            fields.append("\"\(key)\":\(Self.milliseconds(latency.value(atPercentile: value)))")
        }
        fields.append("\"max_ms\":\(Self.milliseconds(latency.maximum))")
        fields.append("\"send_delay_p50_ms\":\(Self.milliseconds(sendDelay.value(atPercentile: 50)))")
        fields.append("\"send_delay_p99_ms\":\(Self.milliseconds(sendDelay.value(atPercentile: 99)))")
        return "{" + fields.joined(separator: ",") + "}"
    }

    /// A readable summary, two lines.
    public var summary: [String] {
        let rates =
            "\(options.scenario.rawValue) \(options.arrival.rawValue) target \(options.rate) req/s, achieved "
            + "\((achievedRate * 10).rounded() / 10) req/s; sent \(sent), completed \(completed), errors \(errors) "
            + "(status \(statusErrors), socket \(socketErrors), unsent \(unsent))"
        var tails = "latency ms from intended send time:"
        for (label, _, value) in Self.percentiles {
            tails += " \(label) \(Self.milliseconds(latency.value(atPercentile: value)))"
        }
        tails += " max \(Self.milliseconds(latency.maximum))"
        tails += "; send delay p99 \(Self.milliseconds(sendDelay.value(atPercentile: 99)))"
        return [rates, tails]
    }
}
