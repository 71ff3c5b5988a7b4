import Testing

@testable import SLOWatchCore

@Suite("RingBuffer")
struct RingBufferTests {
    private func values(_ buffer: RingBuffer) -> [Double] { buffer.samples.map(\.value) }

    @Test func capacityOneKeepsOnlyTheNewestSampleAndCountsEachDrop() throws {
        var buffer = try RingBuffer(capacity: 1)
        buffer.append(value: 1, timestamp: 10)
        buffer.append(value: 2, timestamp: 20)
        buffer.append(value: 3, timestamp: 30)
        #expect(buffer.count == 1)
        #expect(buffer.samples.map(\.value) == [3])
        #expect(buffer.samples.map(\.timestamp) == [30])
        #expect(buffer.overflow == 2)
        #expect(buffer.newestTimestamp == 30)
    }

    @Test func wrapAroundHandsOutSamplesOldestFirst() throws {
        var buffer = try RingBuffer(capacity: 4)
        for index in 1...10 { buffer.append(value: Double(index), timestamp: Double(index * 100)) }
        #expect(values(buffer) == [7, 8, 9, 10])
        #expect(buffer.samples.map(\.timestamp) == [700, 800, 900, 1000])
        #expect(buffer.overflow == 6)
        #expect(buffer.count == 4)
    }

    @Test func partiallyFilledBufferKeepsInsertionOrderWithoutOverflow() throws {
        var buffer = try RingBuffer(capacity: 5)
        for value in [5.0, 3, 4] { buffer.append(value: value, timestamp: 0) }
        #expect(values(buffer) == [5, 3, 4])
        #expect(buffer.overflow == 0)
    }

    @Test func storageIsAllocatedOnTheFirstSampleNotAtCreation() throws {
        var buffer = try RingBuffer(capacity: 10_000)
        #expect(!buffer.isAllocated)
        #expect(buffer.allocatedBytes == 0)
        #expect(buffer.newestTimestamp == nil)
        buffer.append(value: 1, timestamp: 1)
        #expect(buffer.isAllocated)
        #expect(buffer.allocatedBytes == 160_000)
    }

    @Test(arguments: [0, -1, Int.min])
    func capacityBelowOneIsRejectedWithAClearError(capacity: Int) {
        #expect(throws: MetricsError.invalidCapacity(capacity, metric: "m")) {
            try RingBuffer(capacity: capacity, metric: "m")
        }
        let message = MetricsError.invalidCapacity(capacity, metric: "m").message
        #expect(message.contains("\(capacity)") && message.contains("between 1 and"))
    }

    @Test func copiesHonourTheCutoffAndReportTimestampBounds() throws {
        var buffer = try RingBuffer(capacity: 4)
        let samples: [(Double, Double)] = [(1, 50), (2, 10), (3, 40), (4, 30), (5, 20)]
        for (value, timestamp) in samples { buffer.append(value: value, timestamp: timestamp) }
        let destination = UnsafeMutablePointer<Double>.allocate(capacity: 8)
        defer { destination.deallocate() }
        let all = buffer.copyValues(into: destination)
        #expect(all.count == 4 && all.oldest == 10 && all.newest == 40)
        #expect(Set(UnsafeBufferPointer(start: destination, count: 4)) == [2, 3, 4, 5])
        #expect(try RingBuffer(capacity: 3).copyValues(into: destination).count == 0)
    }
}

@Suite("RingBuffer bulk copies")
struct RingBufferBulkCopyTests {
    @Test func appendingFromAnotherRingMatchesOneAppendPerSampleAcrossWrapArounds() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            var source = try RingBuffer(capacity: Int.random(in: 1...40, using: &generator))
            for index in 0..<Int.random(in: 0...100, using: &generator) {
                source.append(value: Double(index), timestamp: Double(-index))
            }
            var bulk = try RingBuffer(capacity: Int.random(in: 1...40, using: &generator))
            for index in 0..<Int.random(in: 0...60, using: &generator) {
                bulk.append(value: Double(1_000 + index), timestamp: 0)
            }
            var reference = bulk
            let lower = Int.random(in: 0...source.count, using: &generator)
            let ages = lower..<Int.random(in: lower...source.count, using: &generator)
            bulk.append(from: source, ages: ages)
            for sample in source.samples[ages] {
                reference.append(value: sample.value, timestamp: sample.timestamp)
            }
            #expect(bulk.samples.map(\.value) == reference.samples.map(\.value))
            #expect(bulk.samples.map(\.timestamp) == reference.samples.map(\.timestamp))
            #expect(bulk.overflow == reference.overflow && bulk.count == reference.count)
        }
    }

    @Test func copyValuesSinceACutoffCopiesOnlyTheSamplesInTheWindow() throws {
        var buffer = try RingBuffer(capacity: 4)
        for (value, timestamp) in [(1.0, 50.0), (2, 10), (3, 40), (4, 30), (5, 20)] {
            buffer.append(value: value, timestamp: timestamp)
        }
        let values = UnsafeMutablePointer<Double>.allocate(capacity: 4)
        defer { values.deallocate() }
        let kept = buffer.copyValues(into: values, since: 25)
        #expect(kept.count == 2 && kept.oldest == 30 && kept.newest == 40)
        #expect(Set(UnsafeBufferPointer(start: values, count: 2)) == [3, 4])
        #expect(buffer.copyValues(into: values, since: .nan).count == 0)
        #expect(buffer.copyValues(into: values, since: -.infinity).count == 4)
    }
}
