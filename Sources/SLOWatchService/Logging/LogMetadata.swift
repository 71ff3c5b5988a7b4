import Logging

/// Merges the metadata layers of a log call.
enum LogMetadata {
    /// The handler's metadata, then the provider's, then the call's; a later layer wins on equal keys.
    static func merge(
        _ handler: Logger.Metadata, _ provider: Logger.Metadata?, _ call: Logger.Metadata?
    ) -> Logger.Metadata {
        var merged = handler
        if let provider { merged.merge(provider) { _, new in new } }
        if let call { merged.merge(call) { _, new in new } }
        return merged
    }
}
