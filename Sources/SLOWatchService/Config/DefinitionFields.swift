/// The fields of one definition object (an SLO, a metric), wherever it was written: a `PUT` body or the
/// durable definitions file (``JSONFields``), or an item of a configuration file's `slos:` or `metrics:`
/// list (``ConfigFields``).
///
/// The definition schemas (``SLODefinitionBody``, ``MetricDefinitionBody``) read every source through it,
/// so the defaults, the rules and the messages about a value are written once. What differs stays with
/// the source: how a value of the wrong type or a missing field is reported, and where an error is (a
/// configuration file's errors say `file:line:`, at the line of the field at fault).
protocol DefinitionFields {
    /// The error the source throws: `APIError` (400 `invalid_request`) or `ConfigError`.
    associatedtype Failure: Error

    /// The path of field `key` as messages write it: `window` in a body, `slos[2].window` in a file.
    func path(of key: String) -> String

    /// The text at `key`, or nil when absent (in a body, also when `null`).
    /// - Parameters:
    ///   - maximumLength: the most Unicode code points accepted.
    ///   - body: the request whose body has the same limit, for a file's message (`PUT /slos/{id}`).
    func string(_ key: String, maximumLength: Int, body: String) throws(Failure) -> String?

    /// The text at `key`, or nil when absent or `null` in any source (`window: null` means no window).
    func nullableString(_ key: String) throws(Failure) -> String?

    /// The text at `key`.
    /// - Throws: when it is absent; `required` names every required field, for a file's message.
    func requiredString(_ key: String, required: String) throws(Failure) -> String

    /// The number at `key`.
    /// - Throws: when it is absent or not a number; `required` names every required field.
    func requiredNumber(_ key: String, required: String) throws(Failure) -> Double

    /// The whole number at `key`, or nil when absent.
    func integer(_ key: String) throws(Failure) -> Int?

    /// An error whose `message` (a whole sentence) is about field `key`, or the object when `key` is nil.
    func invalid(_ key: String?, _ message: String) -> Failure
}
