/// A failure to build or start the service, with a sentence that says what failed and why.
public struct ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The sentence.
    public var message: String
    /// The setting to change to fix it, when one is to blame (``SettingKey/statsd`` for a StatsD address
    /// that cannot be bound); nil otherwise.
    public var setting: SettingKey?

    /// Creates an error.
    /// - Parameters:
    ///   - message: the sentence.
    ///   - setting: the setting to blame, if any.
    public init(_ message: String, setting: SettingKey? = nil) {
        self.message = message
        self.setting = setting
    }

    public var description: String { message }
}
