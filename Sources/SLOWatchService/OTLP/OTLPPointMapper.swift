import SLOWatchCore
import SLOWatchProtobuf

/// Maps the data points of an OTLP export request onto slowatch (see `docs/otlp.md`):
/// - a Gauge point becomes one sample at its `time_unix_nano` (in ms; 0 means when it arrived);
/// - an ExponentialHistogram point merges into the metric's history
///   (``ExponentialHistogram/imported(scale:zeroCount:positiveOffset:positive:negativeOffset:negative:count:sum:minimum:maximum:)``);
/// - an explicit-bucket Histogram point merges by ``OTLPExplicitHistogram``'s rule;
/// - Sum and Summary points are rejected, with the reason.
///
/// Histogram points with cumulative temporality are differenced per stream (``OTLPStreamTable``); delta
/// points are used as they are; an unspecified temporality is rejected. A metric's slowatch name is its
/// OTel name followed by `.value` for each configured attribute key the point (or else its resource)
/// has; a name that breaks the core's rule rejects the point.
struct OTLPPointMapper {
    typealias Request = Opentelemetry_Proto_Collector_Metrics_V1_ExportMetricsServiceRequest
    typealias Metric = Opentelemetry_Proto_Metrics_V1_Metric

    /// The attribute keys appended to names (``ServiceConfiguration/otlpNameAttributes``).
    let nameAttributes: [String]
    /// The scale explicit-bucket points are counted at (the history's).
    let scale: Int
    /// The cumulative streams.
    let streams: OTLPStreamTable
    /// The wall clock's reading for this request, ms since the epoch.
    let nowMilliseconds: Double
    /// How far ahead of ``nowMilliseconds`` a point's time may be, in ms.
    let maxFutureSkewMilliseconds: Double

    /// Maps every data point of `request`.
    func map(_ request: Request) -> OTLPIngest {
        var ingest = OTLPIngest()
        for resourceMetrics in request.resourceMetrics {
            let resource = resourceMetrics.resource.attributes
            for scopeMetrics in resourceMetrics.scopeMetrics {
                for metric in scopeMetrics.metrics {
                    let context = Context(resource: resource, scope: scopeMetrics.scope, metric: metric)
                    map(metric, context, into: &ingest)
                }
            }
        }
        return ingest
    }

    /// Where a point comes from: what its name and stream are made of.
    private struct Context {
        let resource: [OTLPAttributes.KeyValue]
        let scope: Opentelemetry_Proto_Common_V1_InstrumentationScope
        let metric: Metric
    }

    private func map(_ metric: Metric, _ context: Context, into ingest: inout OTLPIngest) {
        let quoted = MessageText.quoted(metric.name)
        switch metric.data {
        case .gauge(let gauge):
            for point in gauge.dataPoints { mapGauge(point, context, into: &ingest) }
        case .sum(let sum):
            ingest.reject(
                "metric \(quoted) is a Sum, which slowatch does not take (it keeps distributions of "
                    + "values: send a Gauge or a histogram)", points: sum.dataPoints.count)
        case .summary(let summary):
            ingest.reject(
                "metric \(quoted) is a Summary, which slowatch does not take (its quantiles cannot be "
                    + "merged: send an ExponentialHistogram)", points: summary.dataPoints.count)
        case .histogram(let histogram):
            for point in histogram.dataPoints {
                guard let name = name(of: context, attributes: point.attributes, into: &ingest),
                    let time = time(point.timeUnixNano, metric: metric.name, into: &ingest)
                else { continue }
                do throws(OTLPExplicitHistogram.Refusal) {
                    let converted = try OTLPExplicitHistogram.histogram(of: point, scale: scale)
                    add(
                        converted, name: name, time: time, temporality: histogram.aggregationTemporality,
                        start: point.startTimeUnixNano, attributes: point.attributes, context, into: &ingest)
                } catch {
                    ingest.reject("a Histogram point of metric \(quoted) is refused: \(error.reason)")
                }
            }
        case .exponentialHistogram(let histogram):
            for point in histogram.dataPoints {
                guard let name = name(of: context, attributes: point.attributes, into: &ingest),
                    let time = time(point.timeUnixNano, metric: metric.name, into: &ingest)
                else { continue }
                do throws(ExponentialHistogram.ImportError) {
                    let imported = try ExponentialHistogram.imported(
                        scale: Int(point.scale), zeroCount: point.zeroCount,
                        positiveOffset: Int(point.positive.offset), positive: point.positive.bucketCounts,
                        negativeOffset: Int(point.negative.offset), negative: point.negative.bucketCounts,
                        count: point.count, sum: point.hasSum ? point.sum : nil,
                        minimum: point.hasMin ? point.min : nil, maximum: point.hasMax ? point.max : nil)
                    add(
                        imported, name: name, time: time, temporality: histogram.aggregationTemporality,
                        start: point.startTimeUnixNano, attributes: point.attributes, context, into: &ingest)
                } catch {
                    ingest.reject(
                        "an ExponentialHistogram point of metric \(quoted) is refused: \(error.message)")
                }
            }
        case nil:
            break
        }
    }

    private func mapGauge(
        _ point: Opentelemetry_Proto_Metrics_V1_NumberDataPoint, _ context: Context,
        into ingest: inout OTLPIngest
    ) {
        // A point flagged "no recorded value" (a staleness marker) holds no sample: skipped, not refused.
        if point.flags & 1 != 0 { return }
        guard let name = name(of: context, attributes: point.attributes, into: &ingest),
            let time = time(point.timeUnixNano, metric: context.metric.name, into: &ingest)
        else { return }
        let value: Double
        switch point.value {
        case .asDouble(let number): value = number
        case .asInt(let number): value = Double(number)
        case nil:
            ingest.reject(
                "a Gauge point of metric \(MessageText.quoted(context.metric.name)) has no value (as_double or as_int)"
            )
            return
        }
        guard value.isFinite else {
            ingest.reject(
                "a Gauge point of metric \(MessageText.quoted(context.metric.name)) has the value \(value), which is not a finite number"
            )
            return
        }
        ingest.samples.append(OTLPIngest.Sample(metric: name, value: value, timestamp: time.milliseconds))
    }

    /// Adds a histogram point: as it is for delta temporality, differenced for cumulative.
    private func add(
        _ histogram: ExponentialHistogram, name: String, time: PointTime,
        temporality: Opentelemetry_Proto_Metrics_V1_AggregationTemporality, start: UInt64,
        attributes: [OTLPAttributes.KeyValue], _ context: Context, into ingest: inout OTLPIngest
    ) {
        let counted: ExponentialHistogram
        switch temporality {
        case .delta:
            counted = histogram
        case .cumulative:
            let key = OTLPAttributes.streamKey(
                resource: context.resource, scope: context.scope, metric: context.metric.name,
                point: attributes)
            counted = streams.difference(histogram, key: key, startMilliseconds: Double(start / 1_000_000))
        default:
            ingest.reject(
                "a histogram point of metric \(MessageText.quoted(context.metric.name)) has no "
                    + "aggregation_temporality (it must be DELTA or CUMULATIVE)")
            return
        }
        guard !counted.isEmpty else { return }
        ingest.histograms.append(
            OTLPIngest.Histogram(metric: name, histogram: counted, timestamp: time.milliseconds))
    }

    /// A point's time: ms since the epoch, or nil for "when it arrived".
    private struct PointTime {
        let milliseconds: Double?
    }

    /// The time of a point from its `time_unix_nano` (whole ms; 0 means when it arrived), or nil (the
    /// point refused) when it is further ahead of the clock than the registry allows.
    private func time(_ nanoseconds: UInt64, metric: String, into ingest: inout OTLPIngest) -> PointTime? {
        guard nanoseconds != 0 else { return PointTime(milliseconds: nil) }
        let milliseconds = Double(nanoseconds / 1_000_000)
        let ahead = milliseconds - nowMilliseconds
        guard ahead <= maxFutureSkewMilliseconds else {
            ingest.reject(
                "a point of metric \(MessageText.quoted(metric)) has a time_unix_nano \(Int(ahead)) ms ahead "
                    + "of the server's clock, more than the \(Int(maxFutureSkewMilliseconds)) ms allowed")
            return nil
        }
        return PointTime(milliseconds: milliseconds)
    }

    /// The slowatch name of a point: the OTel name, then `.value` per configured attribute key found;
    /// nil (the point refused) when it breaks the core's name rule.
    private func name(
        of context: Context, attributes: [OTLPAttributes.KeyValue], into ingest: inout OTLPIngest
    )
        -> String?
    {
        var name = context.metric.name
        for key in nameAttributes {
            if let value = OTLPAttributes.value(of: key, point: attributes, resource: context.resource) {
                name += "." + value
            }
        }
        guard MetricName.isValid(name) else {
            let source =
                name == context.metric.name
                ? "" : " (from OTel name \(MessageText.quoted(context.metric.name)))"
            ingest.reject(
                "the metric name \(MessageText.quoted(name))\(source) breaks slowatch's rule: 1 to 128 "
                    + "letters, digits, '_', '.', ':' or '-', starting with a letter or digit")
            return nil
        }
        return name
    }
}
