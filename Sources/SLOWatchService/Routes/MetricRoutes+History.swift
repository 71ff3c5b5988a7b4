import SLOWatchCore
import SLOWatchHTTP

extension MetricRoutes {
    /// The quantiles of each point when `q` is absent.
    static let defaultHistoryQuantiles = [
        QueryText.Quantile(key: "0.5", value: 0.5), QueryText.Quantile(key: "0.9", value: 0.9),
        QueryText.Quantile(key: "0.99", value: 0.99),
    ]

    /// `GET /metrics/{name}/history?range=24h&step=5m&q=0.5,0.95,0.99[&slo=ID]`: the metric's history for charts,
    /// `{"metric","unit","step","points":[{"t","count","min","max","mean","quantiles":{…}}]}`, oldest
    /// point first. `range` (default `1h`) reaches back from now; `step` (default `1m`, in ms in the
    /// answer) is rounded up to a whole multiple of the slice of the history tier that keeps the range's
    /// start, and widened to give at most ``MetricHistory/maximumPoints`` points (the answer's `step` is
    /// the one used);
    /// `t` is each step's start in ms since the epoch (a multiple of `step`). Quantiles come from the
    /// history's buckets (within `relativeError` of the exact value), count/min/max/mean are exact; an
    /// empty step has `count` 0 and null statistics. With `slo` (an error-budget SLO on this metric), each
    /// point also has that SLO's exact `good` and `bad` counts in the step (see ``budgetPoints``).
    /// - Throws: 400 for a bad `range`, `step`, `q` or `slo`; 404 `metric_not_found`.
    static func history(_ request: HTTPRequest, service: SLOWatchService) throws(APIError) -> HTTPResponse {
        let name = self.name(request)
        let asked = try request.queryParameter("q", .list).map(QueryText.quantiles) ?? defaultHistoryQuantiles
        let range = try duration(request.queryParameter("range"), name: "range", default: 3_600_000)
        let askedStep = try duration(request.queryParameter("step"), name: "step", default: 60_000)
        guard let definition = service.registry.definition(for: name) else { throw .metricNotFound(name) }
        guard let points = historyPoints(for: name, range: range, step: askedStep, service: service) else {
            throw .metricNotFound(name)
        }
        let (step, answer) = (points.step, points.answer)
        let budget = try budgetPoints(
            slo: request.queryParameter("slo"), metric: name, start: answer.start, step: step,
            count: answer.histograms.count, service: service)
        var json = JSONWriter(capacity: 96 + answer.histograms.count * (80 + 24 * asked.count))
        json.beginObject()
        json.key("metric")
        json.string(name)
        json.key("unit")
        json.string(definition.unit)
        json.key("step")
        json.integer(step)
        json.key("points")
        json.beginArray()
        for (position, histogram) in answer.histograms.enumerated() {
            writePoint(
                histogram, at: answer.start + Int64(position) * step, asked: asked, budget: budget?[position],
                to: &json)
        }
        json.endArray()
        json.endObject()
        return .json(status: 200, json.bytes)
    }

    /// The points of `name`'s history over `range` ms, at `step` ms or the nearest step the history can
    /// answer: a step that is not a whole multiple of the slice of the tier holding the range's start
    /// is rounded up to one, and a step that would give more than ``MetricHistory/maximumPoints`` points
    /// is multiplied until it gives at most that many. The step used is returned, and the answer says it.
    /// - Returns: nil when the metric is unknown.
    static func historyPoints(
        for name: String, range: Int64, step asked: Int64, service: SLOWatchService
    ) -> (step: Int64, answer: (start: Int64, histograms: [ExponentialHistogram]))? {
        var step = asked
        // Each retry fixes one cause and never undoes the other (a multiple of a multiple of the slice is
        // one; a larger step gives fewer points), so the third attempt answers.
        for _ in 0..<4 {
            do {
                guard
                    let answer = try service.registry.historyPoints(
                        for: name, rangeMilliseconds: range, stepMilliseconds: step)
                else { return nil }
                return (step, answer)
            } catch {
                switch error {
                case .stepNotMultipleOfSlice(let slice):
                    step = (step + slice - 1) / slice * slice
                case .tooManyPoints(let count):
                    let factor =
                        (Int64(count) + Int64(MetricHistory.maximumPoints) - 1)
                        / Int64(MetricHistory.maximumPoints)
                    step *= max(2, factor)
                }
            }
        }
        return nil
    }

    /// One point: `{"t","count","min","max","mean","quantiles":{…}}`, then `"good","bad"` with `?slo=`.
    private static func writePoint(
        _ histogram: ExponentialHistogram, at time: Int64, asked: [QueryText.Quantile], budget: BudgetPoint?,
        to json: inout JSONWriter
    ) {
        let empty = histogram.isEmpty
        json.beginObject()
        json.key("t")
        json.integer(time)
        json.key("count")
        json.integer(histogram.count)
        json.key("min")
        json.number(empty ? nil : histogram.minimum)
        json.key("max")
        json.number(empty ? nil : histogram.maximum)
        json.key("mean")
        json.number(histogram.mean)
        json.key("quantiles")
        json.beginObject()
        for quantile in asked {
            json.key(quantile.key)
            let value: Double? =
                empty
                ? nil
                : quantile.value == 0
                    ? histogram.minimum
                    : quantile.value == 1 ? histogram.maximum : histogram.quantile(quantile.value)
            json.number(value)
        }
        json.endObject()
        if let budget {
            json.key("good")
            json.integer(budget.good)
            json.key("bad")
            json.integer(budget.bad)
        }
        json.endObject()
    }

    /// A duration query parameter in whole ms.
    /// - Throws: 400 naming the parameter and the rule.
    private static func duration(_ text: String?, name: String, default defaultValue: Int64) throws(APIError)
        -> Int64
    {
        guard let text else { return defaultValue }
        guard let milliseconds = DurationText.milliseconds(text), milliseconds >= 1,
            milliseconds <= Double(HistoryTiers.maximumRetentionMilliseconds)
        else {
            throw .invalidRequest(
                "\(name): \(text.debugDescription) is not a duration of at most 400 days: write \(DurationText.rule)."
            )
        }
        return Int64(milliseconds.rounded(.down))
    }
}
