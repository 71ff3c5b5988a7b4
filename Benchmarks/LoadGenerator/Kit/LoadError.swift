#if canImport(Glibc)
    import Glibc
#endif

/// Why a load run could not be carried out (a usage error or a failed system call), as a sentence.
public struct LoadError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, naming the input or the call.
    public let description: String

    /// An error with the text `description`.
    public init(_ description: String) { self.description = description }

    /// `call` failed with the current errno.
    static func system(_ call: String) -> LoadError {
        LoadError("\(call) failed: \(String(cString: strerror(errno))).")
    }
}
