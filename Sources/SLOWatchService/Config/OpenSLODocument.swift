import SLOWatchCore

/// Reads one OpenSLO v1 `kind: SLO` document of a configuration file into the slowatch SLO it stands for,
/// for the subset slowatch runs exactly (see "OpenSLO v1 in and out" in docs/slos.md):
///
/// - `metadata.name` is the SLO id; `displayName` and `labels` are accepted and not used;
/// - `spec.indicator.spec.thresholdMetric.metricSource.spec.query` is the metric's name (`type` is free,
///   `metricSourceRef` and `ratioMetric` are refused);
/// - exactly one objective with `op: lte` (direction `above`) or `op: gte` (direction `below`), `value`
///   (the threshold) and `target` or `targetPercent` (the objective);
/// - one rolling `timeWindow` (`isRolling: true`, a duration in `m`, `h`, `d` or `w`): the period;
/// - `budgetingMethod: Occurrences`, or `Timeslices` with `timeSliceTarget` (the percentile judged in
///   each slice) and `timeSliceWindow` (the slice).
///
/// What OpenSLO cannot say comes from `metadata.annotations` (``OpenSLOAnnotations``). Everything else is
/// an error at the line of the field at fault, naming the field and why.
enum OpenSLODocument {
    /// The `apiVersion` read.
    static let apiVersion = "openslo/v1"

    /// Whether `document` asks to be read as OpenSLO: a mapping with an `apiVersion` starting `openslo/`,
    /// or with `kind` and `spec` (no slowatch setting has those names), so that a document that forgot
    /// its `apiVersion` is told so rather than that `kind` is an unknown setting.
    static func isOpenSLO(_ document: ConfigValue) -> Bool {
        guard case .object(let object) = document.value else { return false }
        if case .string(let version)? = object["apiVersion"] { return version.hasPrefix("openslo/") }
        return object["kind"] != nil && object["spec"] != nil
    }

    /// The slowatch SLO that `document` describes.
    /// - Throws: ``ConfigError`` at the line of the first field outside the subset or invalid.
    static func slo(from document: ConfigValue) throws(ConfigError) -> ConfigSLO {
        let top = try OpenSLOFields(document, allowed: ["apiVersion", "kind", "metadata", "spec"])
        let version = try top.required("apiVersion").text()
        guard version == apiVersion else {
            throw try top.required("apiVersion").keyError(
                "apiVersion: \(MessageText.quoted(version, limit: 60)) is not supported: slowatch reads "
                    + "OpenSLO \"\(apiVersion)\".")
        }
        let kind = try top.required("kind")
        guard try kind.text() == "SLO" else {
            throw kind.keyError(
                "kind: \(MessageText.quoted(try kind.text(), limit: 60)) is not supported: slowatch reads "
                    + "OpenSLO documents of kind SLO, each with its indicator inline.")
        }
        let metadata = try OpenSLOFields(
            top.required("metadata"), allowed: ["name", "displayName", "labels", "annotations"])
        let nameValue = try metadata.required("name")
        let id = try nameValue.text()
        let annotations = try OpenSLOAnnotations(metadata.optional("annotations"))
        let spec = try OpenSLOFields(
            top.required("spec"),
            allowed: [
                "description", "service", "indicator", "indicatorRef", "timeWindow", "budgetingMethod",
                "objectives", "alertPolicies",
            ])
        if let reference = spec.optional("indicatorRef") {
            throw reference.keyError(
                "\(reference.name): SLI references are not resolved: write the indicator inline, under "
                    + "spec.indicator.")
        }
        if let policies = spec.optional("alertPolicies"), !policies.isEmptyList {
            throw policies.keyError(
                "\(policies.name): alert policies are not supported: slowatch alerts with its own burn-rate "
                    + "tiers (set them with the slowatch.dev/alerts annotation); leave alertPolicies empty.")
        }
        let metric = try metricName(try spec.required("indicator"))
        let period = try OpenSLOTimeWindow.period(spec.optional("timeWindow"))
        let objective = try OpenSLOObjective(spec.required("budgetingMethod"), spec.required("objectives"))
        let percentile = annotations.percentile ?? objective.percentile
        if objective.method == .timeslices, let (given, value) = annotations.percentile,
            given.quantile != objective.percentile.0.quantile
        {
            throw value.keyError(
                "\(value.name): a Timeslices SLO judges each slice by timeSliceTarget "
                    + "(\(objective.percentile.0) here), so this annotation may only repeat it.")
        }
        return ConfigSLO(
            definition: try build(
                id: id, nameLine: nameValue, metric: metric, objective: objective, period: period,
                percentile: percentile, annotations: annotations),
            line: document.line, openSLO: true)
    }

    /// The metric name at `indicator.spec.thresholdMetric.metricSource.spec.query`, with the value it was read
    /// from, for errors.
    private static func metricName(_ indicator: ConfigValue) throws(ConfigError) -> ConfigValue {
        let fields = try OpenSLOFields(indicator, allowed: ["metadata", "spec"])
        let spec = try OpenSLOFields(
            fields.required("spec"), allowed: ["description", "thresholdMetric", "ratioMetric"])
        if let ratio = spec.optional("ratioMetric") {
            throw ratio.keyError(
                "\(ratio.name): ratio metrics are not supported: slowatch judges the raw samples of one "
                    + "metric against a threshold, so write a thresholdMetric.")
        }
        let threshold = try OpenSLOFields(spec.required("thresholdMetric"), allowed: ["metricSource"])
        let source = try OpenSLOFields(
            threshold.required("metricSource"), allowed: ["metricSourceRef", "type", "spec"])
        if let reference = source.optional("metricSourceRef") {
            throw reference.keyError(
                "\(reference.name): DataSource references are not supported: slowatch reads its own "
                    + "samples; name the metric in metricSource.spec.query.")
        }
        let query = try OpenSLOFields(source.required("spec"), allowed: ["query"]).required("query")
        _ = try query.text()
        return query
    }

    /// The alert tiers of the `slowatch.dev/alerts` annotation, read by the SLO schema's own tier reader
    /// (``SLODefinitionBody/budget(_:id:)``), so the fields, defaults and messages are those of a `PUT`.
    private static func tiers(
        _ alerts: JSONValue, at value: ConfigValue, id: String, objective: OpenSLOObjective,
        period: OpenSLOTimeWindow
    ) throws(ConfigError) -> [BurnAlertTier] {
        var body = JSONObject()
        body.set("objective", .number(objective.percent))
        body.set(
            "period", .string(DurationText.format(milliseconds: Double(period.milliseconds), days: true)))
        body.set("alerts", alerts)
        do {
            let budget = try SLODefinitionBody.budget(JSONFields(body), id: id)
            return budget?.alerts ?? []
        } catch {
            throw value.keyError("\(value.name): \(error.message)")
        }
    }

    /// Builds the definition, moving a core error to the line of the field it is about.
    private static func build(
        id: String, nameLine: ConfigValue, metric: ConfigValue, objective: OpenSLOObjective,
        period: OpenSLOTimeWindow, percentile: (Percentile, ConfigValue), annotations: OpenSLOAnnotations
    ) throws(ConfigError) -> SLODefinition {
        let metricName = try metric.text()
        var tiers: [BurnAlertTier]?
        if let (alerts, value) = annotations.alerts {
            tiers = try Self.tiers(alerts, at: value, id: id, objective: objective, period: period)
        }
        let budget: SLOBudget
        do {
            budget = try SLOBudget(
                slo: id, objective: objective.percent, method: objective.method,
                periodMilliseconds: period.milliseconds, sliceMilliseconds: objective.sliceMilliseconds,
                alerts: tiers)
        } catch {
            let value: ConfigValue? =
                switch error.budgetField {
                case "period": period.value
                case "alerts": annotations.alerts?.1
                case "slice": objective.sliceValue
                default: objective.targetValue
                }
            throw (value ?? nameLine).keyError(error.message)
        }
        do {
            return try SLODefinition(
                id: id, metric: metricName, percentile: percentile.0, threshold: objective.threshold,
                unit: annotations.unit ?? "ms", direction: objective.direction,
                windowMilliseconds: annotations.windowMilliseconds, minSamples: annotations.minSamples ?? 1,
                severity: annotations.severity ?? SLODefinition.defaultSeverity, budget: budget)
        } catch {
            let culprits: [(SLOError, ConfigValue?)] = [
                (.invalidID(id), nameLine),
                (.invalidMetricName(slo: id, metric: metricName), metric),
                (.nonFiniteThreshold(slo: id, threshold: objective.threshold), objective.valueValue),
                (.invalidSeverity(slo: id, severity: annotations.severity ?? ""), annotations.severityValue),
            ]
            throw (culprits.first { $0.0 == error }?.1 ?? nameLine).keyError(error.message)
        }
    }
}
