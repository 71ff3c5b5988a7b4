/// A Golomb–Rice parameter that follows the recent values of one coding context (LOCO-I's rule, as
/// in JPEG-LS): `k` is the smallest with `seen · 2^k ≥ total`, over the values coded so far, and the
/// pair is halved whenever ``seen`` reaches ``window``, so the parameter tracks the last 8 to 16
/// values. An encoder and its decoder update it with the same values, so it never needs storing.
struct AdaptiveRiceParameter {
    /// The count at which the history is halved.
    static let window: UInt64 = 16
    /// Values above this count as this much, so ``total`` stays below 2^61 and `k` at most 61.
    static let cap: UInt64 = 1 << 56

    /// The sum of the recent values (each at most ``cap``).
    private(set) var total: UInt64
    /// How many values ``total`` sums.
    private(set) var seen: UInt64

    /// A context that has seen nothing: its parameter is `initial` until its first value.
    init(initial: Int = 0) {
        // One pseudo-value of 2^initial: k = initial.
        total = initial > 0 ? 1 << UInt64(min(initial, 56)) : 0
        seen = initial > 0 ? 1 : 0
    }

    /// The parameter for the next value (0 ... 61).
    @inline(__always)
    var k: Int {
        let guess = max(
            0, (UInt64.bitWidth - total.leadingZeroBitCount) - (UInt64.bitWidth - seen.leadingZeroBitCount))
        return (seen << UInt64(guess)) < total ? guess + 1 : guess
    }

    /// Counts `value` in the context's history.
    @inline(__always)
    mutating func update(_ value: UInt64) {
        total &+= min(value, Self.cap)
        seen &+= 1
        if seen == Self.window {
            total >>= 1
            seen >>= 1
        }
    }
}
