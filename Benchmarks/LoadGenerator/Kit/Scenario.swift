import SeededRandom

#if canImport(Glibc)
    import Glibc
#endif

/// The three request mixes of the wrk scripts in Benchmarks/harness/wrk/, with the same paths, names
/// and body shapes, pre-formatted so sending one costs no formatting.
public enum Scenario: String, Sendable, CaseIterable {
    /// `POST /samples` with one sample (post-single.lua): a pool of 1,000 bodies.
    case postSingle = "post-single"
    /// `GET /metrics/<name>/percentiles` rotating over the 20 names (get-percentiles.lua).
    case getPercentiles = "get-percentiles"
    /// `POST /samples` with 100 samples, each with a timestamp (post-batch.lua): a pool of 200 bodies.
    case postBatch = "post-batch"

    /// The 20 metric names the harness pre-fills: api.latency.00 … api.latency.19.
    static let names: [String] = (0..<20).map { $0 < 10 ? "api.latency.0\($0)" : "api.latency.\($0)" }

    /// The full request bytes, one entry per distinct request, to be sent in rotation. `host` is the
    /// Host header's value (host:port).
    public func requests(host: String, seed: UInt64 = 1) -> [[UInt8]] {
        var random = SplitMix64(seed: seed)
        switch self {
        case .getPercentiles:
            return (1...20).map { index in
                let name = Self.names[(index + 7) % 20]
                return Array("GET /metrics/\(name)/percentiles HTTP/1.1\r\nHost: \(host)\r\n\r\n".utf8)
            }
        case .postSingle:
            return (1...1_000).map { index in
                let body =
                    "{\"metric\":\"\(Self.names[(index + 1) % 20])\",\"value\":"
                    + "\(Self.thousandths(Self.latency(&random)))}"
                return Self.post(body, host: host)
            }
        case .postBatch:
            let stamp = 1_732_860_000_000
            return (1...200).map { index in
                let parts = (1...100).map { sample in
                    "{\"metric\":\"\(Self.names[(index + sample + 1) % 20])\",\"value\":"
                        + "\(Self.thousandths(Self.latency(&random))),\"timestamp\":\(stamp + index * 100 + sample)}"
                }
                return Self.post("{\"samples\":[" + parts.joined(separator: ",") + "]}", host: host)
            }
        }
    }

    /// A value in ms as the wrk scripts draw it: exponential with mean 20, plus 0–200 on 1 % of values.
    static func latency(_ random: inout SplitMix64) -> Double {
        let u = Double(random.next() >> 11) / Double(1 << 53)
        var value = -log(1 - u) * 20
        if Double(random.next() >> 11) / Double(1 << 53) < 0.01 {
            value += 200 * Double(random.next() >> 11) / Double(1 << 53)
        }
        return value
    }

    /// `value` (≥ 0) with exactly three decimals, as Lua's `%.3f`.
    static func thousandths(_ value: Double) -> String {
        let scaled = Int((value * 1_000).rounded())
        let fraction = String(scaled % 1_000)
        return "\(scaled / 1_000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    /// A JSON POST /samples request carrying `body`, framed as wrk.format frames it.
    static func post(_ body: String, host: String) -> [UInt8] {
        let length = body.utf8.count
        return Array(
            ("POST /samples HTTP/1.1\r\nHost: \(host)\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(length)\r\n\r\n" + body).utf8)
    }
}
