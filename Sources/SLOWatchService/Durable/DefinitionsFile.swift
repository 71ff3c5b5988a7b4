import SLOWatchCore

/// The SLOs and metric definitions as last changed (`definitions.json`): JSON, in the shapes the API
/// reads and writes, so an operator can read it and the same validation applies when it is loaded.
///
/// `{"generation":7,"slos":[{"id",…}],"metrics":[{"name","type","unit","description","capacity"}]}`
struct DefinitionsFile: Sendable, Equatable {
    /// The file's name in the data directory.
    static let fileName = "definitions.json"

    /// Counts the writes since the data directory was created; a snapshot records the one it saw.
    var generation: UInt64
    /// The SLOs, in check order.
    var slos: [SLODefinition]
    /// Every registered metric's definition, sorted by name.
    var metrics: [MetricDefinition]

    /// The file's bytes: compact JSON with a final newline.
    func encode() -> [UInt8] {
        var json = JSONWriter(capacity: 64 + 256 * slos.count + 128 * metrics.count)
        json.beginObject()
        json.key("generation")
        json.integer(generation)
        json.key("slos")
        json.beginArray()
        for slo in slos {
            json.beginObject()
            slo.writeJSONMembers(to: &json)
            json.endObject()
        }
        json.endArray()
        json.key("metrics")
        json.beginArray()
        for metric in metrics {
            MetricSummary(definition: metric, count: 0, overflow: 0, newestTimestamp: nil).writeJSON(
                to: &json)
        }
        json.endArray()
        json.endObject()
        return json.bytes + [UInt8(ascii: "\n")]
    }

    /// The definitions in `bytes`.
    /// - Parameter defaultCapacity: the capacity of a metric that gives none.
    /// - Throws: ``DefinitionsFileError`` whose message names the first bad field (`slos[2].threshold: …`).
    static func decode(_ bytes: [UInt8], defaultCapacity: Int) throws(DefinitionsFileError) -> DefinitionsFile
    {
        do throws(APIError) {
            return try decodeDocument(bytes, defaultCapacity: defaultCapacity)
        } catch {
            // The file shares the API's body decoders, so the same rules and messages apply to it; what
            // it means for the service is a storage matter, not an answer to a client.
            throw DefinitionsFileError(message: error.message)
        }
    }

    /// The definitions in `bytes`, read with the API's body decoders.
    /// - Throws: ``APIError`` (always `invalid_request`) naming the first bad field.
    private static func decodeDocument(_ bytes: [UInt8], defaultCapacity: Int) throws(APIError)
        -> DefinitionsFile
    {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw .invalidRequest(error.message)
        }
        let root = try JSONFields(document, path: "", expected: "an object with generation, slos and metrics")
        guard let generation = try root.integer("generation"), generation >= 0 else {
            throw root.missing("generation", expected: "a whole number")
        }
        var file = DefinitionsFile(generation: UInt64(generation), slos: [], metrics: [])
        for (index, value) in try array(root, "slos").enumerated() {
            let fields = try JSONFields(value, path: "slos[\(index)]", expected: "an SLO object")
            file.slos.append(try SLODefinitionBody.definition(fields, id: try fields.requiredString("id")))
        }
        for (index, value) in try array(root, "metrics").enumerated() {
            let fields = try JSONFields(value, path: "metrics[\(index)]", expected: "a metric object")
            let name = try fields.requiredString("name")
            file.metrics.append(
                try MetricDefinitionBody.definition(fields, name: name, defaultCapacity: defaultCapacity))
        }
        do {
            try SLODefinition.validateSet(file.slos)
        } catch {
            throw .invalidRequest("slos: \(error.message)")
        }
        return file
    }

    /// The array at `key`.
    private static func array(_ fields: JSONFields, _ key: String) throws(APIError) -> [JSONValue] {
        guard case .array(let values)? = fields.value(key) else {
            throw fields.missing(key, expected: "an array")
        }
        return values
    }
}
