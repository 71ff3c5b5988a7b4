/// One sample line of a Prometheus text exposition: `name{labels} value`.
struct ExpositionSample: Equatable {
    /// The sample's metric name (`slowatch_sample_value_sum`, …).
    var name: String
    /// The labels, with their escapes (`\\`, `\"`, `\n`) undone.
    var labels: [String: String]
    /// The value (`NaN`, `+Inf` and `-Inf` included).
    var value: Double
}

/// A small reader of the Prometheus text format 0.0.4, written for the tests independently of the
/// service's writer: samples with their labels unescaped, and the `# HELP` / `# TYPE` lines.
struct PrometheusExpositionReader {
    /// Every sample line, in order.
    private(set) var samples: [ExpositionSample] = []
    /// The family names that have a `# HELP` line.
    private(set) var helped: Set<String> = []
    /// The type of each family with a `# TYPE` line.
    private(set) var types: [String: String] = [:]

    /// Reads `text`.
    /// - Throws: ``TestServiceError`` naming the first line that is not a comment, a blank line or a
    ///   well-formed sample.
    init(_ text: String) throws {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("# HELP ") {
                helped.insert(String(line.dropFirst(7).prefix { $0 != " " }))
            } else if line.hasPrefix("# TYPE ") {
                let parts = line.dropFirst(7).split(separator: " ")
                if parts.count == 2 { types[String(parts[0])] = String(parts[1]) }
            } else if !line.hasPrefix("#") {
                guard let sample = Self.sample(Array(line.utf8)) else {
                    throw TestServiceError("not a sample line: \(line)")
                }
                samples.append(sample)
            }
        }
    }

    /// The value of the sample `name` whose labels are exactly `labels`, or nil.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// The family a sample belongs to: its name without a summary's `_sum` or `_count` when that
    /// family is a summary.
    func family(of sample: ExpositionSample) -> String {
        for suffix in ["_sum", "_count"] where sample.name.hasSuffix(suffix) {
            let base = String(sample.name.dropLast(suffix.count))
            if types[base] == "summary" { return base }
        }
        return sample.name
    }

    /// Parses `name{a="x",b="y"} value` (labels optional).
    private static func sample(_ line: [UInt8]) -> ExpositionSample? {
        var index = 0
        while index < line.count, line[index] != UInt8(ascii: "{"), line[index] != UInt8(ascii: " ") {
            index += 1
        }
        let name = String(decoding: line[..<index], as: UTF8.self)
        var labels: [String: String] = [:]
        if index < line.count, line[index] == UInt8(ascii: "{") {
            index += 1
            while index < line.count, line[index] != UInt8(ascii: "}") {
                let nameStart = index
                while index < line.count, line[index] != UInt8(ascii: "=") { index += 1 }
                let labelName = String(decoding: line[nameStart..<index], as: UTF8.self)
                guard index + 1 < line.count, line[index + 1] == UInt8(ascii: "\"") else { return nil }
                index += 2
                var value: [UInt8] = []
                while index < line.count, line[index] != UInt8(ascii: "\"") {
                    if line[index] == UInt8(ascii: "\\"), index + 1 < line.count {
                        index += 1
                        value.append(line[index] == UInt8(ascii: "n") ? 0x0A : line[index])
                    } else {
                        value.append(line[index])
                    }
                    index += 1
                }
                guard index < line.count else { return nil }
                labels[labelName] = String(decoding: value, as: UTF8.self)
                index += 1
                if index < line.count, line[index] == UInt8(ascii: ",") { index += 1 }
            }
            index += 1
        }
        guard index < line.count, line[index] == UInt8(ascii: " ") else { return nil }
        let text = String(decoding: line[(index + 1)...], as: UTF8.self)
        let value: Double?
        switch text {
        case "NaN": value = .nan
        case "+Inf": value = .infinity
        case "-Inf": value = -.infinity
        default: value = Double(text)
        }
        guard let value else { return nil }
        return ExpositionSample(name: name, labels: labels, value: value)
    }
}

extension ExpositionSample {
    /// Equal when names and labels match and the values are equal or both NaN.
    static func == (lhs: ExpositionSample, rhs: ExpositionSample) -> Bool {
        lhs.name == rhs.name && lhs.labels == rhs.labels
            && (lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN))
    }
}
