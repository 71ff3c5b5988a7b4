import Testing

@testable import SLOWatchHTTP

/// The total byte budget of streams: past it, the streams furthest behind (most bytes queued) are
/// dropped first, until the total is back under the limit.
@Suite struct StreamBudgetTests {
    /// A writer on `budget` with no loop behind it: what it is given stays queued (a client that never
    /// reads), so its queued bytes are exactly what was written, framed.
    private static func writer(_ id: UInt64, _ budget: StreamBudget) -> HTTPStreamWriter {
        let writer = HTTPStreamWriter(
            connectionID: id, mailbox: nil, chunked: true, maxOutboundBytes: 1 << 20, budget: budget)
        budget.register(writer)
        return writer
    }

    @Test func dropOrderIsMostQueuedFirstThenOldestAndNeverAnEmptyStream() {
        let order = StreamBudget.dropOrder([
            (id: 1, queued: 10), (id: 2, queued: 500), (id: 3, queued: 0), (id: 4, queued: 500),
            (id: 5, queued: 70),
        ])
        #expect(order == [2, 4, 5, 1])
    }

    @Test func overTheLimitTheFurthestBehindIsDroppedAndTheOthersKeepStreaming() {
        let budget = StreamBudget(maxStreams: 10, limitBytes: 100 * 1024)
        let far = Self.writer(1, budget)
        let middle = Self.writer(2, budget)
        let near = Self.writer(3, budget)
        let farClosed = Locked(false)
        far.onClose { farClosed.withLock { $0 = true } }
        #expect(far.write([UInt8](repeating: 1, count: 60 * 1024)))
        #expect(middle.write([UInt8](repeating: 2, count: 30 * 1024)))
        #expect(near.write([UInt8](repeating: 3, count: 5 * 1024)))
        #expect(!far.wasShed)
        let before = budget.queuedBytes.load(ordering: .relaxed)
        #expect(before == far.queuedBytes + middle.queuedBytes + near.queuedBytes)

        // This write takes the total past 100 KiB: the stream with the most queued goes, not the writer.
        #expect(near.write([UInt8](repeating: 3, count: 10 * 1024)))
        #expect(far.wasShed && far.isClosed && farClosed.value)
        #expect(!middle.isClosed && !near.isClosed)
        #expect(budget.queuedBytes.load(ordering: .relaxed) == middle.queuedBytes + near.queuedBytes)
        #expect(budget.queuedBytes.load(ordering: .relaxed) <= budget.lowWaterBytes)
        #expect(!far.write([1]))

        // Closing gives the rest back: nothing stays charged.
        middle.markClosed()
        near.markClosed()
        #expect(budget.queuedBytes.load(ordering: .relaxed) == 0)
    }

    @Test func bytesTheLoopTookAndSentAreGivenBack() {
        let budget = StreamBudget(maxStreams: 10, limitBytes: 1 << 20)
        let writer = Self.writer(1, budget)
        #expect(writer.write(Array("hello".utf8)))
        writer.finish()
        var output: [UInt8] = []
        #expect(writer.takePending(into: &output, limit: 16 * 1024))
        #expect(String(decoding: output, as: UTF8.self) == "5\r\nhello\r\n0\r\n\r\n")
        writer.setUnsent(output.count)
        #expect(budget.queuedBytes.load(ordering: .relaxed) == output.count)
        writer.setUnsent(0)
        #expect(budget.queuedBytes.load(ordering: .relaxed) == 0)
    }

    @Test func theLoopCopiesAboutOneSliceAtATime() {
        let writer = HTTPStreamWriter(
            connectionID: 1, mailbox: nil, chunked: false, maxOutboundBytes: 1 << 20)
        let frame = [UInt8](repeating: 7, count: 1000)
        for _ in 0..<100 { #expect(writer.write(frame)) }
        var output: [UInt8] = []
        #expect(!writer.takePending(into: &output, limit: 16 * 1024))
        #expect(output.count == 17 * 1000)
        #expect(writer.hasPending)
        #expect(writer.queuedBytes == 100 * 1000)
    }

    @Test func slotsStopAtTheLimitAndComeBack() {
        let budget = StreamBudget(maxStreams: 2, limitBytes: 1)
        #expect(budget.reserveSlot())
        #expect(budget.reserveSlot())
        #expect(!budget.reserveSlot())
        budget.releaseSlot()
        #expect(budget.reserveSlot())
        #expect(budget.openStreams.load(ordering: .relaxed) == 2)
    }
}
