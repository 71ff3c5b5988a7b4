/// The load client's command line.
///
/// `sse-fanout --port N --server-pid PID [--host 127.0.0.1] [--subscribers 10000] [--in-flight 256]
/// [--idle-seconds 10] [--heartbeat-wait-seconds 20] [--timeout-seconds 10] [--metric fanout.latency]
/// [--value 500]`
struct FanoutOptions {
    /// A usage error, as a sentence naming the option and the rule.
    struct UsageError: Error, CustomStringConvertible {
        /// The sentence.
        let description: String
    }

    /// The server's IPv4 address.
    var host = "127.0.0.1"
    /// The server's port.
    var port = 0
    /// The server's process id, for its CPU time and memory.
    var serverPID: Int32 = 0
    /// How many stream subscribers to hold.
    var subscribers = 10_000
    /// The most connects under way at once, so the server's listen backlog (1,024) is never overrun.
    var inFlight = 256
    /// The idle measurement window, in s.
    var idleSeconds = 10.0
    /// How long to wait for a keepalive tick to reach every subscriber before the idle window, in s
    /// (more than the server's keepalive interval, 15 s by default).
    var heartbeatWaitSeconds = 20.0
    /// How long every subscriber gets to receive the violation after the POST, in s.
    var timeoutSeconds = 10.0
    /// The metric the breaking sample is posted to.
    var metric = "fanout.latency"
    /// The breaking sample's value, in ms (above the SLO's threshold).
    var value = 500.0

    /// Parses `arguments` (without the program name).
    /// - Throws: ``UsageError`` for an unknown option, a missing value or a value out of range.
    static func parse(_ arguments: [String]) throws(UsageError) -> FanoutOptions {
        var options = FanoutOptions()
        var rest = arguments[...]
        while let flag = rest.popFirst() {
            guard let value = rest.popFirst() else { throw UsageError(description: "\(flag) needs a value.") }
            switch flag {
            case "--host": options.host = value
            case "--port": options.port = try integer(value, flag, in: 1...65_535)
            case "--server-pid": options.serverPID = Int32(try integer(value, flag, in: 1...Int(Int32.max)))
            case "--subscribers": options.subscribers = try integer(value, flag, in: 1...1_000_000)
            case "--in-flight": options.inFlight = try integer(value, flag, in: 1...65_536)
            case "--idle-seconds": options.idleSeconds = try seconds(value, flag)
            case "--heartbeat-wait-seconds": options.heartbeatWaitSeconds = try seconds(value, flag)
            case "--timeout-seconds": options.timeoutSeconds = try seconds(value, flag)
            case "--metric": options.metric = value
            case "--value":
                guard let number = Double(value), number.isFinite else {
                    throw UsageError(description: "The value \"\(value)\" of --value is not a finite number.")
                }
                options.value = number
            default: throw UsageError(description: "Unknown option \(flag).")
            }
        }
        guard options.port != 0 else { throw UsageError(description: "--port is required.") }
        guard options.serverPID != 0 else { throw UsageError(description: "--server-pid is required.") }
        return options
    }

    /// A decimal integer in `range`.
    private static func integer(_ text: String, _ flag: String, in range: ClosedRange<Int>) throws(UsageError)
        -> Int
    {
        guard let value = Int(text), range.contains(value) else {
            throw UsageError(
                description: "The value \"\(text)\" of \(flag) is not valid: it must be a whole number from "
                    + "\(range.lowerBound) to \(range.upperBound).")
        }
        return value
    }

    /// A number of seconds, 0 to 3,600.
    private static func seconds(_ text: String, _ flag: String) throws(UsageError) -> Double {
        guard let value = Double(text), value >= 0, value <= 3_600 else {
            throw UsageError(
                description:
                    "The value \"\(text)\" of \(flag) is not valid: it must be seconds from 0 to 3600.")
        }
        return value
    }
}
