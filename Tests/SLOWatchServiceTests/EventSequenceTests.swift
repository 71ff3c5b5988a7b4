import Foundation
import Logging
import SLOWatchCore
import SLOWatchCoreTesting
import SLOWatchPOSIX
import SLOWatchSync
import Testing

@testable import SLOWatchService

/// Event sequences are never handed out twice: an id is used only once a durable ceiling covers it,
/// so after a storage failure and a crash new events get higher sequences than any id handed out.
@Suite("Event sequences: durable reservation")
struct EventSequenceTests {
    /// A data directory opened as a starting service opens it, with its bus restored.
    struct Node {
        let state: DurableState
        let bus: EventBus

        init(
            _ path: String, storage: any FileStorage = POSIXFileStorage(), block: UInt64 = 8,
            log: Logger = .discarding
        ) throws {
            state = try DurableState(
                path: path, historyCapacity: 1000, defaultCapacity: 100, storage: storage, logger: .discarding
            )
            let sequences = try EventSequenceFile.open(state, logger: .discarding)
            bus = EventBus(
                configuration: .init(journal: state.log, sequenceStore: sequences, sequenceBlock: block),
                logger: log)
            SLOWatchService.restoreEvents(state, sequences: sequences, into: bus, logger: .discarding)
        }

        /// Publishes until the bus refuses (or `limit` events); returns the sequences handed out.
        func publish(upTo limit: Int) -> [UInt64] {
            var sequences: [UInt64] = []
            for _ in 0..<limit {
                guard let event = try? bus.publish(topic: "perf.test", payload: [:]) else { break }
                sequences.append(event.sequence)
            }
            return sequences
        }
    }

    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("slowatch-sequence-\(UUID())").path
    }

    /// Polls until `condition` holds, for at most 10 s.
    static func eventually(_ condition: () -> Bool) -> Bool {
        for _ in 0..<2000 {
            if condition() { return true }
            usleep(5_000)
        }
        return condition()
    }

    @Test("the file round-trips its ceiling, and anything else is not read as one")
    func fileFormat() {
        for ceiling: UInt64 in [0, 1, 1024, .max] {
            #expect(EventSequenceFile.decode(EventSequenceFile.encode(ceiling)) == ceiling)
        }
        var bytes = EventSequenceFile.encode(4096)
        bytes[bytes.count - 1] ^= 0x01
        #expect(EventSequenceFile.decode(bytes) == nil)
        #expect(EventSequenceFile.decode([]) == nil)
    }

    @Test("a block is reserved ahead, when half is used, before any of its ids is handed out")
    func reservesAhead() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let node = try Node(path)
        #expect(node.bus.reservedSequence == 8, "reserved at start")
        #expect(try node.state.directory.contents(of: "sequence").flatMap(EventSequenceFile.decode) == 8)
        #expect(node.publish(upTo: 5) == [1, 2, 3, 4, 5])
        #expect(Self.eventually { node.bus.reservedSequence == 16 }, "the next block, asked for at half")
        #expect(try node.state.directory.contents(of: "sequence").flatMap(EventSequenceFile.decode) == 16)
        #expect(node.publish(upTo: 11) == Array(6...16))
    }

    @Test("a full disk then kill -9: no sequence is handed out again, and the lost ids are a gap")
    func fullDiskThenCrash() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let disk = InjectedStorage()
        do {
            let node = try Node(path, storage: disk)
            #expect(node.publish(upTo: 3) == [1, 2, 3])
            disk.full.withLock { $0 = true }
            // Ids up to the durable ceiling (8) are still handed out; the log cannot keep them.
            let handedOut = node.publish(upTo: 100)
            #expect(handedOut == Array(4...8), "never past the ceiling that is on disk")
            #expect(node.state.health.failure(of: .eventLog) != nil)
            #expect(throws: EventError.sequenceNotReserved(ceiling: 8)) {
                try node.bus.publish(topic: "perf.test", payload: [:])
            }
            #expect(
                Self.eventually { node.state.health.failure(of: .eventLog)?.contains("sequence") == true })
            // kill -9: nothing is synced or stopped; the lock and the files are simply let go.
        }
        let restarted = try Node(path)
        #expect(restarted.state.recovered.events.map(\.sequence) == [1, 2, 3])
        let next = try restarted.bus.publish(topic: "perf.test", payload: [:])
        #expect(next.sequence > 8, "above every id handed out before the crash")
        #expect(try restarted.bus.stream(after: 5).missed > 0, "a client that saw a lost id hears of the gap")
        #expect(
            try restarted.bus.stream(after: 3).missed == 0,
            "a client that saw the last kept one missed nothing")
    }

    @Test("a full disk that recovers: events are refused only while no block can be reserved")
    func recoveryResumesPublishing() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let disk = InjectedStorage()
        let capture = LogCapture()
        let node = try Node(path, storage: disk, log: capture.logger)
        disk.full.withLock { $0 = true }
        #expect(node.publish(upTo: 100) == Array(1...8))
        for _ in 0..<20 { _ = try? node.bus.publish(topic: "perf.test", payload: [:]) }
        #expect(
            capture.messages(atLeast: .error).filter { $0.contains("publish failed") }.count == 1,
            "a run of refusals is logged once")
        #expect(Self.eventually { node.state.health.failure(of: .eventLog) != nil })
        disk.full.withLock { $0 = false }
        // Each refused publish asks again; one succeeds once the disk has room.
        #expect(Self.eventually { (try? node.bus.publish(topic: "perf.test", payload: [:])) != nil })
        #expect(node.bus.lastSequence == 9)
        #expect(node.state.health.failure(of: .eventLog) == nil, "the recovery is reported")
    }

    @Test("a damaged sequence file is set aside and sequences go on two blocks above what is known")
    func damagedFile() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let node = try Node(path)
            #expect(node.publish(upTo: 3) == [1, 2, 3])
        }
        try Data("garbage".utf8).write(to: URL(fileURLWithPath: "\(path)/sequence"))
        let restarted = try Node(path)
        #expect(try restarted.bus.publish(topic: "perf.test", payload: [:]).sequence == 3 + 16 + 1)
        let names = try FileManager.default.contentsOfDirectory(atPath: path)
        #expect(names.contains { $0.hasPrefix("sequence.corrupt-") }, "\(names)")
    }
}
