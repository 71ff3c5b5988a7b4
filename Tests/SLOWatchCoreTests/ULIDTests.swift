import Testing

@testable import SLOWatchCore

/// Yields a fixed sequence of values, repeating the last.
private struct ScriptedRandom: RandomNumberGenerator {
    var values: [UInt64]
    mutating func next() -> UInt64 { values.count > 1 ? values.removeFirst() : values[0] }
}

@Suite struct ULIDTests {
    private static let crockford = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    @Test func encodesTheSpecificationsVectorsInCrockfordBase32() {
        #expect(ULID(high: 0, low: 0).description == "00000000000000000000000000")
        #expect(ULID(high: .max, low: .max).description == "7ZZZZZZZZZZZZZZZZZZZZZZZZZ")
        // The timestamp example from the ULID specification: 1469918176385 ms is "01ARYZ6S41".
        let ulid = ULID(milliseconds: 1_469_918_176_385, randomHigh: 0, randomLow: 0)
        #expect(ulid.description.hasPrefix("01ARYZ6S41"))
        #expect(ulid.description.hasSuffix("0000000000000000"))
        #expect(ULID(high: 0, low: 31).description == "0000000000000000000000000Z")
        #expect(ULID(high: 1, low: 0).description == "0000000000000G000000000000")
        #expect(ulid.milliseconds == 1_469_918_176_385)
    }

    @Test func generatedIDsAreTwentySixCrockfordCharactersCarryingTheTime() {
        var generator = ULID.Generator()
        for offset in 0..<200 {
            let milliseconds = UInt64(1_764_393_600_000 + offset * 7)
            let ulid = generator.next(milliseconds: milliseconds)
            let text = ulid.description
            #expect(text.count == 26)
            #expect(text.allSatisfy { Self.crockford.contains($0) })
            #expect(ulid.milliseconds == milliseconds)
        }
    }

    @Test func idsIncreaseWithinOneMillisecondAndAcrossAStepBack() {
        var generator = ULID.Generator()
        var previous = generator.next(milliseconds: 1_000)
        for milliseconds: UInt64 in [1_000, 1_000, 999, 1_000, 1_001, 1_001, 5, 2_000] {
            let next = generator.next(milliseconds: milliseconds)
            #expect(next > previous)
            #expect(next.description > previous.description)
            previous = next
        }
    }

    @Test func aRandomPartThatWrapsCarriesIntoTheTimestamp() {
        var random = ScriptedRandom(values: [UInt64(UInt16.max), .max])
        var generator = ULID.Generator()
        let first = generator.next(milliseconds: 10, using: &random)
        let second = generator.next(milliseconds: 10, using: &random)
        #expect(first.milliseconds == 10)
        #expect(second.milliseconds == 11)
        #expect(second > first)
        #expect(second.description > first.description)
    }

    @Test func laterMillisecondsSortFirstEvenWithSmallerRandomBits() {
        var random = ScriptedRandom(values: [UInt64(UInt16.max), .max, 0, 0])
        var generator = ULID.Generator()
        let early = generator.next(milliseconds: 100, using: &random)
        let late = generator.next(milliseconds: 101, using: &random)
        #expect(late > early)
        #expect(late.description > early.description)
        #expect(late.low == 0)
    }
}
