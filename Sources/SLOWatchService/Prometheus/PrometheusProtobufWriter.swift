import SLOWatchCore
import SLOWatchProtobuf
import SwiftProtobuf

/// Writes the Prometheus protobuf exposition: `io.prometheus.client.MetricFamily` messages, each
/// preceded by its length as a varint (`encoding=delimited`), as Prometheus reads them when it scrapes
/// with `Accept: application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;
/// encoding=delimited`.
///
/// It takes the same calls as ``PrometheusTextWriter`` (``PrometheusSampleWriter``), so every family
/// of the text format comes out with the same names, labels and values: a gauge or counter sample is
/// one `Metric`; a summary's samples (quantiles, then `_sum` and `_count`, per label set) make one
/// `Metric` with a `Summary`. ``nativeHistogram(_:labels:_:)`` adds what only this format carries.
struct PrometheusProtobufWriter: PrometheusSampleWriter {
    /// The families finished so far, in order.
    private(set) var families: [Io_Prometheus_Client_MetricFamily] = []
    /// The family being written.
    private var current: Io_Prometheus_Client_MetricFamily?

    /// The `Content-Type` of the protobuf exposition.
    static let contentType =
        "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"

    mutating func family(_ name: String, type: PrometheusFamilyType, help: String) {
        startFamily(name, help: help, type: Self.messageType(type))
    }

    mutating func sample(_ name: String, labels: KeyValuePairs<String, String>, _ value: Double) {
        guard var family = current else { return }
        current = nil
        switch family.type {
        case .summary:
            Self.addSummarySample(name, labels: labels, value: value, count: nil, to: &family)
        case .counter:
            var metric = Self.metric(labels)
            metric.counter.value = value
            family.metric.append(metric)
        default:
            var metric = Self.metric(labels)
            metric.gauge.value = value
            family.metric.append(metric)
        }
        current = family
    }

    mutating func sample(_ name: String, labels: KeyValuePairs<String, String>, _ value: UInt64) {
        guard current?.type == .summary, var family = current else {
            return sample(name, labels: labels, Double(value))
        }
        current = nil
        Self.addSummarySample(name, labels: labels, value: Double(value), count: value, to: &family)
        current = family
    }

    /// Starts a native-histogram family (type HISTOGRAM).
    mutating func nativeHistogramFamily(_ name: String, help: String) {
        startFamily(name, help: help, type: .histogram)
    }

    /// One native histogram of the current family (``NativeHistogramEncoding``).
    mutating func nativeHistogram(
        _ name: String, labels: KeyValuePairs<String, String>, _ histogram: ExponentialHistogram
    ) {
        guard var family = current else { return }
        current = nil
        var metric = Self.metric(labels)
        metric.histogram = NativeHistogramEncoding.histogram(histogram)
        family.metric.append(metric)
        current = family
    }

    /// Every family, each as a varint length and the message's bytes. A message of this schema has no
    /// required field, so its encoding cannot fail; a family that did would be left out.
    mutating func finish() -> [UInt8] {
        if let family = current { families.append(family) }
        current = nil
        var bytes: [UInt8] = []
        for family in families {
            guard let encoded: [UInt8] = try? family.serializedBytes() else { continue }
            Self.appendVarint(UInt64(encoded.count), to: &bytes)
            bytes.append(contentsOf: encoded)
        }
        return bytes
    }

    /// Appends `value` as a protobuf varint (7 bits a byte, least significant first).
    static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private mutating func startFamily(_ name: String, help: String, type: Io_Prometheus_Client_MetricType) {
        if let family = current { families.append(family) }
        var family = Io_Prometheus_Client_MetricFamily()
        family.name = name
        family.help = help
        family.type = type
        current = family
    }

    private static func messageType(_ type: PrometheusFamilyType) -> Io_Prometheus_Client_MetricType {
        switch type {
        case .counter: .counter
        case .gauge: .gauge
        case .summary: .summary
        }
    }

    /// A `Metric` with `labels`, in the order given.
    private static func metric(_ labels: KeyValuePairs<String, String>) -> Io_Prometheus_Client_Metric {
        var metric = Io_Prometheus_Client_Metric()
        metric.label = labels.map { label in
            var pair = Io_Prometheus_Client_LabelPair()
            pair.name = label.key
            pair.value = label.value
            return pair
        }
        return metric
    }

    /// A summary's sample: a quantile (label `quantile`) starts or extends the metric with the other
    /// labels; `<family>_sum` and `<family>_count` set its sum and count.
    private static func addSummarySample(
        _ name: String, labels: KeyValuePairs<String, String>, value: Double, count: UInt64?,
        to family: inout Io_Prometheus_Client_MetricFamily
    ) {
        var quantile: Double?
        var others: [(String, String)] = []
        for label in labels {
            if label.key == "quantile" { quantile = Double(label.value) } else { others.append(label) }
        }
        let otherPairs = others.map { label in
            var pair = Io_Prometheus_Client_LabelPair()
            pair.name = label.0
            pair.value = label.1
            return pair
        }
        if family.metric.last?.label != otherPairs || !(family.metric.last?.hasSummary ?? false) {
            var metric = Io_Prometheus_Client_Metric()
            metric.label = otherPairs
            metric.summary = Io_Prometheus_Client_Summary()
            family.metric.append(metric)
        }
        let last = family.metric.count - 1
        if let quantile {
            var element = Io_Prometheus_Client_Quantile()
            element.quantile = quantile
            element.value = value
            family.metric[last].summary.quantile.append(element)
        } else if name == family.name + "_sum" {
            family.metric[last].summary.sampleSum = value
        } else if name == family.name + "_count" {
            family.metric[last].summary.sampleCount =
                count ?? (value >= 0 && value < 0x1p64 ? UInt64(value) : 0)
        }
    }
}
