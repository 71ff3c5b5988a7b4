import SLOWatchCore

/// An OpenSLO `timeWindow`: exactly one rolling window, whose duration is the budget's period.
struct OpenSLOTimeWindow {
    /// The period, in whole ms.
    let milliseconds: Int64
    /// The `duration` value, for errors; nil when the document gave no time window.
    let value: ConfigValue?

    /// The units of OpenSLO's duration shorthand that have one fixed length, in ms: `m`, `h`, `d`, `w`
    /// (`M`, `Q` and `Y` vary with the calendar and are refused), largest first.
    static let units: [(suffix: Character, milliseconds: Int64)] = [
        ("w", 604_800_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000),
    ]

    /// Reads `spec.timeWindow`; none means slowatch's default period (30 days).
    /// - Throws: ``ConfigError`` for a calendar-aligned window, `isRolling` not true, more than one item,
    ///   or a duration that is not a whole number of `m`, `h`, `d` or `w`.
    static func period(_ node: ConfigValue?) throws(ConfigError) -> OpenSLOTimeWindow {
        guard let node else {
            return OpenSLOTimeWindow(milliseconds: SLOBudget.defaultPeriodMilliseconds, value: nil)
        }
        let items = try node.items(rule: "a list with one time window")
        guard items.count == 1 else {
            throw node.keyError("\(node.name) must hold exactly one time window, not \(items.count).")
        }
        let window = try OpenSLOFields(items[0], allowed: ["duration", "isRolling", "calendar"])
        if let calendar = window.optional("calendar") {
            throw calendar.keyError(
                "\(calendar.name): calendar-aligned windows are not supported: slowatch's budget period "
                    + "always ends now; write a rolling window (isRolling: true).")
        }
        let rolling = try window.required("isRolling")
        guard try rolling.boolean() else {
            throw rolling.keyError(
                "\(rolling.name) must be true: slowatch's budget period is a rolling window that ends now.")
        }
        let duration = try window.required("duration")
        guard let milliseconds = Self.milliseconds(try duration.text()) else {
            throw duration.keyError(
                "\(duration.name): \(MessageText.quoted(try duration.text(), limit: 60)) is not supported: "
                    + "write a whole number followed by m, h, d or w (e.g. 28d, 4w); months, quarters "
                    + "and years vary with the calendar.")
        }
        return OpenSLOTimeWindow(milliseconds: milliseconds, value: duration)
    }

    /// The ms of an OpenSLO duration shorthand (`30d`, `4w`, `90m`), or nil when it is not a positive
    /// whole number followed by `m`, `h`, `d` or `w`, or exceeds 400 days' worth of digits.
    static func milliseconds(_ text: String) -> Int64? {
        guard let suffix = text.last, let unit = units.first(where: { $0.suffix == suffix }) else {
            return nil
        }
        let digits = text.dropLast()
        guard (1...6).contains(digits.count), digits.allSatisfy(\.isASCIIDigit), let count = Int64(digits),
            count > 0
        else { return nil }
        return count * unit.milliseconds
    }

    /// `milliseconds` in the largest unit that keeps it whole (`2592000000` → `30d`, `1209600000` → `2w`),
    /// or nil when it is not a whole number of minutes.
    static func shorthand(_ milliseconds: Int64) -> String? {
        guard milliseconds > 0 else { return nil }
        for unit in units where milliseconds % unit.milliseconds == 0 {
            return "\(milliseconds / unit.milliseconds)\(unit.suffix)"
        }
        return nil
    }
}

extension Character {
    /// Whether the character is one of the ASCII digits 0–9.
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
