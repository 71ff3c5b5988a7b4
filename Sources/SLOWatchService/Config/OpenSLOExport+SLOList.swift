import SLOWatchCore

extension OpenSLOExport {
    /// The largest `GET /slos` answer read, in bytes (64 MiB): 10,000 SLOs with their statuses fit many
    /// times over, and a wrong file (a log, a device) fails fast instead of filling memory.
    public static let maximumSLOListBytes = 64 << 20

    /// The SLO definitions of a `GET /slos` answer (`{"slos":[{"id":…,"metric":…,…,"status":{…}}]}`), each
    /// read by the `PUT /slos/{id}` schema (``SLODefinitionBody``), so a running server's SLOs, including
    /// those added through the API, can be exported. `status` and other unknown fields are ignored.
    /// - Parameters:
    ///   - bytes: the answer's body.
    ///   - source: where it came from (a path, or `standard input`), for errors.
    /// - Throws: ``ConfigError`` naming the source and the first field at fault.
    public static func definitions(fromSLOList bytes: [UInt8], source: String) throws(ConfigError)
        -> [SLODefinition]
    {
        guard bytes.count <= maximumSLOListBytes else {
            throw ConfigError(
                file: source,
                message:
                    "The SLO list is larger than \(maximumSLOListBytes) bytes; is this a GET /slos answer?")
        }
        do {
            let document = try JSONParser.parse(bytes)
            guard case .object(let object) = document, case .array(let items)? = object["slos"] else {
                throw APIError.invalidRequest(
                    "The document must be the answer of GET /slos: an object whose \"slos\" is a list of SLOs."
                )
            }
            var definitions: [SLODefinition] = []
            for (index, item) in items.enumerated() {
                let fields = try JSONFields(item, path: "slos[\(index)]", expected: "an SLO object")
                let id = try fields.requiredString("id")
                definitions.append(try SLODefinitionBody.definition(fields, id: id))
            }
            return definitions
        } catch let error as JSONParseError {
            throw ConfigError(file: source, message: "The SLO list is not valid JSON: \(error.message).")
        } catch let error as APIError {
            throw ConfigError(file: source, message: error.message)
        } catch {
            throw ConfigError(file: source, message: "The SLO list cannot be read: \(error).")
        }
    }
}
