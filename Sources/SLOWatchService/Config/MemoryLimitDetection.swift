#if canImport(Glibc)
    import Glibc
#endif

/// The default memory budget: the smaller of 2 GiB and half of the memory the process may use, as
/// container-aware runtimes find it.
///
/// "The memory the process may use" is the tightest `memory.max` of its cgroup v2 and the cgroup's
/// ancestors (`/proc/self/cgroup`'s `0::<path>` line, then `/sys/fs/cgroup/<path>/memory.max`, where
/// `max` means unlimited), or on a cgroup v1 host the `memory` controller's `memory.limit_in_bytes`
/// (values of 2^62 or more mean unlimited); never more than physical memory
/// (`sysconf(_SC_PHYS_PAGES)` × the page size). The files are read through ``readFile``, so tests give
/// fake `/proc` and `/sys` text.
struct MemoryLimitDetection: Sendable {
    /// The largest default budget: 2 GiB.
    static let ceilingBytes = 2 << 30

    /// The text of the file at a path, or nil when it cannot be read.
    let readFile: @Sendable (String) -> String?
    /// Physical memory, in bytes.
    let physicalBytes: Int

    /// Detection on this machine: the real files and `sysconf`.
    static var system: MemoryLimitDetection {
        let pages = sysconf(Int32(_SC_PHYS_PAGES))
        let pageSize = sysconf(Int32(_SC_PAGESIZE))
        let (physical, overflow) = max(pages, 0).multipliedReportingOverflow(by: max(pageSize, 0))
        return MemoryLimitDetection(
            readFile: { ProcessStats.readText($0) }, physicalBytes: overflow ? Int.max : physical)
    }

    /// The memory the process may use, in bytes: the cgroup limit when there is one, at most physical
    /// memory.
    var availableBytes: Int {
        guard let limit = cgroupLimitBytes else { return physicalBytes }
        return min(limit, physicalBytes)
    }

    /// The default budget: min(2 GiB, ``availableBytes`` / 2), in bytes.
    var defaultBudgetBytes: Int { min(Self.ceilingBytes, availableBytes / 2) }

    /// The tightest memory limit of the process's cgroup and its ancestors, in bytes; nil when none is
    /// set or none can be read.
    var cgroupLimitBytes: Int? {
        guard let membership = readFile("/proc/self/cgroup") else { return nil }
        var found: [Int] = []
        for line in membership.split(separator: "\n") {
            let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard fields.count == 3, fields[2].hasPrefix("/") else { continue }
            let path = String(fields[2])
            if fields[0] == "0" && fields[1].isEmpty {
                found += limits(under: "/sys/fs/cgroup", path: path, file: "memory.max")
            } else if fields[1].split(separator: ",").contains("memory") {
                found += limits(under: "/sys/fs/cgroup/memory", path: path, file: "memory.limit_in_bytes")
            }
        }
        return found.min()
    }

    /// The limits set in `file` of the cgroup at `path` and of each ancestor up to the root.
    private func limits(under root: String, path: String, file: String) -> [Int] {
        var limits: [Int] = []
        var components = path.split(separator: "/").map(String.init)
        while true {
            let directory = components.isEmpty ? root : root + "/" + components.joined(separator: "/")
            if let text = readFile(directory + "/" + file), let limit = Self.limit(text) {
                limits.append(limit)
            }
            guard !components.isEmpty else { return limits }
            components.removeLast()
        }
    }

    /// The limit a `memory.max` or `memory.limit_in_bytes` text sets, in bytes; nil for `max`, for
    /// v1's "unlimited" (2^62 or more) and for anything unreadable.
    static func limit(_ text: String) -> Int? {
        let trimmed = text.split(whereSeparator: { $0 == "\n" || $0 == " " }).first.map(String.init) ?? ""
        guard let bytes = Int(trimmed), bytes > 0, bytes < 1 << 62 else { return nil }
        return bytes
    }
}
