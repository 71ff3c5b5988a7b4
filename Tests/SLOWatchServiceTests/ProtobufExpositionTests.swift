import Foundation
import SLOWatchCore
import SLOWatchHTTP
import SLOWatchProtobuf
import SwiftProtobuf
import Testing

@testable import SLOWatchService

/// `GET /metrics` in the Prometheus protobuf format: negotiation, the families, the native histograms.
@Suite("GET /metrics as length-delimited protobuf MetricFamily messages")
struct ProtobufExpositionTests {
    static let protobufAccept = PrometheusScrapeAccept.nativeHistograms

    private func format(_ values: String...) -> MetricsListFormat {
        var headers = HTTPHeaders()
        for value in values { headers.add(name: "Accept", value: value) }
        return MetricsListFormat.preferred(by: headers)
    }

    @Test("the protobuf range is chosen when preferred, with its parameters, and only then")
    func negotiation() {
        let range =
            "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited"
        #expect(format(Self.protobufAccept) == .prometheusProtobuf)
        #expect(format(range) == .prometheusProtobuf)
        #expect(
            format(
                "Application/Vnd.Google.Protobuf ; encoding=delimited ; proto=io.prometheus.client.MetricFamily"
            )
                == .prometheusProtobuf)
        #expect(format("text/plain;q=0.5", range + ";q=0.6") == .prometheusProtobuf)
        // A tie with the text format: the named protobuf range wins.
        #expect(format(range + ", text/plain") == .prometheusProtobuf)
        // Preferred less than text or JSON, refused, or named without its parameters: not protobuf.
        #expect(format(range + ";q=0.2, text/plain;q=0.3") == .prometheusText)
        #expect(format(range + ";q=0.2, application/json") == .json)
        #expect(format(range + ";q=0, text/plain;q=0.1") == .prometheusText)
        #expect(format("application/vnd.google.protobuf, text/plain;q=0.1") == .prometheusText)
        #expect(format("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily") == .json)
        #expect(
            format("application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text")
                == .json)
        #expect(format(range + ";q=nan") == .json)
        #expect(format("*/*") == .json)
        // The existing answers are unchanged.
        #expect(format(PrometheusScrapeAccept.value) == .openMetrics)
        #expect(format() == .json)
    }

    /// The messages of a length-delimited stream, decoded with the generated type.
    static func families(_ bytes: [UInt8]) throws -> [Io_Prometheus_Client_MetricFamily] {
        var families: [Io_Prometheus_Client_MetricFamily] = []
        var position = 0
        while position < bytes.count {
            var length = 0
            var shift = 0
            while true {
                let byte = try #require(position < bytes.count ? bytes[position] : nil)
                position += 1
                length |= Int(byte & 0x7F) << shift
                shift += 7
                if byte & 0x80 == 0 { break }
            }
            try #require(position + length <= bytes.count)
            families.append(
                try Io_Prometheus_Client_MetricFamily(
                    serializedBytes: Array(bytes[position..<(position + length)])))
            position += length
        }
        return families
    }

    /// The text format's samples that `families` stand for (summaries as quantiles, `_sum`, `_count`).
    static func samples(_ families: [Io_Prometheus_Client_MetricFamily]) -> [ExpositionSample] {
        var samples: [ExpositionSample] = []
        for family in families {
            for metric in family.metric {
                let labels = Dictionary(uniqueKeysWithValues: metric.label.map { ($0.name, $0.value) })
                switch family.type {
                case .counter:
                    samples.append(.init(name: family.name, labels: labels, value: metric.counter.value))
                case .gauge:
                    samples.append(.init(name: family.name, labels: labels, value: metric.gauge.value))
                case .summary:
                    for quantile in metric.summary.quantile {
                        var withQuantile = labels
                        withQuantile["quantile"] = String(quantile.quantile)
                        samples.append(.init(name: family.name, labels: withQuantile, value: quantile.value))
                    }
                    samples.append(
                        .init(name: family.name + "_sum", labels: labels, value: metric.summary.sampleSum))
                    samples.append(
                        .init(
                            name: family.name + "_count", labels: labels,
                            value: Double(metric.summary.sampleCount)))
                default: continue
                }
            }
        }
        return samples
    }

    @Test(
        "every text family comes with the same names, labels and values, plus one native histogram per metric"
    )
    func sameFamiliesAndHistograms() throws {
        let service = try InProcessService()
        defer { service.stop() }
        let client = service.client
        let now = Int64((Date().timeIntervalSince1970 * 1_000).rounded(.down))
        _ = try client.putJSON(service.url("/metrics/empty.one"), #"{"unit":"s"}"#)
        let values = [0.0, 1, 2, 2, 3.5, 100, -4, 1e-3]
        let body = values.map { #"{"metric":"api.latency","value":\#($0),"timestamp":\#(now)}"# }
        #expect(
            try client.postJSON(service.url("/samples"), #"{"samples":[\#(body.joined(separator: ","))]}"#)
                .status == 200)

        let response = try client.get(service.url("/metrics"), headers: [("Accept", Self.protobufAccept)])
        #expect(response.status == 200)
        #expect(response.header("Content-Type") == PrometheusProtobufWriter.contentType)
        #expect(response.header("Vary") == "Accept, Accept-Encoding")
        let families = try Self.families(response.body)
        let text = try PrometheusExpositionReader(
            try client.get(service.url("/metrics"), headers: [("Accept", PrometheusScrapeAccept.text)])
                .bodyText)

        // The same families, with the same HELP and type, plus the native one.
        #expect(Set(families.map(\.name)) == Set(text.types.keys).union(["slowatch_sample_histogram"]))
        for family in families where family.name != "slowatch_sample_histogram" {
            #expect(text.types[family.name] == "\(family.type)", "\(family.name)")
            #expect(!family.help.isEmpty)
        }
        // The values that do not move between two scrapes are equal, sample for sample.
        let stable: (ExpositionSample) -> Bool = {
            $0.name.hasPrefix("slowatch_sample_value") || $0.name.hasPrefix("slowatch_slo")
                || $0.name == "slowatch_samples_total"
        }
        let fromProtobuf = Self.samples(families).filter(stable)
        let fromText = text.samples.filter(stable)
        #expect(fromProtobuf.count == fromText.count && fromText.count > 0)
        for sample in fromText { #expect(fromProtobuf.contains(sample), "\(sample)") }

        // One native histogram per metric that counted a sample: cumulative, exact.
        let native = try #require(families.first { $0.name == "slowatch_sample_histogram" })
        #expect(native.type == .histogram)
        #expect(native.metric.count == 1, "the empty metric is left out")
        let metric = try #require(native.metric.first)
        #expect(
            Dictionary(uniqueKeysWithValues: metric.label.map { ($0.name, $0.value) }) == [
                "metric": "api.latency", "unit": "ms",
            ])
        let histogram = metric.histogram
        #expect(histogram.sampleCount == UInt64(values.count))
        #expect(histogram.sampleSum == values.reduce(0, +))
        #expect(histogram.schema == 6)
        #expect(histogram.zeroCount == 1)
        #expect(histogram.negativeDelta == [1])
        let total = try #require(service.service.registry.cumulativeTotal(for: "api.latency"))
        #expect(histogram == NativeHistogramEncoding.histogram(total))
    }
}
