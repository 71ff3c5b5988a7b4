import Foundation
import SLOWatchCore
import SLOWatchCoreTesting
import SeededRandom
import Testing

@testable import SLOWatchService

/// Holds the `POST /samples` decoder to Foundation's `JSONSerialization` plus the API's sample rules,
/// and its fast ``SampleBodyScanner`` to the general tree decoder, on generated and mutated bodies.
///
/// Both must agree on accept or reject and on every metric, value and timestamp, to the bit. The only
/// allowed disagreements are slowatch's documented extra strictness (see
/// ``JSONParserDifferentialTests/strictReasons``) and Foundation reading `-0` as the integer 0.
@Suite("POST /samples decoder against JSONSerialization")
struct SampleDecoderDifferentialTests {
    /// Why slowatch may refuse what Foundation reads: the JSON parser's documented extra rules, and numbers
    /// that overflow a Double (`1e309`), which Foundation reads while slowatch refuses them.
    static let strictReasons = JSONParserDifferentialTests.strictReasons + ["too large for a 64-bit float"]

    /// One sample as the reference reads it.
    struct ReferenceSample {
        var metric: String
        var value: Double
        var timestamp: Double?
    }

    @Test(
        "generated bodies: same verdict and values as Foundation; the scanner matches the tree decoder",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func generatedBodies() {
        var random = SplitMix64(seed: 0x5A_4D01)
        var tally = Tally()
        for round in 0..<4_000 {
            var generator = SampleBodyGenerator(random: random)
            let bytes = Array(generator.body().utf8)
            random = generator.random
            Self.check(bytes, round: round, tally: &tally)
            // A usual body (plain names, members metric/value/timestamp) that the tree decoder accepts
            // is exactly what the scanner exists for: it must not quietly stop reading one.
            if generator.usual, (try? SampleBatchDecoder.decodeTree(bytes)) != nil {
                #expect(
                    SampleBodyScanner.scan(bytes) != nil,
                    "round \(round): the scanner left a usual body to the tree decoder: \(String(decoding: bytes, as: UTF8.self))"
                )
            }
        }
        // The generator must exercise every branch: the scanner's subset, the tree decoder's extra
        // shapes, and refusals.
        #expect(tally.scanned > 800, "scanned \(tally.scanned)")
        #expect(tally.acceptedByTreeOnly > 100, "tree only \(tally.acceptedByTreeOnly)")
        #expect(tally.rejected > 800, "rejected \(tally.rejected)")
    }

    @Test(
        "mutated bodies: same verdict and values as Foundation; the scanner matches the tree decoder",
        .disabled(if: ThreadSanitizerRun.isActive, "single-threaded arithmetic: nothing for ThreadSanitizer"))
    func mutatedBodies() {
        var random = SplitMix64(seed: 0x5A_4D02)
        var tally = Tally()
        for round in 0..<6_000 {
            var generator = SampleBodyGenerator(random: random)
            let body = Array(generator.body().utf8)
            var mutator = JSONDocumentGenerator(random: generator.random)
            let bytes = mutator.mutate(body)
            random = mutator.random
            Self.check(bytes, round: round, tally: &tally)
        }
        #expect(tally.rejected > 2_000, "rejected \(tally.rejected)")
        #expect(tally.scanned > 60, "scanned \(tally.scanned)")
    }

    @Test("the scanner reads a full batch of 10,000 samples and leaves 10,001 to the tree decoder's limit")
    func batchLimit() throws {
        let sample = #"{"metric":"api.latency.01","value":12.5,"timestamp":1732860000123}"#
        let full = Array(
            ("{\"samples\":[" + Array(repeating: sample, count: 10_000).joined(separator: ",") + "]}").utf8)
        #expect(SampleBodyScanner.scan(full)?.count == 10_000)
        let over = Array(
            ("{\"samples\":[" + Array(repeating: sample, count: 10_001).joined(separator: ",") + "]}").utf8)
        #expect(SampleBodyScanner.scan(over) == nil)
        #expect(throws: APIError.self) { try SampleBatchDecoder.decode(over) }
    }

    @Test(
        "batches of 33 to 100 distinct names: the name table's dictionary numbers and checks them as before")
    func manyDistinctNames() throws {
        var random = SplitMix64(seed: 0x5A_4D03)
        for round in 0..<300 {
            let distinct = 33 + Int(random.next() % 68)
            var names = (0..<distinct).map { "m\($0).\(random.next() % 1_000)" }
            // One round in three breaks the rule with a name first met after the 32nd.
            let broken = round % 3 == 0
            if broken { names[32 + Int(random.next() % UInt64(distinct - 32))] = "bad name" }
            let samples = (0..<(distinct * 2)).map { index in
                let name = names[index < distinct ? index : Int(random.next() % UInt64(distinct))]
                return #"{"metric":"\#(name)","value":\#(index)}"#
            }
            let bytes = Array(("{\"samples\":[" + samples.joined(separator: ",") + "]}").utf8)
            let scanned = SampleBodyScanner.scan(bytes)
            let tree = try? SampleBatchDecoder.decodeTree(bytes)
            if broken {
                #expect(scanned == nil, "round \(round): the scanner accepted a bad name past the 32nd")
                #expect(tree == nil, "round \(round)")
            } else {
                let batch = try #require(scanned, "round \(round)")
                let reference = try #require(tree, "round \(round)")
                #expect(batch.isIdentical(to: reference), "round \(round)")
                #expect(batch.metrics.count == Set(names).count, "round \(round)")
            }
        }
    }

    @Test("a wrk-style batch is read by the scanner, with each metric named once")
    func benchmarkShape() throws {
        let samples = (0..<100).map { index in
            String(
                format: #"{"metric":"api.latency.%02d","value":%.3f,"timestamp":%ld}"#, index % 20,
                Double(index) * 1.37, 1_732_860_000_000 + index)
        }
        let body = Array(("{\"samples\":[" + samples.joined(separator: ",") + "]}").utf8)
        let batch = try #require(SampleBodyScanner.scan(body))
        #expect(batch.count == 100)
        #expect(batch.metrics.count == 20)
        #expect(batch.samples[21].value == 28.77)
        #expect(batch.samples[21].timestamp == 1_732_860_000_021)
        #expect(batch.metrics[batch.samples[21].metric] == "api.latency.01")
    }

    // MARK: Checking one body

    /// What the rounds saw.
    struct Tally {
        var scanned = 0
        var acceptedByTreeOnly = 0
        var rejected = 0
    }

    private static func check(_ bytes: [UInt8], round: Int, tally: inout Tally) {
        let shown = String(decoding: bytes.prefix(400), as: UTF8.self)
        let scanned = SampleBodyScanner.scan(bytes)
        let tree = Result { () throws(APIError) in try SampleBatchDecoder.decodeTree(bytes) }
        let decoded = Result { () throws(APIError) in try SampleBatchDecoder.decode(bytes) }
        if let scanned {
            tally.scanned += 1
            guard case .success(let reference) = tree, scanned.isIdentical(to: reference) else {
                Issue.record("round \(round): the scanner and the tree decoder disagree: \(shown)")
                return
            }
            checkWithCache(bytes, scanned: scanned, round: round)
        }
        switch (decoded, tree) {
        case (.success(let mine), .success(let theirs)):
            #expect(mine.isIdentical(to: theirs), "round \(round): decode differs from the tree: \(shown)")
        case (.failure(let mine), .failure(let theirs)):
            #expect(mine.message == theirs.message, "round \(round): the messages differ: \(shown)")
        default:
            Issue.record("round \(round): decode and the tree decoder disagree on accept: \(shown)")
        }
        let foundation = reference(bytes)
        switch decoded {
        case .success(let batch):
            if scanned == nil { tally.acceptedByTreeOnly += 1 }
            guard let foundation else {
                Issue.record("round \(round): slowatch accepted what Foundation's reading refuses: \(shown)")
                return
            }
            #expect(agree(batch, foundation), "round \(round): values differ from Foundation's: \(shown)")
        case .failure(let error):
            tally.rejected += 1
            guard foundation != nil else { return }
            // slowatch may refuse what Foundation reads only for its documented extra JSON rules.
            let strict: Bool
            do {
                _ = try JSONParser.parse(bytes)
                strict = false
            } catch {
                strict = Self.strictReasons.contains { error.reason.contains($0) }
            }
            #expect(
                strict, "round \(round): slowatch refused (\(error.message)) what Foundation reads: \(shown)")
        }
    }

    /// Scans `bytes` again with a thread cache that holds every other one of its names (resolved in a
    /// registry of their own): the batch must be the same, with a handle for exactly the cached names.
    private static func checkWithCache(_ bytes: [UInt8], scanned: SampleBatch, round: Int) {
        let registry = MetricsRegistry()
        let cachedNames = scanned.metrics.enumerated().filter { $0.offset.isMultiple(of: 2) }.map(\.element)
        guard let handles = try? cachedNames.map({ try registry.handle(for: $0) }) else {
            Issue.record("round \(round): the names could not be registered: \(cachedNames)")
            return
        }
        let cache = SampleHandleCache.current(for: registry)
        for handle in handles { cache.insert(handle) }
        guard let again = SampleBodyScanner.scan(bytes, cache: cache) else {
            Issue.record("round \(round): the scanner refused with a cache what it read without one")
            return
        }
        #expect(again.isIdentical(to: scanned), "round \(round): a cache changed the batch")
        let expected = scanned.metrics.map { cachedNames.contains($0) ? $0 : nil }
        #expect(
            again.handles.map { $0?.name } == expected, "round \(round): the wrong names came from the cache")
    }

    /// Whether slowatch's batch holds Foundation's samples, numbers to the bit.
    private static func agree(_ batch: SampleBatch, _ reference: [ReferenceSample]) -> Bool {
        guard batch.count == reference.count else { return false }
        return zip(batch.samples, reference).allSatisfy { mine, theirs in
            batch.metrics[mine.metric] == theirs.metric && sameBits(mine.value, theirs.value)
                && (mine.timestamp == nil) == (theirs.timestamp == nil)
                && sameBits(mine.timestamp ?? 0, theirs.timestamp ?? 0)
        }
    }

    /// Equal to the bit, except that Foundation reads `-0` as the integer 0.
    private static func sameBits(_ mine: Double, _ theirs: Double) -> Bool {
        mine.bitPattern == theirs.bitPattern || (mine == 0 && theirs == 0)
    }

    // MARK: The reference: Foundation's parse plus the API's rules, written independently

    /// The samples Foundation reads from `bytes` under the API's rules; nil when the body is refused.
    static func reference(_ bytes: [UInt8]) -> [ReferenceSample]? {
        guard let document = try? JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed),
            let object = document as? [String: Any]
        else { return nil }
        guard let samples = object["samples"] else { return sample(object).map { [$0] } }
        guard let elements = samples as? [Any], elements.count <= 10_000 else { return nil }
        var result: [ReferenceSample] = []
        for element in elements {
            guard let fields = element as? [String: Any], let sample = sample(fields) else { return nil }
            result.append(sample)
        }
        return result
    }

    private static func sample(_ fields: [String: Any]) -> ReferenceSample? {
        guard let metric = fields["metric"] as? String, isValidName(metric),
            let value = fields["value"].flatMap(number)
        else { return nil }
        guard let raw = fields["timestamp"], !(raw is NSNull) else {
            return ReferenceSample(metric: metric, value: value, timestamp: nil)
        }
        guard let timestamp = number(raw), timestamp >= 100_000_000_000 else { return nil }
        return ReferenceSample(metric: metric, value: value, timestamp: timestamp)
    }

    /// A finite JSON number: Foundation's Double, or for an `NSDecimalNumber` (whose `doubleValue` is not
    /// correctly rounded) the correctly rounded reading of its exact decimal text.
    private static func number(_ value: Any) -> Double? {
        guard let number = value as? NSNumber, !JSONParserDifferentialTests.isBoolean(number) else {
            return nil
        }
        let double = number is NSDecimalNumber ? Double(number.description) : number.doubleValue
        guard let double, double.isFinite else { return nil }
        return double
    }

    /// `^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$`, written here independently of the core.
    private static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        let alphanumeric = { (byte: UInt8) in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
        guard let first = bytes.first, bytes.count <= 128, alphanumeric(first) else { return false }
        return bytes.dropFirst().allSatisfy { alphanumeric($0) || Array("_.:-".utf8).contains($0) }
    }
}

extension SampleBatch {
    /// Whether two batches hold the same metrics and samples in the same order, comparing numbers by
    /// their bits (so `-0.0` differs from `0.0`), as the decoders' equivalence requires.
    func isIdentical(to other: SampleBatch) -> Bool {
        guard metrics == other.metrics, samples.count == other.samples.count else { return false }
        return zip(samples, other.samples).allSatisfy { mine, theirs in
            mine.metric == theirs.metric && mine.value.bitPattern == theirs.value.bitPattern
                && mine.timestamp?.bitPattern == theirs.timestamp?.bitPattern
        }
    }
}
