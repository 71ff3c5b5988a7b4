import SLOWatchCore

extension ConfigFile {
    /// The keys of one SLO: the `PUT /slos/{id}` body's fields plus `id`.
    static let sloKeys = [
        "id", "metric", "percentile", "threshold", "unit", "direction", "window", "minSamples", "severity",
    ]

    /// Reads `slos:`: a list of at most ``SLOWatchService/maximumSLOs`` SLOs with unique ids.
    static func slos(from node: ConfigNode) throws(ConfigError) -> [ConfigSLO] {
        var slos: [ConfigSLO] = []
        var lines: [String: Int] = [:]
        for item in try node.items(rule: "a list of SLOs (write [] for none)") {
            let slo = try slo(from: item)
            let id = slo.definition.id
            if let first = lines[id] {
                throw item.error(
                    "The SLO id \(id.debugDescription) is already used by the SLO on line \(first): "
                        + "SLO ids must be unique.")
            }
            lines[id] = item.line
            slos.append(slo)
            guard slos.count <= SLOWatchService.maximumSLOs else {
                throw item.error(
                    "This is SLO number \(slos.count): a configuration holds at most "
                        + "\(SLOWatchService.maximumSLOs) SLOs, as PUT /slos does.")
            }
        }
        return slos
    }

    /// Reads one SLO and validates it with the core's rules, reporting the line of the field at fault.
    private static func slo(from item: ConfigNode) throws(ConfigError) -> ConfigSLO {
        var fields: [String: ConfigNode] = [:]
        for (key, value) in try item.members(allowed: sloKeys, context: item.name) { fields[key] = value }
        func required(_ key: String) throws(ConfigError) -> ConfigNode {
            guard let node = fields[key] else {
                throw item.error(
                    "\(item.name) has no \(key): every SLO needs id, metric, percentile and threshold.")
            }
            return node
        }
        let idNode = try required("id")
        let metricNode = try required("metric")
        let percentileNode = try required("percentile")
        let thresholdNode = try required("threshold")
        let id = try idNode.text()
        let metric = try metricNode.text()
        let percentile = try percentileNode.text()
        let threshold = try thresholdNode.number()
        let unit =
            try fields["unit"]?.text(maximumLength: SLODefinitionBody.maximumUnitLength, as: "PUT /slos/{id}")
            ?? "ms"
        var direction = SLODirection.above
        if let node = fields["direction"] {
            let text = try node.text()
            do { direction = try SLODirection(parsing: text) } catch { throw node.error(error.message) }
        }
        var window: Double?
        // `window: null` means every retained sample, as in the PUT /slos/{id} body.
        if let node = fields["window"], !node.isNull {
            let text = try node.text()
            guard let milliseconds = DurationText.milliseconds(text) else {
                throw node.error(
                    "The value \(text.debugDescription) of \(node.name) is not valid: "
                        + "it must be \(DurationText.rule)."
                )
            }
            window = milliseconds
        }
        let minSamples = try fields["minSamples"]?.integer() ?? 1
        let severity = try fields["severity"]?.text() ?? SLODefinition.defaultSeverity
        do {
            let definition = try SLODefinition(
                id: id, metric: metric, percentile: percentile, threshold: threshold, unit: unit,
                direction: direction, window: window, minSamples: minSamples, severity: severity)
            return ConfigSLO(definition: definition, line: item.line)
        } catch {
            // The core's error says what is wrong; find the field it is about for the line.
            let culprits: [(SLOError, ConfigNode?)] = [
                (.invalidID(id), idNode),
                (.invalidMetricName(slo: id, metric: metric), metricNode),
                (.invalidPercentile(percentile), percentileNode),
                (.nonFiniteThreshold(slo: id, threshold: threshold), thresholdNode),
                (.invalidMinSamples(slo: id, minSamples: minSamples), fields["minSamples"]),
                (.invalidWindow(slo: id, window: window ?? 0), fields["window"]),
                (.invalidSeverity(slo: id, severity: severity), fields["severity"]),
            ]
            let node = culprits.first { $0.0 == error }?.1 ?? item
            throw node.error(error.message)
        }
    }
}
