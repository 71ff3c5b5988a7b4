import Foundation
import SLOWatchCoreTesting

/// Memory figures of a running process as Linux reports them in `/proc/<pid>/status`.
enum ProcessMemory {
    /// Whether resident-memory bounds mean anything in this run: not under ThreadSanitizer (`make
    /// test-tsan` sets `SLOWATCH_TSAN=1`), whose shadow memory multiplies every process's RSS.
    static let boundsApply = !ThreadSanitizerRun.isActive

    /// The resident set size of process `pid` now, in bytes (`VmRSS`), or nil if unreadable.
    static func residentBytes(_ pid: Int32) -> Int? { statusBytes("VmRSS", pid) }

    /// The peak resident set size of process `pid` so far, in bytes (`VmHWM`), or nil if unreadable.
    static func peakResidentBytes(_ pid: Int32) -> Int? { statusBytes("VmHWM", pid) }

    /// The `field` line of `/proc/<pid>/status` (given there in kB), in bytes, or nil if the file or
    /// the line is missing or not a number.
    static func statusBytes(_ field: String, _ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") })
        else { return nil }
        let kilobytes = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first
        return kilobytes.flatMap { Int($0) }.map { $0 * 1024 }
    }
}
