import SLOWatchCore

/// What a resolved configuration would load, as lines for `slowatch check-config`: every setting with
/// its value and origin, then each SLO and each predefined metric.
public enum ConfigSummary {
    /// The lines, without trailing newlines.
    /// - Parameters:
    ///   - settings: the resolved settings.
    ///   - file: the configuration file they were resolved with, for the SLO and metric lines.
    public static func lines(_ settings: ResolvedSettings, file: ConfigFile?) -> [String] {
        var lines = ["settings:"]
        let width = SettingKey.allCases.map(\.fileKey.count).max() ?? 0
        let values = SettingKey.allCases.map { settings.value(of: $0).description }
        let valueWidth = values.map(\.count).max() ?? 0
        for (key, value) in zip(SettingKey.allCases, values) {
            let name = key.fileKey + String(repeating: " ", count: width - key.fileKey.count)
            let padded = value + String(repeating: " ", count: valueWidth - value.count)
            lines.append("  \(name)  \(padded)  (\(settings.origins[key] ?? .defaultValue))")
        }
        let configuration = settings.configuration
        lines.append("slos: \(configuration.slos.count) from \(configuration.sloSource)")
        let entries = Dictionary(
            (file?.slos ?? []).map { ($0.definition.id, $0) }, uniquingKeysWith: { first, _ in first })
        for slo in configuration.slos {
            // An OpenSLO document's line says so: the SLO shown is its translation.
            let line =
                entries[slo.id].map { "  (line \($0.line)\($0.isOpenSLO ? ", from OpenSLO kind: SLO" : ""))" }
                ?? ""
            lines.append("  \(describe(slo))\(line)")
        }
        lines.append("metrics: \(configuration.metrics.count)")
        for (index, metric) in configuration.metrics.enumerated() {
            let entries = file?.metrics ?? []
            let line = entries.indices.contains(index) ? "  (line \(entries[index].line))" : ""
            let description = metric.description.isEmpty ? "" : " \(metric.description.debugDescription)"
            lines.append(
                "  \(metric.name): \(metric.type.rawValue) in \(metric.unit), capacity \(metric.capacity)"
                    + "\(description)\(line)")
        }
        return lines
    }

    /// `input-to-echo-p95: input-to-echo p95 above 60 ms, window 5m, minSamples 20, severity critical` (the
    /// severity only when it is not the default `warning`); an error-budget SLO adds
    /// `, objective 99.9 % Timeslices of 5m over 30d, 4 alert tiers`.
    static func describe(_ slo: SLODefinition) -> String {
        var text =
            "\(slo.id): \(slo.metric) \(slo.percentile) \(slo.direction) "
            + "\(number(slo.threshold)) \(slo.unit)"
        if let window = slo.windowMilliseconds {
            text += ", window \(DurationText.format(milliseconds: window))"
        }
        if slo.minSamples != 1 { text += ", minSamples \(slo.minSamples)" }
        if slo.severity != SLODefinition.defaultSeverity { text += ", severity \(slo.severity)" }
        if let budget = slo.budget { text += ", " + describe(budget) }
        return text
    }

    /// `objective 99.9 % Occurrences over 30d, 4 alert tiers` (`of 5m` after `Timeslices`; `no alert
    /// tiers` when alerting is off).
    static func describe(_ budget: SLOBudget) -> String {
        var text = "objective \(number(budget.objective)) % \(budget.method.rawValue)"
        if let slice = budget.sliceMilliseconds {
            text += " of \(DurationText.format(milliseconds: Double(slice), days: true))"
        }
        text += " over \(DurationText.format(milliseconds: Double(budget.periodMilliseconds), days: true))"
        let tiers = budget.tiers.count
        text += tiers == 0 ? ", no alert tiers" : ", \(tiers) alert tier\(tiers == 1 ? "" : "s")"
        return text
    }

    /// `60` for a whole number, else Swift's shortest form (`12.5`).
    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
