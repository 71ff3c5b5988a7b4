/// The definitions file (`definitions.json`) could not be read as definitions: a storage error, not an
/// API answer. The service decides what it means (at start-up the file is moved aside and logged).
struct DefinitionsFileError: Error, Sendable, Equatable {
    /// A sentence naming the first bad part, with its path in the document, e.g.
    /// `slos[2].threshold: "x" is not a number.`
    var message: String
}
