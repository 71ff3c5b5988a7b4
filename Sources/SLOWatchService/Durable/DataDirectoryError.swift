#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file operation in the data directory failed: a sentence naming the path, what was being done and
/// the system's reason.
struct DataDirectoryError: Error, Sendable, Equatable {
    /// `Cannot create the data directory /var/lib/slowatch: Permission denied.`
    var message: String

    /// Creates an error from the current `errno`.
    /// - Parameters:
    ///   - action: what failed, e.g. `Cannot write /data/snapshot.tmp`.
    ///   - code: the `errno` value.
    init(_ action: String, errno code: Int32) {
        message = "\(action): \(String(cString: strerror(code)))."
    }

    /// Creates an error from a sentence.
    init(message: String) { self.message = message }
}
