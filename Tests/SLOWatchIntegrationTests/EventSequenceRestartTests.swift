import Foundation
import Testing

/// Through the binary: after `kill -9`, and after damage to `violations.log`, no event sequence is
/// handed out again, and a client resuming from a lost id is told `: history truncated`.
@Suite("Event sequences across kill -9")
struct EventSequenceRestartTests {
    /// Starts a node over `directory` whose SLOs `ids` all violate at once.
    static func violatingNode(_ directory: String, _ ids: [String]) throws -> DurableNode {
        let node = try DurableNode(directory: directory, ["--check-interval", "100ms"])
        for id in ids {
            #expect(
                try node.send("PUT", "/slos/\(id)", #"{"metric":"lat","percentile":"p50","threshold":1}"#)
                    == 201)
        }
        #expect(try node.send("POST", "/samples", #"{"metric":"lat","value":9}"#) == 200)
        return node
    }

    @Test("kill -9 then a restart: new events are numbered above every id the killed process could use")
    func killedProcessIdsAreNotReused() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try Self.violatingNode(directory, ["a", "b", "c"])
        let before = try first.waitForViolations(3).compactMap { $0["sequence"] as? Int }
        #expect(before == [1, 2, 3])
        first.child.kill()

        let second = try DurableNode(directory: directory, ["--check-interval", "100ms"])
        defer { second.child.kill() }
        // The SLOs are judged afresh; a sample makes them violate again.
        #expect(try second.send("POST", "/samples", #"{"metric":"lat","value":9}"#) == 200)
        let after = try second.waitForViolations(6).compactMap { $0["sequence"] as? Int }
        #expect(Array(after.prefix(3)) == [1, 2, 3], "the killed process's events are all kept")
        #expect(
            after.count == 6 && after.dropFirst(3).allSatisfy { $0 > 1024 },
            "above the reserved block: \(after)")

        let caughtUp = SSEReader(
            url: "http://127.0.0.1:\(second.port)/slo/violations", headers: [("Last-Event-ID", "3")])
        defer { caughtUp.close() }
        #expect(caughtUp.waitForEvents(3), "\(caughtUp.text)")
        #expect(!caughtUp.text.contains("history truncated"), "nothing after #3 was lost")
        // An id the killed process could have handed out but is not in its log: the client saw a lost event.
        let lost = SSEReader(
            url: "http://127.0.0.1:\(second.port)/slo/violations", headers: [("Last-Event-ID", "500")])
        defer { lost.close() }
        #expect(lost.wait { $0.text.contains("history truncated") }, "\(lost.text)")
        #expect(second.stopGracefully() == 0)
    }

    @Test("a flipped bit in a length field keeps the intact prefix, sets the file aside, reuses no id")
    func flippedLengthBit() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try Self.violatingNode(directory, ["a", "b", "c"])
        #expect(try first.waitForViolations(3).count == 3)
        #expect(first.stopGracefully() == 0)

        let path = "\(directory)/violations.log"
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let firstLength = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
        bytes[8 + firstLength + 1] ^= 0x01  // the second record's length, 256 bytes off
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let second = try DurableNode(directory: directory, ["--check-interval", "1h"])
        defer { second.child.kill() }
        let log = second.child.standardError
        #expect(log.contains("The violation log \(path) is damaged"), "\(log)")
        #expect(try second.violations().compactMap { $0["sequence"] as? Int } == [1])
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(names.contains { $0.hasPrefix("violations.log.corrupt-") }, "\(names)")
        let reader = SSEReader(
            url: "http://127.0.0.1:\(second.port)/slo/violations", headers: [("Last-Event-ID", "1")])
        defer { reader.close() }
        #expect(reader.wait { $0.text.contains("history truncated") }, "#2 and #3 were lost: \(reader.text)")
        #expect(second.stopGracefully() == 0)
    }
}
