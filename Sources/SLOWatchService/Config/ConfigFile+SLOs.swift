import SLOWatchCore

extension ConfigFile {
    /// Reads `slos:`: a list of at most ``SLOWatchService/maximumSLOs`` SLOs with unique ids.
    static func slos(from node: ConfigValue) throws(ConfigError) -> [ConfigSLO] {
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
            let slo = try OpenSLODocument.slo(from: document)
            let id = slo.definition.id
            if let first = lines[id] {
                throw document.error(
                    "The SLO id \(id.debugDescription) (metadata.name) is already used by the SLO on line "
                        + "\(first): SLO ids must be unique.")
            }
            lines[id] = slo.line
            all.append(slo)
            guard all.count <= SLOWatchService.maximumSLOs else {
                throw document.error(
                    "This is SLO number \(all.count): a configuration holds at most "
                        + "\(SLOWatchService.maximumSLOs) SLOs, as PUT /slos does.")
            }
        }
        slos = all
    }
}
