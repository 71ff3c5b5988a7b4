/// An Alertmanager URL that breaks the rule of ``AlertmanagerEndpoint``.
public struct AlertmanagerEndpointError: Error, Sendable, Equatable {
    /// What is wrong, completing "The value … is not valid: …", e.g. `it must start with http://`.
    public let reason: String
    /// The URL at fault, when it came from a list (set by ``AlertmanagerEndpoint/parseList(_:)``).
    public let url: String?

    /// Creates an error.
    init(_ reason: String, url: String? = nil) {
        self.reason = reason
        self.url = url
    }
}
