import Foundation
import SLOWatchCoreTesting
import SeededRandom
import Testing

@testable import SLOWatchService

/// Compares ``JSONParser`` with Foundation's `JSONSerialization` on generated and mutated documents.
///
/// They must agree on accept or reject and on every value, except where slowatch is deliberately
/// stricter than Foundation, which accepts trailing commas (`[1,]`), a byte-order mark, `\u0000` and
/// nesting up to 512 levels, and which stops reading at a NUL byte (`4\0` is read as `4`). It also drops
/// U+FEFF from inside strings, which slowatch keeps, so strings are compared without it. Numbers are compared to the bit against Swift's correctly rounded
/// `Double(String)`, and against Foundation too unless Foundation returned an `NSDecimalNumber`, whose
/// `doubleValue` is not correctly rounded (`0.30000000000000004` comes back as 0.3).
@Suite("JSON parser against JSONSerialization")
struct JSONParserDifferentialTests {
    /// The reasons for which slowatch may reject what Foundation accepts.
    static let strictReasons = [
        "expected a value, found ']'", "expected a quoted member name, found '}'", "byte-order mark",
        "NUL (\\u0000)", "deeper than 64", "byte 0x00",
    ]

    @Test(
        "generated documents: both accept, with identical values",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func generatedDocuments() throws {
        var random = SplitMix64(seed: 0x5EED_0001)
        for round in 0..<3_000 {
            var generator = JSONDocumentGenerator(random: random)
            let text = generator.document()
            random = generator.random
            let bytes = Array(text.utf8)
            let ours = try JSONParser.parse(bytes)
            let theirs = try JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)
            #expect(Self.agree(ours, theirs), "round \(round): \(text)")
        }
    }

    @Test(
        "mutated documents: both accept or both reject, apart from slowatch's documented extra rules",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func mutatedDocuments() {
        var random = SplitMix64(seed: 0x5EED_0002)
        var rejectedByBoth = 0
        for round in 0..<6_000 {
            var generator = JSONDocumentGenerator(random: random)
            let bytes = generator.mutate(Array(generator.document().utf8))
            random = generator.random
            let theirs = try? JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)
            let shown = String(decoding: bytes, as: UTF8.self)
            do {
                let ours = try JSONParser.parse(bytes)
                guard let theirs else {
                    Issue.record("round \(round): slowatch accepted what Foundation rejects: \(shown)")
                    continue
                }
                #expect(Self.agree(ours, theirs), "round \(round): \(shown)")
            } catch {
                if theirs == nil {
                    rejectedByBoth += 1
                } else {
                    #expect(
                        Self.strictReasons.contains { error.reason.contains($0) },
                        "round \(round): slowatch rejected what Foundation accepts (\(error.message)): \(shown)"
                    )
                }
            }
        }
        // The mutations must actually produce invalid documents, or the test proves little.
        #expect(rejectedByBoth > 1_000)
    }

    /// Whether a parsed value equals Foundation's, numbers to the bit.
    static func agree(_ ours: JSONValue, _ theirs: Any) -> Bool {
        switch ours {
        case .null: return theirs is NSNull
        case .bool(let flag):
            guard let number = theirs as? NSNumber, Self.isBoolean(number) else { return false }
            return number.boolValue == flag
        case .number(let value):
            guard let number = theirs as? NSNumber, !Self.isBoolean(number) else { return false }
            if number is NSDecimalNumber { return true }
            return number.doubleValue.bitPattern == value.bitPattern
                || (value == 0 && number.doubleValue == 0)  // Foundation reads "-0" as the integer 0
        case .string(let text): return (theirs as? String).map { withoutBOM($0) } == withoutBOM(text)
        case .array(let elements):
            guard let other = theirs as? [Any], other.count == elements.count else { return false }
            return zip(elements, other).allSatisfy { agree($0, $1) }
        case .object(let object):
            guard let other = theirs as? [String: Any], other.count == object.members.count else {
                return false
            }
            let keyed = Dictionary(other.map { (withoutBOM($0.key), $0.value) }, uniquingKeysWith: { $1 })
            return object.members.allSatisfy { member in
                keyed[withoutBOM(member.key)].map { agree(member.value, $0) } ?? false
            }
        }
    }

    /// `text` without U+FEFF, which Foundation drops from strings.
    private static func withoutBOM(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { $0 != "\u{FEFF}" }))
    }

    static func isBoolean(_ number: NSNumber) -> Bool {
        String(describing: type(of: number)) == "__NSCFBoolean"
    }
}
