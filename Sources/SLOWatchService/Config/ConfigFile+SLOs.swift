import SLOWatchCore

extension ConfigFile {
    /// Reads `slos:`: a list of at most ``SLOWatchService/maximumSLOs`` SLOs with unique ids.
    static func slos(from node: ConfigValue) throws(ConfigError) -> [ConfigSLO] {
        var slos: [ConfigSLO] = []
        var lines: [String: Int] = [:]
        for item in try node.items(rule: "a list of SLOs (write [] for none)") {
            try append(try slo(from: item), at: item, idNamed: "", to: &slos, lines: &lines)
        }
        return slos
    }

    /// Appends `slo`, read at `node`, to `all`, with the rules every SLO of a configuration follows: an
    /// id not used before (`lines` maps each id to its line), and at most ``SLOWatchService/maximumSLOs``
    /// SLOs in all. `idNamed` says where the id came from in the error, e.g. ` (metadata.name)`.
    private static func append(
        _ slo: ConfigSLO, at node: ConfigValue, idNamed: String, to all: inout [ConfigSLO],
        lines: inout [String: Int]
    ) throws(ConfigError) {
        let id = slo.definition.id
        if let first = lines[id] {
            throw node.error(
                "The SLO id \(id.debugDescription)\(idNamed) is already used by the SLO on line \(first): "
                    + "SLO ids must be unique.")
        }
        lines[id] = slo.line
        all.append(slo)
        guard all.count <= SLOWatchService.maximumSLOs else {
            throw node.error(
                "This is SLO number \(all.count): a configuration holds at most "
                    + "\(SLOWatchService.maximumSLOs) SLOs, as PUT /slos does.")
        }
    }

    /// Reads one SLO with the SLO schema (``SLODefinitionBody``), at the line of the field at fault.
    private static func slo(from item: ConfigValue) throws(ConfigError) -> ConfigSLO {
        let fields = try ConfigFields(item, allowed: SLODefinitionBody.fieldNames)
        let id = try fields.requiredString("id")
        return ConfigSLO(definition: try SLODefinitionBody.definition(fields, id: id), line: item.line)
    }

    /// Adds the SLOs of OpenSLO documents after the `slos:` list's, with the same rules: unique ids and
    /// at most ``SLOWatchService/maximumSLOs`` in all.
    mutating func appendOpenSLOs(_ documents: [ConfigValue]) throws(ConfigError) {
        var all = slos ?? []
        var lines = Dictionary(
            all.map { ($0.definition.id, $0.line) }, uniquingKeysWith: { first, _ in first })
        for document in documents {
            try Self.append(
                try OpenSLODocument.slo(from: document), at: document, idNamed: " (metadata.name)", to: &all,
                lines: &lines)
        }
        slos = all
    }
}
