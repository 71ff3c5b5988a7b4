#if canImport(Glibc)
    import Glibc
#endif

/// The process's own resource use, read from Linux's `/proc` at scrape time, for the conventional
/// `process_*` gauges (the same names as the Prometheus Go and Java clients use).
///
/// A figure that cannot be read (another OS, `/proc` not mounted) is nil and its family is omitted.
struct ProcessStats {
    /// Resident memory, in bytes (`/proc/self/statm`, second field, times the page size).
    var residentMemoryBytes: Double?
    /// Virtual memory, in bytes (`/proc/self/statm`, first field, times the page size).
    var virtualMemoryBytes: Double?
    /// Open file descriptors (the entries of `/proc/self/fd`, less the one used to list them).
    var openFileDescriptors: Double?
    /// The soft limit on open file descriptors (`RLIMIT_NOFILE`); nil when unlimited (`RLIM_INFINITY`, all
    /// bits set, which Swift cannot import as a constant).
    var maxFileDescriptors: Double?
    /// User plus system CPU time, in seconds (`/proc/self/stat` fields 14 and 15).
    var cpuSeconds: Double?
    /// When the process started, in seconds since the Unix epoch (`/proc/self/stat` field 22 after the
    /// boot time of `/proc/stat`).
    var startTimeSeconds: Double?

    /// Reads every figure now.
    static func current() -> ProcessStats {
        var stats = ProcessStats()
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        if let statm = readText("/proc/self/statm") {
            let fields = statm.split(separator: " ")
            if fields.count >= 2, let virtual = Double(fields[0]), let resident = Double(fields[1]) {
                stats.virtualMemoryBytes = virtual * pageSize
                stats.residentMemoryBytes = resident * pageSize
            }
        }
        stats.openFileDescriptors = countOpenFileDescriptors()
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            stats.maxFileDescriptors = Double(limit.rlim_cur)
        }
        readStat(into: &stats)
        return stats
    }

    /// Fills the CPU time and start time from `/proc/self/stat` and `/proc/stat`.
    private static func readStat(into stats: inout ProcessStats) {
        // The command name (field 2) is in parentheses and may hold spaces or parentheses itself, so
        // the fields are counted from after its last ')': field 3 is then at index 0.
        guard let stat = readText("/proc/self/stat"), let close = stat.lastIndex(of: ")") else { return }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        guard fields.count > 19, ticksPerSecond > 0 else { return }
        if let user = Double(fields[11]), let system = Double(fields[12]) {
            stats.cpuSeconds = (user + system) / ticksPerSecond
        }
        guard let startTicks = Double(fields[19]), let bootTime = bootTimeSeconds else { return }
        stats.startTimeSeconds = bootTime + startTicks / ticksPerSecond
    }

    /// When the system booted, in seconds since the epoch: read once, as it never changes.
    private static let bootTimeSeconds: Double? = readBootTime()

    /// The `btime` line of `/proc/stat` (after a per-CPU line each and the interrupt counts, which can
    /// be long on a big machine, hence the 4 MiB limit).
    private static func readBootTime() -> Double? {
        guard let text = readText("/proc/stat", limit: 4 << 20) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst("btime ".count))
        }
        return nil
    }

    /// The number of open descriptors, not counting the one that lists them.
    private static func countOpenFileDescriptors() -> Double? {
        guard let directory = opendir("/proc/self/fd") else { return nil }
        defer { closedir(directory) }
        // Only the first byte of each name is read, in place: `readdir` packs its records by their
        // `d_reclen`, so loading a whole `dirent` (`entry.pointee`, 280 bytes) can read past the end of
        // the kernel's buffer and fault when the last record sits at a page boundary (seen with
        // thousands of open descriptors).
        guard let nameOffset = MemoryLayout<dirent>.offset(of: \.d_name) else { return nil }
        var entries = 0
        while let entry = readdir(directory) {
            // Skips `.` and `..`.
            let first = UnsafeRawPointer(entry).load(fromByteOffset: nameOffset, as: UInt8.self)
            if first != UInt8(ascii: ".") { entries += 1 }
        }
        return Double(max(entries - 1, 0))
    }

    /// The content of a `/proc` file as text (at most `limit` bytes), or nil when it cannot be read.
    static func readText(_ path: String, limit: Int = 65_536) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < limit {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
