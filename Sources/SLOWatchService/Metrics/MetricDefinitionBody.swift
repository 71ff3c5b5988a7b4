import SLOWatchCore

/// The metric schema: reads one metric definition from the body of `PUT /metrics/{name}`, the durable
/// definitions file, or an item of a configuration file's `metrics:` list, with one set of fields,
/// defaults and messages: `{"type","unit","description","capacity"}`.
///
/// Every field is optional, and PUT replaces the whole definition, so an omitted field takes its
/// default rather than the metric's previous value: `type` `latency`, `unit` `ms`, `description`
/// empty, `capacity` the service's default capacity. `{}` is a valid body.
///
/// A new metric field is named in ``fieldNames``, read in ``decode(_:name:defaultCapacity:)`` and written
/// in ``MetricDefinition/writeJSONMembers(to:)``, all in this file.
enum MetricDefinitionBody {
    /// The longest accepted `unit`, in characters.
    static let maximumUnitLength = 64
    /// The longest accepted `description`, in characters.
    static let maximumDescriptionLength = 1_024

    /// The fields a metric may have, `name` included: the keys a configuration file accepts.
    static let fieldNames = ["name", "type", "unit", "description", "capacity"]

    /// Builds the definition of metric `name` from `fields`.
    /// - Parameters:
    ///   - fields: the body object, or a file's list item.
    ///   - name: the metric's name, from the path or the item.
    ///   - defaultCapacity: the capacity, in samples, when the fields give none.
    /// - Returns: the definition, and the capacity the fields gave (nil when they gave none), so that a
    ///   configuration file's metric can take the capacity setting resolved later.
    /// - Throws: the source's error (400 `invalid_request` for a body, `file:line:` for a file) naming the
    ///   first bad field: a name that breaks the rule, a type other than `latency`, `gauge` or `counter`, a
    ///   unit or description of the wrong type or too long, a capacity that is not a whole number from 1
    ///   to 10,000,000.
    static func decode<Fields: DefinitionFields>(_ fields: Fields, name: String, defaultCapacity: Int)
        throws(Fields.Failure) -> (definition: MetricDefinition, capacity: Int?)
    {
        guard SLODefinition.isValidName(name) else {
            throw fields.invalid("name", APIError.sentence(MetricsError.invalidName(name).message))
        }
        var definition = MetricDefinition(name: name, capacity: defaultCapacity)
        if let type = try fields.string("type", maximumLength: .max) {
            guard let parsed = MetricType(rawValue: type) else {
                let names = MetricType.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
                throw fields.invalid(
                    "type",
                    "\(fields.path(of: "type")): \(MessageText.quoted(type, limit: 60)) is not a metric type: it "
                        + "must be one of \(names).")
            }
            definition.type = parsed
        }
        if let unit = try fields.string("unit", maximumLength: maximumUnitLength) {
            definition.unit = unit
        }
        if let description = try fields.string(
            "description", maximumLength: maximumDescriptionLength)
        {
            definition.description = description
        }
        let capacity = try fields.integer("capacity")
        if let capacity {
            guard capacity >= 1, capacity <= MetricDefinition.maximumCapacity else {
                throw fields.invalid(
                    "capacity",
                    "\(fields.path(of: "capacity")): must be a whole number of samples from 1 to "
                        + "\(MetricDefinition.maximumCapacity), got \(capacity).")
            }
            definition.capacity = capacity
        }
        return (definition, capacity)
    }

    /// Builds the definition of metric `name` from `fields`, with `defaultCapacity` when they give none.
    /// - Throws: as ``decode(_:name:defaultCapacity:)``.
    static func definition<Fields: DefinitionFields>(_ fields: Fields, name: String, defaultCapacity: Int)
        throws(Fields.Failure) -> MetricDefinition
    {
        try decode(fields, name: name, defaultCapacity: defaultCapacity).definition
    }
}

extension MetricDefinition {
    /// Writes the definition's members, without braces, so a caller can add more (the counts):
    /// `"name","type","unit","description","capacity"` (capacity in samples), the way
    /// `PUT /metrics/{name}` reads them.
    func writeJSONMembers(to json: inout JSONWriter) {
        json.key("name")
        json.string(name)
        json.key("type")
        json.string(type.rawValue)
        json.key("unit")
        json.string(unit)
        json.key("description")
        json.string(description)
        json.key("capacity")
        json.integer(capacity)
    }
}
