import Foundation
import TestCurlClient

/// Follows an SSE stream of burn events and a real Alertmanager's active `SLOBurnRate` alerts, noting
/// when each event arrived. Used by one test thread only.
final class BurnAlertWatch {
    /// One burn event as it came off the stream.
    struct Arrival: CustomStringConvertible {
        let slo: String
        let tier: String
        /// `alert` or `resolved`.
        let kind: String
        /// When the test first saw it, wall-clock ms since the epoch (at most one poll late).
        let arrival: Int64
        /// The payload's `timestamp`: when the check that published it ran, wall-clock ms.
        let checkedAt: Double

        var description: String { "\(kind) \(slo) \(tier) seen at \(arrival), checked at \(checkedAt)" }
    }

    private let stream: SSEReader
    private let alertmanagerURL: String
    private var consumed = 0
    /// Every burn event seen, in stream order.
    private(set) var arrivals: [Arrival] = []
    /// `slo tier severity` of each `SLOBurnRate` alert active in Alertmanager at the last poll.
    private(set) var active: Set<String> = []
    /// `slo tier severity` of each `SLOBurnRate` alert Alertmanager ever listed as active.
    private(set) var everActive: Set<String> = []

    init(stream: SSEReader, alertmanager: AlertmanagerIntegrationTests.Alertmanager) {
        self.stream = stream
        alertmanagerURL = alertmanager.url
    }

    /// Polls every 10 ms until `done` holds or the wall clock reaches `deadline` (ms since the epoch).
    func follow(until deadline: Int64, done: (BurnAlertWatch) -> Bool) {
        let client = try? CurlClient(timeoutMilliseconds: 2_000)
        while BurnTierTimingBinaryTests.nowMilliseconds() < deadline {
            poll(client)
            if done(self) { return }
            usleep(10_000)
        }
        poll(client)
    }

    private func poll(_ client: CurlClient?) {
        let events = stream.events
        let now = BurnTierTimingBinaryTests.nowMilliseconds()
        for message in events.dropFirst(consumed) {
            guard let envelope = message.envelope, let payload = envelope["payload"] as? [String: Any] else {
                continue
            }
            arrivals.append(
                Arrival(
                    slo: payload["slo"] as? String ?? "?", tier: payload["tier"] as? String ?? "?",
                    kind: envelope["topic"] as? String == "perf.slo_burn_alert" ? "alert" : "resolved",
                    arrival: now, checkedAt: payload["timestamp"] as? Double ?? 0))
        }
        consumed = events.count
        guard let client, let response = try? client.get(alertmanagerURL + "/api/v2/alerts") else { return }
        let list = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [[String: Any]] ?? []
        active = Set(
            list.compactMap { alert in
                guard let labels = alert["labels"] as? [String: String], labels["alertname"] == "SLOBurnRate",
                    let slo = labels["slo"], let tier = labels["tier"], let severity = labels["severity"]
                else { return nil }
                return "\(slo) \(tier) \(severity)"
            })
        everActive.formUnion(active)
    }
}
