import SLOWatchCore

/// One SLO from a configuration file's `slos:` list, with the line of its list item.
public struct ConfigSLO: Sendable, Equatable {
    /// The validated definition.
    public let definition: SLODefinition
    /// The 1-based line where the item starts.
    public let line: Int

    /// Creates an entry.
    public init(definition: SLODefinition, line: Int) {
        self.definition = definition
        self.line = line
    }
}
