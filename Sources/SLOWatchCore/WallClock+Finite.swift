extension WallClock {
    /// The current time in ms since the epoch, made finite so that a bad clock cannot poison event
    /// times or trap a conversion: ±infinity becomes ±`Double.greatestFiniteMagnitude`, and NaN, which
    /// is nearer to no finite value, becomes 0 (the epoch). Finite readings pass unchanged.
    func finiteNowMilliseconds() -> Double {
        let now = nowMilliseconds()
        if now.isFinite { return now }
        if now.isNaN { return 0 }
        return now > 0 ? .greatestFiniteMagnitude : -.greatestFiniteMagnitude
    }
}
