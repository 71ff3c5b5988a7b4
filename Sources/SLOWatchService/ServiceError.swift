/// A failure to build or start the service, with a sentence that says what failed and why.
public struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The sentence.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
