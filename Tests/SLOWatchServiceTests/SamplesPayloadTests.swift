import SLOWatchCore
import SLOWatchCoreTesting
import Testing

@testable import SLOWatchService

/// The samples journal record written straight from a decoded batch (``SamplesPayload``): the same
/// bytes as the grouped encoding replay reads, and applied from its bytes exactly.
@Suite("Samples journal payload")
struct SamplesPayloadTests {
    /// A batch of `count` samples over `metrics` names in a shuffled order, some untimed, with values
    /// whose bits matter (-0.0, subnormals, the largest finite).
    static func batch(count: Int, metrics: Int, seed: UInt64) -> SampleBatch {
        var random = SplitMix(seed)
        var batch = SampleBatch()
        var slots: [Int: Int] = [:]
        let specials: [Double] = [-0.0, 5e-324, .greatestFiniteMagnitude, 0.1, 12.345]
        for _ in 0..<count {
            let name = Int(random.next() % UInt64(metrics))
            let slot: Int
            if let known = slots[name] {
                slot = known
            } else {
                slot = batch.metrics.count
                slots[name] = slot
                batch.metrics.append("m\(name).latency" + String(repeating: "x", count: name % 7))
            }
            let value = specials[Int(random.next() % UInt64(specials.count))]
            let timestamp =
                random.next() % 3 == 0 ? nil : 1_700_000_000_000 + Double(random.next() % 1_000) / 8
            batch.samples.append(SampleBatch.Sample(metric: slot, value: value, timestamp: timestamp))
        }
        return batch
    }

    /// The record the grouped path wrote before: what replay must keep reading.
    static func groupedRecord(_ batch: SampleBatch, arrival: Double, includes: (Int) -> Bool) -> [UInt8] {
        var grouped = GroupedSamples()
        SampleRecorder.withGrouped(batch, arrivalMilliseconds: arrival) { metric, run in
            if includes(metric) { grouped.append(batch.metrics[metric], run) }
        }
        return JournalRecord.samples(grouped).encode()
    }

    @Test("the payload is byte for byte the grouped record, for one metric, many, and none")
    func sameBytesAsGroupedRecord() throws {
        let arrival = 1_764_393_600_123.5
        for (count, metrics, seed) in [
            (0, 1, 1), (1, 1, 2), (5, 1, 3), (100, 20, 4), (1_000, 37, 5), (9, 9, 6),
        ] {
            let batch = Self.batch(count: count, metrics: metrics, seed: UInt64(seed))
            let (payload, kept) = SamplesPayload.encode(batch, arrivalMilliseconds: arrival)
            #expect(kept == nil, "\(count) samples")
            #expect(payload == Self.groupedRecord(batch, arrival: arrival) { _ in true }, "\(count) samples")
            guard case .samples(let decoded) = try JournalRecord.decode(payload) else {
                Issue.record("not a samples record")
                continue
            }
            #expect(decoded.names == batch.metrics.filter { _ in count > 0 })
            #expect(decoded.count == count)
        }
    }

    @Test("metrics left out (refused StatsD metrics) are missing from the bytes and the kept list")
    func leftOutMetrics() throws {
        let arrival = 1_764_393_600_000.0
        let batch = Self.batch(count: 200, metrics: 6, seed: 7)
        let includes = { (metric: Int) in metric % 2 == 1 }
        let (payload, kept) = SamplesPayload.encode(batch, arrivalMilliseconds: arrival, includes: includes)
        #expect(kept == batch.metrics.indices.filter(includes))
        #expect(payload == Self.groupedRecord(batch, arrival: arrival, includes: includes))
        let none = SamplesPayload.encode(batch, arrivalMilliseconds: arrival) { _ in false }
        #expect(none.kept == [])
        #expect(try JournalRecord.decode(none.payload) == .samples(GroupedSamples()))
    }

    @Test("applying the payload records each metric's samples bit for bit, in body order, with the LSN")
    func applyRecordsExactly() throws {
        let registry = MetricsRegistry(wallClock: ManualClock(startMilliseconds: 1_800_000_000_000))
        let arrival = 1_764_393_600_000.0
        let batch = Self.batch(count: 300, metrics: 5, seed: 8)
        let handles = try registry.handles(for: batch.metrics)
        let (payload, _) = SamplesPayload.encode(batch, arrivalMilliseconds: arrival)
        let (recorded, refusal) = SamplesPayload.apply(
            payload, handles: handles, into: registry, sequence: 42)
        #expect(recorded == 300)
        #expect(refusal == nil)
        for (index, name) in batch.metrics.enumerated() {
            let expected = batch.samples.filter { $0.metric == index }.map {
                RecentSample(value: $0.value, timestamp: $0.timestamp ?? arrival)
            }
            let stored = Array(try registry.recentSamples(for: name, limit: .max).reversed())
            #expect(stored.map(\.value.bitPattern) == expected.map(\.value.bitPattern), "\(name)")
            #expect(stored.map(\.timestamp) == expected.map(\.timestamp), "\(name)")
            #expect(registry.appliedSequence(for: name) == 42)
        }
    }

    @Test("a payload that does not match its handles, or is cut short, applies nothing past the mismatch")
    func mismatchedPayload() throws {
        let registry = MetricsRegistry()
        let batch = Self.batch(count: 50, metrics: 3, seed: 9)
        let handles = try registry.handles(for: batch.metrics)
        let (payload, _) = SamplesPayload.encode(batch, arrivalMilliseconds: 1_764_393_600_000)
        #expect(
            SamplesPayload.apply(payload, handles: Array(handles.dropLast()), into: registry, sequence: 1)
                .recorded == 0)
        #expect(
            SamplesPayload.apply([2] + payload.dropFirst(), handles: handles, into: registry, sequence: 1)
                .recorded == 0)
        var huge = payload
        huge[9 + 7] = 0x7F  // the first name's length field, far past the end
        #expect(SamplesPayload.apply(huge, handles: handles, into: registry, sequence: 1).recorded == 0)
        let cut = SamplesPayload.apply(
            Array(payload.dropLast(16)), handles: handles, into: registry, sequence: 1)
        #expect(cut.recorded < 50)
        #expect(cut.recorded == batch.samples.filter { $0.metric < batch.metrics.count - 1 }.count)
    }
}

/// A small seeded generator, so a failing batch can be rebuilt.
private struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
