import SLOWatchCore

/// One SLO from a configuration file's `slos:` list, or an OpenSLO `kind: SLO` document of the file, with
/// the line where it starts.
public struct ConfigSLO: Sendable, Equatable {
    /// The validated definition.
    public let definition: SLODefinition
    /// The 1-based line where the item (or the OpenSLO document) starts.
    public let line: Int
    /// Whether it was translated from an OpenSLO document (``OpenSLODocument``).
    public let isOpenSLO: Bool

    /// Creates an entry.
    public init(definition: SLODefinition, line: Int, openSLO: Bool = false) {
        self.definition = definition
        self.line = line
        self.isOpenSLO = openSLO
    }
}
