extension Duration {
    /// This duration in whole ns, saturating: negative durations give 0 and anything past
    /// `UInt64.max` ns (about 584 years) gives `UInt64.max`; sub-ns parts are dropped.
    package var saturatingNanoseconds: UInt64 {
        guard self > .zero else { return 0 }
        // Both components are non-negative for a positive duration.
        let (seconds, attoseconds) = components
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return .max }
        let (sum, carry) = whole.addingReportingOverflow(UInt64(attoseconds / 1_000_000_000))
        return carry ? .max : sum
    }

    /// This duration in ms, as a `Double` (negative durations stay negative).
    package var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1_000 + Double(attoseconds) / 1_000_000_000_000_000
    }

    /// `milliseconds` as a duration, saturating: beyond about ±9 × 10²¹ ms (the `Int64` seconds a
    /// `Duration` holds) it gives the longest duration of that sign; NaN gives zero.
    package init(saturatingMilliseconds milliseconds: Double) {
        if milliseconds.isNaN {
            self = .zero
        } else if milliseconds.magnitude < 9e21 {
            self = .milliseconds(milliseconds)
        } else if milliseconds > 0 {
            self.init(secondsComponent: .max, attosecondsComponent: 999_999_999_999_999_999)
        } else {
            self.init(secondsComponent: .min, attosecondsComponent: 0)
        }
    }
}
