/// The fields of one definition object (an SLO, a metric), wherever it was written: a `PUT` body or the
/// durable definitions file (``JSONFields``), or an item of a configuration file's `slos:` or `metrics:`
/// list (``ConfigFields``).
///
/// The definition schemas (``SLODefinitionBody``, ``MetricDefinitionBody``) read every source through it,
/// so the types, defaults, rules and messages are written once; a file reads its item through the same
/// ``JSONFields`` as a body. Only where an error is differs: a configuration file's say `file:line:`, at
/// the line of the field at fault.
protocol DefinitionFields {
    /// The error the source throws: `APIError` (400 `invalid_request`) or `ConfigError`.
    associatedtype Failure: Error

    /// The path of field `key` as messages write it: `window` in a body, `slos[2].window` in a file.
    func path(of key: String) -> String

    /// The string at `key`, or nil when absent or `null`.
    /// - Parameter maximumLength: the most Unicode code points accepted.
    func string(_ key: String, maximumLength: Int) throws(Failure) -> String?

    /// The string at `key`.
    /// - Throws: when it is absent, `null` or not a string.
    func requiredString(_ key: String) throws(Failure) -> String

    /// The finite number at `key`.
    /// - Throws: when it is absent, `null` or not a finite number.
    func requiredNumber(_ key: String) throws(Failure) -> Double

    /// The whole number at `key`, or nil when absent or `null`.
    func integer(_ key: String) throws(Failure) -> Int?

    /// An error whose `message` (a whole sentence) is about field `key`, or the object when `key` is nil.
    func invalid(_ key: String?, _ message: String) -> Failure

    /// The number at `key`, or nil when absent or `null`.
    /// - Throws: when it is not a finite number.
    func number(_ key: String) throws(Failure) -> Double?

    /// The items of the array of objects at `key`, each read as fields of the same source (its path
    /// `key[i]`), or nil when absent or `null`.
    /// - Throws: when it is not an array, or an item is not an object.
    func objectList(_ key: String) throws(Failure) -> [Self]?
}
