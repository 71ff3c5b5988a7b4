import SLOWatchCore

extension BinaryWriter {
    /// Appends a metric definition: name, type, unit, description, capacity.
    mutating func definition(_ definition: MetricDefinition) {
        string(definition.name)
        string(definition.type.rawValue)
        string(definition.unit)
        string(definition.description)
        integer(UInt64(definition.capacity))
    }

    /// Appends an SLO as the JSON object the API reads (`{"id":…,"metric":…}`), as one string.
    mutating func slo(_ slo: SLODefinition) {
        var json = JSONWriter(capacity: 256)
        json.beginObject()
        slo.writeJSONMembers(to: &json)
        json.endObject()
        string(String(decoding: json.bytes, as: UTF8.self))
    }
}

extension BinaryReader {
    /// A metric definition written by ``BinaryWriter/definition(_:)``.
    /// - Throws: ``Failure`` when cut short, or the type or capacity is impossible.
    mutating func definition() throws(Failure) -> MetricDefinition {
        let name = try string("a metric name")
        guard let type = MetricType(rawValue: try string("a metric type")) else {
            throw Failure(what: "the type of \(name)")
        }
        let unit = try string("a unit")
        let description = try string("a description")
        let capacity = try integer("a capacity")
        guard capacity >= 1, capacity <= UInt64(MetricDefinition.maximumCapacity) else {
            throw Failure(what: "the capacity of \(name)")
        }
        return MetricDefinition(
            name: name, type: type, unit: unit, description: description, capacity: Int(capacity))
    }

    /// An SLO written by ``BinaryWriter/slo(_:)``, read with the API's decoder and rules.
    /// - Throws: ``Failure`` when cut short or when the decoder refuses it.
    mutating func slo() throws(Failure) -> SLODefinition {
        let text = try string("an SLO")
        do throws(APIError) {
            let document: JSONValue
            do {
                document = try JSONParser.parse(Array(text.utf8))
            } catch {
                throw APIError.invalidRequest(error.message)
            }
            let fields = try JSONFields(document, path: "slo", expected: "an SLO object")
            return try SLODefinitionBody.definition(fields, id: try fields.requiredString("id"))
        } catch {
            throw Failure(what: "an SLO (\(error.message))")
        }
    }
}
