import SLOWatchCore

/// Writes SLOs as OpenSLO v1 `kind: SLO` documents, one YAML stream, the way ``OpenSLODocument`` reads them
/// back: loading the text and exporting it again gives the same bytes.
///
/// An SLO is written when OpenSLO can say it exactly: it has an objective (an error-budget SLO), a period
/// (and slice) of whole minutes, and no `Timeslices` with direction `below`. The others are listed in
/// ``Result/skipped`` with the reason. What OpenSLO has no field for (the unit, the instant check's
/// fields, alert tiers) goes in `slowatch.dev/` annotations (``OpenSLOAnnotations``).
public enum OpenSLOExport {
    /// What an export produced.
    public struct Result: Sendable, Equatable {
        /// The YAML stream: each document starts with `---`; empty when no SLO could be written.
        public let text: String
        /// One sentence per SLO left out, naming it and why.
        public let skipped: [String]
    }

    /// Writes `slos` in order.
    public static func export(_ slos: [SLODefinition]) -> Result {
        var text = ""
        var skipped: [String] = []
        for slo in slos {
            if let reason = refusal(slo) {
                skipped.append("The SLO \(slo.id.debugDescription) is not exported: \(reason).")
            } else if let budget = slo.budget {
                text += document(slo, budget)
            }
        }
        return Result(text: text, skipped: skipped)
    }

    /// Why OpenSLO v1 cannot say `slo` exactly, or nil when it can.
    static func refusal(_ slo: SLODefinition) -> String? {
        guard let budget = slo.budget else {
            return
                "it has no objective, and OpenSLO describes error-budget SLOs (a target over a time window)"
        }
        if budget.method == .timeslices, slo.direction == .below {
            return "a Timeslices SLO with direction below has no exact OpenSLO operator"
        }
        if OpenSLOTimeWindow.shorthand(budget.periodMilliseconds) == nil
            || budget.sliceMilliseconds.map({ OpenSLOTimeWindow.shorthand($0) == nil }) == true
        {
            return "OpenSLO durations are whole minutes, hours, days or weeks"
        }
        return nil
    }

    /// One document, starting with `---`.
    private static func document(_ slo: SLODefinition, _ budget: SLOBudget) -> String {
        var lines = ["---", "apiVersion: \(OpenSLODocument.apiVersion)", "kind: SLO", "metadata:"]
        lines.append("  name: \(scalar(slo.id))")
        let annotations = self.annotations(slo, budget)
        if !annotations.isEmpty {
            lines.append("  annotations:")
            for (name, value) in annotations {
                lines.append("    \(OpenSLOAnnotations.prefix)\(name): \(scalar(value))")
            }
        }
        lines += [
            "spec:", "  service: slowatch", "  indicator:", "    metadata:", "      name: \(scalar(slo.id))",
            "    spec:", "      thresholdMetric:", "        metricSource:", "          type: slowatch",
            "          spec:", "            query: \(scalar(slo.metric))", "  timeWindow:",
            "    - duration: \(OpenSLOTimeWindow.shorthand(budget.periodMilliseconds) ?? "")",
            "      isRolling: true", "  budgetingMethod: \(budget.method.rawValue)", "  objectives:",
            "    - op: \(slo.direction == .above ? "lte" : "gte")",
            "      value: \(OpenSLONumberText.yamlNumber(slo.threshold))",
            "      targetPercent: \(OpenSLONumberText.yamlNumber(budget.objective))",
        ]
        if let slice = budget.sliceMilliseconds {
            let percent = String(slo.percentile.text.dropFirst())
            lines.append("      timeSliceTarget: \(OpenSLONumberText.shifted(percent, by: -2))")
            lines.append("      timeSliceWindow: \(OpenSLOTimeWindow.shorthand(slice) ?? "")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `slowatch.dev/` annotations of the fields that differ from what the document implies.
    private static func annotations(_ slo: SLODefinition, _ budget: SLOBudget) -> [(String, String)] {
        var annotations: [(String, String)] = []
        if budget.method == .occurrences,
            slo.percentile.text != OpenSLOObjective.instantPercentile(budget.objective).text
        {
            annotations.append(("percentile", slo.percentile.text))
        }
        if slo.unit != "ms" { annotations.append(("unit", slo.unit)) }
        if let window = slo.windowMilliseconds {
            annotations.append(("window", DurationText.format(milliseconds: window)))
        }
        if slo.minSamples != 1 { annotations.append(("min-samples", String(slo.minSamples))) }
        if slo.severity != SLODefinition.defaultSeverity { annotations.append(("severity", slo.severity)) }
        if let alerts = budget.alerts {
            var json = JSONWriter(capacity: 64 + 128 * alerts.count)
            json.beginArray()
            for tier in alerts { tier.writeJSON(to: &json) }
            json.endArray()
            annotations.append(("alerts", String(decoding: json.bytes, as: UTF8.self)))
        }
        return annotations
    }

    /// `text` as a YAML scalar that reads back as the same text: plain when it is a name that YAML reads
    /// as text (`checkout.latency`), else double-quoted with escapes (`"20"`, `"true"`, `"a b"`).
    static func scalar(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || "_.-/".unicodeScalars.contains(scalar))
        }
        let reserved = ["true", "false", "yes", "no", "on", "off", "null", "y", "n"]
        if plain, let first = text.unicodeScalars.first, first.properties.isAlphabetic,
            !reserved.contains(text.lowercased())
        {
            return text
        }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                quoted +=
                    "\\x" + String(repeating: "0", count: scalar.value < 0x10 ? 1 : 0)
                    + String(scalar.value, radix: 16)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return quoted + "\""
    }
}
