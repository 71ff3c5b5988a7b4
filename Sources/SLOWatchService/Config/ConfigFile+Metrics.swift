import SLOWatchCore

extension ConfigFile {
    /// Reads `metrics:`: a list of metric definitions with unique names.
    static func metrics(from node: ConfigValue) throws(ConfigError) -> [ConfigMetric] {
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

    /// Reads one metric with the metric schema (``MetricDefinitionBody``), at the line of the field at
    /// fault; a metric without a capacity keeps none, to take the resolved `capacity` setting.
    private static func metric(from item: ConfigValue) throws(ConfigError) -> ConfigMetric {
        let fields = try ConfigFields(item, allowed: MetricDefinitionBody.fieldNames)
        let name = try fields.requiredString("name")
        let (definition, capacity) = try MetricDefinitionBody.decode(
            fields, name: name, defaultCapacity: MetricDefinition.defaultCapacity)
        return ConfigMetric(definition: definition, capacity: capacity, line: item.line)
    }
}
