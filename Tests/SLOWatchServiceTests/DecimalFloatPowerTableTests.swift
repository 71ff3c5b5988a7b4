import Testing

@testable import SLOWatchService

/// Recomputes every entry of ``DecimalFloat/powersOfFive`` with exact big-integer arithmetic, so the
/// generated table (scripts/generate-power-table.py) cannot drift or be edited by hand unnoticed.
///
/// For q ≥ 0 the entry is 5^q shifted so its top bit is bit 127, truncated. For q < 0 it is
/// c = ⌊2^b / 5^-q⌋ + 1 shifted right by s so it fits 128 bits, with z = bit length of 5^-q and
/// b = z + 127 (q ≥ -27) or 2z + 128; that is checked without division: T·2^s ≤ c < (T + 1)·2^s, i.e.
/// (T·2^s − 1)·5^-q ≤ 2^b < ((T + 1)·2^s − 1)·5^-q.
@Suite("Decimal fast path: the power-of-five table")
struct DecimalFloatPowerTableTests {
    @Test("651 entries, each equal to its exact recomputation")
    func everyEntry() {
        let table = DecimalFloat.powersOfFive
        #expect(table.count == 2 * (DecimalFloat.largestPowerOfFive - DecimalFloat.smallestPowerOfFive + 1))
        var power = BigNatural(1)
        for q in 0...DecimalFloat.largestPowerOfFive {
            let entry = BigNatural(
                high: table[2 * (q - DecimalFloat.smallestPowerOfFive)],
                low: table[2 * (q - DecimalFloat.smallestPowerOfFive) + 1])
            let length = power.bitLength
            let expected = length <= 128 ? power.shiftedLeft(128 - length) : power.shiftedRight(length - 128)
            #expect(entry == expected, "5^\(q)")
            power = power.multiplied(by: BigNatural(5))
        }
        power = BigNatural(5)
        for n in 1...(-DecimalFloat.smallestPowerOfFive) {
            let q = -n
            let index = 2 * (q - DecimalFloat.smallestPowerOfFive)
            let entry = BigNatural(high: table[index], low: table[index + 1])
            #expect(entry.bitLength == 128, "5^\(q): top bit")
            let z = power.bitLength
            let b = q >= -27 ? z + 127 : 2 * z + 128
            let twoToB = BigNatural(1).shiftedLeft(b)
            let matches = [b - z - 128, b - z - 127].filter { $0 >= 0 }.contains { s in
                let lowerBound = entry.shiftedLeft(s).subtractingOne().multiplied(by: power)
                let upperBound = entry.adding(BigNatural(1)).shiftedLeft(s).subtractingOne().multiplied(
                    by: power)
                return lowerBound <= twoToB && twoToB < upperBound
            }
            #expect(matches, "5^\(q)")
            power = power.multiplied(by: BigNatural(5))
        }
    }

    @Test("10^0 is 1 shifted to the top bit, and 10^1 is 0xA000…")
    func anchors() {
        let zero = 2 * (0 - DecimalFloat.smallestPowerOfFive)
        #expect(DecimalFloat.powersOfFive[zero] == 0x8000_0000_0000_0000)
        #expect(DecimalFloat.powersOfFive[zero + 2] == 0xA000_0000_0000_0000)
        #expect(DecimalFloat.powersOfFive[zero + 3] == 0)
    }
}

/// A natural number of any size, little-endian 32-bit limbs without leading zero limbs: just enough
/// arithmetic to recompute the table (products, shifts, comparisons).
struct BigNatural: Equatable, Comparable {
    private(set) var limbs: [UInt32]

    init(_ value: UInt32) {
        limbs = value == 0 ? [] : [value]
    }

    init(high: UInt64, low: UInt64) {
        limbs = [
            UInt32(truncatingIfNeeded: low), UInt32(low >> 32), UInt32(truncatingIfNeeded: high),
            UInt32(high >> 32),
        ]
        normalize()
    }

    private init(limbs: [UInt32]) {
        self.limbs = limbs
        normalize()
    }

    private mutating func normalize() {
        while limbs.last == 0 { limbs.removeLast() }
    }

    var bitLength: Int {
        guard let top = limbs.last else { return 0 }
        return 32 * (limbs.count - 1) + (32 - top.leadingZeroBitCount)
    }

    func multiplied(by other: BigNatural) -> BigNatural {
        var result = [UInt32](repeating: 0, count: limbs.count + other.limbs.count + 1)
        for (i, a) in limbs.enumerated() {
            var carry: UInt64 = 0
            for (j, b) in other.limbs.enumerated() {
                let sum = UInt64(a) * UInt64(b) + UInt64(result[i + j]) + carry
                result[i + j] = UInt32(truncatingIfNeeded: sum)
                carry = sum >> 32
            }
            var k = i + other.limbs.count
            while carry != 0 {
                let sum = UInt64(result[k]) + carry
                result[k] = UInt32(truncatingIfNeeded: sum)
                carry = sum >> 32
                k += 1
            }
        }
        return BigNatural(limbs: result)
    }

    func adding(_ other: BigNatural) -> BigNatural {
        var result = [UInt32](repeating: 0, count: max(limbs.count, other.limbs.count) + 1)
        var carry: UInt64 = 0
        for i in 0..<result.count {
            let a = i < limbs.count ? UInt64(limbs[i]) : 0
            let b = i < other.limbs.count ? UInt64(other.limbs[i]) : 0
            let sum = a + b + carry
            result[i] = UInt32(truncatingIfNeeded: sum)
            carry = sum >> 32
        }
        return BigNatural(limbs: result)
    }

    /// self − 1; self must be at least 1.
    func subtractingOne() -> BigNatural {
        var result = limbs
        var i = 0
        while result[i] == 0 {
            result[i] = .max
            i += 1
        }
        result[i] -= 1
        return BigNatural(limbs: result)
    }

    func shiftedLeft(_ bits: Int) -> BigNatural {
        let whole = bits / 32
        let part = UInt32(bits % 32)
        var result = [UInt32](repeating: 0, count: whole) + limbs + [0]
        if part > 0 {
            var carry: UInt32 = 0
            for i in whole..<result.count {
                let limb = result[i]
                result[i] = limb << part | carry
                carry = limb >> (32 - part)
            }
        }
        return BigNatural(limbs: result)
    }

    func shiftedRight(_ bits: Int) -> BigNatural {
        let whole = bits / 32
        let part = UInt32(bits % 32)
        guard whole < limbs.count else { return BigNatural(0) }
        var result = Array(limbs[whole...])
        if part > 0 {
            for i in 0..<result.count {
                let next = i + 1 < result.count ? result[i + 1] : 0
                result[i] = result[i] >> part | next << (32 - part)
            }
        }
        return BigNatural(limbs: result)
    }

    static func < (left: BigNatural, right: BigNatural) -> Bool {
        if left.limbs.count != right.limbs.count { return left.limbs.count < right.limbs.count }
        for i in stride(from: left.limbs.count - 1, through: 0, by: -1) where left.limbs[i] != right.limbs[i]
        {
            return left.limbs[i] < right.limbs[i]
        }
        return false
    }
}
