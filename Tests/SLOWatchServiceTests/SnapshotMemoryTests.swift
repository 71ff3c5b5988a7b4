import Dispatch
import Foundation
import SLOWatchCore
import SLOWatchCoreTesting
import Testing

@testable import SLOWatchService

/// Writing a snapshot of a full 10,000,000-sample ring (160 MB) raises the process's peak resident
/// memory by less than 64 MiB: the samples are copied in bounded chunks, never whole.
///
/// Measured in this test process: the peak (`VmHWM`) is reset by writing 5 to `/proc/self/clear_refs`,
/// and the growth is the peak during the snapshot minus the resident size just before. Other suites
/// running at the same time can only add to it, so the snapshot is measured up to three times and the
/// smallest growth is kept; the suite also runs with the load suites, alone (`LOAD_SUITES` in the
/// Makefile). Under ThreadSanitizer (`SLOWATCH_TSAN`) the bound is not checked: its shadow memory
/// grows with every byte touched. For comparison, the same run measures the whole-ring copy that the writer
/// made before (`newest(limit: .max)` reversed into a new array).
@Suite("Snapshot memory", .serialized)
struct SnapshotMemoryTests {
    /// 10,000,000 samples; 1,000,000 under ThreadSanitizer, where the bound is not checked and filling
    /// 10M took most of the load part: the snapshot still copies in chunks and restores every sample.
    static let capacity = ThreadSanitizerRun.isActive ? 1_000_000 : 10_000_000
    static let boundBytes = 64 << 20
    /// Whether the RSS bound is checked: not under ThreadSanitizer.
    static let boundApplies = !ThreadSanitizerRun.isActive

    /// `field` (kB) of `/proc/self/status`, in bytes.
    private static func status(_ field: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") })
        else { return nil }
        return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1024 }
    }

    /// How much `body` raised the peak resident size above the resident size before it, in bytes; nil
    /// where the peak cannot be reset or read.
    private static func peakGrowth(_ body: () -> Void) -> Int? {
        guard FileManager.default.isWritableFile(atPath: "/proc/self/clear_refs"),
            (try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)) != nil,
            let before = status("VmRSS")
        else { return nil }
        body()
        return status("VmHWM").map { $0 - before }
    }

    @Test("a snapshot of a full 10M-sample ring grows the peak RSS by less than 64 MiB")
    func snapshotOfAHugeRingIsBounded() throws {
        let directory = DurableNode.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let test = try TestService {
            $0.dataDirectory = directory
            $0.snapshotIntervalMilliseconds = 3_600_000
            $0.memoryLimitBytes = 1 << 30
        }
        defer { test.stop() }
        let registry = test.service.registry
        try registry.register(MetricDefinition(name: "huge", capacity: Self.capacity))
        let handle = try registry.handle(for: "huge")
        let now = Date().timeIntervalSince1970 * 1000
        var batch = [RecentSample](repeating: RecentSample(value: 0, timestamp: now), count: 1 << 16)
        var recorded = 0
        while recorded < Self.capacity + 1_000 {
            for index in batch.indices { batch[index].value = Double(recorded + index) }
            try batch.withUnsafeBufferPointer { try registry.record(handle, samples: $0) }
            recorded += batch.count
        }
        #expect(registry.summary(for: "huge")?.count == Self.capacity)

        let whole = Self.peakGrowth {
            let copy = Array(((try? registry.recentSamples(for: "huge", limit: .max)) ?? []).reversed())
            #expect(copy.count == Self.capacity)
        }
        var growths: [Int] = []
        for _ in 0..<3 {
            var failure: SnapshotFailure?
            guard
                let growth = Self.peakGrowth({
                    failure = test.service.writeSnapshot(reason: "test")
                })
            else { break }
            #expect(failure == nil, "\(failure?.message ?? "")")
            growths.append(growth)
            if growth < Self.boundBytes { break }
        }
        let snapshotGrowth = try #require(growths.min(), "VmHWM cannot be reset here")
        print(
            "Snapshot of a full \(Self.capacity)-sample ring: peak RSS growth \(snapshotGrowth >> 20) MiB "
                + "(attempts: \(growths.map { $0 >> 20 }) MiB); the whole-ring copy made before: "
                + "\((whole ?? 0) >> 20) MiB.")
        #expect(!Self.boundApplies || snapshotGrowth < Self.boundBytes)
        // The measure can see a whole copy: the old way's growth is at least the ring's 160 MB.
        #expect((whole ?? 0) >= Self.capacity * 16)

        // And the file holds every sample: a new service on a copy of the folder restores them.
        let copy = directory + "-copy"
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try FileManager.default.copyItem(atPath: directory, toPath: copy)
        try? FileManager.default.removeItem(atPath: copy + "/lock")
        let restored = try TestService.makeService(wallClock: SystemWallClock(), logger: nil) {
            $0.dataDirectory = copy
            $0.memoryLimitBytes = 1 << 30
        }
        #expect(restored.registry.summary(for: "huge")?.count == Self.capacity)
        let newest = try restored.registry.recentSamples(for: "huge", limit: 1)
        #expect(newest.first?.value == Double(recorded - 1))
        #expect(restored.registry.summary(for: "huge")?.overflow == UInt64(recorded - Self.capacity))
    }
}
