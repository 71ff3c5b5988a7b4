/// What one load run does: where, which requests, how fast, for how long.
public struct LoadOptions: Sendable {
    /// The server's IPv4 address.
    public var host = "127.0.0.1"
    /// The server's TCP port.
    public var port = 8080
    /// The scheduled rate, in requests per second (> 0).
    public var rate = 1_000.0
    /// How long requests are scheduled for, in seconds (> 0).
    public var durationSeconds = 10.0
    /// Keep-alive connections, each carrying at most one request at a time (1…10,000).
    public var connections = 32
    /// The request mix.
    public var scenario = Scenario.postSingle
    /// How intended send times are spaced.
    public var arrival = ArrivalSchedule.Arrival.constant
    /// The seed of the Poisson gaps and of the bodies' values.
    public var seed: UInt64 = 1
    /// How long to wait for responses still outstanding after the last scheduled time, in seconds.
    public var drainSeconds = 5.0
    /// The most due requests that may wait for a free connection; more are counted as dropped.
    public var pendingLimit = 1_000_000

    /// The defaults.
    public init() {}

    /// The usage text.
    public static let usage = """
        usage: load-generator --port PORT --rate REQ_PER_S [--duration S] [--connections N]
                              [--scenario post-single|get-percentiles|post-batch] [--arrival constant|poisson]
                              [--host IPV4] [--seed N] [--drain S] [--json]
        """

    /// Options from command-line arguments (`--name value` pairs; `--json` is read by the caller and
    /// skipped here). Throws a sentence naming the argument and the rule it broke.
    public static func parse(_ arguments: [String]) throws(LoadError) -> LoadOptions {
        var options = LoadOptions()
        var rest = arguments.filter { $0 != "--json" }[...]
        while let name = rest.popFirst() {
            guard let value = rest.popFirst() else { throw LoadError("\(name) needs a value.\n\(usage)") }
            switch name {
            case "--host": options.host = value
            case "--port": options.port = try integer(value, name, 1...65_535)
            case "--rate": options.rate = try number(value, name, 0.001...10_000_000)
            case "--duration": options.durationSeconds = try number(value, name, 0.001...86_400)
            case "--connections": options.connections = try integer(value, name, 1...10_000)
            case "--drain": options.drainSeconds = try number(value, name, 0...3_600)
            case "--seed": options.seed = UInt64(try integer(value, name, 0...Int.max))
            case "--scenario":
                guard let scenario = Scenario(rawValue: value) else {
                    throw LoadError(
                        "--scenario must be one of post-single, get-percentiles, post-batch, not \(value).")
                }
                options.scenario = scenario
            case "--arrival":
                guard let arrival = ArrivalSchedule.Arrival(rawValue: value) else {
                    throw LoadError("--arrival must be constant or poisson, not \(value).")
                }
                options.arrival = arrival
            default: throw LoadError("unknown argument \(name).\n\(usage)")
            }
        }
        return options
    }

    private static func integer(_ text: String, _ name: String, _ range: ClosedRange<Int>) throws(LoadError)
        -> Int
    {
        guard let value = Int(text), range.contains(value) else {
            throw LoadError(
                "\(name) must be an integer in \(range.lowerBound)...\(range.upperBound), not \(text).")
        }
        return value
    }

    private static func number(_ text: String, _ name: String, _ range: ClosedRange<Double>) throws(LoadError)
        -> Double
    {
        guard let value = Double(text), range.contains(value) else {
            throw LoadError(
                "\(name) must be a number in \(range.lowerBound)...\(range.upperBound), not \(text).")
        }
        return value
    }
}
