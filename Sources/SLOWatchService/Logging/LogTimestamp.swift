#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The time of a log line as an RFC 3339 UTC timestamp with milliseconds: `2025-11-29T10:00:00.123Z`.
enum LogTimestamp {
    /// The current wall-clock time, formatted.
    static func now() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return format(seconds: Int(now.tv_sec), milliseconds: Int(now.tv_nsec) / 1_000_000)
    }

    /// `seconds` since the epoch (UTC) plus `milliseconds` (0...999), formatted.
    static func format(seconds: Int, milliseconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))"
            + "T\(pad(parts.tm_hour)):\(pad(parts.tm_min)):\(pad(parts.tm_sec))"
            + ".\(pad(milliseconds, width: 3))Z"
    }

    /// `value` in decimal, left-padded with zeros to `width` digits.
    private static func pad<T: BinaryInteger>(_ value: T, width: Int = 2) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
