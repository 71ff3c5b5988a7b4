import SLOWatchCore

/// Reads the body of `PUT /metrics/{name}`: `{"type","unit","description","capacity"}`.
///
/// Every field is optional, and PUT replaces the whole definition, so an omitted field takes its
/// default rather than the metric's previous value: `type` `latency`, `unit` `ms`, `description`
/// empty, `capacity` the service's default capacity. `{}` is a valid body.
enum MetricDefinitionBody {
    /// The longest accepted `unit`, in characters.
    static let maximumUnitLength = 64
    /// The longest accepted `description`, in characters.
    static let maximumDescriptionLength = 1_024

    /// Builds the definition of metric `name` from `fields`.
    /// - Parameters:
    ///   - fields: the body object.
    ///   - name: the metric's name, from the path.
    ///   - defaultCapacity: the capacity, in samples, when the body has none.
    /// - Throws: 400 `invalid_request` naming the first bad field: a name that breaks the rule, a type
    ///   other than `latency`, `gauge` or `counter`, a unit or description of the wrong type or too
    ///   long, a capacity that is not a whole number from 1 to 10,000,000.
    static func definition(_ fields: JSONFields, name: String, defaultCapacity: Int) throws(APIError)
        -> MetricDefinition
    {
        guard SLODefinition.isValidName(name) else { throw APIError(MetricsError.invalidName(name)) }
        var definition = MetricDefinition(name: name, capacity: defaultCapacity)
        if let type = try fields.string("type") {
            guard let parsed = MetricType(rawValue: type) else {
                let names = MetricType.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
                throw .invalidRequest(
                    "type: \(MessageText.quoted(type, limit: 60)) is not a metric type: it must be one of "
                        + "\(names).")
            }
            definition.type = parsed
        }
        if let unit = try fields.string("unit", maximumLength: maximumUnitLength) { definition.unit = unit }
        if let description = try fields.string("description", maximumLength: maximumDescriptionLength) {
            definition.description = description
        }
        if let capacity = try fields.integer("capacity") {
            guard capacity >= 1, capacity <= MetricDefinition.maximumCapacity else {
                throw .invalidRequest(
                    "capacity: must be a whole number of samples from 1 to \(MetricDefinition.maximumCapacity), "
                        + "got \(capacity).")
            }
            definition.capacity = capacity
        }
        return definition
    }
}
