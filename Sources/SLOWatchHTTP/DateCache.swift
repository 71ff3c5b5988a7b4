#if canImport(Glibc)
    import Glibc
#endif

/// The `Date` header value (IMF-fixdate, e.g. "Sun, 06 Nov 1994 08:49:37 GMT"), recomputed only
/// when the second changes. Each event loop owns one, so it needs no lock.
struct DateCache {
    /// The epoch second the cached bytes describe.
    private(set) var second = Int.min
    /// The 29 bytes of the formatted date.
    private(set) var bytes: [UInt8] = []

    /// Creates an empty cache; call `update` before reading `bytes`.
    init() {}

    /// Refreshes the bytes when `epochSeconds` (seconds since 1970, UTC) differs from the cached second.
    mutating func update(epochSeconds: Int) {
        guard epochSeconds != second else { return }
        second = epochSeconds
        bytes = Self.format(epochSeconds: epochSeconds)
    }

    /// Refreshes from the system's coarse real-time clock.
    mutating func updateFromSystemClock() {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &now)
        update(epochSeconds: Int(now.tv_sec))
    }

    /// Formats `epochSeconds` as IMF-fixdate with `gmtime_r`.
    static func format(epochSeconds: Int) -> [UInt8] {
        var time = time_t(epochSeconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        var out: [UInt8] = []
        out.reserveCapacity(29)
        out.append(contentsOf: days[Int(parts.tm_wday) % 7].utf8)
        out.append(contentsOf: ", ".utf8)
        appendTwoDigits(Int(parts.tm_mday), to: &out)
        out.append(ASCII.space)
        out.append(contentsOf: months[Int(parts.tm_mon) % 12].utf8)
        out.append(ASCII.space)
        let year = Int(parts.tm_year) + 1900
        appendTwoDigits(year / 100, to: &out)
        appendTwoDigits(year % 100, to: &out)
        out.append(ASCII.space)
        appendTwoDigits(Int(parts.tm_hour), to: &out)
        out.append(ASCII.colon)
        appendTwoDigits(Int(parts.tm_min), to: &out)
        out.append(ASCII.colon)
        appendTwoDigits(Int(parts.tm_sec), to: &out)
        out.append(contentsOf: " GMT".utf8)
        return out
    }

    private static func appendTwoDigits(_ value: Int, to out: inout [UInt8]) {
        out.append(UInt8(48 + (value / 10) % 10))
        out.append(UInt8(48 + value % 10))
    }
}
