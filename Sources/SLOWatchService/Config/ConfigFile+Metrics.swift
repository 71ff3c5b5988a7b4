import SLOWatchCore

extension ConfigFile {
    /// The keys of one metric predefinition: the `PUT /metrics/{name}` body's fields plus `name`.
    static let metricKeys = ["name", "type", "unit", "description", "capacity"]

    /// Reads `metrics:`: a list of metric definitions with unique names.
    static func metrics(from node: ConfigNode) throws(ConfigError) -> [ConfigMetric] {
        var metrics: [ConfigMetric] = []
        var lines: [String: Int] = [:]
        for item in try node.items(rule: "a list of metric definitions (write [] for none)") {
            let metric = try metric(from: item)
            if let first = lines[metric.name] {
                throw item.error(
                    "The metric \(metric.name.debugDescription) is already defined on line \(first): "
                        + "metric names must be unique.")
            }
            lines[metric.name] = item.line
            metrics.append(metric)
        }
        return metrics
    }

    /// Reads one metric, checking the name and capacity with the core's rules and messages, and the
    /// unit and description with the `PUT /metrics/{name}` body's length limits.
    private static func metric(from item: ConfigNode) throws(ConfigError) -> ConfigMetric {
        var fields: [String: ConfigNode] = [:]
        for (key, value) in try item.members(allowed: metricKeys, context: item.name) { fields[key] = value }
        guard let nameNode = fields["name"] else {
            throw item.error("\(item.name) has no name: every metric needs one.")
        }
        let name = try nameNode.text()
        guard SLODefinition.isValidName(name) else {
            throw nameNode.error(MetricsError.invalidName(name).message + ".")
        }
        var type = MetricType.latency
        if let node = fields["type"] {
            let text = try node.text()
            guard let parsed = MetricType(rawValue: text) else {
                let types = MetricType.allCases.map(\.rawValue).joined(separator: ", ")
                throw node.error(
                    "The value \(text.debugDescription) of \(node.name) is not valid: "
                        + "it must be one of \(types).")
            }
            type = parsed
        }
        var capacity: Int?
        if let node = fields["capacity"] {
            let value = try node.integer()
            guard (1...MetricDefinition.maximumCapacity).contains(value) else {
                throw node.error(MetricsError.invalidCapacity(value, metric: name).message + ".")
            }
            capacity = value
        }
        let body = "PUT /metrics/{name}"
        let unit = try fields["unit"]?.text(maximumLength: MetricDefinitionBody.maximumUnitLength, as: body)
        let description = try fields["description"]?.text(
            maximumLength: MetricDefinitionBody.maximumDescriptionLength, as: body)
        return ConfigMetric(
            name: name, type: type, unit: unit ?? "ms", description: description ?? "", capacity: capacity,
            line: item.line)
    }
}
