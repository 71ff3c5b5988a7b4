#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's limit on open file descriptors (`RLIMIT_NOFILE`), which bounds how many connections
/// the server can hold: each connection is one descriptor.
///
/// Shells and service managers often start processes with a soft limit (1,024 is common) far below the
/// hard one, so `serve` raises the soft limit to the hard one at start-up, as Go's runtime and many
/// servers do; only the hard limit needs privileges to raise.
struct FileDescriptorLimit {
    /// Descriptors the process needs besides its connections: standard streams, the listener, the epoll
    /// and eventfd descriptors of each I/O thread, and one being accepted and refused with 503.
    static let margin = 64

    /// The soft limit, in descriptors: the one the kernel enforces.
    var soft: UInt64
    /// The hard limit, in descriptors: the most the soft limit may be raised to without privileges.
    var hard: UInt64

    /// The current limits, or nil when `getrlimit` fails.
    static func current() -> FileDescriptorLimit? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        return FileDescriptorLimit(soft: UInt64(limit.rlim_cur), hard: UInt64(limit.rlim_max))
    }

    /// Raises the soft limit to the hard limit (a no-op when they are equal).
    /// - Returns: the limits in effect afterwards, or nil when they cannot be read. When raising fails
    ///   the limits are returned unchanged, and the caller's check against them still warns.
    static func raiseSoftToHard() -> FileDescriptorLimit? {
        guard var limits = current() else { return nil }
        guard limits.soft < limits.hard else { return limits }
        #if canImport(Darwin)
            // Darwin reports an unlimited hard limit but refuses a soft limit above OPEN_MAX.
            let target = min(limits.hard, UInt64(OPEN_MAX))
        #else
            let target = limits.hard
        #endif
        var raised = rlimit()
        raised.rlim_cur = rlim_t(target)
        raised.rlim_max = rlim_t(limits.hard)
        if setrlimit(resource, &raised) == 0 { limits.soft = target }
        return limits
    }

    /// A warning when `maxConnections` connections plus ``margin`` do not fit in the soft limit, else nil.
    /// - Parameter maxConnections: the configured connection cap.
    func warning(maxConnections: Int) -> String? {
        let needed = UInt64(max(0, maxConnections)) + UInt64(Self.margin)
        guard needed > soft else { return nil }
        return "max-connections is \(maxConnections), but the open-file limit (RLIMIT_NOFILE) is \(soft) "
            + "descriptors (hard limit \(hard)), fewer than the \(needed) that many connections need "
            + "(\(Self.margin) more for the listener, the event loops and the standard streams); once the "
            + "descriptors run out, new connections wait unaccepted. Raise the hard limit (ulimit -Hn, "
            + "LimitNOFILE= in systemd) or lower max-connections."
    }

    /// `RLIMIT_NOFILE` in the type each platform's `getrlimit` takes.
    #if canImport(Glibc)
        private static let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
        private static let resource = RLIMIT_NOFILE
    #endif
}
