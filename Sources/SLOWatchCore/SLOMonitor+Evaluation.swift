extension SLOMonitor {
    /// One registry selection a check shares among SLOs: a metric and a window (ms; nil for all).
    struct SelectionKey: Hashable {
        let metric: String
        let windowMilliseconds: Double?
    }

    /// Judges each SLO and updates its tracker; returns the events to emit, in SLO order, each with
    /// its tracker's index (an SLO's `metric_reset` recovery comes before its verdict).
    ///
    /// Each metric's registration is looked up once, and each distinct (metric, window) asks the
    /// registry once for all the quantiles its SLOs need, so n SLOs on m metrics and windows cost m
    /// selections, not n. The values are those of asking per SLO: every quantile is an exact
    /// nearest-rank statistic of the same samples. A metric re-registered between the lookup and the
    /// selection is judged once on the new samples and reset at the next check.
    func evaluate(_ trackers: inout [SLOTracker]) -> [(index: Int, event: SLOEvent)] {
        let now = monotonicClock.nowNanoseconds()
        let timestamp = wallClock.finiteNowMilliseconds()
        let rateLimit = configuration.rateLimit.saturatingNanoseconds
        var registrations: [String: UInt64?] = [:]
        var quantiles: [SelectionKey: [Double]] = [:]
        var resets: [Int: SLOEvent] = [:]
        for index in trackers.indices {
            let slo = trackers[index].slo
            let registrationID: UInt64?
            if let known = registrations[slo.metric] {
                registrationID = known
            } else {
                registrationID = registry.registrationID(for: slo.metric)
                registrations[slo.metric] = .some(registrationID)
            }
            if trackers[index].registrationID != registrationID {
                // The samples that showed the breach are gone or belong to an older registration.
                resets[index] = trackers[index].endingRecovery(
                    reason: .metricReset, now: now, timestamp: timestamp)
                trackers[index].reset(registrationID: registrationID)
            }
            trackers[index].checkedAt = timestamp
            guard registrationID != nil else { continue }
            let key = SelectionKey(metric: slo.metric, windowMilliseconds: slo.windowMilliseconds)
            if !(quantiles[key]?.contains(slo.quantile) ?? false) {
                quantiles[key, default: []].append(slo.quantile)
            }
        }
        var summaries: [SelectionKey: PercentileSummary] = Dictionary(minimumCapacity: quantiles.count)
        for (key, wanted) in quantiles {
            summaries[key] = try? registry.percentiles(
                for: key.metric, quantiles: wanted, windowMilliseconds: key.windowMilliseconds)
        }
        var events: [(index: Int, event: SLOEvent)] = []
        for index in trackers.indices {
            if let reset = resets[index] { events.append((index, reset)) }
            let slo = trackers[index].slo
            guard trackers[index].registrationID != nil,
                let summary = summaries[
                    SelectionKey(metric: slo.metric, windowMilliseconds: slo.windowMilliseconds)]
            else { continue }
            trackers[index].lastCount = summary.count
            guard summary.count >= slo.minSamples, let actual = summary.value(atQuantile: slo.quantile) else {
                trackers[index].lastActual = nil
                continue
            }
            if let event = trackers[index].judge(
                actual: actual, count: summary.count, now: now, rateLimit: rateLimit, timestamp: timestamp)
            {
                events.append((index, event))
            }
        }
        return events
    }
}
