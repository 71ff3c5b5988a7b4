/// A configuration that cannot be used: a file, flag or environment value that breaks a rule.
///
/// Its ``description`` is what the command line prints before exiting: `file:line: what is wrong`
/// for a configuration file, or a sentence that names the flag or environment variable.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The configuration file the error is in, or nil for a flag or environment value.
    public let file: String?
    /// The 1-based line in ``file``, or nil when the error is about the whole file (unreadable, say).
    public let line: Int?
    /// A sentence naming the input and the rule it broke.
    public let message: String

    /// Creates an error.
    /// - Parameters:
    ///   - file: the configuration file, or nil for a flag or environment value.
    ///   - line: the 1-based line in `file`, or nil.
    ///   - message: the sentence.
    public init(file: String? = nil, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: message`, `file: message`, or just the message.
    public var description: String {
        switch (file, line) {
        case (let file?, let line?): "\(file):\(line): \(message)"
        case (let file?, nil): "\(file): \(message)"
        default: message
        }
    }
}
