/// What one run measured, printed as one JSON line and as a readable summary.
struct FanoutResult {
    /// The idle-CPU bound used for "≈ 0": 1 % of one core.
    static let idleCPUBoundPercent = 1.0
    /// The memory target, in bytes: 150 MB (decimal, the stricter reading).
    static let residentBoundBytes = 150_000_000
    /// The delivery target, in ms.
    static let deliveryBoundMilliseconds = 1_000.0

    /// Stream subscribers asked for.
    var subscribers = 0
    /// Subscribers whose `200 text/event-stream` head arrived.
    var connected = 0
    /// How long connecting them all took, in s.
    var connectSeconds = 0.0
    /// The client's CPU time while connecting, in ms.
    var connectClientCPUMilliseconds = 0.0
    /// The server's CPU time while they connected, in ms.
    var connectServerCPUMilliseconds = 0.0
    /// The server's RSS before any subscriber connected, in KiB.
    var serverResidentBeforeKiB = 0
    /// Whether a keepalive tick reached every subscriber before the idle window.
    var heartbeatObserved = false
    /// First to last subscriber's receipt of that tick, in ms.
    var heartbeatSpreadMilliseconds = 0.0
    /// The idle window's length, in s.
    var idleSeconds = 0.0
    /// The server's CPU time in the idle window, in ms.
    var idleServerCPUMilliseconds = 0.0
    /// The client's CPU time in the idle window, in ms.
    var idleClientCPUMilliseconds = 0.0
    /// Keepalive ticks that reached the subscribers during the idle window (keepalives / subscribers).
    var heartbeatsInIdleWindow = 0.0
    /// CPU time of every other process on the machine during the idle window, in ms (the machine's
    /// busy time less the server's and the client's): how loaded the box was.
    var idleOtherCPUMilliseconds = 0.0
    /// The server's RSS at the end of the idle window, in KiB.
    var serverResidentIdleKiB = 0
    /// The server's peak RSS at the end of the run, in KiB.
    var serverPeakResidentKiB = 0
    /// The server's threads at the end of the idle window.
    var serverThreadsIdle = 0
    /// Subscribers that received the violation event within the timeout.
    var received = 0
    /// Each receiving subscriber's delay from the POST's send to its receipt of the event, in ms, sorted.
    var latenciesMilliseconds: [Double] = []
    /// When the POST was sent, on `CLOCK_MONOTONIC`, in s (to line a profile up with the fan-out:
    /// `perf record -k CLOCK_MONOTONIC`, then `perf report --time START,END`).
    var postSentAtSeconds = 0.0
    /// The POST's status line, e.g. `HTTP/1.1 200 OK`.
    var postStatusLine = ""
    /// From the POST's send to the first byte of its response, in ms.
    var postAnswerMilliseconds = 0.0
    /// The server's CPU time from the POST until every subscriber had the event, in ms.
    var fanoutServerCPUMilliseconds = 0.0
    /// The client's CPU time over the same span, in ms.
    var fanoutClientCPUMilliseconds = 0.0
    /// CPU time of every other process over the same span, in ms.
    var fanoutOtherCPUMilliseconds = 0.0
    /// That span's wall time, in ms.
    var fanoutWallMilliseconds = 0.0
    /// The client's peak RSS, in KiB.
    var clientPeakResidentKiB = 0
    /// The first subscriber failure, if any.
    var firstFailure: String?

    /// Subscribers that did not receive the event within the timeout.
    var missed: Int { subscribers - received }
    /// The idle server CPU as a share of one core, in %.
    var idleServerCPUPercent: Double { idleSeconds > 0 ? idleServerCPUMilliseconds / (idleSeconds * 10) : 0 }
    /// The idle client CPU as a share of one core, in %.
    var idleClientCPUPercent: Double { idleSeconds > 0 ? idleClientCPUMilliseconds / (idleSeconds * 10) : 0 }

    /// The `fraction` quantile of the latencies by nearest rank, in ms (0 when there are none).
    func latency(_ fraction: Double) -> Double {
        guard !latenciesMilliseconds.isEmpty else { return 0 }
        let rank = Int((fraction * Double(latenciesMilliseconds.count)).rounded(.up))
        return latenciesMilliseconds[min(max(rank, 1), latenciesMilliseconds.count) - 1]
    }

    /// First to last subscriber's receipt of the event, in ms: the fan-out itself, without the wait
    /// for the monitor's next check.
    var spreadMilliseconds: Double {
        guard let first = latenciesMilliseconds.first, let last = latenciesMilliseconds.last else { return 0 }
        return last - first
    }

    /// Whether every target holds: all delivered within 1 s, RSS within 150 MB, idle CPU within 1 %.
    var targets: (delivery: Bool, memory: Bool, idleCPU: Bool) {
        (
            missed == 0 && latency(1) <= Self.deliveryBoundMilliseconds,
            serverPeakResidentKiB * 1_024 <= Self.residentBoundBytes,
            idleServerCPUPercent <= Self.idleCPUBoundPercent
        )
    }

    /// The one-line JSON form (keys in a fixed order; times in ms, memory in KiB, CPU in ms).
    var jsonLine: String {
        let fields: [(String, String)] = [
            ("subscribers", "\(subscribers)"), ("connected", "\(connected)"), ("received", "\(received)"),
            ("missed", "\(missed)"), ("latencyMsP50", number(latency(0.5))),
            ("latencyMsP99", number(latency(0.99))), ("latencyMsMax", number(latency(1))),
            ("latencyMsMin", number(latenciesMilliseconds.first ?? 0)),
            ("spreadMs", number(spreadMilliseconds)),
            ("postSentAtMonotonicS", format6(postSentAtSeconds)), ("postStatus", quoted(postStatusLine)),
            ("postAnswerMs", number(postAnswerMilliseconds)),
            ("fanoutWallMs", number(fanoutWallMilliseconds)),
            ("fanoutServerCpuMs", number(fanoutServerCPUMilliseconds)),
            ("fanoutClientCpuMs", number(fanoutClientCPUMilliseconds)),
            ("fanoutOtherCpuMs", number(fanoutOtherCPUMilliseconds)),
            ("connectSeconds", number(connectSeconds)),
            ("connectServerCpuMs", number(connectServerCPUMilliseconds)),
            ("connectClientCpuMs", number(connectClientCPUMilliseconds)),
            ("heartbeatObserved", "\(heartbeatObserved)"),
            ("heartbeatSpreadMs", number(heartbeatSpreadMilliseconds)),
            ("idleSeconds", number(idleSeconds)), ("idleHeartbeats", number(heartbeatsInIdleWindow)),
            ("idleServerCpuMs", number(idleServerCPUMilliseconds)),
            ("idleServerCpuPercent", number(idleServerCPUPercent)),
            ("idleClientCpuMs", number(idleClientCPUMilliseconds)),
            ("idleOtherCpuMs", number(idleOtherCPUMilliseconds)),
            ("serverRssBeforeKiB", "\(serverResidentBeforeKiB)"),
            ("serverRssIdleKiB", "\(serverResidentIdleKiB)"),
            ("serverHwmKiB", "\(serverPeakResidentKiB)"), ("serverThreadsIdle", "\(serverThreadsIdle)"),
            ("clientHwmKiB", "\(clientPeakResidentKiB)"),
            ("firstFailure", firstFailure.map(quoted) ?? "null"),
        ]
        return "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// The readable summary, one fact per line.
    var summary: [String] {
        let (delivery, memory, idleCPU) = targets
        let mark = { (ok: Bool) in ok ? "met" : "MISSED" }
        let perSubscriber =
            connected > 0
            ? number(Double(serverResidentIdleKiB - serverResidentBeforeKiB) * 1_024 / Double(connected))
            : "0"
        return [
            "subscribers: \(connected) of \(subscribers) connected in \(number(connectSeconds)) s "
                + "(server CPU \(number(connectServerCPUMilliseconds)) ms, client CPU "
                + "\(number(connectClientCPUMilliseconds)) ms)",
            "fan-out: \(received) of \(subscribers) received the violation; from the POST: p50 "
                + "\(number(latency(0.5))) ms, p99 \(number(latency(0.99))) ms, max \(number(latency(1))) ms; "
                + "first to last receipt \(number(spreadMilliseconds)) ms  [target: all within 1 s: "
                + "\(mark(delivery))]",
            "  POST answered \(quoted(postStatusLine)) after \(number(postAnswerMilliseconds)) ms; fan-out span "
                + "\(number(fanoutWallMilliseconds)) ms, server CPU \(number(fanoutServerCPUMilliseconds)) ms, "
                + "client CPU \(number(fanoutClientCPUMilliseconds)) ms, other processes "
                + "\(number(fanoutOtherCPUMilliseconds)) ms",
            "idle: \(number(idleSeconds)) s with \(number(heartbeatsInIdleWindow)) heartbeats; server CPU "
                + "\(number(idleServerCPUMilliseconds)) ms (\(number(idleServerCPUPercent)) % of a core), client "
                + "CPU \(number(idleClientCPUMilliseconds)) ms, other processes \(number(idleOtherCPUMilliseconds)) "
                + "ms  [target: ≈ 0 (≤ 1 % of a core): \(mark(idleCPU))]",
            "  the keepalive tick before the window reached every subscriber: \(heartbeatObserved) "
                + "(first to last \(number(heartbeatSpreadMilliseconds)) ms)",
            "server memory: RSS \(mib(serverResidentBeforeKiB)) before, \(mib(serverResidentIdleKiB)) with "
                + "the subscribers idle (\(perSubscriber) bytes each), peak \(mib(serverPeakResidentKiB)); "
                + "\(serverThreadsIdle) threads  [target: ≤ 150 MB: \(mark(memory))]",
            "client: peak RSS \(mib(clientPeakResidentKiB))"
                + (firstFailure.map { "; first failure: \($0)" } ?? ""),
        ]
    }

    /// `12.346`: three decimals at most, no exponent.
    private func number(_ value: Double) -> String {
        let rounded = (value * 1_000).rounded() / 1_000
        return rounded == rounded.rounded() && abs(rounded) < 1e15 ? String(Int64(rounded)) : "\(rounded)"
    }

    /// `12345.678901`: six decimals (µs), for a monotonic time in s.
    private func format6(_ value: Double) -> String {
        let micros = Int64((value * 1e6).rounded())
        let fraction = String(micros % 1_000_000)
        return "\(micros / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    /// `123.4 MiB` from KiB.
    private func mib(_ kib: Int) -> String { number((Double(kib) / 1_024 * 10).rounded() / 10) + " MiB" }

    /// A JSON string literal: quotes and backslashes escaped, control characters as spaces.
    private func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(scalar.value < 0x20 ? " " : scalar)
            }
        }
        return out + "\""
    }
}
