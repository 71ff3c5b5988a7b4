#if canImport(Glibc)
    import Glibc
#endif

/// CPU time and memory of a process, read from `/proc` (the server) or `getrusage` (this client).
struct ProcessStats {
    /// User plus system CPU time, in ms (10 ms resolution for another process: clock ticks).
    var cpuMilliseconds: Double
    /// Resident set size now (`VmRSS`), in KiB; 0 when unknown (this client reports only its peak).
    var residentKiB: Int
    /// Peak resident set size (`VmHWM`, or `ru_maxrss` for this client), in KiB.
    var peakResidentKiB: Int
    /// Threads in the process (0 when unknown).
    var threads: Int

    /// The server's figures: `utime + stime` of `/proc/PID/stat` (fields 14 and 15, in clock ticks,
    /// dead threads included) and `VmRSS`, `VmHWM`, `Threads` of `/proc/PID/status`.
    /// - Returns: nil when the process is gone or the files cannot be read.
    static func of(pid: Int32) -> ProcessStats? {
        guard let stat = readFile("/proc/\(pid)/stat"), let status = readFile("/proc/\(pid)/status") else {
            return nil
        }
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After ")" the state is field 3, so utime (field 14) and stime (15) are at offsets 11 and 12.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else {
            return nil
        }
        let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ProcessStats(
            cpuMilliseconds: (user + system) * 1_000 / ticksPerSecond,
            residentKiB: statusValue("VmRSS:", in: status) ?? 0,
            peakResidentKiB: statusValue("VmHWM:", in: status) ?? 0,
            threads: statusValue("Threads:", in: status) ?? 0)
    }

    /// This client's own CPU time and peak RSS, from `getrusage(RUSAGE_SELF)`.
    static func own() -> ProcessStats {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let user = Double(usage.ru_utime.tv_sec) * 1_000 + Double(usage.ru_utime.tv_usec) / 1_000
        let system = Double(usage.ru_stime.tv_sec) * 1_000 + Double(usage.ru_stime.tv_usec) / 1_000
        return ProcessStats(
            cpuMilliseconds: user + system, residentKiB: 0, peakResidentKiB: Int(usage.ru_maxrss),
            threads: 1)
    }

    /// CPU time of the whole machine (every CPU) from the `cpu` line of `/proc/stat`, in ms: the busy
    /// part (all but idle and iowait), to tell how much other processes ran during a window.
    /// - Returns: nil when `/proc/stat` cannot be read.
    static func machineBusyMilliseconds() -> Double? {
        guard let stat = readFile("/proc/stat"), let line = stat.split(separator: "\n").first,
            line.hasPrefix("cpu ")
        else { return nil }
        let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard ticks.count >= 5 else { return nil }
        // user nice system idle iowait irq softirq steal (guest time is already inside user).
        let busy = ticks.prefix(8).reduce(0, +) - ticks[3] - ticks[4]
        return busy * 1_000 / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The number after `key` on its line of `/proc/PID/status` (`VmRSS:	  123 kB` → 123).
    private static func statusValue(_ key: String, in status: String) -> Int? {
        for line in status.split(separator: "\n") where line.hasPrefix(key) {
            let words = line.dropFirst(key.count).split(whereSeparator: { $0 == " " || $0 == "\t" })
            return words.first.flatMap { Int($0) }
        }
        return nil
    }

    /// The whole text of a small file (such as one under `/proc`), or nil.
    private static func readFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
