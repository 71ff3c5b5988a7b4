import SLOWatchCore
import SLOWatchHTTP

extension MetricRoutes {
    /// One history point's exact budget counts: good and bad events (samples for `Occurrences`, judged
    /// slices for `Timeslices`) in the point's step.
    struct BudgetPoint {
        /// Good events in the step.
        var good: UInt64
        /// Bad events in the step.
        var bad: UInt64
    }

    /// For `?slo=ID` on `GET /metrics/{name}/history`: the exact good/bad counts of that error-budget
    /// SLO in each step `[start + i·step, start + (i+1)·step)`, from the counts the registry keeps at
    /// ingest (the ones `status.budget` sums over the period), so the dashboard can draw a burn-down.
    /// Steps are whole multiples of the slice of the tier that keeps them (the history route checked
    /// that), so adjacent steps never share a slice; nil when `id` is nil.
    /// - Throws: 400 naming `slo` when no SLO has that id (a bad query parameter: the path's metric
    ///   exists), when it is not an error-budget SLO (no `objective`), or when it watches another metric.
    static func budgetPoints(
        slo id: String?, metric: String, start: Int64, step: Int64, count: Int, service: SLOWatchService
    ) throws(APIError) -> [BudgetPoint]? {
        guard let id else { return nil }
        guard let status = service.sloStatus(id: id) else {
            throw .invalidRequest("slo: no SLO has the id \(id.debugDescription).")
        }
        guard let budget = status.slo.budget else {
            throw .invalidRequest(
                "slo: \(id.debugDescription) has no objective; only an error-budget SLO has good and bad counts."
            )
        }
        guard status.slo.metric == metric else {
            throw .invalidRequest(
                "slo: \(id.debugDescription) watches \(status.slo.metric.debugDescription), not "
                    + "\(metric.debugDescription); ask the history of its own metric.")
        }
        let slices = budget.method == .timeslices
        var points: [BudgetPoint] = []
        points.reserveCapacity(count)
        for position in 0..<count {
            let from = start + Int64(position) * step
            let counts = service.registry.budgetCounts(
                sloID: id, fromMilliseconds: Double(from), toMilliseconds: Double(from + step))
            guard let counts else {
                points.append(BudgetPoint(good: 0, bad: 0))
                continue
            }
            points.append(
                slices
                    ? BudgetPoint(good: counts.goodSlices, bad: counts.badSlices)
                    : BudgetPoint(good: counts.goodEvents, bad: counts.badEvents))
        }
        return points
    }
}
